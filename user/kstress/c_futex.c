/*
 * c_futex.c - the "futex" and "pi" cases.
 *
 * futex: threads wait on shared words with short timeouts while others
 * bump the words and wake random numbers of waiters; a futex mutex
 * (rb_mutex) guards a counter that must never show two holders.
 * pi: threads take PI futexes with timeouts, check that each lock has one
 * holder at a time (an atomic exchange on holder[i]), and now and then end
 * the thread while holding the lock (the kernel must hand it on or free it,
 * see docs/stress.md) or try to unlock a lock they do not own (EPERM).
 * Together with the supervisor's chaos kills this has owners and waiters
 * die at every point of the protocol.
 *
 * Ownership: the words belong to the worker process and are shared by all
 * its threads through atomics and the kernel's futex calls; holder[i] is
 * written only by the thread the kernel made the owner of pi_words[i].
 */
#include "kstress.h"
#include "rb/sys.h"
#include "rb/thread.h"

#define NWORDS 4
#define NPI 3
#define MS (1000ull * 1000)

static uint32_t words[NWORDS];
static struct rb_mutex mutex = RB_MUTEX_INIT;
static volatile int inside;
static uint32_t pi_words[NPI];
static int holder[NPI];

/* An error a futex call on a valid, aligned word must never give. */
static bool bad_futex_error(long r)
{
	return r == -E_INVAL || r == -E_FAULT || r == -E_NOSYS;
}

int kst_futex_op(struct kst_thread *t)
{
	uint32_t *wd = &words[kst_rand(t, NWORDS)];
	long r;
	int n;
	switch (kst_rand(t, 3)) {
	case 0:
		r = rb_futex_wait(wd, __atomic_load_n(wd, __ATOMIC_SEQ_CST),
				  (1 + kst_rand(t, 3)) * MS);
		if (r < 0 && bad_futex_error(r))
			return kst_fail(t, KST_FUTEX, "futex_wait: %ld", r);
		return 0;
	case 1:
		__atomic_fetch_add(wd, 1, __ATOMIC_SEQ_CST);
		/* half of them sync: the first woken may be pulled to this CPU, racing
		   steals, migrations and its own timeout (we do not block next; the
		   scheduler must cope with a waker that runs on) */
		n = kst_rand(t, 4) ? 1 + (int)kst_rand(t, 3) : 1 << 30;
		r = kst_rand(t, 2) ? rb_futex_wake_sync(wd, n) : rb_futex_wake(wd, n);
		if (r < 0)
			return kst_fail(t, KST_FUTEX, "futex_wake: %ld", r);
		return 0;
	default:
		rb_mutex_lock(&mutex);
		if (++inside != 1) {
			inside--;
			rb_mutex_unlock(&mutex);
			return kst_fail(t, KST_FUTEX, "two threads inside the futex mutex");
		}
		if (kst_rand(t, 4) == 0)
			rb_sched_yield();
		inside--;
		rb_mutex_unlock(&mutex);
		return 0;
	}
}

int kst_pi_op(struct kst_thread *t)
{
	int i = (int)kst_rand(t, NPI), me = t->idx + 1; /* one live thread per slot */
	long r;
	if (kst_rand(t, 16) == 0) {
		if (__atomic_load_n(&holder[i], __ATOMIC_SEQ_CST) == me)
			return 0; /* cannot happen: we drop every lock before returning */
		r = rb_futex_unlock_pi(&pi_words[i]);
		if (r != -E_PERM)
			return kst_fail(t, KST_PI, "unlock_pi of a lock we do not hold: %ld", r);
		return 0;
	}
	r = rb_futex_lock_pi(&pi_words[i], (1 + kst_rand(t, 5)) * MS);
	if (r == -E_OWNERDEAD)
		r = 0; /* the last owner ended holding it (below): ours now */
	if (r < 0)
		return bad_futex_error(r) ? kst_fail(t, KST_PI, "futex_lock_pi: %ld", r) : 0;
	int prev = __atomic_exchange_n(&holder[i], me, __ATOMIC_SEQ_CST);
	if (prev != 0)
		return kst_fail(t, KST_PI, "PI lock %d held by %d and %d", i, prev, me);
	if (kst_rand(t, 4) == 0)
		rb_sched_yield();
	__atomic_store_n(&holder[i], 0, __ATOMIC_SEQ_CST);
	if (kst_rand(t, 64) == 0)
		return 1; /* end the thread while the kernel still counts it as the owner */
	r = rb_futex_unlock_pi(&pi_words[i]);
	if (r != 0)
		return kst_fail(t, KST_PI, "futex_unlock_pi by the owner: %ld", r);
	return 0;
}
