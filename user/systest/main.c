/*
 * systest - the in-guest driver of tests/boot/test_utils_sys.py (started
 * as init=/bin/systest).
 *
 * As pid 1 it starts ramfsd (file:, so /etc/passwd reads) the way
 * user/init does, then runs ps, kill, cpus, free, uptime, services,
 * dmesg, logread, poweroff and reboot with their output captured through
 * a pipe, and checks exit codes and the shapes of what they print. Each
 * check prints "systest: ok - what" or "systest: FAIL - what: detail";
 * each captured output is echoed as "| line" for the log. For services
 * (and poweroff's init path) it serves a fake init: itself, from a child
 * ("systest fake-init"): init:/services returns a fixed three-line table,
 * init:/control takes "start|stop|restart NAME" (ENOENT for a name not
 * in the table, EPERM for uid != 0, EINVAL otherwise) and "poweroff"
 * (printed, not acted on). Last, with the fake gone, it prints
 * "systest: N passed, M failed" and runs /bin/poweroff on the console,
 * which must fall back to the kernel and end the machine. With the argv
 * word final=reboot (cmdline init.final=reboot) it runs only /bin/reboot
 * that way instead of the checks.
 *
 * State: the fake server runs one worker, so its handle table needs no
 * lock; the driver itself is single-threaded.
 */
#include <stdbool.h>
#include <string.h>
#include "rb/server.h"
#include "rb/service.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define OUT_MAX 8192

static char out[OUT_MAX];
static size_t out_len;
static int passed, failed;

static void check(bool ok, const char *what, const char *detail)
{
	if (ok) {
		passed++;
		rb_printf("systest: ok - %s\n", what);
	} else {
		failed++;
		rb_printf("systest: FAIL - %s: %s\n", what, detail ? detail : "");
	}
}

/* Run initfs:/bin/argv[0] with stdout and stderr into out; its status (or -E_*). */
static int run_v(char *const argv[])
{
	char path[64];
	rb_snprintf(path, sizeof path, "initfs:/bin/%s", argv[0]);
	int fds[2];
	out_len = 0;
	out[0] = 0;
	if (rb_pipe(fds, 0) < 0)
		return -E_NOMEM;
	int map[3] = {0, fds[1], fds[1]};
	int pid = rb_spawn(path, argv, NULL, map, 3);
	rb_close(fds[1]);
	if (pid < 0) {
		rb_close(fds[0]);
		return pid;
	}
	long r;
	while (out_len < OUT_MAX - 1 &&
	       (r = rb_read(fds[0], out + out_len, OUT_MAX - 1 - out_len)) > 0)
		out_len += (size_t)r;
	out[out_len] = 0;
	rb_close(fds[0]);
	int status = -1;
	while (rb_waitpid(pid, &status, 0) == -E_INTR)
		;
	/* echo for the log */
	const char *p = out;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		rb_printf("| %.*s\n", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
	return status;
}

#define RUN(...) run_v((char *const[]){__VA_ARGS__, NULL})

/* Lines of out. */
static int lines(void)
{
	int n = 0;
	for (size_t i = 0; i < out_len; i++)
		n += out[i] == '\n';
	return n;
}

/* The line of out (from 0) into buf, or false. */
static bool line(int k, char *buf, size_t cap)
{
	const char *p = out;
	for (int i = 0; i < k; i++) {
		p = strchr(p, '\n');
		if (!p)
			return false;
		p++;
	}
	const char *nl = strchr(p, '\n');
	size_t n = nl ? (size_t)(nl - p) : strlen(p);
	if (!nl && !n)
		return false;
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, p, n);
	buf[n] = 0;
	return true;
}

static bool has(const char *s)
{
	return strstr(out, s) != NULL;
}

/* Parse the next unsigned decimal after *p, skipping spaces; false if none. */
static bool next_num(const char **p, unsigned long long *v)
{
	while (**p == ' ')
		(*p)++;
	if (**p < '0' || **p > '9')
		return false;
	*v = 0;
	while (**p >= '0' && **p <= '9')
		*v = *v * 10 + (unsigned long long)(*(*p)++ - '0');
	return true;
}

static char detail[160];

