/*
 * mem.h - physical pages and the kernel heap, after mem_init().
 *
 * page_alloc/page_free hand out physical pages (zeroed on allocation);
 * kmalloc/kfree serve small objects from the slab heap. All are safe on any
 * CPU (one lock each) and never panic on exhaustion: they return 0/NULL.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

/* Physical address of npages contiguous zeroed pages, or 0 when out of memory. */
uint64_t page_alloc(size_t npages);
/* One zeroed page for user memory, or 0 when that would dip into the
   kernel's reserve (or none is free). Freed with page_free. */
uint64_t page_alloc_user(void);
/* Whether npages more of user memory leave the reserve whole (a snapshot). */
bool mem_user_may_take(uint64_t npages);
/* Pages kept for the kernel: user memory never takes the last of them. */
uint64_t mem_reserve_pages(void);
/* Give back pages from page_alloc. */
void page_free(uint64_t paddr, size_t npages);
/* Kernel heap. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);
/* Give the heap's cached empty slabs back to the page allocator. */
void mem_trim(void);
/* mem_trim for callers any user can reach in a loop: at most once per
   10 ms (others return at once), so the heap lock never turns hot. */
void mem_trim_shared(void);
struct slab_stats;
/* The heap's counters now (SYS_KSTAT). */
void mem_heap_stats(struct slab_stats *out);
/* End of the direct map: physical addresses below it are mapped. */
uint64_t mem_direct_map_top(void);
/* Pages the allocator managed when it started (RAM less the kernel image,
   modules and the first MiB): "total" for SYS_SYSINFO. */
uint64_t mem_total_pages(void);
/* Free pages right now (for leak tests and the boot log). */
uint64_t mem_free_pages(void);
/* Whether [base, base + len) overlaps RAM the boot memory map calls usable. */
bool mem_range_is_ram(uint64_t base, uint64_t len);
