/*
 * c_proc.c - the "proc", "signal" and "sched" cases.
 *
 * proc: threads spawn kchild ("kchild", "kchild N", "kchild sleep") by a
 * path relative to a cwd they keep moving (chdir), half of them into a
 * group of their own (spawn attribute; then kill and waitpid name the
 * group), probe it with kill(pid, 0) (0, or ENOENT once it has exited), kill some with SIGKILL and
 * wait for exactly that pid, checking the status: N, or 137 when killed. Siblings' random signals
 * ("signal", "sys") may also end a child, so with those cases on any status 129..159 is accepted
 * too. At most MAX_KIDS children live at once per worker (pids are a shared, finite resource).
 * A quarter of its operations instead read what ps, cpus and free read (proclist, procinfo of
 * each pid, cpuinfo, sysinfo) while the children come and go, and check their consistency.
 * signal: SIGUSR1/SIGUSR2 handlers count deliveries; threads send those signals to their own
 * process and to neighbouring pids (siblings, their children, init: EPERM) while other threads
 * block and unblock them. sched: affinity of the calling thread and of the whole process,
 * sched_getcpu checked against a thread's own mask, policy changes with the documented refusals (RT
 * policy and other uids give EPERM), and joins of one shared stub thread racing each other and its
 * exit.
 *
 * Ownership: the worker's children belong to the thread that spawned them
 * (it alone waits for that pid); kids counts them atomically. look keeps its
 * pid list on the calling thread's stack. The signal
 * counters are atomics written by handlers. aff_seq, stub_tid and
 * last_joined are shared by the worker's threads through atomics only.
 */
#include "kstress.h"
#include "rb/signal.h"
#include "rb/sys.h"
#include "rb/thread.h"

#define MAX_KIDS 6
#define MAX_PROCS_SEEN 256
#define SIGUSR1 10
#define SIGUSR2 12

static int kids;
static uint64_t delivered;

/*
 * What ps, cpus and free read, racing the children the other threads spawn
 * and reap: every listed pid answers procinfo with its own pid or ENOENT
 * (it ended since), the list is ascending and holds the worker itself;
 * cpuinfo and sysinfo agree with themselves.
 */
static int look(struct kst_thread *t)
{
	int pids[MAX_PROCS_SEEN]; /* the thread's own: 1 KiB of its 64 KiB stack */
	long n = rb_proclist(pids, MAX_PROCS_SEEN);
	if (n < 1)
		return kst_fail(t, KST_PROC, "proclist: %ld", n);
	bool self = false;
	for (long i = 0; i < n && i < MAX_PROCS_SEEN; i++) {
		if (i && pids[i] <= pids[i - 1])
			return kst_fail(t, KST_PROC, "proclist not ascending at %ld", i);
		self |= pids[i] == rb_getpid();
		struct rb_procinfo pi;
		long r = rb_procinfo(pids[i], &pi);
		if (r == -E_NOENT)
			continue;
		if (r != (long)sizeof pi || pi.pid != pids[i] || pi.nthreads < 0 ||
		    (pi.state != 'R' && pi.state != 'S') || pi.start_ns > rb_now_ns())
			return kst_fail(t, KST_PROC, "procinfo(%d): %ld pid %d threads %d state %d",
					pids[i], r, pi.pid, pi.nthreads, pi.state);
	}
	if (!self && n <= MAX_PROCS_SEEN)
		return kst_fail(t, KST_PROC, "proclist misses the worker %d", rb_getpid());
	struct rb_cpuinfo ci[4];
	long nc = rb_cpuinfo(ci, 4);
	if (nc < 1 || !(ci[0].flags & RB_CPU_ONLINE))
		return kst_fail(t, KST_PROC, "cpuinfo: %ld", nc);
	struct rb_sysinfo si;
	long r = rb_sysinfo(&si);
	if (r != (long)sizeof si || si.free_pages > si.total_pages || si.procs < 1)
		return kst_fail(t, KST_PROC, "sysinfo: %ld free %llu total %llu", r, si.free_pages,
				si.total_pages);
	return 0;
}

