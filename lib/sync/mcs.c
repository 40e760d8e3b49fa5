/*
 * mcs.c - the MCS queue lock. See mcs.h for the interface; the comments at
 * each atomic operation name the happens-before edge it provides, so the
 * ordering can be checked one site at a time.
 */
#include "base/err.h"
#include "sync/mcs.h"
#include "sync/relax.h"

void mcs_init(struct mcs_lock *l)
{
	atomic_init(&l->tail, NULL);
	atomic_init(&l->owner, 0);
}

/* Reset a node before enqueueing it. Relaxed: these stores are published by
 * the release half of the tail exchange and by the release link store. */
static void mcs_node_reset(struct mcs_node *me)
{
	atomic_store_explicit(&me->next, NULL, memory_order_relaxed);
	atomic_store_explicit(&me->locked, 1, memory_order_relaxed);
}

void mcs_acquire(struct mcs_lock *l, struct mcs_node *me)
{
	mcs_node_reset(me);
	/* acq_rel exchange. Release: our node's reset happens-before the next
	 * waiter that swaps us out of tail and links to us. Acquire: if prev is
	 * NULL the lock was free, and we read tail from the last holder's
	 * release CAS in mcs_release, so its critical section happens-before
	 * ours. */
	struct mcs_node *prev = atomic_exchange_explicit(&l->tail, me, memory_order_acq_rel);
	if (prev == NULL)
		return;
	/* Release: our locked = 1 happens-before prev's acquire load of its
	 * next pointer in mcs_release, so its handoff store of 0 cannot be
	 * overwritten by our reset. */
	atomic_store_explicit(&prev->next, me, memory_order_release);
	/* Acquire: reads 0 from the handoff store in mcs_release, so the
	 * previous holder's critical section happens-before ours. */
	while (atomic_load_explicit(&me->locked, memory_order_acquire))
		cpu_relax();
}

bool mcs_try_acquire(struct mcs_lock *l, struct mcs_node *me)
{
	struct mcs_node *expect = NULL;
	mcs_node_reset(me);
	/* acq_rel on success, same edges as the exchange in mcs_acquire for
	 * the free-lock case (acquire from the last release CAS; release of
	 * our node's reset to the next waiter). Relaxed on failure: we never
	 * enqueued, so nothing to order. */
	return atomic_compare_exchange_strong_explicit(&l->tail, &expect, me, memory_order_acq_rel,
						       memory_order_relaxed);
}

void mcs_release(struct mcs_lock *l, struct mcs_node *me)
{
	/* Acquire: pairs with the successor's release link store, so its node
	 * reset happens-before our handoff store below. */
	struct mcs_node *next = atomic_load_explicit(&me->next, memory_order_acquire);
	if (next == NULL) {
		struct mcs_node *expect = me;
		/* Release on success: the lock is free and our critical
		 * section happens-before the next acquirer's acq_rel exchange
		 * (or try CAS) that reads NULL from here. Relaxed on failure:
		 * a successor swapped tail and will link itself; we wait for
		 * the link below and hand off through its node instead. */
		if (atomic_compare_exchange_strong_explicit(
			&l->tail, &expect, NULL, memory_order_release, memory_order_relaxed))
			return;
		/* Acquire: same edge as the load above, once the successor's
		 * link store lands. */
		while ((next = atomic_load_explicit(&me->next, memory_order_acquire)) == NULL)
			cpu_relax();
	}
	/* Release: our critical section happens-before the successor's acquire
	 * spin that reads this 0. */
	atomic_store_explicit(&next->locked, 0, memory_order_release);
}

bool mcs_is_locked(struct mcs_lock *l)
{
	return atomic_load_explicit(&l->tail, memory_order_relaxed) != NULL;
}

int mcs_acquire_owned(struct mcs_lock *l, struct mcs_node *me, uint32_t cpu)
{
	/* Relaxed: owner is written only by holders. A CPU reads its own last
	 * write or a later one, so it sees cpu + 1 here exactly when it still
	 * holds l (it writes 0 before releasing). */
	if (atomic_load_explicit(&l->owner, memory_order_relaxed) == cpu + 1)
		return -E_DEADLK;
	mcs_acquire(l, me);
	atomic_store_explicit(&l->owner, cpu + 1, memory_order_relaxed);
	return 0;
}

int mcs_release_owned(struct mcs_lock *l, struct mcs_node *me, uint32_t cpu)
{
	if (atomic_load_explicit(&l->owner, memory_order_relaxed) != cpu + 1)
		return -E_PERM;
	atomic_store_explicit(&l->owner, 0, memory_order_relaxed);
	mcs_release(l, me);
	return 0;
}
