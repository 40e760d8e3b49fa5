/*
 * main.c - driver-manager: argv, the rules, signals and the main loop
 * (mgr.h says what the daemon does).
 *
 *   driver-manager [DIR...]    serve: rules from each DIR (default
 *                              /etc/drivers.d, read through initfs:)
 *   driver-manager --status    print drivers:/status and exit
 *
 * A rules file that does not load is logged with its file, line and
 * column and skipped; the others are used. It tells init it is ready
 * (INIT_NOTIFY) once the boot's first probes are over, at most
 * SETTLE_MAX_MS after it started; the start, status line and exit of
 * each driver go to init's boot timeline before that (mgr_timeline:
 * a synchronous write, so the boot's probes are in the timeline init
 * writes once settled). The main loop polls the
 * signal self-pipe (SIGCHLD, SIGTERM), pci:/events and every probing
 * driver's status pipe, and wakes for the next restart deadline.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mgr.h"
#include "rb/confdir.h"
#include "rb/malloc.h"
#include "rb/service.h"
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define RULES_DIR "/etc/drivers.d"
#define FILES_MAX 128
#define FILE_MAX (16 * 1024)
#define NODES 512
#define BUF_BYTES 8192
#define SETTLE_MAX_MS 5000 /* tell init we are ready by then, whatever still probes */

struct mgr mgr_g = {.events_fd = -1, .srv_fd = -1, .tl_fd = -1, .self_pipe = {-1, -1}};

uint64_t mgr_now_ms(void)
{
	return rb_now_ns() / 1000000;
}

