/*
 * hwrange.h - physical ranges for the hardware grants (docs/hwaccess.md):
 * is a physmap request inside one granted range, does it touch RAM or a
 * device the kernel drives itself.
 *
 * A range is [base, base + len) with len > 0 and no wrap past 2^64 (a
 * range that would wrap never contains or overlaps anything). Pure: the
 * caller owns the arrays and serialises writers.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hw_range {
	uint64_t base, len;
};

/* Index of the first range of r[0..n) that holds all of [base, base + len), or -1. */
int hwrange_find(const struct hw_range *r, size_t n, uint64_t base, uint64_t len);

/* True if [base, base + len) shares a byte with some range of r[0..n). */
bool hwrange_overlaps(const struct hw_range *r, size_t n, uint64_t base, uint64_t len);

/* [base, base + len) widened to whole pages of page bytes (a power of two);
   false if it is empty or would wrap. */
bool hwrange_page_round(uint64_t base, uint64_t len, uint64_t page, struct hw_range *out);
