/*
 * cpumask.c - set operations, atomic bit operations and the range formatter
 * for struct cpumask. See cpumask.h for the interface and the locking rules.
 *
 * The atomic operations apply C11 atomics to the plain uint64_t words through
 * a cast to _Atomic uint64_t *. On x86_64 with gcc and clang the two types
 * have the same size, alignment and representation (checked below), and the
 * words are only ever accessed atomically while they are shared, so this is
 * the usual "atomic view of a plain word" the kernel needs.
 */
#include <stdatomic.h>
#include "base/err.h"
#include "fmt/fmt.h"
#include "smp/cpumask.h"

STATIC_ASSERT(sizeof(_Atomic uint64_t) == sizeof(uint64_t), "atomic word size");
STATIC_ASSERT(_Alignof(_Atomic uint64_t) == _Alignof(uint64_t), "atomic word alignment");

static inline uint64_t cpumask_bit(unsigned cpu)
{
	return 1ull << (cpu % 64);
}

/* Population count without __builtin_popcountll, which needs libgcc's
 * __popcountdi2 when the kernel is built without -mpopcnt. */
static inline unsigned cpumask_popcount(uint64_t w)
{
	w = w - ((w >> 1) & 0x5555555555555555ull);
	w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((w * 0x0101010101010101ull) >> 56);
}

static inline _Atomic uint64_t *cpumask_word(struct cpumask *m, unsigned cpu)
{
	return (_Atomic uint64_t *)&m->bits[cpu / 64];
}

void cpumask_zero(struct cpumask *m)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		m->bits[i] = 0;
}

void cpumask_fill(struct cpumask *m, unsigned n)
{
	if (n > MAX_CPUS)
		n = MAX_CPUS;
	for (unsigned i = 0; i < CPUMASK_WORDS; i++) {
		unsigned lo = i * 64;
		if (n >= lo + 64)
			m->bits[i] = ~0ull;
		else if (n > lo)
			m->bits[i] = (1ull << (n - lo)) - 1;
		else
			m->bits[i] = 0;
	}
}

void cpumask_set(struct cpumask *m, unsigned cpu)
{
	if (cpu < MAX_CPUS)
		m->bits[cpu / 64] |= cpumask_bit(cpu);
}

void cpumask_clear(struct cpumask *m, unsigned cpu)
{
	if (cpu < MAX_CPUS)
		m->bits[cpu / 64] &= ~cpumask_bit(cpu);
}

bool cpumask_test(const struct cpumask *m, unsigned cpu)
{
	return cpu < MAX_CPUS && (m->bits[cpu / 64] & cpumask_bit(cpu)) != 0;
}

unsigned cpumask_count(const struct cpumask *m)
{
	unsigned n = 0;
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		n += cpumask_popcount(m->bits[i]);
	return n;
}

bool cpumask_empty(const struct cpumask *m)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		if (m->bits[i])
			return false;
	return true;
}

unsigned cpumask_first(const struct cpumask *m)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		if (m->bits[i])
			return i * 64 + (unsigned)__builtin_ctzll(m->bits[i]);
	return MAX_CPUS;
}

unsigned cpumask_next(const struct cpumask *m, unsigned cpu)
{
	unsigned start = cpu + 1;
	if (cpu >= MAX_CPUS - 1)
		return MAX_CPUS;
	unsigned i = start / 64;
	uint64_t w = m->bits[i] & (~0ull << (start % 64));
	for (;;) {
		if (w)
			return i * 64 + (unsigned)__builtin_ctzll(w);
		if (++i == CPUMASK_WORDS)
			return MAX_CPUS;
		w = m->bits[i];
	}
}

void cpumask_and(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		dst->bits[i] = a->bits[i] & b->bits[i];
}

void cpumask_or(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		dst->bits[i] = a->bits[i] | b->bits[i];
}

void cpumask_andnot(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		dst->bits[i] = a->bits[i] & ~b->bits[i];
}

bool cpumask_equal(const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		if (a->bits[i] != b->bits[i])
			return false;
	return true;
}

bool cpumask_set_atomic(struct cpumask *m, unsigned cpu)
{
	if (cpu >= MAX_CPUS)
		return false;
	/* Release: the caller's earlier writes happen-before any acquire
	 * load (cpumask_test_atomic) that sees this bit set. */
	uint64_t old =
	    atomic_fetch_or_explicit(cpumask_word(m, cpu), cpumask_bit(cpu), memory_order_release);
	return (old & cpumask_bit(cpu)) != 0;
}

bool cpumask_clear_atomic(struct cpumask *m, unsigned cpu)
{
	if (cpu >= MAX_CPUS)
		return false;
	/* Release: pairs with the acquire in cpumask_test_atomic, so an
	 * observer that sees the bit clear also sees the caller's teardown. */
	uint64_t old = atomic_fetch_and_explicit(cpumask_word(m, cpu), ~cpumask_bit(cpu),
						 memory_order_release);
	return (old & cpumask_bit(cpu)) != 0;
}

bool cpumask_test_atomic(const struct cpumask *m, unsigned cpu)
{
	if (cpu >= MAX_CPUS)
		return false;
	/* Acquire: pairs with the release in the set/clear operations. */
	uint64_t w = atomic_load_explicit((const _Atomic uint64_t *)&m->bits[cpu / 64],
					  memory_order_acquire);
	return (w & cpumask_bit(cpu)) != 0;
}

int cpumask_format(const struct cpumask *m, char *buf, size_t n)
{
	size_t len = 0;
	unsigned cpu = cpumask_first(m);
	int r;

	if (n == 0)
		return -E_NOSPC;
	buf[0] = '\0';
	if (cpu == MAX_CPUS) {
		r = fmt_snprintf(buf, n, "none");
		return r < 0 || (size_t)r >= n ? -E_NOSPC : 0;
	}
	while (cpu < MAX_CPUS) {
		unsigned last = cpu;
		while (last + 1 < MAX_CPUS && cpumask_test(m, last + 1))
			last++;
		const char *sep = len ? "," : "";
		if (last == cpu)
			r = fmt_snprintf(buf + len, n - len, "%s%u", sep, cpu);
		else
			r = fmt_snprintf(buf + len, n - len, "%s%u-%u", sep, cpu, last);
		if (r < 0 || (size_t)r >= n - len)
			return -E_NOSPC;
		len += (size_t)r;
		cpu = cpumask_next(m, last);
	}
	return 0;
}
