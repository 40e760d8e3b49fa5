/*
 * irq_priv.h - the state shared by irq.c (the scheme and the interrupt
 * handler) and irq_stats.c (irq:/stats). Not for other files.
 *
 * Objects (all guarded by irq_lock, a spinlock taken with interrupts off,
 * which the interrupt handler takes too):
 *   struct irq_slot   one per (online CPU, vector): who gets that vector's
 *                     interrupts. Arrays allocated once at irq_init, never freed.
 *   struct irq_block  an MSI/MSI-X block of 1..32 vectors on one CPU; owned by
 *                     its handles (refs); the last handle's close frees the
 *                     vectors in the matrix on that block's CPU and the block.
 *   struct irq_line   a GSI routed through the IOAPIC to one vector; owned by
 *                     its handles (nhandles); the last close masks the entry,
 *                     frees the vector and the line. On the list `lines`.
 *   struct irq_handle f->priv of an open vector file; owned by the file (freed
 *                     by the scheme's close, after it is unlinked from its slot).
 * The matrix and vector numbers of lines and handles change only under irq_lock.
 * Lock order: irq_lock, then a handle's waitq lock (the handler wakes under
 * irq_lock), then the IOAPIC's lock (ioapic_program/ioapic_mask under irq_lock).
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "irq/matrix.h"
#include "irq/scream.h"
#include "sync/spinlock.h"
#include "sync/waitq.h"

enum irq_kind { IRQ_KIND_MSI, IRQ_KIND_MSIX, IRQ_KIND_IOAPIC };

#define IRQ_LABEL_MAX 48

struct irq_line;
struct irq_block;

struct irq_handle {
	bool stats;		   /* an irq:/stats file: only stats_* are used */
	uint64_t stats_off;	   /* __atomic: its read offset (the scheme is a stream) */
	char *stats_snap;	   /* __atomic: the text made at the first read (irq.c) */
	struct irq_block *blk;	   /* MSI: its block (a reference) */
	struct irq_line *line;	   /* GSI: its line (counted in nhandles) */
	unsigned cpu, vec;	   /* where its interrupts come (a line's move with it) */
	struct irq_handle *next;   /* on its slot's list */
	uint64_t pending;	   /* interrupts since the last read */
	bool need_ack;		   /* level line: delivered, not yet acknowledged */
	struct waitq wq;	   /* readers and pollers; woken by the handler */
	char label[IRQ_LABEL_MAX]; /* "label TEXT", or "name[pid]" of the opener */
};

struct irq_block {
	unsigned cpu, first, count;
	enum irq_kind kind;
	int refs; /* handles on it */
};

struct irq_line {
	uint32_t gsi;
	unsigned cpu, vec;
	bool level, active_low;
	bool masked;	  /* by a level fire, until every handle acked */
	bool screaming;	  /* masked for good */
	unsigned unacked; /* handles delivered to and not yet acked */
	unsigned nhandles;
	struct irq_scream scream;
	struct irq_line *next; /* on lines */
};

struct irq_slot {
	struct irq_handle *handles; /* every handle of this (cpu, vector) */
	struct irq_block *blk;	    /* MSI block holding it, or NULL */
	struct irq_line *line;	    /* GSI routed to it, or NULL */
	uint64_t count;		    /* interrupts since it was allocated */
};

extern struct spinlock irq_lock;
extern struct irq_matrix irq_mx;
extern struct irq_slot *irq_slots[]; /* [cpu][256], NULL for a CPU not online at init */
extern uint64_t irq_unclaimed;	     /* interrupts on an allocatable vector nobody held */
extern uint32_t irq_serial_gsi;	     /* the kernel's own line (COM1), refused to drivers */
