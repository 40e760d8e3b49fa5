/*
 * mutex.c - the futex mutex and the spinlock of rb/thread.h.
 *
 * struct rb_mutex.state: 0 free, 1 held and nobody waits, 2 held and
 * someone may be sleeping on the futex. Lock: try 0 -> 1; otherwise mark
 * the word 2 and sleep on it until an exchange to 2 finds it free (the
 * winner then holds it with state 2, which costs one spare wake at worst).
 * Unlock: exchange to 0 and wake one sleeper if the old state was 2. Only
 * the uncontended path stays out of the kernel.
 */
#include "rb/thread.h"
#include "rb/sys.h"

void rb_mutex_lock(struct rb_mutex *m)
{
	uint32_t c = 0;
	if (__atomic_compare_exchange_n(&m->state, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		rb_futex_wait(&m->state, 2, 0);
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	}
}

int rb_mutex_trylock(struct rb_mutex *m)
{
	uint32_t c = 0;
	return __atomic_compare_exchange_n(&m->state, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void rb_mutex_unlock(struct rb_mutex *m)
{
	if (__atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE) == 2)
		rb_futex_wake(&m->state, 1);
}

void rb_spin_lock(struct rb_spinlock *l)
{
	unsigned spins = 0;
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
			__builtin_ia32_pause();
			/* The holder may have been preempted: let it run. */
			if (++spins % 256 == 0)
				rb_sched_yield();
		}
	}
}

void rb_spin_unlock(struct rb_spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
