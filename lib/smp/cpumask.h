/*
 * cpumask.h - a bitmap with one bit per logical CPU (MAX_CPUS bits).
 *
 * The kernel keeps possible/present/online masks and per-node masks in these.
 * Bit n of the mask is bit (n % 64) of word n / 64. CPU numbers at or above
 * MAX_CPUS are out of range: set/clear ignore them and test returns false,
 * so a bad id never writes outside the mask (callers that consider such an id
 * a kernel bug assert before calling).
 *
 * Locking: the plain functions are not atomic; the caller serialises writers
 * (or owns the mask). The *_atomic functions are single-bit read-modify-write
 * operations on one 64-bit word and may race with each other freely:
 *   - cpumask_set_atomic and cpumask_clear_atomic are release operations, so
 *     everything the caller wrote before (e.g. a CPU's per-CPU block and its
 *     NUMA node) is visible to whoever observes the bit;
 *   - cpumask_test_atomic is an acquire load, pairing with those releases.
 * Plain and atomic accesses to the same mask must not race with each other.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "smp/config.h"

#define CPUMASK_WORDS (MAX_CPUS / 64)

struct cpumask {
	uint64_t bits[CPUMASK_WORDS];
};

/* Clear every bit. */
void cpumask_zero(struct cpumask *m);
/* Set bits 0..n-1 (n is clamped to MAX_CPUS), clear the rest. */
void cpumask_fill(struct cpumask *m, unsigned n);
/* Set bit cpu (ignored when cpu >= MAX_CPUS). */
void cpumask_set(struct cpumask *m, unsigned cpu);
/* Clear bit cpu (ignored when cpu >= MAX_CPUS). */
void cpumask_clear(struct cpumask *m, unsigned cpu);
/* Whether bit cpu is set (false when cpu >= MAX_CPUS). */
bool cpumask_test(const struct cpumask *m, unsigned cpu);
/* Number of set bits. */
unsigned cpumask_count(const struct cpumask *m);
/* Whether no bit is set. */
bool cpumask_empty(const struct cpumask *m);
/* Lowest set bit, or MAX_CPUS when the mask is empty. */
unsigned cpumask_first(const struct cpumask *m);
/* Lowest set bit strictly above cpu, or MAX_CPUS when there is none. */
unsigned cpumask_next(const struct cpumask *m, unsigned cpu);
/* dst = a & b (dst may alias a or b). */
void cpumask_and(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b);
/* dst = a | b (dst may alias a or b). */
void cpumask_or(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b);
/* dst = a & ~b (dst may alias a or b). */
void cpumask_andnot(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b);
/* Whether a and b hold the same bits. */
bool cpumask_equal(const struct cpumask *a, const struct cpumask *b);

/* Atomically set bit cpu, release order; returns whether it was already set. */
bool cpumask_set_atomic(struct cpumask *m, unsigned cpu);
/* Atomically clear bit cpu, release order; returns whether it was set. */
bool cpumask_clear_atomic(struct cpumask *m, unsigned cpu);
/* Atomically test bit cpu with an acquire load. */
bool cpumask_test_atomic(const struct cpumask *m, unsigned cpu);

/* Iterate cpu over the set bits of m in ascending order. */
#define cpumask_for_each(cpu, m)                                                                   \
	for ((cpu) = cpumask_first(m); (cpu) < MAX_CPUS; (cpu) = cpumask_next((m), (cpu)))

/*
 * Print m as ascending ranges, e.g. "0-3,8,10-11"; an empty mask prints
 * "none". Always NUL-terminates when n > 0. Returns 0, or -E_NOSPC when the
 * text did not fit (buf then holds a truncated prefix).
 */
int cpumask_format(const struct cpumask *m, char *buf, size_t n) MUST_CHECK;
