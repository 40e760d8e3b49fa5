/*
 * t_proc.c - ktest cases for processes: ids, spawn (of init, of the
 * kchild helper with argv, envp and an fd map, of missing and non-ELF
 * files), waitpid (status, non-children, WNOHANG), kill of a child, and
 * a loop of 200 children that must all be reaped with status 0, and kills
 * of kchild joincycle at every stage of its set-up (40 rounds, each must
 * end within 3 s).
 */
#include <stdbool.h>
#include <string.h>
#include "ktest.h"
#include "rb/signal.h"
#include "rb/syscall.h"
#include "rb/thread.h"

#define KCHILD "initfs:/bin/kchild"

/* Spawn path with argv (and envp) and wait for it; its status, or an error. */
static int run_child(const char *path, char *const argv[], char *const envp[], int *pid_out)
{
	int pid = rb_spawn(path, argv, envp, NULL, 0);
	if (pid < 0)
		return pid;
	int status = -1;
	int r = rb_waitpid(pid, &status, 0);
	if (pid_out)
		*pid_out = pid;
	if (r != pid)
		return r < 0 ? r : -E_CHILD;
	return status;
}

static int ids(char *why, size_t n)
{
	int pid = rb_getpid();
	KCHECK(pid > 0, "getpid gave %d", pid);
	KEXPECT(rb_getpid(), pid);
	int ppid = rb_getppid();
	KCHECK(ppid >= 0 && ppid != pid, "getppid gave %d (pid %d)", ppid, pid);
	int uid = rb_getuid();
	KCHECK(uid >= 0, "getuid gave %d", uid);
	KEXPECT(rb_setuid(uid), 0);
	KEXPECT(rb_getuid(), uid);
	return 0;
}

static int spawn_init(char *why, size_t n)
{
	char *argv[] = {"init", NULL};
	char *envp[] = {NULL};
	int pid = rb_spawn("initfs:/bin/init", argv, envp, NULL, 0);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	KCHECK(pid != rb_getpid(), "child has our pid %d", pid);
	int status = -1;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(status, 0);
	return 0;
}

static int spawn_argv(char *why, size_t n)
{
	char *argv[] = {"kchild", "7", NULL};
	KEXPECT(run_child(KCHILD, argv, NULL, NULL), 7);
	return 0;
}

static int spawn_envp(char *why, size_t n)
{
	char *argv[] = {"kchild", "env", NULL};
	char *envp[] = {"HOME=/", "KTEST=1", NULL};
	KEXPECT(run_child(KCHILD, argv, envp, NULL), 0);
	return 0;
}

static int spawn_fdmap(char *why, size_t n)
{
	char *argv[] = {"kchild", "5", NULL};
	int fds[3] = {0, 1, 2};
	int pid = rb_spawn(KCHILD, argv, NULL, fds, 3);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	int status = -1;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(status, 5);
	int bad[1] = {57};
	int r = rb_spawn(KCHILD, argv, NULL, bad, 1);
	if (r > 0)
		rb_waitpid(r, NULL, 0); /* wrongly started: reap it all the same */
	KEXPECT(r, -E_BADF);
	return 0;
}

static int spawn_missing(char *why, size_t n)
{
	char *argv[] = {"nothing", NULL};
	KEXPECT(rb_spawn("initfs:/bin/no-such-program", argv, NULL, NULL, 0), -E_NOENT);
	return 0;
}

static int spawn_not_elf(char *why, size_t n)
{
	char *argv[] = {"motd", NULL};
	KEXPECT(rb_spawn("initfs:/etc/motd", argv, NULL, NULL, 0), -E_NOEXEC);
	return 0;
}

static int spawn_bad_pointer(char *why, size_t n)
{
	char *argv[] = {"x", NULL};
	KEXPECT(rb_spawn((const char *)1, argv, NULL, NULL, 0), -E_FAULT);
	KEXPECT(rb_spawn(KCHILD, kt_bad_ptr(1), NULL, NULL, 0), -E_FAULT);
	return 0;
}

