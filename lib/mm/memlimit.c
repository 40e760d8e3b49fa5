/*
 * memlimit.c - the arithmetic of user memory limits (see memlimit.h).
 * No state, no locks.
 */
#include "mm/memlimit.h"

uint64_t memlimit_reserve(uint64_t free_at_boot)
{
	uint64_t r = free_at_boot >> MEMLIMIT_RESERVE_SHIFT;
	if (r < MEMLIMIT_RESERVE_MIN)
		r = MEMLIMIT_RESERVE_MIN;
	if (r > MEMLIMIT_RESERVE_MAX)
		r = MEMLIMIT_RESERVE_MAX;
	return r;
}

uint64_t memlimit_uid_default(uint64_t free_at_boot)
{
	uint64_t r = memlimit_reserve(free_at_boot);
	return free_at_boot > r ? (free_at_boot - r) / 2 : 0;
}

bool memlimit_fits(uint64_t used, uint64_t limit, uint64_t n)
{
	return used <= limit && n <= limit - used;
}