void mgr_log(const char *fmt, ...)
{
	struct mgr *m = &mgr_g;
	char line[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (!strcmp(line, m->last_log)) {
		m->repeats++;
		return;
	}
	if (m->repeats)
		rb_printf("driver-manager: (the line before repeated %u more time(s))\n",
			  m->repeats);
	m->repeats = 0;
	strcpy(m->last_log, line);
	rb_printf("driver-manager: %s\n", line);
}

void mgr_timeline(struct mgr *m, const char *addr, const char *name, const char *event)
{
	if (m->tl_fd < 0)
		return;
	char line[96];
	int n = rb_snprintf(line, sizeof line, "driver %s %s %s", addr, name, event);
	uint64_t held = rb_sig_hold(); /* a SIGCHLD must not cut the write: it is not repeatable */
	long r = n > 0 && (size_t)n < sizeof line ? rb_write(m->tl_fd, line, (size_t)n) : -E_INVAL;
	rb_sig_release(held);
	if (r < 0)
		mgr_log("init:/timeline: %s %s: %s", name, event, err_name((int)r));
}

static void on_signal(int sig)
{
	char b = sig == RB_SIGCHLD ? 'c' : 't';
	(void)rb_write(mgr_g.self_pipe[1], &b, 1); /* full pipe: a byte is there already */
}

/* Load dir/name as the next rule. */
static void load_one(struct mgr *m, const char *dir, const char *name, struct toml_node *nodes,
		     char *bytes)
{
	char path[256], err[256];
	rb_conf_path(path, sizeof path, dir, name);
	char *text = NULL;
	long len = rb_conf_read(path, FILE_MAX, &text);
	if (len < 0) {
		mgr_log("%s/%s: %s; skipped", dir, name, err_name((int)len));
		return;
	}
	struct drv_rule *r = &m->rules[m->nrules];
	int e = drv_rule_parse(name, text, (size_t)len, nodes, NODES, bytes, BUF_BYTES, r, err,
			       sizeof err);
	rb_free(text);
	if (e < 0) {
		mgr_log("%s/%s; skipped", dir, err);
		return;
	}
	for (unsigned i = 0; i < m->nrules; i++)
		if (!strcmp(m->rules[i].name, r->name)) {
			mgr_log("%s/%s: driver %s is defined already; skipped", dir, name, r->name);
			return;
		}
	m->nrules++;
}

static void load_rules(struct mgr *m, char **dirs, int ndirs)
{
	static char names[FILES_MAX][RB_CONF_NAME_MAX];
	struct toml_node *nodes = rb_calloc(NODES, sizeof *nodes);
	char *bytes = rb_malloc(BUF_BYTES);
	m->rules = rb_calloc(FILES_MAX, sizeof *m->rules);
	if (!nodes || !bytes || !m->rules) {
		mgr_log("no memory for the rules");
		return;
	}
	for (int d = 0; d < ndirs; d++) {
		size_t skipped = 0;
		long n = rb_conf_list(dirs[d], ".toml", names, FILES_MAX, &skipped);
		if (n < 0)
			mgr_log("%s: %s", dirs[d], err_name((int)n));
		if (skipped)
			mgr_log("%s: %zu file(s) with too long a name, or too many; skipped",
				dirs[d], skipped);
		for (long i = 0; i < n && m->nrules < FILES_MAX; i++)
			load_one(m, dirs[d], names[i], nodes, bytes);
	}
	rb_free(nodes);
	rb_free(bytes);
	mgr_log("%u driver rule(s)", m->nrules);
}

static void setup(struct mgr *m)
{
	if (rb_pipe(m->self_pipe, RB_O_NONBLOCK) < 0)
		mgr_log("no self-pipe: exits are seen at the next event");
	struct rb_sigaction sa = {.handler = on_signal};
	rb_sigaction(RB_SIGCHLD, &sa, NULL);
	rb_sigaction(RB_SIGTERM, &sa, NULL);
	m->events_fd = rb_open("pci:/events", RB_O_RDONLY);
	if (m->events_fd < 0)
		mgr_log("pci:/events: %s; no PCI drivers", err_name(m->events_fd));
	/* Driver events go to init's boot timeline; run by hand (no init:) they do not. */
	m->tl_fd = rb_open("init:/timeline", RB_O_WRONLY);
	size_t cap = 64;
	struct drv_pair *v = rb_calloc(cap, sizeof *v);
	drv_pairs_init(&m->pairs, v, v ? cap : 0);
}

/* What the self-pipe says: reap on 'c'; true on 't' (SIGTERM). */
static bool on_self_pipe(struct mgr *m)
{
	char buf[32];
	long n;
	bool term = false;
	while ((n = rb_read(m->self_pipe[0], buf, sizeof buf)) > 0)
		for (long i = 0; i < n; i++)
			term |= buf[i] == 't';
	run_reap(m);
	return term;
}

/*
 * Whether the first probes are over: no driver is still to say its
 * status line and none is due now. Init then counts driver-manager ready,
 * so the login prompt comes after the boot's drivers (or SETTLE_MAX_MS).
 */
static bool settled(const struct mgr *m)
{
	for (unsigned i = 0; i < m->nprocs; i++)
		if (m->procs[i].fd >= 0)
			return false;
	for (size_t i = 0; i < m->pairs.n; i++)
		if (m->pairs.v[i].state == DRV_PAIR_IDLE)
			return false;
	return true;
}

#define POLL_MAX 64

static void loop(struct mgr *m)
{
	uint64_t settle_by = mgr_now_ms() + SETTLE_MAX_MS;
	bool notified = false;
	for (;;) {
		struct rb_pollfd fds[POLL_MAX];
		struct mproc *who[POLL_MAX];
		size_t n = 0;
		fds[n++] = (struct rb_pollfd){.fd = m->self_pipe[0], .events = RB_POLLIN};
		if (m->events_fd >= 0)
			fds[n++] = (struct rb_pollfd){.fd = m->events_fd, .events = RB_POLLIN};
		int srv_at = -1;
		if (m->srv_fd >= 0) {
			srv_at = (int)n;
			fds[n++] = (struct rb_pollfd){.fd = m->srv_fd, .events = RB_POLLIN};
		}
		size_t first = n;
		int64_t wait_ms = run_due(m);
		if (!notified && (settled(m) || mgr_now_ms() >= settle_by)) {
			rb_service_notify(getenv("INIT_NOTIFY"));
			notified = true;
		}
		if (!notified) {
			int64_t left = (int64_t)(settle_by - mgr_now_ms());
			wait_ms = wait_ms < 0 || wait_ms > left ? (left > 0 ? left : 0) : wait_ms;
		}
		for (unsigned i = 0; i < m->nprocs && n < POLL_MAX; i++)
			if (m->procs[i].fd >= 0) {
				who[n] = &m->procs[i];
				fds[n++] =
				    (struct rb_pollfd){.fd = m->procs[i].fd, .events = RB_POLLIN};
			}
		int r = rb_poll(fds, n, wait_ms < 0 ? -1 : wait_ms * 1000000);
		if (r < 0 && r != -E_INTR) {
			mgr_log("poll: %s", err_name(r));
			return;
		}
		/* Status lines first: a driver that wrote its line and exited has both. */
		for (size_t i = first; i < n; i++)
			if (fds[i].revents)
				run_status(m, who[i]);
		bool term = fds[0].revents && on_self_pipe(m);
		if (m->events_fd >= 0 && fds[1].revents)
			run_events(m);
		if (srv_at >= 0 && fds[srv_at].revents)
			scheme_serve(m);
		if (term) {
			run_stop(m);
			return;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--status"))
		return scheme_print_status();
	if (argc > 1 && argv[1][0] == '-') {
		rb_printf("usage: driver-manager [--status | RULES_DIR...]\n");
		return 2;
	}
	struct mgr *m = &mgr_g;
	char *dflt[] = {RULES_DIR};
	load_rules(m, argc > 1 ? argv + 1 : dflt, argc > 1 ? argc - 1 : 1);
	setup(m);
	m->srv_fd = scheme_start(m);
	run_events(m); /* the first read lists every present function */
	run_acpi(m);
	loop(m);
	return 0;
}