static int waitpid_non_child(char *why, size_t n)
{
	int st;
	KEXPECT(rb_waitpid(rb_getpid(), &st, 0), -E_CHILD);
	KEXPECT(rb_waitpid(0x7ffffff0, &st, 0), -E_CHILD);
	if (rb_getppid() > 0)
		KEXPECT(rb_waitpid(rb_getppid(), &st, 0), -E_CHILD);
	/* Every earlier child is reaped, so "any child" has nobody to wait for. */
	KEXPECT(rb_waitpid(-1, &st, RB_WNOHANG), -E_CHILD);
	return 0;
}

/* The child blocks with no timeout ("kchild block"): if the kill did not
   end its wait, waitpid would never return (a hang, not a timing check). */
static int kill_child(char *why, size_t n)
{
	char *argv[] = {"kchild", "block", NULL};
	int pid = rb_spawn(KCHILD, argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	int status = -1;
	/* No wait for it to fall asleep: whether the kill comes before or
	   during its futex wait, it must die. */
	int early = rb_waitpid(pid, &status, RB_WNOHANG);
	int k = rb_kill(pid, RB_SIGKILL);
	int w = rb_waitpid(pid, &status, 0);
	KEXPECT(early, 0);
	KEXPECT(k, 0);
	KEXPECT(w, pid);
	KEXPECT(status, 128 + RB_SIGKILL);
	KCHECK(rb_kill(0x7ffffff0, RB_SIGTERM) < 0, "kill of a missing pid succeeded");
	return 0;
}

/* 2000 children, four at a time, reaped with waitpid(-1); afterwards the
   kernel's free page count is back where it started (nothing leaked). */
static int spawn_loop(char *why, size_t n)
{
	enum { TOTAL = 2000, BATCH = 4 };
	long free0 = rb_syscall0(SYS_MEMINFO);
	char *argv[] = {"kchild", NULL};
	int done = 0;
	while (done < TOTAL) {
		int pids[BATCH];
		for (int i = 0; i < BATCH; i++) {
			pids[i] = rb_spawn(KCHILD, argv, NULL, NULL, 0);
			if (pids[i] < 0) {
				for (int j = 0; j < i; j++)
					rb_waitpid(pids[j], NULL, 0);
				KFAIL("spawn %d: %d %s", done + i, pids[i], err_name(pids[i]));
			}
		}
		for (int i = 0; i < BATCH; i++) {
			int status = -1;
			int pid = rb_waitpid(-1, &status, 0);
			int mine = 0;
			for (int j = 0; j < BATCH; j++)
				mine |= pid == pids[j];
			KCHECK(mine, "child %d: waitpid(-1) gave %d", done + i, pid);
			KCHECK(status == 0, "child %d (pid %d): status %d", done + i, pid, status);
		}
		done += BATCH;
	}
	long free1 = rb_syscall0(SYS_MEMINFO);
	KCHECK(free1 == free0, "free pages %ld before, %ld after 2000 children", free0, free1);
	return 0;
}

static volatile int kill_pid, kill_stop;

static int pid_killer(void *arg)
{
	(void)arg;
	int bad = 0;
	while (!kill_stop) {
		int pid = kill_pid;
		int r = pid ? rb_kill(pid, RB_SIGCHLD) : 0;
		if (r != 0 && r != -E_NOENT)
			bad++;
	}
	return bad;
}

/* kill() of a child that is being reaped at the same moment: the kernel
   must not touch the freed process (SIGCHLD's default action is none). */
static int kill_vs_reap(char *why, size_t n)
{
	char *argv[] = {"kchild", NULL};
	kill_pid = 0;
	kill_stop = 0;
	int tid = rb_thread_create(pid_killer, NULL);
	KCHECK(tid > 0, "thread_create %d", tid);
	int failed = 0, status = -1;
	for (int i = 0; i < 300 && !failed; i++) {
		int pid = rb_spawn(KCHILD, argv, NULL, NULL, 0);
		if (pid < 0) {
			failed = pid;
			break;
		}
		kill_pid = pid;
		if (rb_waitpid(pid, &status, 0) != pid || status != 0)
			failed = 1;
	}
	kill_stop = 1;
	int code = -1;
	KEXPECT(rb_thread_join(tid, &code), 0);
	KEXPECT(failed, 0);
	KEXPECT(code, 0);
	return 0;
}

/* Right after each waitpid, every page the child had is back: the last
   thread's kernel stack is freed before the parent is told. */
static int pages_back_at_waitpid(char *why, size_t n)
{
	char *argv[] = {"kchild", NULL};
	int status = -1;
	int pid = rb_spawn(KCHILD, argv, NULL, NULL, 0); /* warm the caches */
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	long free0 = rb_syscall0(SYS_MEMINFO);
	for (int i = 0; i < 300; i++) {
		pid = rb_spawn(KCHILD, argv, NULL, NULL, 0);
		KCHECK(pid > 0, "spawn %d: %d %s", i, pid, err_name(pid));
		KEXPECT(rb_waitpid(pid, &status, 0), pid);
		long free1 = rb_syscall0(SYS_MEMINFO);
		KCHECK(free1 == free0, "child %d: free pages %ld, %ld before", i, free1, free0);
	}
	return 0;
}

enum { NWAITERS = 3 };
static int mw_pid[NWAITERS];
static volatile int mw_ret[NWAITERS];

static int multi_waiter(void *arg)
{
	int i = (int)(long)arg, status = -1;
	int r = rb_waitpid(mw_pid[i], &status, 0);
	mw_ret[i] = r == mw_pid[i] && status == 3 ? 1 : -1;
	return 0;
}

/* Several threads of one process in waitpid, each on its own child: every
   exit wakes all of them, so none waits forever. The children sleep 3 s,
   long enough for every thread to block before the first exit (the case
   for a lost wake-up); the threads are polled with a deadline, so a lost
   wake-up is reported rather than hanging ktest. */
static int waitpid_many_threads(char *why, size_t n)
{
	char *argv[] = {"kchild", "sleep", NULL};
	int tids[NWAITERS];
	for (int i = 0; i < NWAITERS; i++) {
		mw_ret[i] = 0;
		mw_pid[i] = rb_spawn(KCHILD, argv, NULL, NULL, 0);
		KCHECK(mw_pid[i] > 0, "spawn: %d %s", mw_pid[i], err_name(mw_pid[i]));
	}
	for (int i = 0; i < NWAITERS; i++) {
		tids[i] = rb_thread_create(multi_waiter, (void *)(long)i);
		KCHECK(tids[i] > 0, "thread_create %d", tids[i]);
	}
	uint64_t t0 = rb_now_ns();
	int left = NWAITERS;
	while (left > 0 && rb_now_ns() - t0 < 15000ull * 1000 * 1000) {
		left = 0;
		for (int i = 0; i < NWAITERS; i++)
			left += mw_ret[i] == 0;
		rb_sched_yield();
	}
	KCHECK(left == 0, "%d of %d threads still in waitpid 15 s later", left, NWAITERS);
	for (int i = 0; i < NWAITERS; i++) {
		KEXPECT(mw_ret[i], 1);
		KEXPECT(rb_thread_join(tids[i], NULL), 0);
	}
	return 0;
}

/*
 * Spawn kchild MODE, which spawns a child of its own (the next pid) and
 * then waits for it or spins; once that child exists, kill MODE's
 * process with SIGKILL and reap it: its status must be 137. Neither
 * process ends by itself, so a kill that did not reach it would hang
 * waitpid (no timing check). If block_child, the child blocks forever
 * and is killed too. As init, this process adopted the child: reap it.
 */
static int kill_parent_of_next(char *why, size_t n, char *mode, bool block_child)
{
	char *argv[] = {"kchild", mode, NULL};
	int pid = rb_spawn(KCHILD, argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	uint64_t t0 = rb_now_ns(); /* a bound on the poll, not a check */
	while (rb_kill(pid + 1, 0) != 0 && rb_now_ns() - t0 < 2000ull * 1000 * 1000)
		rb_sched_yield();
	int status = -1;
	KEXPECT(rb_kill(pid, RB_SIGKILL), 0);
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(status, 128 + RB_SIGKILL);
	if (block_child) /* never ends by itself: its pid cannot be reused yet */
		rb_kill(pid + 1, RB_SIGKILL);
	if (rb_getpid() == 1)
		KEXPECT(rb_waitpid(pid + 1, &status, 0), pid + 1);
	return 0;
}

/* SIGKILL ends a process blocked in waitpid (on a child that blocks
   forever); the child's pid existing shows it reached its waitpid call
   (a kill just before it blocks is caught too). */
static int kill_in_waitpid(char *why, size_t n)
{
	return kill_parent_of_next(why, n, "waiter", true);
}

/* SIGKILL reaches a child spinning in user mode (its CPU may run it alone,
   tickless): kill sends an IPI to the CPU running it. */
static int kill_spinner(char *why, size_t n)
{
	return kill_parent_of_next(why, n, "spin", false);
}

/* A child whose parent exits first is adopted by init (pid 1), whose
   waitpid(-1) reaps it with its own status. Needs ktest to run as init. */
static int orphan_to_init(char *why, size_t n)
{
	if (rb_getpid() != 1)
		return 0; /* nothing to check unless we are init */
	char *argv[] = {"kchild", "orphan", NULL};
	int status = -1;
	int pid = rb_spawn(KCHILD, argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(status, 0);
	int orphan = rb_waitpid(-1, &status, 0);
	KCHECK(orphan > 0 && orphan != pid, "waitpid(-1) gave %d", orphan);
	KEXPECT(status, 6);
	return 0;
}

static volatile int chld_count;

static void on_chld(int sig)
{
	(void)sig;
	chld_count++;
}

/* kill(pid, 0) on a child that has exited but is not reaped yet gives 0
   (it still exists); after waitpid, ENOENT. SIGCHLD says when it exited. */
static int kill_zombie(char *why, size_t n)
{
	struct rb_sigaction act = {on_chld, 0, 0, NULL}, dfl = {RB_SIG_DFL, 0, 0, NULL};
	char *argv[] = {"kchild", NULL};
	chld_count = 0;
	KEXPECT(rb_sigaction(RB_SIGCHLD, &act, NULL), 0);
	int pid = rb_spawn(KCHILD, argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	uint64_t t0 = rb_now_ns();
	while (chld_count == 0 && rb_now_ns() - t0 < 5000ull * 1000 * 1000)
		rb_sched_yield(); /* each system call return may run the handler */
	int r0 = rb_kill(pid, 0), rterm = rb_kill(pid, RB_SIGTERM);
	int status = -1;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	rb_sigaction(RB_SIGCHLD, &dfl, NULL);
	KCHECK(chld_count > 0, "no SIGCHLD in 5 s");
	KEXPECT(r0, 0);
	KEXPECT(rterm, 0);
	KEXPECT(status, 0);
	KEXPECT(rb_kill(pid, 0), -E_NOENT);
	return 0;
}

/* SYS_KSTAT counts a sleeping child as one live process with one thread,
   and after waitpid everything (processes, threads, heap) is back. */
static int kstat_counts_child(char *why, size_t n)
{
	char *argv[] = {"kchild", "sleep", NULL};
	struct rb_kstat k0, k1, k2;
	int status = -1;
	int pid = rb_spawn(KCHILD, argv, NULL, NULL, 0); /* warm the caches */
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	KEXPECT(rb_kill(pid, RB_SIGKILL), 0);
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(rb_kstat(&k0), sizeof k0);
	KEXPECT(k0.version, RB_KSTAT_VERSION);
	KEXPECT(k0.size, sizeof k0);
	KCHECK(k0.procs_live >= 1 && k0.threads_live >= 1 && k0.free_pages > 0,
	       "procs %llu threads %llu free %llu", k0.procs_live, k0.threads_live, k0.free_pages);
	pid = rb_spawn(KCHILD, argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	long r1 = rb_kstat(&k1);
	KEXPECT(rb_kill(pid, RB_SIGKILL), 0);
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(rb_kstat(&k2), sizeof k2);
	KEXPECT(r1, sizeof k1);
	KEXPECT(k1.procs_live, k0.procs_live + 1);
	KEXPECT(k1.threads_live, k0.threads_live + 1);
	KEXPECT(k2.procs_live, k0.procs_live);
	KEXPECT(k2.procs_zombie, k0.procs_zombie);
	KEXPECT(k2.threads_live, k0.threads_live);
	KEXPECT(k2.heap_objects, k0.heap_objects);
	KEXPECT(k2.heap_bytes, k0.heap_bytes);
	KEXPECT(k2.free_pages, k0.free_pages);
	KEXPECT(rb_syscall2(SYS_KSTAT, (long)KERNEL_PTR, sizeof k0), -E_FAULT);
	KEXPECT(rb_syscall2(SYS_KSTAT, (long)&k0, 4), -E_INVAL);
	KEXPECT(rb_syscall2(SYS_KSTAT, (long)&k0, 8), 8);
	return 0;
}

/* A fault (or exit) in one thread ends the whole process, also a sibling
   blocked in futex_wait with no timeout (kchild faultwait/exitwait). The
   wait polls with WNOHANG up to 10 s so that a child left alive is a
   failure, not a hang; it is then killed. */
static int end_with_blocked_sibling(const char *mode, int want, char *why, size_t n)
{
	char *argv[] = {"kchild", (char *)mode, NULL};
	int pid = rb_spawn(KCHILD, argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	int status = -1, r = 0;
	uint64_t t0 = rb_now_ns();
	while ((r = rb_waitpid(pid, &status, RB_WNOHANG)) == 0 &&
	       rb_now_ns() - t0 < 10000ull * 1000 * 1000)
		rb_sched_yield();
	if (r == 0) {
		rb_kill(pid, RB_SIGKILL);
		rb_waitpid(pid, &status, 0);
	}
	KCHECK(r == pid, "%s: child still alive 10 s later (waitpid %d)", mode, r);
	KEXPECT(status, want);
	return 0;
}

static int fault_ends_blocked_sibling(char *why, size_t n)
{
	return end_with_blocked_sibling("faultwait", 128 + 11, why, n);
}

static int exit_ends_blocked_sibling(char *why, size_t n)
{
	return end_with_blocked_sibling("exitwait", 9, why, n);
}

/* thread_join of a tid that names no thread (2^32 would match a free
   slot once truncated to int) gives ENOENT at once (kchild joinbad). */
static int join_bad_tid(char *why, size_t n)
{
	return end_with_blocked_sibling("joinbad", 0, why, n);
}

/* SIGKILL ends a process whose threads join each other (kchild
   joincycle); its child, the next pid, shows that they are set up. */
static int kill_join_cycle(char *why, size_t n)
{
	char *argv[] = {"kchild", "joincycle", NULL};
	int pid = rb_spawn(KCHILD, argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	uint64_t t0 = rb_now_ns();
	while (rb_kill(pid + 1, 0) != 0 && rb_now_ns() - t0 < 2000ull * 1000 * 1000)
		rb_sched_yield();
	KEXPECT(rb_kill(pid, RB_SIGKILL), 0);
	int status = -1;
	int r = rb_waitpid(pid, &status, 0); /* a join the kill misses hangs here */
	int st2;
	if (rb_getpid() == 1) /* as init we adopted its child: reap it */
		rb_waitpid(pid + 1, &st2, 0);
	KEXPECT(r, pid);
	KEXPECT(status, 128 + RB_SIGKILL);
	return 0;
}

/* Kill kchild joincycle (spawned as the i-th), then reap it within 3 s,
   and, as init, its adopted child (the next pid) if it was spawned. */
static int kill_reap_join_cycle(int pid, int i, char *why, size_t n)
{
	KEXPECT(rb_kill(pid, RB_SIGKILL), 0);
	int status = -1, st2, r;
	uint64_t t0 = rb_now_ns();
	while ((r = rb_waitpid(pid, &status, RB_WNOHANG)) == 0 &&
	       rb_now_ns() - t0 < 3000ull * 1000 * 1000)
		rb_sched_yield();
	KCHECK(r != 0, "child %d (round %d) still runs 3 s after SIGKILL", pid, i);
	if (rb_getpid() == 1 && rb_kill(pid + 1, 0) == 0)
		rb_waitpid(pid + 1, &st2, 0);
	KEXPECT(r, pid);
	KEXPECT(status, 128 + RB_SIGKILL);
	return 0;
}

/* SIGKILL at every stage of kchild joincycle's set-up, 40 times: before
   its threads exist, while they start and join, once they block. A
   thread preempted between preparing to block and its kill check used to
   sleep through the kill (sched.c, schedule_as): 1 in ~20 never ended. */
static int kill_join_cycle_stages(char *why, size_t n)
{
	static const int yields[] = {0, 3, 10, 30, 100};
	for (int i = 0; i < 40; i++) {
		char *argv[] = {"kchild", "joincycle", NULL};
		int pid = rb_spawn(KCHILD, argv, NULL, NULL, 0);
		KCHECK(pid > 0, "spawn %d: %d %s", i, pid, err_name(pid));
		for (int k = 0; k < yields[i % 5]; k++)
			rb_sched_yield();
		if (kill_reap_join_cycle(pid, i, why, n) < 0)
			return -1;
	}
	return 0;
}

/* waitpid of a pid outside int range names no child: ECHILD, and the
   child stays for a real waitpid (2^32 - 1 truncated to int is -1, "any
   child": kstress cases=sys,proc seed 0x3333 saw it reap a child). */
static int waitpid_wide_pid(char *why, size_t n)
{
	char *argv[] = {"kchild", "7", NULL};
	int pid = rb_spawn(KCHILD, argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	int st = -1;
	long r1 = rb_syscall3(SYS_WAITPID, 0xfffffffful, (long)&st, RB_WNOHANG);
	long r2 = rb_syscall3(SYS_WAITPID, (1l << 32) + pid, (long)&st, RB_WNOHANG);
	KEXPECT(rb_waitpid(pid, &st, 0), pid);
	KEXPECT(r1, -E_CHILD);
	KEXPECT(r2, -E_CHILD);
	KEXPECT(st, 7);
	return 0;
}

const struct kcase proc_cases[] = {
    {"getpid/getppid/getuid/setuid", ids},
    {"spawn: initfs:/bin/init, waitpid gives its pid and 0", spawn_init},
    {"spawn: argv reaches the child (exit 7)", spawn_argv},
    {"spawn: envp reaches the child", spawn_envp},
    {"spawn: fd map; a bad fd gives EBADF", spawn_fdmap},
    {"spawn: missing file gives ENOENT", spawn_missing},
    {"spawn: non-ELF file gives ENOEXEC", spawn_not_elf},
    {"spawn: bad pointers give EFAULT", spawn_bad_pointer},
    {"waitpid: non-child gives ECHILD", waitpid_non_child},
    {"kill: SIGKILL ends a sleeping child at once, status 137", kill_child},
    {"spawn: 2000 children reaped with status 0, no page leaked", spawn_loop},
    {"kill: racing the reaping of the child is safe", kill_vs_reap},
    {"waitpid: several threads waiting at once all return", waitpid_many_threads},
    {"kill: SIGKILL ends a child blocked in waitpid at once", kill_in_waitpid},
    {"waitpid: init adopts and reaps an orphan", orphan_to_init},
    {"kill: SIGKILL ends a child spinning in user mode at once", kill_spinner},
    {"kill: signal 0 to an unreaped exited child gives 0", kill_zombie},
    {"waitpid: every page of the child is free when it returns", pages_back_at_waitpid},
    {"kstat: a child is counted while it lives; all back after waitpid", kstat_counts_child},
    {"fault: ends the process, also a thread blocked in futex_wait", fault_ends_blocked_sibling},
    {"exit: ends the process, also a thread blocked in futex_wait", exit_ends_blocked_sibling},
    {"thread_join: a tid outside 1..INT_MAX gives ENOENT", join_bad_tid},
    {"waitpid: a pid outside int range gives ECHILD, reaps nobody", waitpid_wide_pid},
    {"kill: SIGKILL ends threads that join each other", kill_join_cycle},
    {"kill: SIGKILL at any stage of a join cycle's set-up (40 times)", kill_join_cycle_stages},
    {NULL, NULL},
};
