/*
 * matrix.h - the per-CPU interrupt vector matrix: which of each CPU's 256
 * vectors are in use, and where a new block of vectors goes.
 *
 * Every CPU has its own 256 vectors (the local APIC delivers vector V to
 * one CPU's IDT entry V), so an allocation is a pair (CPU, vector). The
 * layout (docs/interrupts.md):
 *   0x00-0x1f  CPU exceptions
 *   0x20-0x2f  the kernel's own legacy vectors (the serial line's 0x24)
 *   0x30-0xef  allocatable: IRQ_VEC_FIRST..IRQ_VEC_LAST, 192 per CPU
 *   0xf0-0xff  timer, IPIs (tlb, call, resched), spurious
 * Only the allocatable range is ever handed out. A block of N vectors (N a
 * power of two, at most IRQ_BLOCK_MAX) starts at a multiple of N, as
 * multiple-message MSI needs (the device ORs the message number into the
 * low bits of the data). Within a CPU the lowest free aligned block wins.
 * IRQ_CPU_ANY picks the online CPU with the most free vectors (ties: the
 * lowest id) that has room for the block, like Linux's matrix allocator.
 *
 * A block is remembered by its first vector (a "head" bit), so a free
 * must name exactly a block that was allocated on that CPU: freeing on
 * the wrong CPU, twice, or a part of a block is refused with -E_INVAL and
 * changes nothing.
 *
 * Pure logic: no locks, no allocation. The caller owns the struct and
 * serialises every call on it (the kernel: one spinlock, kernel/dev/irq.c).
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "base/compiler.h"
#include "smp/config.h"

#define IRQ_VEC_FIRST 0x30u
#define IRQ_VEC_LAST 0xefu
#define IRQ_VEC_COUNT (IRQ_VEC_LAST - IRQ_VEC_FIRST + 1)
#define IRQ_BLOCK_MAX 32u
#define IRQ_CPU_ANY 0xffffffffu

struct irq_matrix_cpu {
	uint64_t used[4]; /* bit v: vector v allocated */
	uint64_t head[4]; /* bit v: an allocated block starts at v */
	uint16_t nfree;	  /* allocatable vectors not in use */
	bool online;
};

struct irq_matrix {
	struct irq_matrix_cpu cpu[MAX_CPUS];
};

/* Every CPU offline, every allocatable vector free. */
void irq_matrix_init(struct irq_matrix *m);
/* Mark cpu (< MAX_CPUS) online (allocations may go there) or not. */
void irq_matrix_set_online(struct irq_matrix *m, unsigned cpu, bool online);
/*
 * Allocate count vectors (a power of two, 1..IRQ_BLOCK_MAX) aligned to count on cpu,
 * or on the emptiest online CPU for IRQ_CPU_ANY: 0 with *out_cpu and *out_vec (the
 * first vector), -E_INVAL (bad count, cpu out of range or offline) or -E_NOSPC.
 */
MUST_CHECK int irq_matrix_alloc(struct irq_matrix *m, unsigned cpu, unsigned count,
				unsigned *out_cpu, unsigned *out_vec);
/* Free the block of count vectors at first on cpu: 0, or -E_INVAL if it is not exactly an
   allocated block there (nothing changes). */
MUST_CHECK int irq_matrix_free(struct irq_matrix *m, unsigned cpu, unsigned first, unsigned count);
/* Free allocatable vectors on cpu (0 for a CPU out of range). */
unsigned irq_matrix_free_count(const struct irq_matrix *m, unsigned cpu);
/* Whether vector vec of cpu is allocated. */
bool irq_matrix_used(const struct irq_matrix *m, unsigned cpu, unsigned vec);
/* The CPU IRQ_CPU_ANY would pick for a block of count, or IRQ_CPU_ANY if none has room. */
unsigned irq_matrix_pick(const struct irq_matrix *m, unsigned count);
