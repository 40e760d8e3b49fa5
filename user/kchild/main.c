/*
 * kchild - a helper program for ktest's process cases.
 *
 * "kchild" exits 0 without printing (the spawn loop uses it);
 * "kchild N" exits with code N, which shows that argv reached the child;
 * "kchild env" exits 0 if its environment holds KTEST=1, else 1;
 * "kchild sleep" sleeps 3 s and exits 3 (ktest kills it before that);
 * "kchild block" waits on a futex forever: only a kill ends it;
 * "kchild nice" becomes uid 1000 and exits 0 if it may raise its nice but
 * not lower it again (sched_setparam, fair policy), else 1, 2 or 3;
 * "kchild waiter" spawns "kchild block", waits for it and exits 4 (ktest
 * kills it while it waits, and kills the blocked child after);
 * "kchild orphan" spawns "kchild 6" and exits 0 at once, leaving it to init;
 * "kchild spin" spawns "kchild" (a sign that it runs) and spins in user
 * mode until killed;
 * "kchild faultwait" / "kchild exitwait" start a thread that blocks in
 * futex_wait with no timeout, then fault (status 139) / exit(9) from the
 * main thread: the whole process must end, the blocked thread too;
 * "kchild joinbad" joins tids that name no thread (2^32, a kernel address,
 * -1) and exits 0 if each gives ENOENT at once;
 * "kchild joincycle" starts two threads that join each other, spawns
 * "kchild" (a sign that they are about to block) and waits on a futex
 * forever: only a kill ends it;
 * "kchild us...": the user-scheme modes, see uscheme.c.
 */
#include <stdbool.h>
#include <string.h>
#include "rb/sys.h"
#include "rb/syscall.h"
#include "rb/thread.h"

int kchild_uscheme(int argc, char **argv);

static uint32_t started, never;
static volatile int *volatile bad_ptr = (volatile int *)8; /* unmapped */

static int block_forever(void *arg)
{
	(void)arg;
	__atomic_store_n(&started, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&never, __ATOMIC_ACQUIRE))
		rb_futex_wait(&never, 0, 0);
	return 0;
}

/* A sibling blocked with no timeout, then a whole-process end. */
static int end_with_blocked_sibling(bool fault)
{
	if (rb_thread_create(block_forever, NULL) < 0)
		return 1;
	while (!__atomic_load_n(&started, __ATOMIC_ACQUIRE))
		rb_sched_yield();
	for (int i = 0; i < 100; i++) /* let it reach the kernel (not needed) */
		rb_sched_yield();
	if (fault)
		*bad_ptr = 1;
	rb_exit(9);
}

static int parse_code(const char *s)
{
	int v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v & 0xff;
}

static int join_bad_tids(void)
{
	static const long bad[] = {1l << 32, (long)0xffff800000000000ul, -1, 0};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (rb_syscall2(SYS_THREAD_JOIN, bad[i], 0) != -E_NOENT)
			return 1 + (int)i;
	return 0;
}

static int cycle_tid[2];

static int join_other(void *arg)
{
	int other = (int)(long)arg ^ 1;
	while (!__atomic_load_n(&cycle_tid[other], __ATOMIC_ACQUIRE))
		rb_sched_yield();
	return rb_thread_join(cycle_tid[other], NULL);
}

static int join_cycle(void)
{
	for (long i = 0; i < 2; i++) {
		int tid = rb_thread_create(join_other, (void *)i);
		if (tid < 0)
			return 1;
		__atomic_store_n(&cycle_tid[i], tid, __ATOMIC_RELEASE);
	}
	for (int i = 0; i < 100; i++)
		rb_sched_yield();
	char *sargv[] = {"kchild", NULL};
	rb_spawn("initfs:/bin/kchild", sargv, NULL, NULL, 0);
	while (!__atomic_load_n(&never, __ATOMIC_ACQUIRE))
		rb_futex_wait(&never, 0, 0);
	return 2;
}

int main(int argc, char **argv, char **envp)
{
	if (argc < 2)
		return 0;
	if (strcmp(argv[1], "env") == 0) {
		for (char **e = envp; e && *e; e++)
			if (strcmp(*e, "KTEST=1") == 0)
				return 0;
		return 1;
	}
	if (strcmp(argv[1], "sleep") == 0) {
		rb_nanosleep(3ull * 1000 * 1000 * 1000);
		return 3;
	}
	if (strcmp(argv[1], "nice") == 0) {
		if (rb_setuid(1000) != 0 || rb_sched_setparam(0, 0 /* fair */, 5) != 0)
			return 1;
		if (rb_sched_setparam(0, 0, 0) != -E_PERM)
			return 2;
		return rb_sched_setparam(0, 0, 19) == 0 ? 0 : 3;
	}
	if (strcmp(argv[1], "block") == 0) {
		while (!__atomic_load_n(&never, __ATOMIC_ACQUIRE))
			rb_futex_wait(&never, 0, 0);
		return 8;
	}
	if (strcmp(argv[1], "waiter") == 0) {
		char *sargv[] = {"kchild", "block", NULL};
		int pid = rb_spawn("initfs:/bin/kchild", sargv, NULL, NULL, 0);
		int status;
		if (pid < 0 || rb_waitpid(pid, &status, 0) != pid)
			return 5;
		return 4;
	}
	if (strcmp(argv[1], "orphan") == 0) {
		char *sargv[] = {"kchild", "6", NULL};
		return rb_spawn("initfs:/bin/kchild", sargv, NULL, NULL, 0) > 0 ? 0 : 1;
	}
	if (strcmp(argv[1], "spin") == 0) {
		char *sargv[] = {"kchild", NULL};
		rb_spawn("initfs:/bin/kchild", sargv, NULL, NULL, 0);
		for (volatile int i = 0;; i++)
			;
	}
	if (strcmp(argv[1], "joinbad") == 0)
		return join_bad_tids();
	if (strcmp(argv[1], "joincycle") == 0)
		return join_cycle();
	if (strcmp(argv[1], "faultwait") == 0 || strcmp(argv[1], "exitwait") == 0)
		return end_with_blocked_sibling(argv[1][0] == 'f');
	if (strncmp(argv[1], "us", 2) == 0)
		return kchild_uscheme(argc, argv);
	return parse_code(argv[1]);
}
