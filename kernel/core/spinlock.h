/*
 * spinlock.h - kernel spinlocks: lib/sync's ticket lock with interrupts off.
 *
 * A lock that an interrupt handler may take must be held with interrupts
 * disabled on the holder's CPU, or the handler could spin on its own CPU's
 * lock forever. These wrappers do that; the ordering guarantees are the
 * ticket lock's (see lib/sync/spinlock.h).
 */
#pragma once
#include <stdint.h>
#include "arch/x86_64/cpu.h"
#include "sync/spinlock.h"

/* Disable interrupts, take l; returns the flags for spin_unlock_irqrestore. */
static inline uint64_t spin_lock_irqsave(struct spinlock *l)
{
	uint64_t flags = irq_save();
	spin_lock(l);
	return flags;
}

/* Release l and restore the interrupt state saved by spin_lock_irqsave. */
static inline void spin_unlock_irqrestore(struct spinlock *l, uint64_t flags)
{
	spin_unlock(l);
	irq_restore(flags);
}
