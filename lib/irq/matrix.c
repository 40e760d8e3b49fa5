/*
 * matrix.c - the per-CPU interrupt vector matrix (see matrix.h).
 *
 * Bitmaps of 256 bits per CPU, four 64-bit words; a block never crosses a
 * word because it is at most 32 vectors and aligned to its size.
 */
#include "irq/matrix.h"
#include "base/err.h"

static bool bit(const uint64_t *w, unsigned v)
{
	return w[v / 64] >> (v % 64) & 1;
}

static uint64_t block_mask(unsigned first, unsigned count)
{
	return (count == 64 ? ~0ull : ((1ull << count) - 1)) << (first % 64);
}

static bool valid_count(unsigned count)
{
	return count >= 1 && count <= IRQ_BLOCK_MAX && !(count & (count - 1));
}

void irq_matrix_init(struct irq_matrix *m)
{
	for (unsigned c = 0; c < MAX_CPUS; c++) {
		struct irq_matrix_cpu *p = &m->cpu[c];
		for (unsigned i = 0; i < 4; i++)
			p->used[i] = p->head[i] = 0;
		p->nfree = IRQ_VEC_COUNT;
		p->online = false;
	}
}

void irq_matrix_set_online(struct irq_matrix *m, unsigned cpu, bool online)
{
	if (cpu < MAX_CPUS)
		m->cpu[cpu].online = online;
}

/* The lowest free block of count aligned to count on p, or 0 if none. */
static unsigned find_block(const struct irq_matrix_cpu *p, unsigned count)
{
	unsigned v = (IRQ_VEC_FIRST + count - 1) & ~(count - 1);
	for (; v + count - 1 <= IRQ_VEC_LAST; v += count)
		if (!(p->used[v / 64] & block_mask(v, count)))
			return v;
	return 0;
}

unsigned irq_matrix_pick(const struct irq_matrix *m, unsigned count)
{
	unsigned best = IRQ_CPU_ANY;
	if (!valid_count(count))
		return best;
	for (unsigned c = 0; c < MAX_CPUS; c++) {
		const struct irq_matrix_cpu *p = &m->cpu[c];
		if (!p->online || p->nfree < count)
			continue;
		if (best != IRQ_CPU_ANY && p->nfree <= m->cpu[best].nfree)
			continue;
		if (find_block(p, count))
			best = c;
	}
	return best;
}

int irq_matrix_alloc(struct irq_matrix *m, unsigned cpu, unsigned count, unsigned *out_cpu,
		     unsigned *out_vec)
{
	if (!valid_count(count))
		return -E_INVAL;
	if (cpu == IRQ_CPU_ANY) {
		cpu = irq_matrix_pick(m, count);
		if (cpu == IRQ_CPU_ANY)
			return -E_NOSPC;
	} else if (cpu >= MAX_CPUS || !m->cpu[cpu].online) {
		return -E_INVAL;
	}
	struct irq_matrix_cpu *p = &m->cpu[cpu];
	unsigned v = find_block(p, count);
	if (!v)
		return -E_NOSPC;
	p->used[v / 64] |= block_mask(v, count);
	p->head[v / 64] |= 1ull << (v % 64);
	p->nfree -= count;
	*out_cpu = cpu;
	*out_vec = v;
	return 0;
}

int irq_matrix_free(struct irq_matrix *m, unsigned cpu, unsigned first, unsigned count)
{
	if (cpu >= MAX_CPUS || !valid_count(count) || first < IRQ_VEC_FIRST ||
	    first + count - 1 > IRQ_VEC_LAST || first % count)
		return -E_INVAL;
	struct irq_matrix_cpu *p = &m->cpu[cpu];
	uint64_t mask = block_mask(first, count);
	if (!bit(p->head, first) || (p->used[first / 64] & mask) != mask)
		return -E_INVAL; /* not allocated here: double free or wrong CPU */
	/* No other block may start inside, and the block may not go on past count. */
	if (p->head[first / 64] & mask & ~(1ull << (first % 64)))
		return -E_INVAL;
	unsigned next = first + count;
	if (next <= IRQ_VEC_LAST && bit(p->used, next) && !bit(p->head, next))
		return -E_INVAL;
	p->used[first / 64] &= ~mask;
	p->head[first / 64] &= ~(1ull << (first % 64));
	p->nfree += count;
	return 0;
}

unsigned irq_matrix_free_count(const struct irq_matrix *m, unsigned cpu)
{
	return cpu < MAX_CPUS ? m->cpu[cpu].nfree : 0;
}

bool irq_matrix_used(const struct irq_matrix *m, unsigned cpu, unsigned vec)
{
	return cpu < MAX_CPUS && vec < 256 && bit(m->cpu[cpu].used, vec);
}
