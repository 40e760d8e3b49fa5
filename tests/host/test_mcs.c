/*
 * test_mcs.c - the MCS queue lock and the ticket spinlock: single-thread
 * state transitions, the owner-tracking debug API (recursion and foreign
 * release are reported, not acted on), the spinlock taken out of turn (as
 * under a hypervisor) and mixed with FIFO waiters, and pthread stress tests where N
 * threads increment a plain counter under the lock and the total must be
 * exact (a lost update means mutual exclusion or ordering failed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "base/err.h"
#include "sync/mcs.h"
#include "sync/spinlock.h"

/* One thread per host CPU (2 to MAX_THREADS): a spinning lock with more
 * threads than CPUs degrades to one handoff per scheduler time slice
 * whenever a queued waiter is preempted (seconds per hundred handoffs), which
 * tests the host scheduler, not the lock. On a one-CPU host the two threads
 * run few iterations. */
#define MAX_THREADS 8
static unsigned nthreads;
static int niters;

static void test_mcs_basic(void **state)
{
	struct mcs_lock l = MCS_LOCK_INIT;
	struct mcs_node a, b;
	assert_false(mcs_is_locked(&l));
	mcs_acquire(&l, &a);
	assert_true(mcs_is_locked(&l));
	assert_false(mcs_try_acquire(&l, &b));
	mcs_release(&l, &a);
	assert_false(mcs_is_locked(&l));
	assert_true(mcs_try_acquire(&l, &b));
	assert_true(mcs_is_locked(&l));
	mcs_release(&l, &b);
	assert_false(mcs_is_locked(&l));
	mcs_init(&l);
	assert_false(mcs_is_locked(&l));
}

static void test_mcs_owned(void **state)
{
	struct mcs_lock l;
	struct mcs_node a, b;
	mcs_init(&l);
	assert_int_equal(mcs_release_owned(&l, &a, 0), -E_PERM); /* not held */
	assert_int_equal(mcs_acquire_owned(&l, &a, 3), 0);
	assert_int_equal(mcs_acquire_owned(&l, &b, 3), -E_DEADLK); /* recursion */
	assert_true(mcs_is_locked(&l));
	assert_int_equal(mcs_release_owned(&l, &a, 4), -E_PERM); /* foreign */
	assert_true(mcs_is_locked(&l));
	assert_int_equal(mcs_release_owned(&l, &a, 3), 0);
	assert_false(mcs_is_locked(&l));
	/* CPU 0 is a valid owner id (stored as 1). */
	assert_int_equal(mcs_acquire_owned(&l, &a, 0), 0);
	assert_int_equal(mcs_acquire_owned(&l, &b, 0), -E_DEADLK);
	assert_int_equal(mcs_release_owned(&l, &a, 0), 0);
}

static void test_spin_basic(void **state)
{
	struct spinlock l = SPINLOCK_INIT;
	assert_false(spin_is_locked(&l));
	spin_lock(&l);
	assert_true(spin_is_locked(&l));
	assert_false(spin_trylock(&l));
	spin_unlock(&l);
	assert_false(spin_is_locked(&l));
	assert_true(spin_trylock(&l));
	spin_unlock(&l);
	/* Counters wrap without harm. */
	atomic_store(&l.next, UINT32_MAX);
	atomic_store(&l.serving, UINT32_MAX);
	spin_lock(&l);
	assert_true(spin_is_locked(&l));
	spin_unlock(&l);
	assert_false(spin_is_locked(&l));
	assert_int_equal(atomic_load(&l.serving), 0);
	spin_init(&l);
	assert_false(spin_is_locked(&l));
}

static void test_spin_owned(void **state)
{
	struct spinlock l;
	spin_init(&l);
	assert_int_equal(spin_unlock_owned(&l, 1), -E_PERM);
	assert_int_equal(spin_lock_owned(&l, 1), 0);
	assert_int_equal(spin_lock_owned(&l, 1), -E_DEADLK);
	assert_int_equal(spin_unlock_owned(&l, 2), -E_PERM);
	assert_true(spin_is_locked(&l));
	assert_int_equal(spin_unlock_owned(&l, 1), 0);
	assert_false(spin_is_locked(&l));
}

/* Shared state of the stress tests; counter is deliberately not atomic. */
static struct mcs_lock mlock = MCS_LOCK_INIT;
static struct spinlock slock = SPINLOCK_INIT;
static uint64_t counter;
static uint64_t shadow; /* a second word that must always equal counter */
static _Atomic unsigned torn;
static uint64_t done[MAX_THREADS]; /* increments made by each thread */

static void critical(unsigned self)
{
	done[self]++;
	/* Two plain read-modify-writes; a second holder inside would make
	 * them disagree or lose increments. */
	uint64_t c = counter;
	if (shadow != c)
		atomic_fetch_add_explicit(&torn, 1, memory_order_relaxed);
	counter = c + 1;
	shadow = c + 1;
}

