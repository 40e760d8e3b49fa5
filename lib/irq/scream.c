/*
 * scream.c - counting interrupts per window (see scream.h).
 */
#include "irq/scream.h"

bool irq_scream_note(struct irq_scream *s, uint64_t now, uint32_t limit, uint64_t window_ns)
{
	if (s->count == 0 || now - s->start >= window_ns || now < s->start) {
		s->start = now;
		s->count = 0;
	}
	s->count++;
	return s->count == limit + 1;
}
