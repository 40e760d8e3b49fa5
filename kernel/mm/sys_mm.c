/*
 * sys_mm.c - anonymous memory: mmap, munmap, mprotect.
 *
 * Mappings are placed by a per-process bump pointer above 16 TiB (hints are
 * ignored), backed by zeroed pages at once, and never executable and
 * writable together. munmap and mprotect act page by page on what is
 * mapped and shoot the range down on every CPU.
 */
#include "arch.h"
#include "base/err.h"
#include "base/syscall_nr.h"
#include "core/ipi.h"
#include "mm/mem.h"
#include "proc/proc.h"
#include "sync/irqlock.h"
#include "syscall/syscall.h"
#include "mm/uaccess.h"

#define MMAP_MAX (1ull << 30) /* one call maps at most 1 GiB */

static uint64_t prot_flags(uint64_t prot)
{
	return (prot & RB_PROT_WRITE ? PTE_W : 0) | (prot & RB_PROT_EXEC ? PTE_X_WANTED : 0);
}

static bool range_ok(uint64_t addr, uint64_t len)
{
	return len && !(addr & (PAGE_SIZE - 1)) && user_range_ok(addr, len);
}

long sys_mmap(uint64_t hint, uint64_t len, uint64_t prot, uint64_t flags, uint64_t e,
	      uint64_t f)
{
	if (len == 0 || len > MMAP_MAX)
		return -E_INVAL;
	if ((prot & RB_PROT_WRITE) && (prot & RB_PROT_EXEC))
		return -E_ACCES; /* W^X */
	struct proc *p = proc_current();
	len = ALIGN_UP(len, PAGE_SIZE);
	uint64_t fl = spin_lock_irqsave(&p->lock);
	uint64_t addr = p->mmap_next;
	p->mmap_next += len + PAGE_SIZE; /* a guard page between mappings */
	spin_unlock_irqrestore(&p->lock, fl);
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t pa = page_alloc(1);
		if (!pa || paging_user_map(p->root, addr + off, pa, prot_flags(prot) | PTE_OWNED) < 0) {
			if (pa)
				page_free(pa, 1);
			for (uint64_t o = 0; o < off; o += PAGE_SIZE)
				page_free(paging_user_unmap(p->root, addr + o) & PTE_ADDR, 1);
			return -E_NOMEM;
		}
	}
	return (long)addr;
}

long sys_munmap(uint64_t addr, uint64_t len, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (!range_ok(addr, len))
		return -E_INVAL;
	struct proc *p = proc_current();
	len = ALIGN_UP(len, PAGE_SIZE);
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t pte = paging_user_unmap(p->root, addr + off);
		if (pte & PTE_OWNED)
			page_free(pte & PTE_ADDR, 1);
	}
	tlb_shootdown(&cpu_online, addr, len / PAGE_SIZE);
	return 0;
}

long sys_mprotect(uint64_t addr, uint64_t len, uint64_t prot, uint64_t d, uint64_t e, uint64_t f)
{
	if (!range_ok(addr, len))
		return -E_INVAL;
	if ((prot & RB_PROT_WRITE) && (prot & RB_PROT_EXEC))
		return -E_ACCES;
	struct proc *p = proc_current();
	len = ALIGN_UP(len, PAGE_SIZE);
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		if (!paging_user_lookup(p->root, addr + off))
			return -E_NOMEM; /* the whole range must be mapped */
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		if (paging_user_protect(p->root, addr + off, prot_flags(prot)) < 0)
			return -E_NOMEM;
	tlb_shootdown(&cpu_online, addr, len / PAGE_SIZE);
	return 0;
}

long sys_physmap(uint64_t paddr, uint64_t len, uint64_t prot, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	if (p->uid != 0)
		return -E_PERM; /* privileged drivers only */
	if (len == 0 || len > MMAP_MAX || (paddr & (PAGE_SIZE - 1)) || paddr + len < paddr ||
	    paddr + len > (1ull << 52))
		return -E_INVAL;
	if (prot & RB_PROT_EXEC)
		return -E_ACCES; /* device memory is never executed */
	len = ALIGN_UP(len, PAGE_SIZE);
	uint64_t fl = spin_lock_irqsave(&p->lock);
	uint64_t addr = p->mmap_next;
	p->mmap_next += len + PAGE_SIZE;
	spin_unlock_irqrestore(&p->lock, fl);
	/* Uncached, and not PTE_OWNED: the frames are not ours to free. */
	uint64_t flags = (prot & RB_PROT_WRITE ? PTE_W : 0) | PTE_PCD | PTE_PWT;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		if (paging_user_map(p->root, addr + off, paddr + off, flags) < 0) {
			for (uint64_t o = 0; o < off; o += PAGE_SIZE)
				(void)paging_user_unmap(p->root, addr + o);
			return -E_NOMEM;
		}
	return (long)addr;
}
