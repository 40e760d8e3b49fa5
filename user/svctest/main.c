/*
 * svctest - a test service for init (tests/boot/test_init.py,
 * initfs/etc/init.test/): each argv word after the name sets one
 * behaviour, so one program plays every kind of service.
 *
 *   svctest NAME [WORD...]
 *   serve=SCHEME    register SCHEME and serve it: any path opens; a read
 *                   answers "ok\n" (health checks read SCHEME:/health)
 *   failreads=K     reads after the K-th fail with EIO (a failing health)
 *   after=MS        the delay of exit=, crash and notify (default 0)
 *   exit=N          exit with status N after MS ms
 *   crash           die of SIGSEGV after MS ms
 *   notify          write the INIT_NOTIFY byte after MS ms
 *   ignore-term     ignore SIGTERM (init must SIGKILL it)
 *   probe=SVC,PATH  kill service SVC (SIGKILL, pid from init:/services) and
 *                   measure until init shows it running again with a new
 *                   pid and PATH opens (its scheme is back): prints
 *                   "svctest: SVC back in N us"; then exit 0
 *   ctl=WORDS       after MS ms write WORDS (',' for ' ') to init:/control
 *   waitfor=SVC:ST  before ctl= or killinit, wait until init:/services shows
 *                   service SVC in state ST (looked at every 20 ms)
 *   killinit        after MS ms send SIGTERM to init (pid 1)
 *   child           start another svctest, "orphan ignore-term", that no one
 *                   supervises (init must still end it at shutdown)
 * Without exit/crash/probe/ctl it runs until a signal ends it. It prints
 * "svctest NAME: started", and "svctest NAME: SIGTERM" when told to stop.
 *
 * State: the options are set by main before any thread starts and only
 * read after; the read counter is an atomic (the server thread counts).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "rb/server.h"
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/service.h"
#include "rb/sys.h"
#include "rb/thread.h"
#include "usage.h"

static const char usage[] =
    "usage: svctest NAME [serve=SCHEME] [failreads=K] [after=MS] [exit=N] [crash] [notify]\n"
    "               [ignore-term] [probe=SVC,PATH] [waitfor=SVC:STATE] [ctl=WORDS] [killinit]\n"
    "               [child]\n"
    "A test service for init: see user/svctest/main.c and docs/init.md.\n";

static const char *name, *scheme, *probe, *ctl, *waitfor;
static long after_ms, exit_code = -1, failreads = -1;
static bool crash, notify, ignore_term, killinit;
static unsigned reads;

static long srv_open(struct rb_server *s, struct rb_server_call *c)
{
	return 1;
}

static long srv_read(struct rb_server *s, struct rb_server_call *c)
{
	unsigned n = __atomic_add_fetch(&reads, 1, __ATOMIC_RELAXED);
	if (failreads >= 0 && n > (unsigned long)failreads)
		return -E_IO;
	size_t len = c->out_max < 3 ? c->out_max : 3;
	memcpy(c->out, "ok\n", len);
	c->out_len = len;
	return (long)len;
}

static long srv_close(struct rb_server *s, struct rb_server_call *c)
{
	return 0;
}

static const struct rb_server_ops ops = {.open = srv_open, .read = srv_read, .close = srv_close};

static void on_term(int sig)
{
	rb_printf("svctest %s: SIGTERM%s\n", name, ignore_term ? " (ignored)" : "");
	if (!ignore_term)
		rb_exit(0);
}

/* The pid init shows for service svc in init:/services, 0 if none; state into st. */
static int service_pid(const char *svc, char *st, size_t stlen)
{
	static char buf[8192];
	int fd = rb_open("init:/services", RB_O_RDONLY);
	if (fd < 0)
		return 0;
	long n = rb_read(fd, buf, sizeof buf - 1);
	rb_close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	size_t sl = strlen(svc);
	for (char *line = buf; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, svc, sl) && line[sl] == ' ') {
			char *state = line + sl + 1, *pid = strchr(state, ' ');
			if (!pid)
				return 0;
			size_t l =
			    (size_t)(pid - state) < stlen - 1 ? (size_t)(pid - state) : stlen - 1;
			memcpy(st, state, l);
			st[l] = 0;
			return atoi(pid + 1);
		}
	return 0;
}

static int do_probe(void)
{
	char svc[40], st[16];
	const char *comma = strchr(probe, ',');
	if (!comma || comma - probe >= (long)sizeof svc) {
		rb_printf("svctest: probe=SVC,PATH expected\n");
		return 2;
	}
	memcpy(svc, probe, (size_t)(comma - probe));
	svc[comma - probe] = 0;
	const char *path = comma + 1;
	int old = service_pid(svc, st, sizeof st);
	if (old <= 0) {
		rb_printf("svctest: probe: %s is not running\n", svc);
		return 1;
	}
	uint64_t t0 = rb_now_ns(), limit = t0 + 5000ull * 1000 * 1000;
	rb_kill(old, RB_SIGKILL);
	struct rb_procinfo pi;
	while (rb_procinfo(old, &pi) > 0 && rb_now_ns() < limit)
		rb_sched_yield(); /* the old server must be gone before its scheme counts */
	int pid = 0;
	bool back = false;
	while (!back && rb_now_ns() < limit) {
		pid = service_pid(svc, st, sizeof st);
		if (pid > 0 && pid != old && (!strcmp(st, "ready") || !strcmp(st, "running"))) {
			int fd = rb_open(path, RB_O_RDONLY);
			if (fd >= 0) {
				rb_close(fd);
				back = true;
				break;
			}
		}
		rb_sched_yield();
	}
	uint64_t us = (rb_now_ns() - t0) / 1000;
	if (!back) {
		rb_printf("svctest: probe: %s not back within 5 s\n", svc);
		return 1;
	}
	rb_printf("svctest: %s back in %llu us (pid %d -> %d)\n", svc, (unsigned long long)us, old,
		  pid);
	return 0;
}

