/*
 * svc.c - the supervisor's services: ramfsd, logd and ipcd for the
 * files, ipc, log and dev cases, and pcid and acpid for the dev case.
 *
 * With any of those cases on, the supervisor starts the three servers as
 * init does (rb_service_start: file:, log:, ipc:), before the baseline
 * counts, so they are its children and no worker's: chaos never kills
 * them, and waitpid must find them running at every round's end. After
 * starting them it serves each once as a fresh client (the probes below)
 * and waits until logd's copy of the log, file:/var/log/messages, holds
 * the probe's line: from then on logd keeps that file open, so the kernel
 * counts taken next are the servers' steady state.
 *
 * At each round's end (svc_round_check), with every worker gone: each
 * server is still the same running child; /tmp/kst* (the files case's
 * directories, including those of killed workers) are removed and
 * /var/log/messages is truncated, so ramfsd does not grow from round to
 * round; a fresh client is served by each (a file written and read back,
 * /etc/motd the same as initfs's, a log line read back, a stream echoed);
 * and ipcd's ipc:/stats shows as many handles and as many bytes of memory
 * as before round 1 (read until they agree, for at most SETTLE_S: the
 * CLOSEs of a killed worker's handles reach ipcd after its death).
 *
 * Ownership: the supervisor's single thread owns everything here.
 */
#include <string.h>
#include "boot/cmdline.h"
#include "kstress.h"
#include "rb/service.h"
#include "rb/socket.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define MS (1000ull * 1000)
#define SETTLE_NS (10000 * MS)

struct server {
	const char *prog, *name; /* spawned from initfs; its program name */
	bool dev;		 /* started only for the dev case */
	const char *probe;	 /* opens once it serves */
	int flags;		 /* for the probe */
	int pid;		 /* > 0 while running; 0 not started; < 0 ended (-status - 1) */
};

static struct server servers[] = {
    {"initfs:/bin/ramfsd", "ramfsd", false, "file:/", RB_O_RDONLY | RB_O_DIRECTORY, 0},
    {"initfs:/bin/logd", "logd", false, "log:/kstress", RB_O_WRONLY, 0},
    {"initfs:/bin/ipcd", "ipcd", false, "ipc:/stream/kstress-probe",
     RB_O_RDWR | RB_O_CREAT | RB_O_NONBLOCK, 0},
    {"initfs:/bin/pcid", "pcid", true, "pci:/", RB_O_RDONLY | RB_O_DIRECTORY, 0},
    {"initfs:/bin/acpid", "acpid", true, "acpi:/tables", RB_O_RDONLY | RB_O_DIRECTORY, 0},
};
static bool want_dev; /* the dev case is on: pcid and acpid too */
#define NSERVERS (sizeof servers / sizeof servers[0])

struct ipc_stats {
	unsigned long long handles, mem;
};

static struct ipc_stats ipc0; /* before round 1 */
static unsigned probe_no;
static char buf[4096];

bool svc_wanted(uint32_t cases)
{
	want_dev = cases & 1u << KST_DEV;
	return cases & (1u << KST_FILES | 1u << KST_IPC | 1u << KST_LOG | 1u << KST_DEV);
}

/* Whether server s runs in this run. */
static bool used(const struct server *s)
{
	return !s->dev || want_dev;
}

bool svc_note_exit(int pid, int status)
{
	for (size_t i = 0; i < NSERVERS; i++)
		if (servers[i].pid > 0 && servers[i].pid == pid) {
			rb_printf("kstress: %s (pid %d) ended, status %d\n", servers[i].name, pid,
				  status);
			servers[i].pid = -status - 1;
			return true;
		}
	return false;
}