static void *mcs_worker(void *arg)
{
	struct mcs_node node;
	unsigned cpu = (unsigned)(uintptr_t)arg;
	for (int i = 0; i < niters; i++) {
		if (i % 3 == 0) {
			if (mcs_acquire_owned(&mlock, &node, cpu) != 0)
				atomic_fetch_add(&torn, 1);
			critical(cpu);
			if (mcs_release_owned(&mlock, &node, cpu) != 0)
				atomic_fetch_add(&torn, 1);
		} else if (i % 3 == 1 && mcs_try_acquire(&mlock, &node)) {
			critical(cpu);
			mcs_release(&mlock, &node);
		} else {
			mcs_acquire(&mlock, &node);
			critical(cpu);
			mcs_release(&mlock, &node);
		}
	}
	return NULL;
}

static bool flip_modes; /* spin_worker: thread 0 switches spin_unfair every 1000 iterations */

static void *spin_worker(void *arg)
{
	unsigned cpu = (unsigned)(uintptr_t)arg;
	for (int i = 0; i < niters; i++) {
		if (flip_modes && cpu == 0 && i % 1000 == 0)
			spin_set_unfair(!atomic_load(&spin_unfair));
		if (i % 3 == 0) {
			if (spin_lock_owned(&slock, cpu) != 0)
				atomic_fetch_add(&torn, 1);
			critical(cpu);
			if (spin_unlock_owned(&slock, cpu) != 0)
				atomic_fetch_add(&torn, 1);
		} else if (i % 3 == 1 && spin_trylock(&slock)) {
			critical(cpu);
			spin_unlock(&slock);
		} else {
			spin_lock(&slock);
			critical(cpu);
			spin_unlock(&slock);
		}
	}
	return NULL;
}

static uint64_t run(void *(*fn)(void *))
{
	pthread_t th[MAX_THREADS];
	counter = shadow = 0;
	memset(done, 0, sizeof done);
	atomic_store(&torn, 0);
	for (unsigned t = 0; t < nthreads; t++)
		assert_int_equal(pthread_create(&th[t], NULL, fn, (void *)(uintptr_t)t), 0);
	for (unsigned t = 0; t < nthreads; t++)
		pthread_join(th[t], NULL);
	assert_int_equal(atomic_load(&torn), 0);
	return counter;
}

/* Run fn on t threads for i iterations each; the shared counter must equal
 * the sum of the increments each thread made, and nothing was torn. */
static void stress(void *(*fn)(void *), unsigned t, int i)
{
	nthreads = t;
	niters = i;
	uint64_t n = run(fn);
	uint64_t sum = 0;
	for (unsigned k = 0; k < t; k++) {
		/* At least the 2/3 unconditional acquires per thread. */
		assert_true(done[k] >= (uint64_t)(i - (i + 1) / 3));
		sum += done[k];
	}
	assert_int_equal(n, sum);
}

static long host_cpus(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN);
}

static void stress_host(void *(*fn)(void *))
{
	long n = host_cpus();
	if (n < 2)
		stress(fn, 2, 200);
	else
		stress(fn, n > MAX_THREADS ? MAX_THREADS : (unsigned)n, 200000);
}

static void test_mcs_stress(void **state)
{
	stress_host(mcs_worker);
	assert_false(mcs_is_locked(&mlock));
}

static void test_spin_stress(void **state)
{
	stress_host(spin_worker);
	assert_false(spin_is_locked(&slock));
}

/* Out of turn: the same lock, taken only when free and nobody holds a ticket. */
static void test_spin_unfair(void **state)
{
	struct spinlock l;
	spin_init(&l);
	spin_set_unfair(true);
	spin_lock(&l);
	assert_true(spin_is_locked(&l));
	assert_false(spin_trylock(&l));
	spin_unlock(&l);
	assert_false(spin_is_locked(&l));
	/* a ticket taken in FIFO order holds the lock for the out-of-turn way too */
	atomic_fetch_add(&l.next, 1);
	assert_true(spin_is_locked(&l));
	assert_false(spin_trylock(&l));
	spin_unlock(&l);
	spin_lock(&l);
	spin_unlock(&l);
	assert_false(spin_is_locked(&l));
	spin_set_unfair(false);
}

/* Both ways at once: the mode flips while threads contend; nothing is torn or lost. */
static void test_spin_mixed_stress(void **state)
{
	flip_modes = true;
	stress_host(spin_worker);
	flip_modes = false;
	spin_set_unfair(false);
	assert_false(spin_is_locked(&slock));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mcs_basic),	cmocka_unit_test(test_mcs_owned),
	    cmocka_unit_test(test_spin_basic),	cmocka_unit_test(test_spin_owned),
	    cmocka_unit_test(test_mcs_stress),	cmocka_unit_test(test_spin_stress),
	    cmocka_unit_test(test_spin_unfair), cmocka_unit_test(test_spin_mixed_stress),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
