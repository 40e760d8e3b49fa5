/*
 * waitq.h - wait queues: "something about this object changed" for the
 * threads and pollers that care.
 *
 * Any object a thread can wait on (a pipe, a user scheme handle, a scheme
 * server's request queue, the console, the kernel log) embeds one struct
 * waitq and calls waitq_wake after every change of its state that a
 * waiter could be waiting for (data arrived, space freed, a peer closed).
 * A waiter adds a struct waitq_entry (usually on its own stack), checks
 * the object's state, and sleeps; the entry's callback runs on every wake
 * and usually just wakes the waiting thread (waitq_entry_init_thread).
 * The object's state has its own lock; the pattern that loses no wake-up:
 *
 *     waitq_add(&obj->wq, &e);
 *     for (;;) {
 *         thread_prepare_block();          (or _until for a timeout)
 *         if (condition, read under obj's lock) { thread_wake(self); break; }
 *         if (proc_block_or_intr(p)) { err = -E_INTR; break; }
 *     }
 *     waitq_remove(&e);
 *
 * A wake that comes between the prepare and the block finds the thread
 * already marked blocked and makes it runnable, so the block returns at once.
 * A waiter whose condition needs a sleeping lock (a kmutex) cannot look
 * between the prepare and the block: it looks first and then calls
 * poll_wait_change (scheme/poll.h), which adds the entry on the first
 * call and later sleeps unless the entry fired since (pipes, event:, the
 * console all wait this way).
 *
 * Exclusive waiters: threads that each take one item of a queue (a
 * scheme server's workers reading requests) set e.exclusive. waitq_wake_one
 * then wakes one of them that has not fired yet, and every non-exclusive
 * entry (pollers), instead of the whole herd. e.fired says "chosen,
 * and will look": such a waiter clears it (seq_cst) before each look at
 * the state and again before it sleeps after a look that found nothing
 * (the wake was for an item another waiter took; one that comes after
 * the look found the thread prepared and makes its block return at once).
 * An entry asleep with fired set would never be chosen again. And if
 * e.fired is set once it has removed its entry, it calls waitq_wake_one
 * again: a post that chose it after its last look may be for an item it
 * did not take (it took another, or none: a signal), and it may never
 * look again. A post that finds every exclusive waiter fired wakes none
 * of them, so one that takes an item and sees more left behind it calls
 * waitq_wake_one too (uscheme.c's take_request).
 *
 * Ownership and locking: the queue's spinlock (taken with interrupts off)
 * guards its list; an entry belongs to whoever added it and must be
 * removed before its memory goes; callbacks run under the queue's lock,
 * must not sleep and may take only locks that rank below every waitq lock
 * (the scheduler's run-queue locks, another object's waitq for event:
 * files, which never nest further). The object that embeds the queue must
 * outlive every entry on it: a waiter holds a reference to the object
 * (its struct file) for as long as its entry is added.
 */
#pragma once
#include <stdbool.h>
#include "sync/spinlock.h"

struct thread;
struct waitq_entry;

struct waitq {
	struct spinlock lock;
	struct waitq_entry *head; /* doubly linked, guarded by lock */
};

struct waitq_entry {
	struct waitq_entry *next, *prev;
	struct waitq *q; /* the queue it is on, NULL when not added */
	/* Runs on every waitq_wake of q, under q's lock; must not sleep. */
	void (*fn)(struct waitq_entry *e);
	struct thread *t; /* for waitq_entry_init_thread's callback */
	bool fired;	  /* __atomic: set by that callback before it wakes t */
	bool exclusive;	  /* one of several waiters for the same item: see waitq_wake_one */
	void *priv;	  /* the owner's */
};

/* An empty queue. */
void waitq_init(struct waitq *q);
/* An entry whose callback sets fired and wakes the calling thread. */
void waitq_entry_init_thread(struct waitq_entry *e);
/* An entry with callback fn (priv is the caller's). */
void waitq_entry_init(struct waitq_entry *e, void (*fn)(struct waitq_entry *e), void *priv);
/* Add e (not on any queue) to q. */
void waitq_add(struct waitq *q, struct waitq_entry *e);
/* Take e off its queue, if it is on one. After it returns, e's callback is not running
   and will not run again. */
void waitq_remove(struct waitq_entry *e);
/* Run the callback of every entry on q. */
void waitq_wake(struct waitq *q);
/* Run the callback of every non-exclusive entry on q and of one exclusive entry that has
   not fired, the one added last (its cache is the warmest). */
void waitq_wake_one(struct waitq *q);
/* As waitq_wake_one, from a caller that blocks next until the one it wakes answers: that
   one is woken with thread_wake_sync. */
void waitq_wake_one_sync(struct waitq *q);
/* Wake q (as waitq_wake) if the counter's value now differs from *woken_at, the value
   it had when q was last woken here, and record now; of CPUs racing with one value, one
   wakes. For work deferred from where q's lock may not be taken (under the log lock):
   a safe point polls a counter the deferring side bumped. */
void waitq_wake_on_change(struct waitq *q, uint64_t *woken_at, uint64_t now);
/* True if q has no entries (a hint: it may change at once). */
bool waitq_empty(struct waitq *q);