static void test_help(void)
{
	static const char *const tools[] = {"ps",   "kill",	"services", "uptime", "free",
					    "cpus", "poweroff", "reboot",   "dmesg",  "logread"};
	for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++) {
		char what[64], want[32];
		rb_snprintf(what, sizeof what, "%s --help", tools[i]);
		rb_snprintf(want, sizeof want, "usage: %s", tools[i]);
		int st = RUN((char *)tools[i], "--help");
		rb_snprintf(detail, sizeof detail, "status %d", st);
		check(st == 0 && strncmp(out, want, strlen(want)) == 0, what, detail);
		rb_snprintf(what, sizeof what, "%s --bogus exits 2", tools[i]);
		st = RUN((char *)tools[i], "--bogus");
		rb_snprintf(detail, sizeof detail, "status %d", st);
		check(st == 2 && has("usage:"), what, detail);
	}
}

static void test_ps(void)
{
	int st = RUN("ps");
	char l[128];
	rb_snprintf(detail, sizeof detail, "status %d, %d lines", st, lines());
	check(st == 0 && line(0, l, sizeof l) && strncmp(l, "  PID  PPID USER", 16) == 0 &&
		  lines() >= 3,
	      "ps: header and a line per process", detail);
	check(has("    1     0 root     ") && has("systest") && has("ramfsd") && has(" ps\n"),
	      "ps: pid 1 is root's systest; ramfsd and ps are listed", out);
}

static int spawn_sleeper(void)
{
	char *argv[] = {"kchild", "sleep", NULL};
	return rb_spawn("initfs:/bin/kchild", argv, NULL, NULL, 0);
}

static void test_kill(void)
{
	char pid[16];
	int child = spawn_sleeper(), status = -1;
	rb_snprintf(pid, sizeof pid, "%d", child);
	int st = RUN("kill", pid);
	int w = rb_waitpid(child, &status, 0);
	rb_snprintf(detail, sizeof detail, "status %d, child %d ended %d", st, w, status);
	check(st == 0 && w == child && status == 128 + 15, "kill PID sends TERM", detail);

	child = spawn_sleeper();
	rb_snprintf(pid, sizeof pid, "%d", child);
	st = RUN("kill", "-KILL", pid);
	w = rb_waitpid(child, &status, 0);
	rb_snprintf(detail, sizeof detail, "status %d, child ended %d", st, status);
	check(st == 0 && status == 128 + 9, "kill -KILL PID", detail);

	child = spawn_sleeper();
	rb_snprintf(pid, sizeof pid, "%d", child);
	st = RUN("kill", "-s", "usr1", pid);
	w = rb_waitpid(child, &status, 0);
	rb_snprintf(detail, sizeof detail, "status %d, child ended %d", st, status);
	check(st == 0 && status == 128 + 10, "kill -s usr1 PID", detail);

	st = RUN("kill", "-9", "1000");
	check(st == 1 && has("kill: (1000) - No such process"), "kill: no such process", out);
	st = RUN("kill", "-l");
	check(st == 0 && has(" 9) KILL") && has("15) TERM") && has("31) SYS"), "kill -l", out);
	st = RUN("kill", "-l", "143");
	check(st == 0 && strcmp(out, "TERM\n") == 0, "kill -l 143 names TERM", out);
	st = RUN("kill", "-s", "BOGUS", "5");
	check(st == 2 && has("unknown signal"), "kill: unknown signal exits 2", out);
	st = RUN("kill", "12x");
	check(st == 2 && has("bad process id"), "kill: bad pid exits 2", out);
	st = RUN("kill");
	check(st == 2, "kill: no pid exits 2", out);
}

