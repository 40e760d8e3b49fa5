/*
 * pi.h - priority inheritance as a pure graph computation.
 *
 * The graph: a struct pi_lock has at most one owner (a struct pi_thread) and
 * a list of waiting threads; a thread holds any number of locks and waits on
 * at most one. Priorities use the scale of sched/prio.h (larger is more
 * urgent, RT 40..49 above fair 0..39), so they compare across classes.
 *
 * The rule: a thread's effective priority is the maximum of its base
 * priority and the effective priorities of the waiters of every lock it
 * holds. pi_block, pi_release, pi_unblock and pi_set_base restore this rule
 * along the chain they touch: the owner of the lock, the lock that owner
 * waits on, its owner, and so on, for at most MAX_PI_CHAIN_DEPTH owners.
 * Past that depth donation stops and the call still succeeds: threads deeper
 * than 8 owners keep a priority that may be too low until one of their own
 * locks changes (documented bound on the work done under the lock).
 *
 * Deadlock: pi_block follows the chain from the lock (up to PI_MAX_WALK
 * locks); if it leads back to the blocking thread, blocking would deadlock
 * and pi_block returns -E_DEADLK and changes nothing. A chain longer than
 * PI_MAX_WALK (only possible with that many threads queued behind each
 * other) returns -E_LOOP, also changing nothing.
 *
 * Waiters are kept in priority order, first come first served among equal
 * priorities; pi_release hands the lock to the first. Costs: O(waiters) per
 * list update and O(locks held) per recomputation, per chain step.
 *
 * After a call, threads whose effective priority may have changed are: for
 * pi_block and pi_unblock the owners along the chain from the lock (walk it
 * with pi_chain_next, at most MAX_PI_CHAIN_DEPTH steps), for pi_release the
 * old owner and the new one, for pi_set_base the thread and its chain. The
 * kernel compares each thread's prio with its run queue entity and calls
 * runq_set_prio where they differ.
 *
 * Locking: none inside. The kernel holds one lock over the whole PI graph
 * (or every lock the walk touches) during each call.
 */
#pragma once
#include "base/compiler.h"
#include "sched/prio.h"

#define MAX_PI_CHAIN_DEPTH 8
#define PI_MAX_WALK 1024

struct pi_lock;

struct pi_thread {
	int base_prio;		     /* own priority */
	int prio;		     /* effective priority */
	struct pi_lock *blocked_on;  /* lock waited for, or NULL */
	struct pi_lock *held;	     /* locks owned, through pi_lock.next_held */
	struct pi_thread *next_wait; /* next waiter of blocked_on */
};

struct pi_lock {
	struct pi_thread *owner;   /* NULL when free */
	struct pi_thread *waiters; /* highest priority first */
	struct pi_lock *next_held; /* next lock of the same owner */
};

/* A thread with base (and effective) priority prio, holding nothing. */
void pi_thread_init(struct pi_thread *t, int prio);
/* A free lock with no waiters. */
void pi_lock_init(struct pi_lock *l);
/* t takes l if it is free: 0; -E_BUSY when someone else owns it, -E_DEADLK
 * when t owns it already, -E_INVAL when t is blocked. */
int pi_acquire(struct pi_thread *t, struct pi_lock *l) MUST_CHECK;
/* t (not blocked) starts waiting for l (owned) and donates its priority:
 * 0, -E_DEADLK (would deadlock, nothing changed), -E_LOOP (chain too long,
 * nothing changed) or -E_INVAL (t blocked already, or l free). */
int pi_block(struct pi_thread *t, struct pi_lock *l) MUST_CHECK;
/* The owner of l releases it; the first waiter (or NULL) becomes the owner
 * and is returned in *next_owner; donations through l are undone. 0, or
 * -E_INVAL when l has no owner. */
int pi_release(struct pi_lock *l, struct pi_thread **next_owner) MUST_CHECK;
/* t stops waiting (timeout, signal) without getting the lock; the chain
 * loses t's donation. 0, or -E_INVAL when t is not blocked. */
int pi_unblock(struct pi_thread *t) MUST_CHECK;
/* Change t's base priority and update t and the chain it waits on. */
void pi_set_base(struct pi_thread *t, int prio);
/* The owner of the lock t waits on, or NULL: one step along a chain. */
struct pi_thread *pi_chain_next(const struct pi_thread *t);
