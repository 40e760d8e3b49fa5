/*
 * irqlock.h - kernel spinlocks: lib/sync's ticket lock with interrupts off.
 *
 * A lock that an interrupt handler may take must be held with interrupts
 * disabled on the holder's CPU, or the handler could spin on its own CPU's
 * lock forever. These wrappers do that; the ordering guarantees are the
 * ticket lock's (see lib/sync/spinlock.h). In a debug build (make DEBUG=1)
 * each lock records its owner CPU, and taking a lock this CPU already holds,
 * or releasing one it does not, panics with the lock's address.
 */
#pragma once
#include <stdint.h>
#include "arch.h"
#include "core/panic.h"
#include "core/percpu.h"
#include "sync/spinlock.h"

/* Disable interrupts, take l; returns the flags for spin_unlock_irqrestore. */
static inline uint64_t spin_lock_irqsave(struct spinlock *l)
{
	uint64_t flags = irq_save();
#ifdef KERNEL_DEBUG
	if (spin_lock_owned(l, percpu_id()) < 0)
		panic("spinlock %p taken twice by cpu %u", (void *)l, percpu_id());
#else
	spin_lock(l);
#endif
	return flags;
}

/* Release l and restore the interrupt state saved by spin_lock_irqsave. */
static inline void spin_unlock_irqrestore(struct spinlock *l, uint64_t flags)
{
#ifdef KERNEL_DEBUG
	if (spin_unlock_owned(l, percpu_id()) < 0)
		panic("spinlock %p released by cpu %u, which does not hold it", (void *)l,
		      percpu_id());
#else
	spin_unlock(l);
#endif
	irq_restore(flags);
}
