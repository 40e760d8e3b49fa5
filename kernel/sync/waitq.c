/*
 * waitq.c - wait queues (see waitq.h for the pattern, ownership and
 * locking). The list is guarded by the queue's own spinlock, held with
 * interrupts off because callbacks wake threads (run-queue locks nest
 * inside it).
 */
#include <stddef.h>
#include "sync/waitq.h"
#include "sched/sched.h"
#include "sync/irqlock.h"

void waitq_init(struct waitq *q)
{
	spin_init(&q->lock);
	q->head = NULL;
}

static void wake_thread(struct waitq_entry *e)
{
	__atomic_store_n(&e->fired, true, __ATOMIC_RELEASE);
	thread_wake(e->t);
}

void waitq_entry_init(struct waitq_entry *e, void (*fn)(struct waitq_entry *e), void *priv)
{
	e->next = e->prev = NULL;
	e->q = NULL;
	e->fn = fn;
	e->t = NULL;
	e->fired = false;
	e->exclusive = false;
	e->priv = priv;
}

void waitq_entry_init_thread(struct waitq_entry *e)
{
	waitq_entry_init(e, wake_thread, NULL);
	e->t = thread_current();
}

void waitq_add(struct waitq *q, struct waitq_entry *e)
{
	uint64_t fl = spin_lock_irqsave(&q->lock);
	e->q = q;
	e->prev = NULL;
	e->next = q->head;
	if (q->head)
		q->head->prev = e;
	__atomic_store_n(&q->head, e, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&q->lock, fl);
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* before the caller looks at the state */
}

void waitq_remove(struct waitq_entry *e)
{
	struct waitq *q = e->q;
	if (!q)
		return;
	uint64_t fl = spin_lock_irqsave(&q->lock);
	if (e->prev)
		e->prev->next = e->next;
	else
		__atomic_store_n(&q->head, e->next, __ATOMIC_RELAXED);
	if (e->next)
		e->next->prev = e->prev;
	e->next = e->prev = NULL;
	e->q = NULL;
	spin_unlock_irqrestore(&q->lock, fl);
}

void waitq_wake(struct waitq *q)
{
	/* The caller's state change must be visible before we look for
	   waiters, and a waiter adds itself before it looks at the state: a
	   full fence on each side means one of the two sees the other. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&q->head, __ATOMIC_RELAXED))
		return; /* nobody waits: the common case takes no lock */
	uint64_t fl = spin_lock_irqsave(&q->lock);
	for (struct waitq_entry *e = q->head; e; e = e->next)
		e->fn(e);
	spin_unlock_irqrestore(&q->lock, fl);
}

void waitq_wake_on_change(struct waitq *q, uint64_t *woken_at, uint64_t now)
{
	uint64_t was = __atomic_load_n(woken_at, __ATOMIC_RELAXED);
	if (now != was && __atomic_compare_exchange_n(woken_at, &was, now, false, __ATOMIC_ACQ_REL,
						      __ATOMIC_RELAXED))
		waitq_wake(q);
}

static void wake_one(struct waitq *q, bool sync)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* as waitq_wake */
	if (!__atomic_load_n(&q->head, __ATOMIC_RELAXED))
		return;
	uint64_t fl = spin_lock_irqsave(&q->lock);
	bool woke = false;
	for (struct waitq_entry *e = q->head; e; e = e->next) {
		if (e->exclusive) {
			if (woke || __atomic_load_n(&e->fired, __ATOMIC_SEQ_CST))
				continue;
			woke = true;
			if (sync && e->fn == wake_thread) {
				__atomic_store_n(&e->fired, true, __ATOMIC_RELEASE);
				thread_wake_sync(e->t);
				continue;
			}
		}
		e->fn(e);
	}
	spin_unlock_irqrestore(&q->lock, fl);
}

void waitq_wake_one(struct waitq *q)
{
	wake_one(q, false);
}

void waitq_wake_one_sync(struct waitq *q)
{
	wake_one(q, true);
}

bool waitq_empty(struct waitq *q)
{
	return __atomic_load_n(&q->head, __ATOMIC_RELAXED) == NULL;
}