int kst_proc_op(struct kst_thread *t)
{
	if (kst_rand(t, 4) == 0)
		return look(t);
	static char *const argv_ok[] = {"kchild", NULL};
	static char *const argv_code[] = {"kchild", "42", NULL};
	static char *const argv_sleep[] = {"kchild", "sleep", NULL};
	char *const *argv[] = {argv_ok, argv_code, argv_sleep};
	const int code[] = {0, 42, 3};
	static const int console[] = {0, 1, 2};
	if (__atomic_add_fetch(&kids, 1, __ATOMIC_SEQ_CST) > MAX_KIDS) {
		__atomic_sub_fetch(&kids, 1, __ATOMIC_SEQ_CST);
		return 0;
	}
	int k = (int)kst_rand(t, 3), status = -1, r = 0;
	bool kill9 = k == 2 || kst_rand(t, 4) == 0;
	/* Half the children get a group of their own (spawn attribute) and are
	   killed and waited for by group; the path is relative to a cwd that
	   sibling threads keep moving between two initfs directories. */
	bool group = kst_rand(t, 2) == 0;
	struct rb_spawn_attr attr = {.flags = RB_SPAWN_SETPGROUP, .pgid = 0};
	int cd = rb_chdir(kst_rand(t, 2) ? "initfs:/bin" : "initfs:/etc");
	if (cd != 0)
		r = kst_fail(t, KST_PROC, "chdir: %d", cd);
	int pid = rb_spawn_attr("../bin/kchild", argv[k], NULL, console, 3, group ? &attr : NULL);
	if (pid < 0) {
		/* ENOENT: a random chdir of the sys case moved the cwd meanwhile */
		bool lost = pid == -E_NOENT && (t->w->cases & (1u << KST_SYS));
		if (pid != -E_AGAIN && pid != -E_NOMEM && !lost)
			r = kst_fail(t, KST_PROC, "spawn kchild: %d", pid);
		goto out;
	}
	int pg = group ? rb_getpgid(pid) : pid;
	if (pg != pid && pg != -E_SRCH) /* ESRCH: it has exited already */
		r = kst_fail(t, KST_PROC, "child %d in group %d, want its own", pid, pg);
	long kr = rb_kill(group ? -pid : pid, kill9 ? RB_SIGKILL : 0);
	if (kr != 0 && kr != -E_NOENT) /* ENOENT: it has exited already (not yet reaped) */
		r = kst_fail(t, KST_PROC, "kill(child %d, %d): %ld", pid, kill9 ? 9 : 0, kr);
	int w;
	do /* a handled signal (the signal case) ends the wait with EINTR */
		w = rb_waitpid(group ? -pid : pid, &status, 0);
	while (w == -E_INTR);
	if (w != pid)
		r = kst_fail(t, KST_PROC, "waitpid(%d) = %d", pid, w);
	else if (!(status == code[k] || (kill9 && status == 128 + RB_SIGKILL) ||
		   kst_signalled_by_others(t->w, status)))
		r = kst_fail(t, KST_PROC, "child %d (kind %d, kill %d) status %d", pid, k, kill9,
			     status);
out:
	__atomic_sub_fetch(&kids, 1, __ATOMIC_SEQ_CST);
	return r;
}

void kst_proc_fini(struct kst_worker *w)
{
	int status;
	while (rb_waitpid(-1, &status, RB_WNOHANG) > 0)
		;
}

static void on_usr(int sig)
{
	__atomic_fetch_add(&delivered, 1, __ATOMIC_RELAXED);
}

void kst_signal_init(struct kst_worker *w)
{
	struct rb_sigaction sa = {on_usr, 0, 0, NULL};
	rb_sigaction(SIGUSR1, &sa, NULL);
	rb_sigaction(SIGUSR2, &sa, NULL);
}

int kst_signal_op(struct kst_thread *t)
{
	int sig = kst_rand(t, 2) ? SIGUSR1 : SIGUSR2;
	uint64_t set = RB_SIGBIT(sig);
	long r;
	switch (kst_rand(t, 4)) {
	case 0:
		r = rb_kill(rb_getpid(), sig);
		if (r != 0)
			return kst_fail(t, KST_SIGNAL, "kill(self, %d): %ld", sig, r);
		return 0;
	case 1: {
		int pid = rb_getpid() + (int)kst_rand(t, 7) - 3;
		r = rb_kill(pid, sig);
		if (pid == 1 && r != -E_PERM)
			return kst_fail(t, KST_SIGNAL, "kill(init) as uid %d: %ld", rb_getuid(), r);
		if (r != 0 && r != -E_PERM && r != -E_NOENT)
			return kst_fail(t, KST_SIGNAL, "kill(%d, %d): %ld", pid, sig, r);
		return 0;
	}
	case 2:
		r = rb_sigprocmask(kst_rand(t, 2) ? RB_SIG_BLOCK : RB_SIG_UNBLOCK, &set, NULL);
		if (r != 0)
			return kst_fail(t, KST_SIGNAL, "sigprocmask: %ld", r);
		return 0;
	default:
		r = rb_nanosleep(kst_rand(t, 200) * 1000); /* a window for delivery */
		if (r != 0)
			return kst_fail(t, KST_SIGNAL, "nanosleep: %ld", r);
		return 0;
	}
}

/*
 * Process-wide affinity (pid = our own) overwrites every thread's mask.
 * aff_seq is odd while a thread is inside such a call, and changes with
 * each: a thread that set its own mask checks sched_getcpu against it only
 * if aff_seq was even and unchanged around the whole window.
 */
static uint32_t aff_seq;

