/*
 * memlimit.h - the arithmetic of user memory limits (docs/memory.md,
 * "Memory limits"): the kernel's reserve, the default per-uid total, and
 * whether a charge fits under a limit.
 *
 * Pure functions of their arguments, host-tested; the kernel
 * (kernel/mm/memacct.c) keeps the counters and the lock. All figures are
 * in 4 KiB pages.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define MEMLIMIT_RESERVE_SHIFT 5   /* the reserve is 1/32 of the free pages at boot ... */
#define MEMLIMIT_RESERVE_MIN 1024  /* ... but at least 4 MiB ... */
#define MEMLIMIT_RESERVE_MAX 65536 /* ... and at most 256 MiB */

/* Pages user allocations may never take out of free_at_boot: the kernel's. */
uint64_t memlimit_reserve(uint64_t free_at_boot);
/* The default total of one non-root uid: half of what the reserve leaves. */
uint64_t memlimit_uid_default(uint64_t free_at_boot);
/* Whether n more pages fit when used are charged under limit (no overflow;
   a limit lowered below used refuses every charge). */
bool memlimit_fits(uint64_t used, uint64_t limit, uint64_t n);
