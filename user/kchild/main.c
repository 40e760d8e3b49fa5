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
 * "kchild mem...": the memory-limit modes, see memlim.c.
 * "kchild hw...": the hardware-grant modes, see hw.c.
 * "kchild pipew" writes "hi" to fd 1 (a pipe's write end) and exits 0;
 * "kchild pipesig" writes to fd 1, a pipe with no reader: SIGPIPE's
 * default action must kill it (status 141); it exits 7 if it survives.
 * "kchild rlimit" becomes uid 1000 and exits 0 if it may lower its
 * RLIMIT_NOFILE and RLIMIT_SHM but not raise them, nor set RLIMIT_NFILE;
 * "kchild limrace" raises its RLIMIT_NOFILE and RLIMIT_SHM, becomes uid
 * 1000 and lowers each from two threads at once, exiting 0 if neither
 * ever rose (a set checked against a stale limit raises it);
 * "kchild nfile" opens files until that fails and exits 0 if it failed
 * with ENFILE after at least one (ktest lowered RLIMIT_NFILE);
 * "kchild uidprocs" becomes uid 1000, spawns "kchild block" until that
 * fails, kills and reaps them and exits 0 if it failed with EAGAIN after
 * 255 (256 processes of uid 1000 with itself), also while they were
 * killed but not yet reaped, and a spawn works again once they are;
 * "kchild fdgrow" dups fd 1 200 times (its fd table grows past 64 slots)
 * and exits 0 if every dup worked, leaving them for exit to close;
 * "kchild growrace" keeps two threads fstat'ing fds 3 and 50 while its
 * main thread dups fd 1 900 times (the table grows 64 -> 1024 under them)
 * and exits 0 if no fstat and no dup failed;
 * "kchild shm" maps its fd 3 (a shm: file of two pages, "hello" at 0),
 * fills page 1 with 0x5a, sets the word at 128 to 1, and waits (20 s at
 * most) for ktest to set the word at 256 to 2 through its own mapping.
 */
#include <stdbool.h>
#include <string.h>
#include "rb/sys.h"
#include "rb/syscall.h"
#include "rb/thread.h"

int kchild_uscheme(int argc, char **argv);
int kchild_memlim(int argc, char **argv);
int kchild_hw(int argc, char **argv);

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

static int rlimit_unprivileged(void)
{
	if (rb_setuid(1000) != 0)
		return 1;
	if (rb_setrlimit(RB_RLIMIT_NOFILE, 512) != 0 || rb_getrlimit(RB_RLIMIT_NOFILE) != 512)
		return 2;
	if (rb_setrlimit(RB_RLIMIT_NOFILE, 600) != -E_PERM)
		return 3;
	if (rb_setrlimit(RB_RLIMIT_SHM, 1 << 20) != 0 ||
	    rb_setrlimit(RB_RLIMIT_SHM, 2 << 20) != -E_PERM)
		return 4;
	if (rb_setrlimit(RB_RLIMIT_NFILE, 100) != -E_PERM)
		return 5;
	return 0;
}

#define RACE_TOP 65536 /* limits start at this many units and step down to RACE_BOTTOM */
#define RACE_BOTTOM 64

struct limit_setter {
	int res;	    /* RB_RLIMIT_NOFILE or RB_RLIMIT_SHM */
	unsigned long unit; /* 1 fd, or a page of shm */
	int parity;	    /* this setter takes every other value */
};

static int limit_race_bad;

/* Lower res step by step, racing a sibling that takes the other values: after
   each set of ours works, the limit is at most what we set (none may rise). */
static int limit_setter(void *arg)
{
	const struct limit_setter *ls = arg;
	for (unsigned long v = RACE_TOP - (unsigned long)ls->parity; v >= RACE_BOTTOM; v -= 2) {
		int r = rb_setrlimit(ls->res, v * ls->unit);
		long now = rb_getrlimit(ls->res);
		if ((r != 0 && r != -E_PERM) || (r == 0 && now > (long)(v * ls->unit)))
			__atomic_store_n(&limit_race_bad, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

/*
 * Two threads of a non-root process each lower RLIMIT_NOFILE (and two
 * RLIMIT_SHM) through interleaved values: a set checked against a stale
 * limit would put back one above what the sibling set, a raise by a
 * non-root process. 0 if no limit ever rose.
 */
static int limit_race(void)
{
	if (rb_setrlimit(RB_RLIMIT_NOFILE, RACE_TOP) != 0 ||
	    rb_setrlimit(RB_RLIMIT_SHM, RACE_TOP * 4096ul) != 0 || rb_setuid(1000) != 0)
		return 1;
	static const struct limit_setter setters[] = {
	    {RB_RLIMIT_NOFILE, 1, 0},
	    {RB_RLIMIT_NOFILE, 1, 1},
	    {RB_RLIMIT_SHM, 4096, 0},
	    {RB_RLIMIT_SHM, 4096, 1},
	};
	int tids[4];
	for (int i = 0; i < 4; i++)
		if ((tids[i] = rb_thread_create(limit_setter, (void *)&setters[i])) < 0)
			return 2;
	for (int i = 0; i < 4; i++)
		rb_thread_join(tids[i], NULL);
	if (rb_getrlimit(RB_RLIMIT_NOFILE) != RACE_BOTTOM ||
	    rb_getrlimit(RB_RLIMIT_SHM) != RACE_BOTTOM * 4096l)
		return 3;
	return __atomic_load_n(&limit_race_bad, __ATOMIC_RELAXED) ? 4 : 0;
}

static int open_until_enfile(void)
{
	int count = 0, fd;
	while ((fd = rb_open("initfs:/bin/kchild", RB_O_RDONLY)) >= 0)
		count++;
	return fd == -E_NFILE && count > 0 ? 0 : 1;
}

#define UID_PROCS 256

static int spawn_until_eagain(void)
{
	static int pids[UID_PROCS + 8];
	if (rb_setuid(1000) != 0)
		return 1;
	char *sargv[] = {"kchild", "block", NULL};
	int count = 0, pid = 0;
	while (count < UID_PROCS + 8 &&
	       (pid = rb_spawn("initfs:/bin/kchild", sargv, NULL, NULL, 0)) > 0)
		pids[count++] = pid;
	for (int i = 0; i < count; i++)
		rb_kill(pids[i], RB_SIGKILL);
	/* killed but unreaped, they still count */
	int zombies = rb_spawn("initfs:/bin/kchild", sargv, NULL, NULL, 0);
	if (zombies > 0) { /* a wrong success: end it too */
		rb_kill(zombies, RB_SIGKILL);
		rb_waitpid(zombies, NULL, 0);
	}
	for (int i = 0; i < count; i++)
		rb_waitpid(pids[i], NULL, 0);
	if (pid != -E_AGAIN)
		return 2;
	if (count != UID_PROCS - 1)
		return 3;
	if (zombies != -E_AGAIN)
		return 4;
	/* reaped, they do not */
	int again = rb_spawn("initfs:/bin/kchild", sargv, NULL, NULL, 0);
	if (again < 0)
		return 5;
	rb_kill(again, RB_SIGKILL);
	rb_waitpid(again, NULL, 0);
	return 0;
}

static int grow_stop, grow_bad;

static int grow_reader(void *arg)
{
	struct rb_stat st;
	while (!__atomic_load_n(&grow_stop, __ATOMIC_ACQUIRE))
		if (rb_fstat((int)(long)arg, &st) != 0)
			__atomic_store_n(&grow_bad, 1, __ATOMIC_RELAXED);
	return 0;
}

static int grow_race(void)
{
	if (rb_open("initfs:/bin/kchild", RB_O_RDONLY) != 3 || rb_dup2(3, 50) != 50)
		return 1;
	int tids[2] = {rb_thread_create(grow_reader, (void *)3l),
		       rb_thread_create(grow_reader, (void *)50l)};
	if (tids[0] < 0 || tids[1] < 0)
		return 2;
	int bad = 0;
	for (int i = 0; i < 900; i++)
		if (rb_dup(1) < 0)
			bad = 3;
	__atomic_store_n(&grow_stop, 1, __ATOMIC_RELEASE);
	rb_thread_join(tids[0], NULL);
	rb_thread_join(tids[1], NULL);
	return bad ? bad : __atomic_load_n(&grow_bad, __ATOMIC_RELAXED) ? 4 : 0;
}

static int shm_peer(void)
{
	volatile uint8_t *m = rb_mmap_fd(NULL, 8192, RB_PROT_READ | RB_PROT_WRITE, 0, 3, 0);
	if (RB_IS_ERR(m))
		return 1;
	if (memcmp((const void *)m, "hello", 5) != 0)
		return 2;
	for (int i = 0; i < 4096; i++)
		m[4096 + i] = 0x5a;
	volatile uint32_t *flag = (volatile uint32_t *)(m + 128),
			  *reply = (volatile uint32_t *)(m + 256);
	__atomic_store_n(flag, 1, __ATOMIC_RELEASE);
	uint64_t end = rb_now_ns() + 20000000000ull;
	while (__atomic_load_n(reply, __ATOMIC_ACQUIRE) != 2)
		if (rb_now_ns() > end)
			return 3;
	return 0;
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
	if (strcmp(argv[1], "rlimit") == 0)
		return rlimit_unprivileged();
	if (strcmp(argv[1], "nfile") == 0)
		return open_until_enfile();
	if (strcmp(argv[1], "limrace") == 0)
		return limit_race();
	if (strcmp(argv[1], "uidprocs") == 0)
		return spawn_until_eagain();
	if (strcmp(argv[1], "shm") == 0)
		return shm_peer();
	if (strcmp(argv[1], "growrace") == 0)
		return grow_race();
	if (strcmp(argv[1], "fdgrow") == 0) {
		for (int i = 0; i < 200; i++)
			if (rb_dup(1) < 0)
				return 1;
		return 0;
	}
	if (strcmp(argv[1], "joinbad") == 0)
		return join_bad_tids();
	if (strcmp(argv[1], "joincycle") == 0)
		return join_cycle();
	if (strcmp(argv[1], "faultwait") == 0 || strcmp(argv[1], "exitwait") == 0)
		return end_with_blocked_sibling(argv[1][0] == 'f');
	if (strncmp(argv[1], "us", 2) == 0)
		return kchild_uscheme(argc, argv);
	if (strncmp(argv[1], "mem", 3) == 0)
		return kchild_memlim(argc, argv);
	if (strncmp(argv[1], "hw", 2) == 0)
		return kchild_hw(argc, argv); /* hw.c */
	if (strcmp(argv[1], "pipew") == 0)
		return rb_write(1, "hi", 2) == 2 ? 0 : 1;
	if (strcmp(argv[1], "pipesig") == 0) {
		rb_write(1, "x", 1);
		return 7;
	}
	return parse_code(argv[1]);
}