/* Read all of path into buf (NUL-terminated); bytes or an error. */
static long slurp(const char *path)
{
	int fd = rb_open(path, RB_O_RDONLY);
	if (fd < 0)
		return fd;
	long n = 0, r;
	while (n < (long)sizeof buf - 1 && (r = rb_read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += r;
	rb_close(fd);
	buf[n] = 0;
	return n;
}

/* The number at p, up to the end of its line. */
static int field(const char *p, uint64_t *v)
{
	char num[24];
	size_t n = 0;
	while (p[n] && p[n] != '\n' && n < sizeof num - 1)
		n++;
	memcpy(num, p, n);
	num[n] = 0;
	return cmdline_parse_u64(num, v);
}

static int ipc_stats(struct ipc_stats *st)
{
	long n = slurp("ipc:/stats");
	if (n < 0)
		return (int)n;
	const char *h = kst_find(buf, "handles "), *m = kst_find(buf, "\nmem ");
	uint64_t hv, mv;
	if (!h || !m)
		return -E_IO;
	if (field(h + 8, &hv) < 0 || field(m + 5, &mv) < 0)
		return -E_IO;
	st->handles = hv;
	st->mem = mv;
	return 0;
}

/* file: serves a fresh client: /etc/motd as initfs has it, a file written and read back. */
static int probe_file(void)
{
	static char motd[1024];
	long n = slurp("initfs:/etc/motd");
	if (n < 0)
		return (int)n;
	memcpy(motd, buf, (size_t)n + 1);
	long m = slurp("file:/etc/motd");
	if (m != n || memcmp(buf, motd, (size_t)n) != 0)
		return m < 0 ? (int)m : -E_IO;
	int fd = rb_open("file:/tmp/kstress-probe", RB_O_RDWR | RB_O_CREAT | RB_O_TRUNC);
	if (fd < 0)
		return fd;
	long w = rb_write(fd, motd, (size_t)n);
	long s = rb_lseek(fd, 0, RB_SEEK_SET);
	long r = rb_read(fd, buf, sizeof buf);
	rb_close(fd);
	int u = rb_unlink("file:/tmp/kstress-probe", 0);
	if (w != n || s != 0 || r != n || memcmp(buf, motd, (size_t)n) != 0 || u != 0)
		return -E_IO;
	return 0;
}

/* log: serves a fresh client: a line written comes back. *tag gets the line. */
static int probe_log(char *tag, size_t size)
{
	int len = rb_snprintf(tag, size, "kstress probe %u", probe_no++);
	int rd = rb_open("log:", RB_O_RDONLY), wr = rb_open("log:/kstress", RB_O_WRONLY);
	long w = -E_BADF, r, found = 0;
	if (rd >= 0 && wr >= 0) {
		char line[64];
		rb_snprintf(line, sizeof line, "%s\n", tag);
		w = rb_write(wr, line, (size_t)len + 1);
		while ((r = rb_read(rd, buf, sizeof buf - 1)) > 0) {
			buf[r] = 0;
			found += kst_find(buf, line) != NULL; /* the whole line, its \n too */
		}
	}
	if (rd >= 0)
		rb_close(rd);
	if (wr >= 0)
		rb_close(wr);
	if (rd < 0 || wr < 0)
		return rd < 0 ? rd : wr;
	return w == len + 1 && found == 1 ? 0 : -E_IO;
}

/* ipc: serves a fresh client: a stream connection echoes. */
static int probe_ipc(void)
{
	int l = rb_socket_listen(RB_SOCK_STREAM, "kstress-probe");
	if (l < 0)
		return l;
	int c = rb_socket_connect(RB_SOCK_STREAM, "kstress-probe");
	int a = c >= 0 ? rb_accept(l) : c;
	long w = -1, r = -1;
	if (a >= 0) {
		w = rb_write(c, "ping", 4);
		r = rb_read(a, buf, sizeof buf);
	}
	rb_close(l);
	if (c >= 0)
		rb_close(c);
	if (a >= 0)
		rb_close(a);
	if (c < 0 || a < 0)
		return c < 0 ? c : a;
	return w == 4 && r == 4 && memcmp(buf, "ping", 4) == 0 ? 0 : -E_IO;
}

/* pci: and acpi: serve a fresh client: a listing of each, and the first function's config. */
static int probe_dev(void)
{
	int p = rb_open("pci:/", RB_O_RDONLY | RB_O_DIRECTORY);
	long n = p >= 0 ? rb_getdents(p, buf, sizeof buf) : p;
	if (p >= 0)
		rb_close(p);
	if (n <= 0)
		return n < 0 ? (int)n : -E_IO;
	char path[64];
	rb_snprintf(path, sizeof path, "pci:/%s/config", ((const struct rb_dirent *)buf)->name);
	int c = rb_open(path, RB_O_RDONLY);
	long id = c >= 0 ? rb_read(c, buf, 4) : c;
	if (c >= 0)
		rb_close(c);
	if (id != 4)
		return id < 0 ? (int)id : -E_IO;
	int a = rb_open("acpi:/tables", RB_O_RDONLY | RB_O_DIRECTORY);
	if (a < 0)
		return a;
	n = rb_getdents(a, buf, sizeof buf);
	rb_close(a);
	return n < 0 ? (int)n : 0;
}

/* Each server is the child we started and still runs; failures counted. */
static int check_alive(int round)
{
	int bad = 0;
	for (size_t i = 0; i < NSERVERS; i++) {
		struct server *s = &servers[i];
		struct rb_procinfo info;
		if (!used(s))
			continue;
		int status = 0, r = s->pid > 0 ? rb_waitpid(s->pid, &status, RB_WNOHANG) : -1;
		if (r == s->pid && r > 0)
			svc_note_exit(s->pid, status);
		if (s->pid > 0 && r == 0 && rb_procinfo(s->pid, &info) >= 0 &&
		    strncmp(info.name, s->name, sizeof info.name) == 0)
			continue;
		rb_printf("kstress: round %d: %s is not running (pid %d, waitpid %d)\n", round,
			  s->name, s->pid, r);
		bad++;
	}
	return bad;
}

/* Remove path and, if a directory, what is in it (depth levels at most). */
static void remove_tree(const char *path, int depth)
{
	int fd = depth > 0 ? rb_open(path, RB_O_RDONLY | RB_O_DIRECTORY) : -E_NOTDIR;
	if (fd == -E_NOTDIR) {
		(void)rb_unlink(path, 0);
		return;
	}
	char names[1024], sub[128];
	long n;
	/* Removing while listing shifts the entry index: list again until empty. */
	for (int pass = 0; fd >= 0 && pass < 8; pass++) {
		rb_lseek(fd, 0, RB_SEEK_SET);
		if ((n = rb_getdents(fd, names, sizeof names)) <= 0)
			break;
		for (long o = 0; o < n;) {
			const struct rb_dirent *d = (const struct rb_dirent *)(names + o);
			rb_snprintf(sub, sizeof sub, "%s/%s", path, d->name);
			remove_tree(sub, depth - 1);
			o += d->reclen ? d->reclen : n;
		}
	}
	if (fd >= 0)
		rb_close(fd);
	(void)rb_unlink(path, RB_AT_REMOVEDIR);
}

/* Remove the files case's directories (file:/tmp/kst*) and empty the log's copy. */
static void clean_up(void)
{
	int fd = rb_open("file:/tmp", RB_O_RDONLY | RB_O_DIRECTORY);
	char names[2048], path[128];
	long n;
	bool again = fd >= 0;
	for (int pass = 0; again && pass < 8; pass++) { /* list, remove, list again */
		again = false;
		rb_lseek(fd, 0, RB_SEEK_SET);
		while ((n = rb_getdents(fd, names, sizeof names)) > 0)
			for (long o = 0; o < n;) {
				const struct rb_dirent *d = (const struct rb_dirent *)(names + o);
				if (strncmp(d->name, "kst", 3) == 0) {
					rb_snprintf(path, sizeof path, "file:/tmp/%s", d->name);
					remove_tree(path, 3);
					again = true;
				}
				o += d->reclen ? d->reclen : n;
			}
	}
	if (fd >= 0)
		rb_close(fd);
	fd = rb_open("file:/var/log/messages", RB_O_WRONLY | RB_O_TRUNC);
	if (fd >= 0)
		rb_close(fd);
}

static int probe_all(int round, char *tag, size_t size)
{
	int bad = 0, r;
	if ((r = probe_file()) < 0)
		rb_printf("kstress: round %d: file: probe failed: %s\n", round, err_name(r)), bad++;
	if ((r = probe_log(tag, size)) < 0)
		rb_printf("kstress: round %d: log: probe failed: %s\n", round, err_name(r)), bad++;
	if ((r = probe_ipc()) < 0)
		rb_printf("kstress: round %d: ipc: probe failed: %s\n", round, err_name(r)), bad++;
	if (want_dev && (r = probe_dev()) < 0)
		rb_printf("kstress: round %d: pci:/acpi: probe failed: %s\n", round, err_name(r)),
		    bad++;
	return bad;
}

int svc_start(void)
{
	int bad = 0;
	for (size_t i = 0; i < NSERVERS; i++) {
		struct server *s = &servers[i];
		if (!used(s))
			continue;
		int r = rb_service_start(s->prog, s->probe, s->flags);
		if (r < 0) {
			rb_printf("kstress: %s did not start: %s\n", s->prog, err_name(r));
			bad++;
		} else {
			s->pid = r;
		}
	}
	if (bad)
		return bad;
	clean_up();
	char tag[40];
	if ((bad = probe_all(0, tag, sizeof tag)) != 0)
		return bad;
	/* logd's messages thread opens /var/log/messages at its first line. */
	uint64_t end = rb_now_ns() + SETTLE_NS;
	while (!(slurp("file:/var/log/messages") >= 0 && kst_find(buf, tag)) && rb_now_ns() < end)
		rb_nanosleep(10 * MS); /* a polling period */
	if (!kst_find(buf, tag)) {
		rb_printf("kstress: logd's /var/log/messages does not show \"%s\"\n", tag);
		return 1;
	}
	int r = ipc_stats(&ipc0);
	if (r < 0) {
		rb_printf("kstress: ipc:/stats: %s\n", err_name(r));
		return 1;
	}
	rb_printf("kstress: services: ramfsd pid %d, logd pid %d, ipcd pid %d; ipcd handles=%llu "
		  "mem=%llu\n",
		  servers[0].pid, servers[1].pid, servers[2].pid, ipc0.handles, ipc0.mem);
	return 0;
}

int svc_round_check(int round)
{
	int bad = check_alive(round);
	if (bad)
		return bad;
	clean_up();
	char tag[40];
	bad += probe_all(round, tag, sizeof tag);
	struct ipc_stats st = {0};
	uint64_t end = rb_now_ns() + SETTLE_NS;
	int r;
	while ((r = ipc_stats(&st)) == 0 && (st.handles != ipc0.handles || st.mem != ipc0.mem) &&
	       rb_now_ns() < end)
		rb_sched_yield();
	if (r < 0 || st.handles != ipc0.handles || st.mem != ipc0.mem) {
		rb_printf("kstress: round %d: ipcd not back: %s handles %llu/%llu mem %llu/%llu "
			  "(now/before)\n",
			  round, r < 0 ? err_name(r) : "ok", st.handles, ipc0.handles, st.mem,
			  ipc0.mem);
		bad++;
	}
	return bad + check_alive(round);
}
