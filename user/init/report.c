/*
 * report.c - what init tells: the services table (init:/services), the
 * boot timeline JSON (init:/timeline, /var/log/boot-timeline.json, and
 * with timeline=serial the console), and the settle report.
 *
 * Settling has two steps. First every service but the console (getty,
 * held back by load.c) has settled: init prints "init: N of M services
 * ready" (M: the services but the console; N: those ready or exited 0),
 * then /etc/motd, and releases the console, so the login prompt comes
 * after both. Then everything has settled: settled_ns is taken and the
 * timeline is written (and printed, and with the argv word `table` the
 * services table too). Later changes (restarts, stops) show in init:/
 * reads, not in the written file.
 *
 * Everything here runs in the main loop and only reads init's state but
 * for the settle stage and time.
 */
#include <string.h>
#include "fmt/fmt.h"
#include "init.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define TIMELINE_FILE "/var/log/boot-timeline.json"

/* An appender over buf[0..cap): what did not fit is dropped, len counts all. */
struct out {
	char *buf;
	size_t cap, len;
};

static void put(struct out *o, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->len < o->cap ? o->cap - o->len : 0;
	int n = fmt_vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

/* s as a JSON string: quotes, and \u escapes for anything not plain printable ASCII. */
static void put_str(struct out *o, const char *s)
{
	put(o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			put(o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			put(o, "\\u%04x", c);
		else
			put(o, "%c", c);
	}
	put(o, "\"");
}

static void put_ns(struct out *o, uint64_t ns)
{
	if (ns)
		put(o, "%llu", (unsigned long long)ns);
	else
		put(o, "null");
}

static void put_list(struct out *o, const char *const *names, size_t n)
{
	put(o, "[");
	for (size_t k = 0; k < n; k++) {
		if (k)
			put(o, ", ");
		put_str(o, names[k]);
	}
	put(o, "]");
}

/* The length written, or cap when it did not all fit. */
static size_t done(const struct out *o)
{
	return o->len < o->cap ? o->len : o->cap;
}

size_t report_services(const struct init *in, char *buf, size_t len)
{
	struct out o = {buf, len, 0};
	uint64_t now = rb_now_ns();
	for (size_t i = 0; i < in->n; i++) {
		const struct svc_run *r = &in->sup.run[i];
		put(&o, "%s %s ", in->defs[i].name, svc_state_name(in->sup.state[i]));
		if (r->pid)
			put(&o, "%d %u %llu ", r->pid, r->restarts,
			    (unsigned long long)((now - r->run_ns) / 1000000000ull));
		else
			put(&o, "- %u - ", r->restarts);
		if (r->last_exit >= 0)
			put(&o, "%d\n", r->last_exit);
		else
			put(&o, "-\n");
	}
	return done(&o);
}

size_t report_timeline(const struct init *in, char *buf, size_t len)
{
	struct out o = {buf, len, 0};
	put(&o, "{\"version\": 1, \"init_start_ns\": %llu, \"settled_ns\": ",
	    (unsigned long long)in->start_ns);
	put_ns(&o, in->settled_ns);
	put(&o, ", \"services\": [");
	for (size_t i = 0; i < in->n; i++) {
		const struct svc_def *d = &in->defs[i];
		const struct svc_run *r = &in->sup.run[i];
		put(&o, "%s{\"name\": ", i ? ", " : "");
		put_str(&o, d->name);
		put(&o, ", \"type\": \"%s\", \"requires\": ", svc_type_name(d->type));
		put_list(&o, d->requires, d->nrequires);
		put(&o, ", \"after\": ");
		put_list(&o, d->after, d->nafter);
		put(&o, ", \"start_ns\": ");
		put_ns(&o, r->start_ns);
		put(&o, ", \"ready_ns\": ");
		put_ns(&o, r->ready_ns);
		put(&o, ", \"exit_ns\": ");
		put_ns(&o, r->pid ? 0 : r->exit_ns);
		put(&o, ", \"state\": \"%s\", \"restarts\": %u, \"critical\": %s}",
		    svc_state_name(in->sup.state[i]), r->restarts, d->critical ? "true" : "false");
	}
	put(&o, "], \"drivers\": [");
	for (size_t i = 0; i < in->drivers.n; i++) {
		const struct drvtl_entry *e = &in->drivers.v[i];
		put(&o, "%s{\"name\": ", i ? ", " : "");
		put_str(&o, e->name);
		put(&o, ", \"type\": \"driver\", \"device\": ");
		put_str(&o, e->addr);
		put(&o, ", \"start_ns\": ");
		put_ns(&o, e->start_ns);
		put(&o, ", \"ready_ns\": ");
		put_ns(&o, e->ready_ns);
		put(&o, ", \"exit_ns\": ");
		put_ns(&o, e->exit_ns);
		put(&o, ", \"state\": \"%s\", \"restarts\": %u}", drvtl_state(e), e->restarts);
	}
	put(&o, "], \"drivers_dropped\": %u}\n", in->drivers.dropped);
	return done(&o);
}

#define FRESH_TRIES 3 /* a file call cut by a signal is made again from a fresh open */

/*
 * init's files live in file: (ramfsd), a server that can be slow or stuck,
 * so init never holds its signals around a call there: SIGCHLD (or SIGTERM)
 * must still end such a wait. A call cut that way may or may not have been
 * applied (docs/ipc.md), so it is never repeated on the same handle: the
 * whole open-read or open-truncate-write is made again on a fresh one,
 * which gives the same result whatever the cut call did.
 */
static long read_fresh(const char *path, char *buf, size_t cap)
{
	long n = -E_INTR;
	for (int tries = 0; n == -E_INTR && tries < FRESH_TRIES; tries++) {
		int fd = rb_open(path, RB_O_RDONLY);
		n = fd >= 0 ? rb_read(fd, buf, cap) : fd;
		if (fd >= 0)
			rb_close(fd);
	}
	return n;
}

static void print_motd(void)
{
	char motd[512];
	long n = read_fresh("/etc/motd", motd, sizeof motd - 1);
	if (n > 0) {
		motd[n] = 0;
		rb_printf("%s", motd);
	}
}

/* Write all of buf to fd: 0, or the error that stopped it (0 bytes written: -E_IO). */
static long write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		long r = rb_write(fd, buf, len);
		if (r <= 0)
			return r < 0 ? r : -E_IO;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

void report_write_timeline(const struct init *in)
{
	static char json[32 * 1024];
	size_t len = report_timeline(in, json, sizeof json);
	(void)rb_mkdir("/var");
	(void)rb_mkdir("/var/log");
	long r = -E_INTR;
	for (int tries = 0; r == -E_INTR && tries < FRESH_TRIES; tries++) { /* see read_fresh */
		int fd = rb_open(TIMELINE_FILE, RB_O_WRONLY | RB_O_CREAT | RB_O_TRUNC);
		r = fd >= 0 ? write_all(fd, json, len) : fd;
		if (fd >= 0)
			rb_close(fd);
	}
	if (r < 0)
		rb_printf("init: cannot write %s: %s\n", TIMELINE_FILE, err_name((int)r));
}

/* Write "--- NAME begin ---", the len bytes at buf + 64, a line end if they lack
   one, and "--- NAME end ---" as one write (buf holds cap bytes, len <= cap - 128). */
static void print_block(char *buf, size_t cap, const char *name, size_t len)
{
	char head[64];
	size_t h = (size_t)rb_snprintf(head, sizeof head, "--- %s begin ---\n", name);
	char *p = buf + 64 - h;
	memcpy(p, head, h);
	size_t n = h + len;
	if (len && buf[64 + len - 1] != '\n')
		p[n++] = '\n';
	n += (size_t)rb_snprintf(p + n, cap - (size_t)(p + n - buf), "--- %s end ---\n", name);
	write_all(1, p, n);
}

static void settled(struct init *in, uint64_t now)
{
	static char buf[32 * 1024];
	in->settled_ns = now;
	report_write_timeline(in);
	/* each block is one write: the console keeps a write whole, so getty's
	   banner, which may be printed now too, cannot land inside it */
	if (in->timeline_serial)
		print_block(buf, sizeof buf, "boot-timeline",
			    report_timeline(in, buf + 64, sizeof buf - 128));
	if (in->table)
		print_block(buf, sizeof buf, "services",
			    report_services(in, buf + 64, sizeof buf - 128));
}

void report_settle(struct init *in, uint64_t now)
{
	if (in->halt != INIT_RUN || in->settle_stage == 2 || !svc_sup_settled(&in->sup))
		return;
	if (in->settle_stage == 0) {
		unsigned ready = 0, all = 0;
		for (size_t i = 0; i < in->n; i++) {
			if (i == in->console)
				continue;
			all++;
			ready += in->sup.state[i] == SVC_READY || in->sup.state[i] == SVC_EXITED;
		}
		rb_printf("init: %u of %u services ready\n", ready, all);
		print_motd();
		in->settle_stage = 1;
		if (in->console != SVC_NONE) {
			svc_sup_hold(&in->sup, in->console, false);
			return; /* settled again once it has started */
		}
	}
	in->settle_stage = 2;
	settled(in, now);
}
