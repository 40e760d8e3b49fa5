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
 * uncached. File regions (RB_MAP_FD) are mapped at once with the pages
 * the file's fmap gives; they belong to the file, never to the space: the
 * space holds a reference to the file per mapping (files[]) instead, and
 * drops it when the last page of the mapping is unmapped and shot down,
 * or at exit. When the pages belong to another file (a user scheme's
 * fmap answers with the server's shm: file) the mapping's slot also
 * holds every such owner (a reference, counted in its maps, so it cannot
 * be shrunk or freed under the mapping) and drops them with the file. munmap unmaps, shoots the
 * range down on every CPU, and only then frees the (owned) pages. A space has at most
 * VM_MAX_REGIONS regions.
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

#define VM_MAX_REGIONS                                                                             \
	4096		 /* regions per address space: mmap, mprotect, munmap get ENOMEM beyond */
#define VM_MAX_OWNERS 64 /* files owning the pages of one file mapping: mmap gets ENOMEM beyond */

struct proc;
struct file;

/* A file some VM_FILE regions map (their obj is its index + 1). */
struct vm_file {
	struct file *file;     /* a reference; NULL: a free slot */
	uint64_t bytes;	       /* of regions naming it; 0: the reference is dropped next */
	uint64_t gen;	       /* which use of the slot: a reused slot gets a new one */
	struct file **owners;  /* files owning mapped pages (fmap's owner), each a reference */
	uint32_t nowners, cap; /* counted in its maps; distinct; dropped with the slot */
};

struct vm_space {
	struct spinlock lock;	   /* guards regions, files and the user page tables */
	struct vm_regions regions; /* storage from kmalloc, grown under lock */
	struct kmutex unmap_lock;  /* one munmap at a time, so holds never overlap */
	struct vm_file *files;	   /* nfiles slots from kmalloc, grown under lock */
	uint32_t nfiles;
	uint64_t file_gen; /* the last vm_file.gen handed out */
};

/* Map len bytes of zero-filled memory; populate maps every page now. Address or -E_*. */
long vm_map_anon(struct proc *p, uint64_t len, uint32_t prot, bool populate);
/* Map len bytes of physically contiguous zeroed RAM for DMA; *phys gets its address. Address or
 * -E_*. */
long vm_map_dma(struct proc *p, uint64_t len, uint64_t *phys);
/* Map physical [paddr, +len) uncached (device memory, never RAM). Address or -E_*. */
long vm_map_phys(struct proc *p, uint64_t paddr, uint64_t len, uint32_t prot);
/*
 * Map len bytes of open file f from offset off (page aligned), shared:
 * every page is asked of f's fmap and mapped now, not owned. The mapping
 * holds a reference to f (and counts in f->maps), and to every owner
 * file fmap named, until its last page is unmapped or the process ends.
 * Address or -E_*.
 */
long vm_map_file(struct proc *p, struct file *f, uint64_t off, uint64_t len, uint32_t prot);
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
/*
 * Copy n bytes from the current process's memory at src into p's at dst,
 * as a system call of p's would, through the direct map: for an answer
 * that goes straight into a waiting caller's buffer (docs/memory.md,
 * "Copies into another process"). Each page of p is found and written
 * under p->vm.lock (a few pages per hold), so it cannot be unmapped and
 * freed meanwhile; *stop is read there before each page, so a setter
 * that then takes and drops p->vm.lock knows that no more bytes come.
 * Returns the bytes copied: n,
 * or fewer when *stop was set or a page of p is not writable memory the
 * kernel can reach this way (the caller copies the rest itself and finds
 * any fault then); -E_FAULT when src is not readable.
 */
long vm_copy_into(struct proc *p, uint64_t dst, uint64_t src, size_t n, const bool *stop);
/* RB_VM_* bits describing the page at addr (for tests and debuggers). */
int vm_query(struct proc *p, uint64_t addr);
/* Free the space's own storage and drop the files it maps (the process
   has no threads left and its page tables are gone). Never sleeps: the
   last put of a mapped file must not (fmap schemes' close does not). */
void vm_release(struct vm_space *vm);
