/*
 * svc_redbear.c - "kbench svc": the service restart figure (svc_restart),
 * Red Bear only, run as root from a normal boot (init supervising the
 * services; kbench as init has no services to kill).
 *
 * One run: the service (default ipcd) is ready under init with pid P; we
 * SIGKILL P (a crash, as far as init can tell) and time until P is gone,
 * the service's path (default ipc:/stats, its ready_path) opens again and
 * init:/services shows the service running or ready with a new pid. The
 * path is tried first and init:/services read only once it opens, so the
 * probe does not keep init busy while init restarts the service. Between
 * runs we write "restart NAME" to init:/control, which forgets the
 * restart history (docs/init.md), so every kill is a first restart
 * (spawned at once, no backoff, never past max_restarts), and wait until
 * the service is ready again. Prints each run as a comment line, then
 * "bench: svc_restart ns=MEDIAN" and "bench: done"; a run that fails
 * (not back within 5 s) gives ns=0 and "bench: done, with errors".
 *
 * Single-threaded; the buffers are static.
 */
#include <stdbool.h>
#include <string.h>
#include "os.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "usage.h"

#define MAX_RUNS 50
#define BACK_NS 5000000000ull	/* a service not back in 5 s: the run failed */
#define READY_NS 10000000000ull /* waiting for ready before a kill */
#define POLL_NS 1000000ull	/* between reads of init:/services while waiting */

static const char svc_usage[] =
    "usage: kbench svc [service=NAME] [path=PATH] [runs=K]\n"
    "Kill service NAME (default ipcd) K times (default 5, at most 50) and time\n"
    "until init runs it again and PATH (default ipc:/stats) opens; prints\n"
    "\"bench: svc_restart ns=N\", the median. Root only, on a normal boot.\n";

/* Service svc's pid in init:/services (0: none, -1: init: unreadable); its state into st. */
static int service_pid(const char *svc, char *st, size_t stlen)
{
	static char buf[8192];
	int fd = rb_open("init:/services", RB_O_RDONLY);
	if (fd < 0)
		return -1;
	long n = rb_read(fd, buf, sizeof buf - 1);
	rb_close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	size_t sl = strlen(svc);
	st[0] = '\0';
	for (char *line = buf; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (strncmp(line, svc, sl) == 0 && line[sl] == ' ') {
			char *state = line + sl + 1, *pid = strchr(state, ' ');
			if (!pid)
				return 0;
			size_t l =
			    (size_t)(pid - state) < stlen - 1 ? (size_t)(pid - state) : stlen - 1;
			memcpy(st, state, l);
			st[l] = '\0';
			int v = 0;
			for (pid++; *pid >= '0' && *pid <= '9'; pid++)
				v = v * 10 + (*pid - '0');
			return v;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	return 0;
}

/* Wait until svc is ready with a pid other than not; its pid, or 0 after READY_NS. */
static int wait_ready(const char *svc, int not )
{
	char st[16];
	uint64_t end = rb_now_ns() + READY_NS;
	do {
		int pid = service_pid(svc, st, sizeof st);
		if (pid > 0 && pid != not &&strcmp(st, "ready") == 0)
			return pid;
	} while (rb_nanosleep(POLL_NS) == 0 && rb_now_ns() < end);
	return 0;
}

/* Kill the service at pid old; ns until it serves path again under a new pid (0: not back). */
static uint64_t one_run(const char *svc, const char *path, int old, int *newpid)
{
	char st[16];
	struct rb_procinfo pi;
	uint64_t t0 = rb_now_ns(), end = t0 + BACK_NS;
	if (rb_kill(old, RB_SIGKILL) < 0)
		return 0;
	while (rb_procinfo(old, &pi) > 0 && rb_now_ns() < end)
		rb_sched_yield(); /* its scheme counts only once it is gone */
	while (rb_now_ns() < end) {
		int fd = rb_open(path, RB_O_RDONLY);
		if (fd >= 0) {
			rb_close(fd);
			int pid = service_pid(svc, st, sizeof st);
			if (pid > 0 && pid != old &&
			    (strcmp(st, "running") == 0 || strcmp(st, "ready") == 0)) {
				*newpid = pid;
				return rb_now_ns() - t0 + 1;
			}
		}
		rb_sched_yield();
	}
	return 0;
}

/* "restart NAME" to init:/control; 0 or an error. */
static int ctl_restart(const char *svc)
{
	char cmd[64];
	int n = rb_snprintf(cmd, sizeof cmd, "restart %s", svc);
	int fd = rb_open("init:/control", RB_O_WRONLY);
	if (fd < 0)
		return fd;
	long r = rb_write(fd, cmd, (size_t)n);
	rb_close(fd);
	return r < 0 ? (int)r : 0;
}

static const char *arg_value(const char *a, const char *key)
{
	size_t k = strlen(key);
	return strncmp(a, key, k) == 0 && a[k] == '=' && a[k + 1] ? a + k + 1 : NULL;
}

static void sort(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

int os_svc_main(int argc, char **argv)
{
	const char *svc = "ipcd", *path = "ipc:/stats", *v;
	int runs = 5;
	usage_help(argc, argv, svc_usage);
	for (int i = 1; i < argc; i++) {
		if ((v = arg_value(argv[i], "service")) != NULL && strlen(v) < 32) {
			svc = v;
		} else if ((v = arg_value(argv[i], "path")) != NULL) {
			path = v;
		} else if ((v = arg_value(argv[i], "runs")) != NULL) {
			runs = 0;
			for (; *v >= '0' && *v <= '9' && runs <= MAX_RUNS; v++)
				runs = runs * 10 + (*v - '0');
			if (*v || runs < 1 || runs > MAX_RUNS)
				usage_fail("kbench svc", svc_usage, "runs: 1 to %d", MAX_RUNS);
		} else {
			usage_fail("kbench svc", svc_usage, "unknown argument '%s'", argv[i]);
		}
	}
	uint64_t ns[MAX_RUNS];
	int pid = wait_ready(svc, 0), got = 0;
	if (!pid)
		rb_printf("bench: # svc_restart: %s is not ready under init\n", svc);
	while (pid && got < runs) {
		int back = 0;
		ns[got] = one_run(svc, path, pid, &back);
		if (!ns[got]) {
			rb_printf("bench: # svc_restart: %s not back within 5 s\n", svc);
			break;
		}
		rb_printf("bench: # svc_restart run %d: %llu us (pid %d -> %d)\n", got + 1,
			  (unsigned long long)(ns[got] / 1000), pid, back);
		if (++got == runs)
			break;
		/* the next kill must be a first restart again: forget the history */
		int r = ctl_restart(svc);
		if (r < 0) {
			rb_printf("bench: # svc_restart: restart %s: %s\n", svc, err_name(r));
			break;
		}
		pid = wait_ready(svc, back);
		if (!pid)
			rb_printf("bench: # svc_restart: %s not ready after restart\n", svc);
	}
	bool ok = got == runs;
	sort(ns, got);
	if (!ok)
		os_note("# could not measure the next figure");
	os_report("svc_restart", ok ? ns[got / 2] : 0);
	os_note(ok ? "done" : "done, with errors");
	return ok ? 0 : 1;
}

void os_svc_note(void)
{
	/* kbench as init has no services: svc_restart comes from "kbench svc" */
}