static void test_free_uptime_cpus(void)
{
	int st = RUN("free");
	char l[160];
	unsigned long long total = 0, used = 0, freek = 0;
	bool shape = line(0, l, sizeof l) && strstr(l, "total") && strstr(l, "used") &&
		     strstr(l, "free") && line(1, l, sizeof l) && strncmp(l, "Mem:", 4) == 0;
	const char *p = l + 4;
	shape = shape && next_num(&p, &total) && next_num(&p, &used) && next_num(&p, &freek);
	rb_snprintf(detail, sizeof detail, "status %d total %llu used %llu free %llu", st, total,
		    used, freek);
	check(st == 0 && shape && total > 100000 && total == used + freek && freek > 0,
	      "free: Mem: total = used + free, in KiB", detail);
	st = RUN("free", "-m");
	check(st == 0 && has("Mem:"), "free -m", out);

	st = RUN("uptime");
	bool ok = st == 0 && out_len > 12 && out[2] == ':' && out[5] == ':' &&
		  strncmp(out + 8, " up ", 4) == 0 && has(" process") && has(" CPU");
	check(ok, "uptime: HH:MM:SS up T, N processes, N CPUs", out);
	st = RUN("uptime", "-p");
	check(st == 0 && strncmp(out, "up ", 3) == 0, "uptime -p", out);

	st = RUN("cpus", "-i", "50");
	int n = lines();
	ok = st == 0 && n >= 2 && line(n - 1, l, sizeof l) && strstr(l, "CPU") &&
	     strstr(l, "NUMA node") && strstr(l, "online 0");
	check(ok, "cpus -i 50: one line per CPU and a summary", out);
	check(has("cpu0   apic") && has("load") && has("runnable"), "cpus: cpu0's line", out);
	st = RUN("cpus", "-i", "x");
	check(st == 2, "cpus -i x exits 2", out);
	st = RUN("cpus", "-i", "0");
	check(st == 0 && has("online"), "cpus -i 0 (load since boot)", out);
}

/* --- the fake init: ------------------------------------------------------ */

static const char table[] = "ramfsd ready 2 0 75 -\n"
			    "logd running 3 1 3700 143\n"
			    "getty failed - 5 - 1\n";

#define HANDLES 64
static size_t offsets[HANDLES]; /* by handle / 2; one worker: no lock */
static unsigned next_handle;

static long fake_open(struct rb_server *srv, struct rb_server_call *c)
{
	unsigned h = next_handle++ % HANDLES;
	offsets[h] = 0;
	if (strcmp(c->path, "/services") == 0)
		return (long)(h * 2 + 2);
	if (strcmp(c->path, "/control") == 0)
		return (long)(h * 2 + 3);
	return -E_NOENT;
}

static long fake_read(struct rb_server *srv, struct rb_server_call *c)
{
	uint64_t h = c->req->handle;
	if (h & 1)
		return -E_BADF;
	size_t *off = &offsets[(h - 2) / 2 % HANDLES];
	size_t n = sizeof table - 1 - *off;
	if (n > c->out_max)
		n = c->out_max;
	memcpy(c->out, table + *off, n);
	*off += n;
	c->out_len = n;
	return (long)n;
}

static long fake_write(struct rb_server *srv, struct rb_server_call *c)
{
	if (!(c->req->handle & 1))
		return -E_BADF;
	char cmd[64];
	size_t n = c->req->len < sizeof cmd - 1 ? c->req->len : sizeof cmd - 1;
	memcpy(cmd, c->payload, n);
	cmd[n] = 0;
	if (c->req->uid != 0)
		return -E_PERM;
	if (strcmp(cmd, "poweroff") == 0 || strcmp(cmd, "reboot") == 0) {
		rb_printf("systest: fake init got %s\n", cmd);
		return (long)c->req->len;
	}
	const char *sp = strchr(cmd, ' ');
	if (!sp ||
	    (strncmp(cmd, "start ", 6) && strncmp(cmd, "stop ", 5) && strncmp(cmd, "restart ", 8)))
		return -E_INVAL;
	const char *name = sp + 1;
	if (strcmp(name, "ramfsd") && strcmp(name, "logd") && strcmp(name, "getty"))
		return -E_NOENT;
	rb_printf("systest: fake init got %s\n", cmd);
	return (long)c->req->len;
}

static const struct rb_server_ops fake_ops = {
    .open = fake_open, .read = fake_read, .write = fake_write};

static int fake_init(void)
{
	struct rb_server srv;
	int r = rb_server_init(&srv, "init", &fake_ops, NULL);
	if (r < 0) {
		rb_printf("systest: fake init: cannot register init: (%s)\n", err_name(r));
		return 1;
	}
	return rb_server_run(&srv, 1) < 0;
}

