/*
 * pi.c - priority inheritance graph (see pi.h for the rules).
 *
 * Each operation changes the graph locally, then calls propagate() on the
 * owner whose set of waiters changed: recompute its effective priority from
 * scratch (base, and the first waiter of each lock it holds, since waiter
 * lists are sorted), re-sort it in the waiter list of the lock it waits on,
 * and move one step up, until a priority does not change or
 * MAX_PI_CHAIN_DEPTH owners were done. No locking: the caller holds the
 * graph lock.
 */
#include "sched/pi.h"
#include "base/err.h"
#include <stddef.h>

void pi_thread_init(struct pi_thread *t, int prio)
{
	*t = (struct pi_thread){.base_prio = prio, .prio = prio};
}

void pi_lock_init(struct pi_lock *l)
{
	*l = (struct pi_lock){0};
}

struct pi_thread *pi_chain_next(const struct pi_thread *t)
{
	return t->blocked_on ? t->blocked_on->owner : NULL;
}

/* Insert t behind every waiter of at least its priority. */
static void waiter_insert(struct pi_lock *l, struct pi_thread *t)
{
	struct pi_thread **link = &l->waiters;

	while (*link && (*link)->prio >= t->prio)
		link = &(*link)->next_wait;
	t->next_wait = *link;
	*link = t;
}

static void waiter_remove(struct pi_lock *l, struct pi_thread *t)
{
	struct pi_thread **link = &l->waiters;

	while (*link != t)
		link = &(*link)->next_wait;
	*link = t->next_wait;
	t->next_wait = NULL;
}

static void held_remove(struct pi_thread *t, struct pi_lock *l)
{
	struct pi_lock **link = &t->held;

	while (*link != l)
		link = &(*link)->next_held;
	*link = l->next_held;
	l->next_held = NULL;
}

static void held_add(struct pi_thread *t, struct pi_lock *l)
{
	l->owner = t;
	l->next_held = t->held;
	t->held = l;
}

/* Effective priority by the rule: base, or the best first waiter. */
static int compute_prio(const struct pi_thread *t)
{
	int p = t->base_prio;

	for (const struct pi_lock *l = t->held; l; l = l->next_held)
		if (l->waiters && l->waiters->prio > p)
			p = l->waiters->prio;
	return p;
}

/* Restore the rule for o and up its chain (MAX_PI_CHAIN_DEPTH owners). */
static void propagate(struct pi_thread *o)
{
	for (unsigned depth = 0; o && depth < MAX_PI_CHAIN_DEPTH; depth++) {
		int p = compute_prio(o);
		if (p == o->prio)
			return;
		o->prio = p;
		struct pi_lock *l = o->blocked_on;
		if (!l)
			return;
		waiter_remove(l, o);
		waiter_insert(l, o);
		o = l->owner;
	}
}

int pi_acquire(struct pi_thread *t, struct pi_lock *l)
{
	if (t->blocked_on)
		return -E_INVAL;
	if (l->owner == t)
		return -E_DEADLK;
	if (l->owner)
		return -E_BUSY;
	held_add(t, l);
	/* A free lock has no waiters: t's priority is unchanged. */
	return 0;
}

int pi_block(struct pi_thread *t, struct pi_lock *l)
{
	if (t->blocked_on || !l->owner)
		return -E_INVAL;
	/* Follow owner -> lock it waits on -> owner ...; reaching t is a cycle. */
	unsigned steps = 0;
	for (const struct pi_lock *c = l; c && c->owner; c = c->owner->blocked_on) {
		if (c->owner == t)
			return -E_DEADLK;
		if (++steps > PI_MAX_WALK)
			return -E_LOOP;
	}
	t->blocked_on = l;
	waiter_insert(l, t);
	propagate(l->owner);
	return 0;
}

int pi_release(struct pi_lock *l, struct pi_thread **next_owner)
{
	struct pi_thread *o = l->owner, *w = l->waiters;

	if (!o)
		return -E_INVAL;
	held_remove(o, l);
	l->owner = NULL;
	if (w) {
		waiter_remove(l, w);
		w->blocked_on = NULL;
		held_add(w, l);
		/* The remaining waiters now donate to w; w waits on nothing. */
		w->prio = compute_prio(w);
	}
	propagate(o);
	*next_owner = w;
	return 0;
}

int pi_unblock(struct pi_thread *t)
{
	struct pi_lock *l = t->blocked_on;

	if (!l)
		return -E_INVAL;
	waiter_remove(l, t);
	t->blocked_on = NULL;
	propagate(l->owner);
	return 0;
}

void pi_set_base(struct pi_thread *t, int prio)
{
	t->base_prio = prio;
	propagate(t);
}
