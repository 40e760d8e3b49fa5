/*
 * spinlock.c - the one variable of spinlock.h: how spin_lock waits.
 * Written once at boot by the arch (spin_set_unfair), read by every
 * spin_lock; either value is safe at any moment (see spinlock.h).
 */
#include "sync/spinlock.h"

_Atomic bool spin_unfair;
