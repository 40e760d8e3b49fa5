/*
 * scream.h - the rule that calls an interrupt line "screaming".
 *
 * A line screams when it takes more than IRQ_SCREAM_LIMIT interrupts
 * within one window of IRQ_SCREAM_WINDOW_NS. The window opens at the first
 * interrupt counted and is replaced by a fresh one at the first interrupt
 * after it ended. For a level-triggered line every interrupt came after
 * all its handles acknowledged the previous one (the line is masked until
 * then), so this is "acknowledged and fired again 100 000 times in a
 * second": a driver that acknowledges without quieting its device. The
 * kernel then masks the line for good and logs once (docs/interrupts.md).
 *
 * Pure logic: time comes in as a parameter; the caller serialises calls
 * on one struct (the kernel: the irq: lock).
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define IRQ_SCREAM_LIMIT 100000u
#define IRQ_SCREAM_WINDOW_NS 1000000000ull

struct irq_scream {
	uint64_t start; /* when the window opened (ns) */
	uint32_t count; /* interrupts in it */
};

/* Count one interrupt at now (ns): true exactly once per window, for the interrupt that takes
   the count past limit within window_ns of the window's start. */
bool irq_scream_note(struct irq_scream *s, uint64_t now, uint32_t limit, uint64_t window_ns);
