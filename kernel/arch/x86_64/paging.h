/*
 * paging.h - the kernel's page tables.
 *
 * paging_init() replaces boot.S's temporary tables with the final kernel
 * address space (layout.h): the image mapped page by page with W^X
 * permissions, a direct map of physical memory (NX), and an MMIO window.
 * Page-table pages come from the physical allocator through a callback.
 * Locking: the kernel half has one lock inside paging.c; user tables are guarded by their address
 * space's lock (kernel/mm/vm.h), held by the caller of paging_user_*.
 */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include "base/compiler.h"

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
#define PTE_NX (1ull << 63)
#define PTE_OWNED (1ull << 9)	  /* available bit: the page belongs to the mapping's owner */
#define PTE_X_WANTED (1ull << 10) /* request to paging_user_*: executable (never stored) */
#define PTE_ADDR 0x000FFFFFFFFFF000ull
#define USER_TOP 0x0000800000000000ull

/* Returns the physical address of a zeroed page, or 0 when out of memory. */
typedef uint64_t (*page_alloc_fn)(void);

/* Build and load the kernel tables; direct-map physical [0, top). */
void paging_init(uint64_t top, page_alloc_fn alloc);

/*
 * Map [paddr, paddr+len) uncached into a fresh MMIO window of its own (an
 * unmapped guard page follows); NULL if len is 0 or above 4 GiB, or the
 * window is full. Safe from any CPU at once.
 */
void *mmio_map(uint64_t paddr, size_t len);
/* The kernel-half leaf entry (PTE or large page) mapping va, or 0. */
uint64_t paging_kernel_lookup(uint64_t va);

/* Virtual address of a physical one, through the direct map. */
static inline void *phys_to_virt(uint64_t paddr)
{
	return (void *)(0xFFFF800000000000ull + paddr);
}

/* Physical address of a direct-map or kernel-image virtual address. */
uint64_t virt_to_phys(const void *v);

/* Map [paddr, paddr+len) at the same virtual address, executable (AP start). */
void paging_map_identity(uint64_t paddr, size_t len);
/* Remove such a mapping again. */
void paging_unmap_identity(uint64_t paddr, size_t len);

/* Map [va, va+len) -> paddr writable, NX; no TLB flush (the caller shoots). */
void paging_map_kernel(uint64_t va, uint64_t paddr, size_t len);

/* A new user address space sharing the kernel half; 0 when out of memory. */
uint64_t paging_user_root_new(void);
/* Map user page va -> pa with flags (PTE_W, PTE_OWNED, PTE_X_WANTED); -E_NOMEM. */
MUST_CHECK int paging_user_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);
/* How many page tables (0-3) a paging_user_map of va under root would create. */
unsigned paging_user_tables_missing(uint64_t root, uint64_t va);
/* The PTE of user page va, or 0 if unmapped. */
uint64_t paging_user_lookup(uint64_t root, uint64_t va);
/* Unmap user page va; returns the old PTE (0 if it was not mapped). No TLB flush. */
uint64_t paging_user_unmap(uint64_t root, uint64_t va);
/*
 * Unmap the mapped pages of [va, end), storing their old PTEs into out (at
 * most cap; *n of them). Returns where it stopped: end, or the first page
 * left mapped because out was full. No TLB flush.
 */
uint64_t paging_user_take(uint64_t root, uint64_t va, uint64_t end, uint64_t *out, size_t cap,
			  size_t *n);
/* Set the rights of every mapped page of [va, end) (cache attributes stay); how many
   changed. No TLB flush. */
size_t paging_user_protect_range(uint64_t root, uint64_t va, uint64_t end, uint64_t flags);
/* Free every user page table and every PTE_OWNED page under root, then root. */
void paging_user_destroy(uint64_t root, void (*free_page)(uint64_t));

/* Physical address of the kernel's top-level table (for CR3 on other CPUs). */
uint64_t paging_kernel_root(void);
