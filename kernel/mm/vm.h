/*
 * vm.h - a process's user address space: its regions and page tables.
 *
 * struct vm_space is embedded in struct proc (p->vm); the page-table root
 * is p->root. The space owns its lock, which guards the region list and
 * every change to the user page tables after spawn; the process owns the
 * space, and it goes away with the process (vm_release, after the last
 * thread; exec_free_root frees the tables and the pages they own).
 * An all-zero struct is an empty space, so kzalloc'ed processes need no
 * set-up.
 *
 * Anonymous regions are demand paged: mmap records the region; the first
 * touch of a page faults, and vm_fault maps a zeroed page if the region
 * allows the access. Physical (physmap) regions are mapped at once,
 * uncached. munmap unmaps, shoots the range down on every CPU, and only
 * then frees the pages.
 */
#pragma once
#include "sync/kmutex.h"
#include <stdbool.h>
#include <stdint.h>
#include "base/compiler.h"
#include "mm/vmregion.h"
#include "sync/spinlock.h"

#define VM_BASE 0x0000100000000000ull  /* mappings are placed at or above 16 TiB */
#define VM_LIMIT 0x00007fff00000000ull /* ... and end below this */

struct proc;

struct vm_space {
	struct spinlock lock;	   /* guards regions and the user page tables */
	struct vm_regions regions; /* storage from kmalloc, grown under lock */
	struct kmutex unmap_lock;  /* one munmap at a time, so holds never overlap */
};

/* Map len bytes of zero-filled memory; populate maps every page now. Address or -E_*. */
long vm_map_anon(struct proc *p, uint64_t len, uint32_t prot, bool populate);
/* Map physical [paddr, +len) uncached (device memory, never RAM). Address or -E_*. */
long vm_map_phys(struct proc *p, uint64_t paddr, uint64_t len, uint32_t prot);
/* Unmap [addr, +len) (page aligned); pages are freed after the TLB shootdown. */
MUST_CHECK int vm_unmap(struct proc *p, uint64_t addr, uint64_t len);
/* Change the rights of [addr, +len), which must be mapped or inside regions. */
MUST_CHECK int vm_protect(struct proc *p, uint64_t addr, uint64_t len, uint32_t prot);
/*
 * A page fault at addr with x86 error code err, from user mode or not:
 * 0 when it was resolved (a page mapped, or a racing thread mapped it),
 * -E_FAULT when it is a real fault, -E_NOMEM when no page was free.
 */
MUST_CHECK int vm_page_fault(uint64_t addr, uint64_t err, bool user);
/* RB_VM_* bits describing the page at addr (for tests and debuggers). */
int vm_query(struct proc *p, uint64_t addr);
/* Free the space's own storage (the process has no threads left). */
void vm_release(struct vm_space *vm);
