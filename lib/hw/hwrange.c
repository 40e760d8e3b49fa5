/*
 * hwrange.c - physical range containment and overlap (see hwrange.h).
 *
 * Pure: no state, no allocation, no locks.
 */
#include "hw/hwrange.h"

static bool valid(uint64_t base, uint64_t len)
{
	return len && base + len > base;
}

int hwrange_find(const struct hw_range *r, size_t n, uint64_t base, uint64_t len)
{
	if (!valid(base, len))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (valid(r[i].base, r[i].len) && base >= r[i].base &&
		    base + len <= r[i].base + r[i].len)
			return (int)i;
	return -1;
}

bool hwrange_overlaps(const struct hw_range *r, size_t n, uint64_t base, uint64_t len)
{
	if (!valid(base, len))
		return false;
	for (size_t i = 0; i < n; i++)
		if (valid(r[i].base, r[i].len) && base < r[i].base + r[i].len &&
		    r[i].base < base + len)
			return true;
	return false;
}

bool hwrange_page_round(uint64_t base, uint64_t len, uint64_t page, struct hw_range *out)
{
	if (!valid(base, len))
		return false;
	uint64_t lo = base & ~(page - 1);
	uint64_t end = base + len;
	uint64_t hi = (end + page - 1) & ~(page - 1);
	if (hi < end || hi == 0)
		return false; /* rounding up wrapped */
	out->base = lo;
	out->len = hi - lo;
	return true;
}
