/*
 * t_signal.c - ktest cases for signals: a handler installed with
 * sigaction runs on kill(self, SIGTERM) and returns through the
 * restorer; SIGINT set to ignore does nothing; a blocked signal waits
 * until sigprocmask unblocks it; bad signal numbers and SIGKILL are
 * refused; a handled signal ends futex_wait, futex_lock_pi and waitpid
 * with EINTR. Each case puts the default action back.
 */
#include "ktest.h"
#include "rb/signal.h"
#include "rb/thread.h"

#define MS 1000000ull

static volatile int handled_sig;
static volatile int handled_count;

static void on_signal(int sig)
{
	handled_sig = sig;
	handled_count++;
}

/* A signal to ourselves is taken on the way back from a system call
   (kill's own return, when this is the only thread that does not block
   it): make a few more calls, so that the handler has had every chance. */
static int wait_handled(int count)
{
	for (int i = 0; i < 100 && handled_count < count; i++)
		rb_sched_yield();
	return handled_count >= count;
}

static void set_default(int sig)
{
	struct rb_sigaction dfl = {RB_SIG_DFL, 0, 0, NULL};
	rb_sigaction(sig, &dfl, NULL);
}

static int handler_runs(char *why, size_t n)
{
	struct rb_sigaction act = {on_signal, 0, 0, NULL}, old;
	handled_sig = 0;
	handled_count = 0;
	KEXPECT(rb_sigaction(RB_SIGTERM, &act, NULL), 0);
	/* Values live across the signal must survive it. */
	volatile long before = 0x1234567887654321l;
	int k = rb_kill(rb_getpid(), RB_SIGTERM);
	int ran = wait_handled(1);
	int r = rb_sigaction(RB_SIGTERM, NULL, &old);
	set_default(RB_SIGTERM);
	KEXPECT(k, 0);
	KCHECK(ran, "handler did not run within 100 system calls");
	KEXPECT(handled_sig, RB_SIGTERM);
	KEXPECT(handled_count, 1);
	KEXPECT(before, 0x1234567887654321l);
	KEXPECT(r, 0);
	KCHECK(old.handler == on_signal, "old action has handler %p", (void *)old.handler);
	return 0;
}

static int sigint_ignored(char *why, size_t n)
{
	struct rb_sigaction ign = {RB_SIG_IGN, 0, 0, NULL};
	handled_count = 0;
	KEXPECT(rb_sigaction(RB_SIGINT, &ign, NULL), 0);
	int k = rb_kill(rb_getpid(), RB_SIGINT);
	rb_sched_yield(); /* a system call return: the signal is taken by now */
	set_default(RB_SIGINT);
	KEXPECT(k, 0);
	KEXPECT(handled_count, 0); /* and we are still here */
	return 0;
}

static int blocked_until_unblocked(char *why, size_t n)
{
	struct rb_sigaction act = {on_signal, 0, 0, NULL};
	uint64_t set = RB_SIGBIT(RB_SIGTERM), old = 0, now = 0;
	handled_count = 0;
	KEXPECT(rb_sigaction(RB_SIGTERM, &act, NULL), 0);
	int b = rb_sigprocmask(RB_SIG_BLOCK, &set, &old);
	int k = rb_kill(rb_getpid(), RB_SIGTERM);
	rb_sched_yield(); /* a system call return: unblocked, it would run here */
	int early = handled_count;
	int q = rb_sigprocmask(RB_SIG_BLOCK, NULL, &now);
	int u = rb_sigprocmask(RB_SIG_UNBLOCK, &set, NULL);
	int ran = wait_handled(1);
	set_default(RB_SIGTERM);
	KEXPECT(b, 0);
	KEXPECT(k, 0);
	KEXPECT(early, 0);
	KEXPECT(q, 0);
	KCHECK(now & set, "mask %llx lacks SIGTERM", (unsigned long long)now);
	KCHECK(!(old & set), "SIGTERM was blocked before");
	KEXPECT(u, 0);
	KCHECK(ran, "handler did not run after unblocking");
	return 0;
}

