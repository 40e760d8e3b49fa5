/*
 * ktest - the user-space test runner (started with init=/bin/ktest).
 *
 * It first prints the TAP plan "1..N" (N = cases in all tables), then
 * runs every case of the tables in ktest.h in order and prints one
 * line per case, "ok N - name" or "not ok N - name # reason", then
 * exactly "ktest: P passed, F failed", and powers the machine off (the
 * kernel halts when it cannot). A failing case does not stop the others.
 * The boot tests match these lines on the serial console. An argument
 * "only=PREFIX" (kernel command line init.only=PREFIX) runs only the cases
 * whose name starts with PREFIX ("hw:"), and plans only those.
 */
#include <string.h>
#include "ktest.h"

static const struct kcase *const tables[] = {
    fd_cases,	  mem_cases,   proc_cases, time_cases,	  thread_cases, pi_cases,
    signal_cases, arch_cases,  path_cases, uscheme_cases, pipe_cases,	shm_cases,
    limits_cases, ramfs_cases, log_cases,  ipcd_cases,	  shell_cases,	fmap_cases,
    memlim_cases, sys_cases,   hw_cases,   irq_cases,
};

static const char *only = ""; /* run only cases whose name starts with this */

static bool selected(const struct kcase *c)
{
	return strncmp(c->name, only, strlen(only)) == 0;
}

/* Number of selected cases in all tables: the TAP plan. */
static int count_cases(void)
{
	int n = 0;
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
		for (const struct kcase *c = tables[t]; c->name; c++)
			n += selected(c);
	return n;
}

int kt_mismatch(char *why, size_t n, const char *expr, long got, long want)
{
	char g[32], w[32];
	if (got < 0 && got > -4096)
		rb_snprintf(g, sizeof(g), "%ld %s", got, err_name((int)got));
	else
		rb_snprintf(g, sizeof(g), "%ld", got);
	if (want < 0 && want > -4096)
		rb_snprintf(w, sizeof(w), "%ld %s", want, err_name((int)want));
	else
		rb_snprintf(w, sizeof(w), "%ld", want);
	/* Keep the reason short: the start of the expression is enough. */
	rb_snprintf(why, n, "%.48s: got %s, want %s", expr, g, w);
	return -1;
}

/* Spawn initfs:/bin/kchild with argv[1] = mode and fds 0-2; its exit status, or the error. */
int kt_run_kchild(const char *mode)
{
	char *argv[] = {"kchild", (char *)mode, NULL};
	int fds[3] = {0, 1, 2};
	int pid = rb_spawn("initfs:/bin/kchild", argv, NULL, fds, 3);
	if (pid < 0)
		return pid;
	int status = -1;
	int r = rb_waitpid(pid, &status, 0);
	return r == pid ? status : r;
}

bool kt_wait_count(int *p, int want, uint64_t ns)
{
	uint64_t end = rb_now_ns() + ns;
	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) < want)
		if (rb_sched_yield() < 0 || rb_now_ns() > end)
			return false;
	return true;
}

int main(int argc, char **argv, char **envp)
{
	int num = 0, passed = 0, failed = 0;
	char why[160];

	if (argc > 2 && strcmp(argv[1], "arch-child") == 0)
		kt_arch_child(argv[2]); /* a child of a t_arch.c case; never returns */
	if (argc > 2 && strcmp(argv[1], "ramfs-child") == 0)
		kt_ramfs_child(argv[2]); /* a child of a t_ramfs.c case; never returns */
	if (argc > 3 && strcmp(argv[1], "shell-child") == 0)
		kt_shell_child(argv[2], argv[3]); /* a child of a t_shell.c case; never returns */
	if (argc > 2 && strcmp(argv[1], "fmap-server") == 0)
		kt_fmap_server(argv[2]); /* the server of a t_fmap.c case; never returns */
	if (argc > 2 && strcmp(argv[1], "irq-child") == 0)
		kt_irq_child(argv[2]); /* a child of a t_irq.c case; never returns */
	if (argc > 2 && strcmp(argv[1], "sys-child") == 0)
		kt_sys_child(argv[2]); /* a child of a t_sys.c case; never returns */
	if (argc > 3 && strcmp(argv[1], "log-child") == 0)
		kt_log_child(argv[2], argv[3]); /* a writer of a t_log.c case; never returns */
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "only=", 5) == 0)
			only = argv[i] + 5;
	rb_printf("1..%d\n", count_cases());
	rb_printf("ktest: pid %d, starting\n", rb_getpid());
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++) {
		for (const struct kcase *c = tables[t]; c->name; c++) {
			if (!selected(c))
				continue;
			num++;
			why[0] = 0;
			if (c->run(why, sizeof(why)) == 0) {
				passed++;
				rb_printf("ok %d - %s\n", num, c->name);
			} else {
				failed++;
				rb_printf("not ok %d - %s # %s\n", num, c->name,
					  why[0] ? why : "failed");
			}
		}
	}
	rb_printf("ktest: %d passed, %d failed\n", passed, failed);
	int r = rb_poweroff();
	rb_printf("ktest: poweroff returned %d (%s)\n", r, err_name(r));
	return failed ? 1 : 0;
}