/* Per-thread affinity: after a successful set the caller runs on a CPU of the mask. */
static int sched_pin_self(struct kst_thread *t, uint64_t mask)
{
	uint32_t s0 = __atomic_load_n(&aff_seq, __ATOMIC_SEQ_CST);
	long r = rb_sched_setaffinity(0, sizeof mask, &mask);
	if (r == -E_INVAL)
		return 0; /* no online CPU in mask */
	if (r != 0)
		return kst_fail(t, KST_SCHED, "setaffinity(self, %#lx): %ld", (unsigned long)mask,
				r);
	int cpu = rb_sched_getcpu();
	if (cpu < 0 || cpu >= 64)
		return kst_fail(t, KST_SCHED, "sched_getcpu: %d", cpu);
	if (!(s0 & 1) && __atomic_load_n(&aff_seq, __ATOMIC_SEQ_CST) == s0 &&
	    !(mask & (1ull << cpu)))
		return kst_fail(t, KST_SCHED, "on CPU %d after setaffinity(self, %#lx)", cpu,
				(unsigned long)mask);
	return 0;
}

static int sched_pin_process(struct kst_thread *t, uint64_t mask)
{
	__atomic_fetch_add(&aff_seq, 1, __ATOMIC_SEQ_CST);
	long r = rb_sched_setaffinity(rb_getpid(), sizeof mask, &mask);
	__atomic_fetch_add(&aff_seq, 1, __ATOMIC_SEQ_CST);
	if (r != 0 && r != -E_INVAL)
		return kst_fail(t, KST_SCHED, "setaffinity(own pid, %#lx): %ld",
				(unsigned long)mask, r);
	return 0;
}

/*
 * Joins racing with each other and with the thread's exit: one published
 * stub thread at a time, which any thread may join. Exactly one join of a
 * tid gives 0 and the stub's code (tids are never reused; last_joined
 * catches a second 0); the others give EINVAL (another joiner waits) or
 * ENOENT (already joined). A stub that lost the race to be published is
 * joined by its creator alone and must give 0.
 */
static int stub_tid, last_joined;

static int stub_main(void *arg)
{
	rb_sched_yield();
	return 7;
}

/* Join tid; 0 on a documented outcome (want0: only success is one). */
static int join_stub(struct kst_thread *t, int tid, bool want0)
{
	int code = -1, r = rb_thread_join(tid, &code);
	if (r != 0) {
		if (want0 || (r != -E_INVAL && r != -E_NOENT))
			return kst_fail(t, KST_SCHED, "join(%d): %d", tid, r);
		return 0;
	}
	if (code != 7)
		return kst_fail(t, KST_SCHED, "join(%d): code %d, want 7", tid, code);
	if (__atomic_exchange_n(&last_joined, tid, __ATOMIC_SEQ_CST) == tid)
		return kst_fail(t, KST_SCHED, "join(%d) succeeded twice", tid);
	int me = tid; /* retire the published tid, if it is this one */
	__atomic_compare_exchange_n(&stub_tid, &me, 0, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return 0;
}

static int sched_join(struct kst_thread *t)
{
	int tid = __atomic_load_n(&stub_tid, __ATOMIC_SEQ_CST);
	if (tid)
		return join_stub(t, tid, false) || join_stub(t, tid, false) ? -1 : 0;
	tid = rb_thread_create(stub_main, NULL);
	if (tid < 0)
		return tid == -E_AGAIN || tid == -E_NOMEM
			   ? 0
			   : kst_fail(t, KST_SCHED, "thread_create: %d", tid);
	int none = 0;
	if (__atomic_compare_exchange_n(&stub_tid, &none, tid, false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST))
		return 0; /* published: a later sched_join (any thread's) joins it */
	return join_stub(t, tid, true);
}

int kst_sched_op(struct kst_thread *t)
{
	uint64_t mask = 1 + kst_rand(t, 15), got = 0;
	long r;
	switch (kst_rand(t, 7)) {
	case 0:
		return sched_pin_self(t, mask);
	case 1:
		r = rb_sched_getaffinity(kst_rand(t, 2) ? 0 : rb_getpid(), sizeof got, &got);
		if (r < 0 || got == 0)
			return kst_fail(t, KST_SCHED, "getaffinity: %ld, mask %#lx", r,
					(unsigned long)got);
		return 0;
	case 2:
		mask = 1; /* CPU 0 is always online: only the permission can fail */
		r = rb_sched_setaffinity(1, sizeof mask, &mask);
		if (r != -E_PERM)
			return kst_fail(t, KST_SCHED, "setaffinity(init) as uid %d: %ld",
					rb_getuid(), r);
		return 0;
	case 3:
		r = rb_sched_setparam(0, 1 + (int)kst_rand(t, 2), (int)kst_rand(t, 10));
		if (r != -E_PERM)
			return kst_fail(t, KST_SCHED, "RT setparam as uid %d: %ld", rb_getuid(), r);
		r = rb_sched_setparam(0, 0, (int)kst_rand(t, 40) - 20);
		if (r != 0 && r != -E_PERM)
			return kst_fail(t, KST_SCHED, "setparam(fair): %ld", r);
		return 0;
	case 4:
		return kst_rand(t, 4) ? sched_join(t) : sched_pin_process(t, mask);
	case 5:
		r = rb_thread_join(kst_rand(t, 2) ? 0 : 0x7fffff00 + (int)kst_rand(t, 256), NULL);
		if (r != -E_NOENT)
			return kst_fail(t, KST_SCHED, "join of no thread: %ld", r);
		return 0;
	default:
		rb_sched_yield();
		return 0;
	}
}