static int sigaction_errors(char *why, size_t n)
{
	struct rb_sigaction act = {on_signal, 0, 0, NULL};
	KEXPECT(rb_sigaction(0, &act, NULL), -E_INVAL);
	KEXPECT(rb_sigaction(999, &act, NULL), -E_INVAL);
	KEXPECT(rb_sigaction(RB_SIGKILL, &act, NULL), -E_INVAL);
	KEXPECT(rb_sigaction(RB_SIGTERM, (const struct rb_sigaction *)1, NULL), -E_FAULT);
	/* A bad place for the old action fails before the new one is set. */
	struct rb_sigaction ign = {RB_SIG_IGN, 0, 0, NULL}, old;
	KEXPECT(rb_sigaction(RB_SIGTERM, &act, NULL), 0);
	KEXPECT(rb_sigaction(RB_SIGTERM, &ign, (struct rb_sigaction *)1), -E_FAULT);
	KEXPECT(rb_sigaction(RB_SIGTERM, NULL, &old), 0);
	KCHECK(old.handler == on_signal && old.restorer, "old action %p/%p, not the one set",
	       (void *)old.handler, (void *)old.restorer);
	act.handler = RB_SIG_DFL;
	KEXPECT(rb_sigaction(RB_SIGTERM, &act, NULL), 0);
	KEXPECT(rb_kill(rb_getpid(), 999), -E_INVAL);
	uint64_t set = RB_SIGBIT(RB_SIGTERM);
	KEXPECT(rb_sigprocmask(99, &set, NULL), -E_INVAL);
	return 0;
}

static uint32_t intr_word;
static volatile int intr_ret;

static int intr_waiter(void *arg)
{
	(void)arg;
	int r = rb_futex_wait(&intr_word, 0, 5000 * MS);
	intr_ret = r;
	return 0;
}

/*
 * Start fn in a thread with a SIGTERM handler installed and SIGTERM
 * blocked in this thread (masks are per thread), so only fn's thread can
 * take it; send SIGTERM until *ret leaves 1 (fn's wait has ended: a kill
 * that came before the wait began is taken at a system call return and
 * the wait goes on, so send another). fn's wait has a timeout as a
 * safety net: if the signal does not end it, the result is ETIMEDOUT.
 */
static int signal_until_done(int (*fn)(void *), volatile int *ret)
{
	struct rb_sigaction act = {on_signal, 0, 0, NULL};
	uint64_t term = RB_SIGBIT(RB_SIGTERM), old = 0;
	if (rb_sigaction(RB_SIGTERM, &act, NULL) != 0)
		return -1;
	int tid = rb_thread_create(fn, NULL); /* first: it inherits our mask */
	int b = rb_sigprocmask(RB_SIG_BLOCK, &term, &old);
	while (tid > 0 && *ret == 1) {
		rb_kill(rb_getpid(), RB_SIGTERM);
		rb_sched_yield();
	}
	int j = tid > 0 ? rb_thread_join(tid, NULL) : tid;
	rb_sigprocmask(RB_SIG_SETMASK, &old, NULL); /* a pending one runs here */
	set_default(RB_SIGTERM);
	return tid > 0 && b == 0 && j == 0 ? 0 : -1;
}

/* A signal ends a futex wait early with EINTR, not ETIMEDOUT. */
static int futex_wait_eintr(char *why, size_t n)
{
	intr_word = 0;
	intr_ret = 1;
	KEXPECT(signal_until_done(intr_waiter, &intr_ret), 0);
	KEXPECT(intr_ret, -E_INTR);
	return 0;
}

static uint32_t pi_intr_word;
static volatile int pi_intr_ret;

static int pi_intr_waiter(void *arg)
{
	(void)arg;
	pi_intr_ret = rb_futex_lock_pi(&pi_intr_word, 5000 * MS);
	return 0;
}