/* Run argv as uid 1000 (a child that drops to it): its status. */
static int as_user(char *const argv[])
{
	if (rb_setuid(1000) < 0)
		return 99;
	return run_v(argv);
}

static void test_services(void)
{
	int st = RUN("services");
	check(st == 1 && has("init: is not served"), "services without init: exits 1", out);
	int fake = rb_spawn("initfs:/bin/systest", (char *[]){"systest", "fake-init", NULL}, NULL,
			    (int[]){0, 1, 2}, 3);
	int probe = rb_open_when_served("init:/services", RB_O_RDONLY, 5000000000ull);
	check(fake > 0 && probe >= 0, "the fake init: serves", err_name(probe));
	if (probe < 0)
		return;
	rb_close(probe);

	st = RUN("services");
	char l[128];
	check(st == 0 && lines() == 3 && line(0, l, sizeof l) && strncmp(l, "ramfsd", 6) == 0,
	      "services: one line per service, no header", out);
	check(has("ramfsd  ready    2  0    75    -\n") &&
		  has("logd    running  3  1  3700  143\n") &&
		  has("getty   failed   -  5     -    1\n"),
	      "services: aligned columns name state pid restarts uptime last-exit", out);
	st = RUN("services", "-H");
	check(st == 0 && lines() == 4 && strncmp(out, "NAME", 4) == 0, "services -H: a header",
	      out);
	st = RUN("services", "restart", "logd");
	check(st == 0 && out_len == 0, "services restart logd", out);
	st = RUN("services", "stop", "nosuch");
	check(st == 1 && has("services: no service nosuch"), "services: unknown name", out);
	st = RUN("services", "frob", "logd");
	check(st == 2, "services: unknown verb exits 2", out);
	st = RUN("services", "start");
	check(st == 2, "services start without a name exits 2", out);

	char *argv[] = {"systest", "as-user", "services", "restart", "logd", NULL};
	st = run_v(argv);
	check(st == 1 && has("services: permission denied (root only)"),
	      "services restart as a user: permission denied", out);
	char *argv2[] = {"systest", "as-user", "poweroff", NULL};
	st = run_v(argv2);
	check(st == 1 && has("poweroff: permission denied"), "poweroff as a user", out);
	st = RUN("poweroff");
	check(st == 0 && out_len == 0, "poweroff through init:/control", out);

	rb_kill(fake, RB_SIGKILL);
	int status;
	rb_waitpid(fake, &status, 0);
	int gone = rb_open("init:/services", RB_O_RDONLY);
	check(gone == -E_NOENT, "the fake init: is gone", err_name(gone));
	if (gone >= 0)
		rb_close(gone);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "fake-init") == 0)
		return fake_init();
	if (argc > 2 && strcmp(argv[1], "as-user") == 0)
		return as_user(argv + 2);
	if (rb_getpid() != 1) {
		rb_printf("systest: run me as init (init=/bin/systest)\n");
		return 2;
	}
	bool reboot_only = false; /* argv word "final=reboot": only reboot's fallback */
	for (int i = 1; i < argc; i++)
		reboot_only |= strcmp(argv[i], "final=reboot") == 0;
	int r = rb_service_start("initfs:/bin/ramfsd", "file:/", RB_O_RDONLY | RB_O_DIRECTORY);
	check(r > 0, "ramfsd serves file:", err_name(r));
	if (!reboot_only) {
		test_help();
		test_ps();
		test_kill();
		test_free_uptime_cpus();
		test_services();
	}
	rb_printf("systest: %d passed, %d failed\n", passed, failed);
	const char *last = reboot_only ? "reboot" : "poweroff";
	char path[32];
	rb_snprintf(path, sizeof path, "initfs:/bin/%s", last);
	char *pargv[] = {(char *)last, NULL};
	int pid = rb_spawn(path, pargv, NULL, (int[]){0, 1, 2}, 3);
	int status = -1;
	rb_waitpid(pid, &status, 0);
	rb_printf("systest: %s returned (status %d)\n", last, status);
	return 1;
}