static int do_ctl(void)
{
	char cmd[128];
	size_t n = 0;
	for (const char *p = ctl; *p && n < sizeof cmd - 1; p++)
		cmd[n++] = *p == ',' ? ' ' : *p;
	int fd = rb_open("init:/control", RB_O_WRONLY);
	long r = fd >= 0 ? rb_write(fd, cmd, n) : fd;
	if (fd >= 0)
		rb_close(fd);
	rb_printf("svctest %s: control '%.*s': %s\n", name, (int)n, cmd,
		  r < 0 ? err_name((int)r) : "ok");
	return r < 0 ? 1 : 0;
}

/* waitfor=SVC:STATE: until init shows it so. */
static void wait_state(void)
{
	char svc[40], st[16];
	const char *colon = strchr(waitfor, ':');
	if (!colon || colon - waitfor >= (long)sizeof svc) {
		rb_printf("svctest %s: waitfor=SVC:STATE expected\n", name);
		return;
	}
	memcpy(svc, waitfor, (size_t)(colon - waitfor));
	svc[colon - waitfor] = 0;
	for (;;) {
		st[0] = 0;
		(void)service_pid(svc, st, sizeof st);
		if (!strcmp(st, colon + 1))
			break;
		rb_nanosleep(20ull * 1000 * 1000);
	}
	rb_printf("svctest %s: %s is %s\n", name, svc, colon + 1);
}

/* The timed part: notify, exit, crash, ctl; then wait for a signal. */
static int timed(void *arg)
{
	if (after_ms > 0)
		rb_nanosleep((uint64_t)after_ms * 1000 * 1000);
	if (notify) {
		if (!getenv("INIT_NOTIFY"))
			rb_printf("svctest %s: no INIT_NOTIFY\n", name);
		rb_service_notify(getenv("INIT_NOTIFY"));
	}
	if (crash)
		*(volatile int *)0 = 1; /* SIGSEGV */
	if (probe)
		rb_exit(do_probe());
	if (waitfor)
		wait_state();
	if (ctl)
		rb_exit(do_ctl());
	if (killinit) {
		int r = rb_kill(1, RB_SIGTERM);
		rb_printf("svctest %s: SIGTERM to init: %s\n", name, r < 0 ? err_name(r) : "ok");
	}
	if (exit_code >= 0)
		rb_exit((int)exit_code);
	for (;;)
		rb_nanosleep(3600ull * 1000 * 1000 * 1000);
	return 0;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	if (argc < 2)
		usage_fail(argv[0], usage, "a NAME is needed");
	bool child = false;
	name = argv[1];
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "serve=", 6))
			scheme = a + 6;
		else if (!strncmp(a, "failreads=", 10))
			failreads = atol(a + 10);
		else if (!strncmp(a, "after=", 6))
			after_ms = atol(a + 6);
		else if (!strncmp(a, "exit=", 5))
			exit_code = atol(a + 5) & 255;
		else if (!strcmp(a, "crash"))
			crash = true;
		else if (!strcmp(a, "notify"))
			notify = true;
		else if (!strcmp(a, "ignore-term"))
			ignore_term = true;
		else if (!strncmp(a, "probe=", 6))
			probe = a + 6;
		else if (!strncmp(a, "ctl=", 4))
			ctl = a + 4;
		else if (!strncmp(a, "waitfor=", 8))
			waitfor = a + 8;
		else if (!strcmp(a, "killinit"))
			killinit = true;
		else if (!strcmp(a, "child"))
			child = true;
		else
			usage_fail(argv[0], usage, "unknown word '%s'", a);
	}
	struct rb_sigaction sa = {.handler = on_term};
	rb_sigaction(RB_SIGTERM, &sa, NULL);
	rb_printf("svctest %s: started\n", name);
	if (rb_getuid() != 0)
		rb_printf("svctest %s: runs as uid %d gid %d\n", name, rb_getuid(), rb_getgid());
	if (child) {
		char *cargv[] = {"svctest", "orphan", "ignore-term", NULL};
		static const int console[] = {0, 1, 2};
		int pid = rb_spawn("initfs:/bin/svctest", cargv, NULL, console, 3);
		if (pid < 0)
			rb_printf("svctest %s: cannot start a child: %s\n", name, err_name(pid));
	}
	if (!scheme)
		return timed(NULL);
	struct rb_server srv;
	int r = rb_server_init(&srv, scheme, &ops, NULL);
	if (r < 0) {
		rb_printf("svctest %s: cannot serve %s: %s\n", name, scheme, err_name(r));
		return 1;
	}
	if (rb_thread_create(timed, NULL) < 0)
		return 1;
	return rb_server_run(&srv, 1) < 0;
}