/* A handled signal ends a PI lock wait with EINTR, as it does a futex
   wait (before, only a kill did, with EAGAIN; this one timed out). */
static int futex_lock_pi_eintr(char *why, size_t n)
{
	pi_intr_ret = 1;
	KEXPECT(rb_futex_lock_pi(&pi_intr_word, 0), 0);
	int r = signal_until_done(pi_intr_waiter, &pi_intr_ret);
	KEXPECT(rb_futex_unlock_pi(&pi_intr_word), 0);
	KEXPECT(r, 0);
	KEXPECT(pi_intr_ret, -E_INTR);
	return 0;
}

static volatile int mask_seen_blocked, mask_unblocked, mask_done;
static int mask_sent; /* the kill is done (atomic) */

static int mask_thread(void *arg)
{
	(void)arg;
	uint64_t old = 0, set = RB_SIGBIT(RB_SIGTERM);
	rb_sigprocmask(RB_SIG_BLOCK, NULL, &old);
	mask_seen_blocked = (old & set) != 0;
	mask_unblocked = rb_sigprocmask(RB_SIG_UNBLOCK, &set, NULL) == 0;
	mask_done = 1;
	/* Each return to user mode takes a pending signal this thread does
	   not block: once the kill is done the next yield must run the
	   handler. Counted in yields after the kill, not in time. */
	for (int after = 0; handled_count == 0 && after < 1000;)
		if (rb_sched_yield() == 0 && __atomic_load_n(&mask_sent, __ATOMIC_ACQUIRE))
			after++;
	return handled_count > 0 ? 0 : 1;
}

/* The mask is per thread (POSIX): a new thread starts with its creator's
   mask; unblocking in it leaves the creator's mask alone, and a signal
   sent to the process is taken by the thread that does not block it. */
static int mask_per_thread(char *why, size_t n)
{
	struct rb_sigaction act = {on_signal, 0, 0, NULL};
	uint64_t set = RB_SIGBIT(RB_SIGTERM), old = 0, now = 0;
	handled_count = 0;
	mask_seen_blocked = mask_unblocked = mask_done = 0;
	mask_sent = 0;
	KEXPECT(rb_sigaction(RB_SIGTERM, &act, NULL), 0);
	KEXPECT(rb_sigprocmask(RB_SIG_BLOCK, &set, &old), 0);
	int tid = rb_thread_create(mask_thread, NULL);
	KCHECK(tid > 0, "thread_create %d", tid);
	int code = -1;
	while (!mask_done)
		rb_sched_yield();
	rb_sigprocmask(RB_SIG_BLOCK, NULL, &now);
	int killed = rb_kill(rb_getpid(), RB_SIGTERM);
	__atomic_store_n(&mask_sent, 1, __ATOMIC_RELEASE);
	KEXPECT(killed, 0);
	KEXPECT(rb_thread_join(tid, &code), 0);
	rb_sigprocmask(RB_SIG_SETMASK, &old, NULL);
	set_default(RB_SIGTERM);
	KCHECK(mask_seen_blocked, "the new thread did not inherit the mask");
	KCHECK(now & set, "unblocking in another thread unblocked this one");
	KCHECK(mask_unblocked, "sigprocmask failed in the thread");
	KEXPECT(code, 0);
	KEXPECT(handled_count, 1);
	return 0;
}

static volatile int wait_pid, wait_ret;

static int intr_wait(void *arg)
{
	(void)arg;
	int status;
	wait_ret = rb_waitpid(wait_pid, &status, 0);
	return 0;
}

/* A handled signal ends a waitpid early with EINTR (the child blocks until
   it is killed, so however slow the machine, only the signal can end the
   wait; it used to sleep 3 s, which a loaded host's TCG guest outlived). */
