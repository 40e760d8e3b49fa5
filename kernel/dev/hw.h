/*
 * hw.h - which hardware a process may touch (docs/hwaccess.md).
 *
 * The grants themselves (I/O ports, physical ranges, the irq right) live
 * in kernel/dev/hw.c. Until the grant table lands, the irq right is
 * simply uid 0.
 */
#pragma once
#include <stdbool.h>

struct proc;

/* May p open irq: (allocate vectors, route GSIs)? */
bool hw_irq_allowed(struct proc *p);
