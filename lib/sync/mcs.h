/*
 * mcs.h - MCS queue lock (Mellor-Crummey and Scott, 1991): FIFO, and each
 * waiter spins on a flag in its own queue node, so a release touches one
 * waiter's cache line instead of every spinner's.
 *
 * Interface: the caller owns a struct mcs_node for the duration of the hold
 * (typically on its stack or per-CPU, one per nesting level) and passes the
 * same node to acquire and release. mcs_acquire_owned()/mcs_release_owned()
 * additionally record the holder's CPU id and report recursion (-E_DEADLK)
 * or a release by a non-holder (-E_PERM) to the caller; the kernel panics on
 * either, as they are kernel bugs. The lib never disables interrupts.
 *
 * Memory order (each site in mcs.c names the edge it creates):
 *   acquire: tail exchange acq_rel; link store to prev->next release;
 *            spin on own locked flag acquire;
 *   release: load of own next acquire; tail CAS release on success;
 *            handoff store to next->locked release.
 */
#pragma once
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

struct mcs_node {
	struct mcs_node *_Atomic next; /* successor in the queue */
	_Atomic uint32_t locked;       /* 1 while this waiter must wait */
};

struct mcs_lock {
	struct mcs_node *_Atomic tail; /* last waiter or holder; NULL = free */
	_Atomic uint32_t owner;	       /* holder's CPU id + 1 (owned API), 0 = none */
};

#define MCS_LOCK_INIT                                                                              \
	{                                                                                          \
		NULL, 0                                                                            \
	}

/* Make l an unlocked lock. */
void mcs_init(struct mcs_lock *l);
/* Take l, queueing behind earlier waiters; me stays in use until release. */
void mcs_acquire(struct mcs_lock *l, struct mcs_node *me);
/* Take l only if nobody holds or waits for it; true when taken. */
bool mcs_try_acquire(struct mcs_lock *l, struct mcs_node *me) MUST_CHECK;
/* Release l, handing it to the next waiter; me is the node used to take it. */
void mcs_release(struct mcs_lock *l, struct mcs_node *me);
/* Whether l is held or waited for (a racy hint for assertions). */
bool mcs_is_locked(struct mcs_lock *l);
/* mcs_acquire recording cpu as owner; -E_DEADLK (not taken) if cpu holds l. */
int mcs_acquire_owned(struct mcs_lock *l, struct mcs_node *me, uint32_t cpu) MUST_CHECK;
/* mcs_release checking cpu is the owner; -E_PERM (lock untouched) if not. */
int mcs_release_owned(struct mcs_lock *l, struct mcs_node *me, uint32_t cpu) MUST_CHECK;