static int waitpid_eintr(char *why, size_t n)
{
	char *argv[] = {"kchild", "block", NULL};
	wait_ret = 1;
	wait_pid = rb_spawn("initfs:/bin/kchild", argv, NULL, NULL, 0);
	KCHECK(wait_pid > 0, "spawn %d", wait_pid);
	int r = signal_until_done(intr_wait, &wait_ret);
	int status;
	rb_kill(wait_pid, RB_SIGKILL);
	rb_waitpid(wait_pid, &status, 0);
	KEXPECT(r, 0);
	KEXPECT(wait_ret, -E_INTR);
	return 0;
}

enum { MIGRATE_ROUNDS = 2000 };
static volatile int migrate_done;
static uint64_t migrate_all[4];
static int migrate_ncpu;
static unsigned migrate_cpu[64];

static int migrator(void *arg)
{
	(void)arg;
	int errors = 0;
	uint64_t t0 = rb_now_ns();
	/* Each hop may wait up to a tick behind a spinning waker: bounded by
	   time as well as by count. */
	for (int i = 0; i < MIGRATE_ROUNDS && rb_now_ns() - t0 < 1500 * MS; i++) {
		uint64_t one[4] = {0};
		unsigned cpu = migrate_cpu[i % migrate_ncpu];
		one[cpu / 64] = 1ull << (cpu % 64);
		if (rb_sched_setaffinity(0, sizeof one, one) != 0)
			errors++;
	}
	migrate_done = 1;
	return errors;
}

static int waker(void *arg)
{
	(void)arg;
	int errors = 0;
	while (!migrate_done)
		if (rb_kill(rb_getpid(), RB_SIGINT) != 0)
			errors++;
	return errors;
}

/* One thread hops from CPU to CPU (setaffinity moves the caller) while
   another keeps waking every thread of the process (kill with an ignored
   signal): a wake-up that meets a migration must not queue the thread
   twice or on a CPU it does not belong to. */
static int migrate_vs_wake(char *why, size_t n)
{
	struct rb_sigaction ign = {RB_SIG_IGN, 0, 0, NULL};
	int got = rb_sched_getaffinity(0, sizeof migrate_all, migrate_all);
	KCHECK(got > 0, "getaffinity %d", got);
	migrate_ncpu = 0;
	for (unsigned cpu = 0; cpu < 256 && migrate_ncpu < 64; cpu++)
		if (migrate_all[cpu / 64] >> (cpu % 64) & 1)
			migrate_cpu[migrate_ncpu++] = cpu;
	migrate_done = 0;
	KEXPECT(rb_sigaction(RB_SIGINT, &ign, NULL), 0);
	int m = rb_thread_create(migrator, NULL);
	int w = rb_thread_create(waker, NULL);
	int w2 = rb_thread_create(waker, NULL);
	int cm = -1, cw = -1, cw2 = -1;
	if (m > 0)
		rb_thread_join(m, &cm);
	migrate_done = 1;
	if (w > 0)
		rb_thread_join(w, &cw);
	if (w2 > 0)
		rb_thread_join(w2, &cw2);
	set_default(RB_SIGINT);
	int r = rb_sched_setaffinity(0, (size_t)got, migrate_all);
	KCHECK(m > 0 && w > 0 && w2 > 0, "thread_create %d %d %d", m, w, w2);
	KEXPECT(cm, 0);
	KEXPECT(cw, 0);
	KEXPECT(cw2, 0);
	KEXPECT(r, 0);
	return 0;
}

const struct kcase signal_cases[] = {
    {"signal: SIGTERM to self runs the handler", handler_runs},
    {"signal: ignored SIGINT does nothing", sigint_ignored},
    {"signal: blocked SIGTERM waits for sigprocmask", blocked_until_unblocked},
    {"signal: bad numbers and SIGKILL refused", sigaction_errors},
    {"futex_wait: a signal gives EINTR", futex_wait_eintr},
    {"futex_lock_pi: a handled signal gives EINTR", futex_lock_pi_eintr},
    {"waitpid: a handled signal gives EINTR", waitpid_eintr},
    {"signal: the blocked mask is per thread", mask_per_thread},
    {"sched: a thread moving between CPUs survives wake-ups", migrate_vs_wake},
    {NULL, NULL},
};
