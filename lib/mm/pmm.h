/*
 * pmm.h - physical page frame allocator over a caller-supplied bitmap.
 *
 * One bit per 4 KiB page frame, 1 = used. The kernel sizes the bitmap with
 * pmm_bitmap_bytes(), places it with pmm_find_run(), then: pmm_init() (all
 * used), pmm_free_range() for each available memory-map range,
 * pmm_reserve_range() for the kernel image, modules, MBI, the bitmap itself,
 * the first 1 MiB and the ACPI ranges, and finally pmm_check() against the
 * same reserved list. pmm_alloc() then hands out contiguous, aligned runs
 * (next-fit, so single pages are O(1) amortized) and pmm_free() returns them,
 * refusing double frees.
 *
 * Pure code: the caller holds the lock around every call that takes a
 * non-const struct pmm, and owns the bitmap storage.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define PMM_PAGE_SIZE 4096ULL
#define PMM_MEM_AVAILABLE 1 /* struct pmm_mem.type of usable RAM (as Multiboot2) */

struct pmm {
	uint64_t *bitmap;   /* pmm_bitmap_bytes(npages) bytes, 1 bit a page */
	uint64_t npages;    /* frames 0 .. npages-1 are managed */
	uint64_t nfree;	    /* pages whose bit is 0 */
	uint64_t hint;	    /* next-fit: where the next search starts (lowered by frees) */
	uint64_t bad_frees; /* pmm_free calls refused (double or bad) */
};

/* A physical byte range [base, base + len). */
struct pmm_range {
	uint64_t base;
	uint64_t len;
};

/* A memory-map entry as the boot code hands it over. */
struct pmm_mem {
	uint64_t base;
	uint64_t len;
	uint32_t type; /* PMM_MEM_AVAILABLE or anything else (not usable) */
};

/* Bytes of bitmap needed for npages frames (a whole number of u64 words). */
static inline uint64_t pmm_bitmap_bytes(uint64_t npages)
{
	return (npages + 63) / 64 * 8;
}

/* Take over bitmap (pmm_bitmap_bytes(npages) bytes) with every page used. */
void pmm_init(struct pmm *p, uint64_t *bitmap, uint64_t npages);

/* Mark the whole pages inside [base, base+len) free (edges rounded inward). */
void pmm_free_range(struct pmm *p, uint64_t base, uint64_t len);

/* Mark every page touching [base, base+len) used (edges rounded outward). */
void pmm_reserve_range(struct pmm *p, uint64_t base, uint64_t len);

/*
 * Allocate npages contiguous pages whose first frame number is a multiple
 * of align_pages (a power of two; 0 means 1); physical address in *paddr.
 * -E_INVAL for npages 0 or a bad alignment, -E_NOMEM if no run fits.
 */
MUST_CHECK int pmm_alloc(struct pmm *p, uint64_t npages, uint64_t align_pages, uint64_t *paddr);

/*
 * Free npages pages at paddr. -E_INVAL if paddr is not page-aligned or the
 * run is outside the managed range; -E_FAULT if any page is already free
 * (double free). On error nothing changes and bad_frees is incremented.
 */
MUST_CHECK int pmm_free(struct pmm *p, uint64_t paddr, uint64_t npages);

/* Number of free pages. */
uint64_t pmm_free_pages(const struct pmm *p);

/* True if the page holding paddr is marked used (or outside the range). */
bool pmm_is_used(const struct pmm *p, uint64_t paddr);

/*
 * Boot self-check: every page of every reserved range (below npages) is
 * used, nfree equals a recount of the bitmap, and the padding bits past
 * npages are set. -E_INVAL with a reason in why (if whylen > 0) otherwise.
 */
MUST_CHECK int pmm_check(const struct pmm *p, const struct pmm_range *reserved, size_t n, char *why,
			 size_t whylen);

/*
 * Over a memory map: *top = end of the highest available range (0 if none),
 * *avail = total available bytes (overlaps are not merged).
 */
void pmm_mem_summary(const struct pmm_mem *map, size_t n, uint64_t *top, uint64_t *avail);

/*
 * Find a page-aligned run of size bytes inside one available entry that
 * overlaps no reserved range and no non-available entry; lowest fit in
 * map order. -E_NOMEM if none, -E_INVAL if size is 0.
 */
MUST_CHECK int pmm_find_run(const struct pmm_mem *map, size_t n, const struct pmm_range *reserved,
			    size_t nreserved, uint64_t size, uint64_t *base);
