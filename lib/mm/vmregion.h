/*
 * vmregion.h - the region list of a user address space: which virtual
 * ranges a process has mapped, with which rights, backed by what.
 *
 * A struct vm_regions is an array of regions sorted by start address, never
 * overlapping, every start and length a multiple of the page size. The
 * kernel's address-space object (kernel/mm/vm.c) owns one, and the page
 * tables only cache what the list says: mmap records a region, the
 * page-fault handler consults it, munmap and mprotect cut it.
 *
 * Pure code: the caller owns the array storage, holds the address space's
 * lock around every call taking a non-const list, and moves it to bigger
 * storage (vmr_move) when an operation returns -E_NOMEM: vmr_remove needs
 * one free slot for a hole, vmr_protect two, vmr_insert one, vmr_replace up
 * to two (none when it swallows a whole region). A call that fails changes
 * nothing. Cutting a VM_PHYS or VM_FILE region moves paddr with the start
 * of the part that keeps it; both parts keep obj.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define VMR_PAGE 4096ull

enum vm_kind {
	VM_ANON = 0,	  /* zero-filled memory, pages allocated on first touch */
	VM_PHYS = 1,	  /* a physical range (device memory), mapped at once, uncached */
	VM_UNMAPPING = 2, /* a range munmap is still tearing down: held, never faulted in */
	VM_FILE = 3,	  /* pages of an open file (its fmap), mapped at once, not owned */
};

struct vm_region {
	uint64_t start, len; /* page aligned, len > 0 */
	uint64_t paddr;	     /* VM_PHYS: physical address of start; VM_FILE: file offset of start */
	uint32_t prot;	     /* RB_PROT_* */
	uint32_t kind;	     /* enum vm_kind */
	uint32_t obj;	     /* VM_FILE: the owner's tag for the file (copied by splits) */
};

struct vm_regions {
	struct vm_region *r; /* caller's storage, cap entries */
	size_t n, cap;
};

/* Empty list over storage r of cap entries. */
void vmr_init(struct vm_regions *l, struct vm_region *r, size_t cap);
/* Move the list to bigger storage r (cap >= l->n entries); old storage is the caller's. */
void vmr_move(struct vm_regions *l, struct vm_region *r, size_t cap);
/* The region containing va, or NULL. */
const struct vm_region *vmr_find(const struct vm_regions *l, uint64_t va);
/* Whether any region overlaps [start, start + len). */
bool vmr_overlaps(const struct vm_regions *l, uint64_t start, uint64_t len);
/*
 * Lowest address a >= base with [a - guard, a + len + guard) free of regions
 * and a + len <= limit (first fit; guard pages keep mappings apart). 0 with
 * *out set, or -E_NOMEM.
 */
MUST_CHECK int vmr_find_gap(const struct vm_regions *l, uint64_t base, uint64_t limit, uint64_t len,
			    uint64_t guard, uint64_t *out);
/* Add region r, which overlaps none; -E_INVAL if it does or is malformed, -E_NOMEM if full. */
MUST_CHECK int vmr_insert(struct vm_regions *l, const struct vm_region *r);
/* Remove [start, start + len) from every region (cutting them); -E_NOMEM if a split is out of room.
 */
MUST_CHECK int vmr_remove(struct vm_regions *l, uint64_t start, uint64_t len);
/*
 * Remove [r->start, +r->len) from every region and put r there instead;
 * -E_INVAL if r is malformed, -E_NOMEM (nothing changed) if out of room.
 */
MUST_CHECK int vmr_replace(struct vm_regions *l, const struct vm_region *r);
/* Set prot on every region part inside [start, start + len), cutting at the edges; -E_NOMEM. */
MUST_CHECK int vmr_protect(struct vm_regions *l, uint64_t start, uint64_t len, uint32_t prot);
