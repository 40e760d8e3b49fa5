/*
 * irq_stats.c - the text of irq:/stats (format in docs/interrupts.md).
 *
 * One header line of CPU columns, then a row per vector in use: the
 * kernel's own vectors ("*:VV", counted on every CPU since boot), then
 * each allocated (CPU, vector) ("C:VV", counted since it was allocated,
 * in its CPU's column), then the free vectors per CPU and the stray and
 * unclaimed totals. Counts of the kernel's vectors come from trap.c; the
 * rest is read under irq_lock (see irq_priv.h): one hold per CPU to find
 * its allocated vectors in the matrix, then one per vector in use, so the
 * lock is never held while a whole page is formatted, and a read by anyone
 * does not take the lock (against every CPU's interrupt handler) for each
 * of the 192 free slots. Once the text is full, no more slots are read.
 */
#include <stdarg.h>
#include <string.h>
#include "arch.h"
#include "dev/irq.h"
#include "dev/irq_priv.h"
#include "fmt/fmt.h"
#include "sync/irqlock.h"

struct out {
	char *buf;
	size_t len, pos;
	bool full;
};

static void put(struct out *o, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void put(struct out *o, const char *fmt, ...)
{
	if (o->full)
		return;
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->len - o->pos;
	int n = fmt_vsnprintf(o->buf + o->pos, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room - 32) { /* keep room for the note */
		o->buf[o->pos] = 0;
		o->full = true;
		return;
	}
	o->pos += (size_t)n;
}

static const char *const kind_name[] = {"msi", "msix", "ioapic"};

/* A row for one of the kernel's vectors, counted on every CPU. */
static void system_row(struct out *o, unsigned vec, const char *kind, const char *owner)
{
	unsigned cpu;
	put(o, "*:%02x ", vec);
	cpumask_for_each(cpu, &cpu_online)
	{
		put(o, " %10lu", (unsigned long)trap_vector_count(cpu, vec));
	}
	put(o, "  %-7s %s\n", kind, owner);
}

/* A row for allocated vector (c, v), if it is in use. */
static void slot_row(struct out *o, unsigned c, unsigned v)
{
	char owner[112];
	const char *kind;
	char line[40] = "";
	uint64_t count;
	size_t n = 0;
	owner[0] = 0;
	if (o->full)
		return;
	uint64_t fl = spin_lock_irqsave(&irq_lock);
	struct irq_slot *s = &irq_slots[c][v];
	if (!s->blk && !s->line) {
		spin_unlock_irqrestore(&irq_lock, fl);
		return;
	}
	count = s->count;
	kind = s->blk ? kind_name[s->blk->kind] : kind_name[IRQ_KIND_IOAPIC];
	if (s->line)
		fmt_snprintf(line, sizeof line, "gsi %u %s-%s%s ", s->line->gsi,
			     s->line->level ? "level" : "edge",
			     s->line->active_low ? "low" : "high",
			     s->line->screaming ? " screaming"
			     : s->line->masked	? " masked"
						: "");
	for (struct irq_handle *h = s->handles; h && n < sizeof owner - 1; h = h->next) {
		int w = fmt_snprintf(owner + n, sizeof owner - n, "%s%s", n ? "," : "", h->label);
		n = w < 0 || (size_t)w >= sizeof owner - n ? sizeof owner - 1 : n + (size_t)w;
	}
	if (!s->handles)
		fmt_snprintf(owner, sizeof owner, "(block of %u, no handle here)",
			     s->blk ? s->blk->count : 1);
	spin_unlock_irqrestore(&irq_lock, fl);
	unsigned cpu;
	put(o, "%u:%02x ", c, v);
	cpumask_for_each(cpu, &cpu_online)
	{
		if (cpu == c)
			put(o, " %10lu", (unsigned long)count);
		else
			put(o, " %10s", "-");
	}
	put(o, "  %-7s %s%s\n", kind, line, owner);
}

size_t irq_stats_format(char *buf, size_t len)
{
	struct out o = {buf, len, 0, false};
	unsigned cpu;
	put(&o, "VEC  ");
	cpumask_for_each(cpu, &cpu_online)
	{
		char name[16];
		fmt_snprintf(name, sizeof name, "CPU%u", cpu);
		put(&o, " %10s", name);
	}
	put(&o, "  KIND    OWNER\n");
	system_row(&o, 0x24, "ioapic", "serial (COM1, kernel)");
	system_row(&o, 0xf0, "timer", "kernel");
	system_row(&o, 0xf1, "ipi", "tlb");
	system_row(&o, 0xf2, "ipi", "call");
	system_row(&o, 0xf3, "ipi", "resched");
	system_row(&o, 0xff, "spur", "spurious");
	cpumask_for_each(cpu, &cpu_online)
	{
		if (!irq_slots[cpu])
			continue;
		uint64_t used[4] = {0, 0, 0, 0};
		uint64_t fl = spin_lock_irqsave(&irq_lock);
		for (unsigned v = IRQ_VEC_FIRST; v <= IRQ_VEC_LAST; v++)
			if (irq_matrix_used(&irq_mx, cpu, v))
				used[v / 64] |= 1ull << (v % 64);
		spin_unlock_irqrestore(&irq_lock, fl);
		for (unsigned v = IRQ_VEC_FIRST; v <= IRQ_VEC_LAST; v++)
			if (used[v / 64] >> (v % 64) & 1)
				slot_row(&o, cpu, v); /* rechecks the slot: it may have gone */
	}
	put(&o, "free ");
	cpumask_for_each(cpu, &cpu_online)
	{
		uint64_t fl = spin_lock_irqsave(&irq_lock);
		unsigned nfree = irq_matrix_free_count(&irq_mx, cpu);
		spin_unlock_irqrestore(&irq_lock, fl);
		put(&o, " %10u", nfree);
	}
	put(&o, "  -       free vectors of 0x%02x-0x%02x\n", IRQ_VEC_FIRST, IRQ_VEC_LAST);
	uint64_t fl = spin_lock_irqsave(&irq_lock);
	uint64_t unclaimed = irq_unclaimed;
	spin_unlock_irqrestore(&irq_lock, fl);
	put(&o, "stray %lu\nunclaimed %lu\n", (unsigned long)trap_stray_count(),
	    (unsigned long)unclaimed);
	if (o.full) {
		int n = fmt_snprintf(o.buf + o.pos, o.len - o.pos, "... (truncated)\n");
		if (n > 0)
			o.pos += (size_t)n;
	}
	return o.pos;
}
