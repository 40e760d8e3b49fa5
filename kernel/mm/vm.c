/*
 * vm.c - user address spaces: regions, demand paging, unmapping with
 * shootdown before free (see vm.h).
 *
 * Locking: vm->lock (a spinlock, interrupts off) guards vm->regions and
 * every change to the space's page tables; the page-fault handler takes it
 * too. It is never held across a TLB shootdown - the other CPUs' page
 * faults would spin on it with interrupts off and could not answer - so
 * munmap and mprotect change the tables under the lock, drop it, shoot
 * down, and only then free the pages they took out (another CPU may write
 * through a stale entry until its flush). Lock order: vm->lock, then the
 * heap and page allocator locks (kmalloc, page_alloc); vm->unmap_lock (a
 * sleeping mutex) comes before vm->lock. Pages for demand
 * faults are allocated and zeroed before the lock is taken. While munmap
 * works through its batches a VM_UNMAPPING region holds the range, so no
 * new mapping is placed there before the old pages are all gone.
 * vm->lock also guards the mapped-file table (files, nfiles, file_gen):
 * a VM_FILE region names its slot (obj), and a slot's gen changes with
 * every use, so an mmap that maps file pages with the lock dropped in
 * between (vm_map_file) can tell its own slot from a reused one. A
 * slot's owners (files whose pages it maps for another file: a user
 * scheme's server's shm: files) are added under vm->lock together with
 * the page they own, so a page is in the tables only while its owner is
 * held; they are taken out with the slot and put with no lock held.
 */
#include "arch.h"
#include "base/err.h"
#include "core/log.h"
#include "base/syscall_nr.h"
#include "core/ipi.h"
#include "mm/mem.h"
#include "mm/memacct.h"
#include "mm/uaccess.h"
#include "core/percpu.h"
#include "proc/proc.h"
#include "sync/irqlock.h"
#include "mm/vm.h"
#include "scheme/file.h"
#include <string.h>

#define PF_PRESENT (1u << 0) /* x86 page-fault error code bits (SDM §4.7) */
#define PF_WRITE (1u << 1)
#define PF_INSN (1u << 4)
#define BATCH 512 /* pages freed per shootdown when unmapping */

static uint64_t prot_flags(uint32_t prot)
{
	return (prot & RB_PROT_WRITE ? PTE_W : 0) | (prot & RB_PROT_EXEC ? PTE_X_WANTED : 0);
}

/* Make room for need more regions (vm->lock held); -E_NOMEM. */
static int reserve(struct vm_space *vm, size_t need)
{
	struct vm_regions *l = &vm->regions;
	if (l->cap - l->n >= need)
		return 0;
	if (l->n + need > VM_MAX_REGIONS)
		return -E_NOMEM; /* bounded, so no process can eat the heap with regions */
	size_t cap = l->cap ? 2 * l->cap : 16;
	while (cap - l->n < need)
		cap *= 2;
	struct vm_region *r = kmalloc(cap * sizeof *r);
	if (!r)
		return -E_NOMEM;
	struct vm_region *old = l->r;
	vmr_move(l, r, cap);
	kfree(old);
	return 0;
}

/* Record a new region of len bytes at a free address (vm->lock held). */
static long add_region(struct vm_space *vm, uint64_t len, uint64_t paddr, uint32_t prot,
		       uint32_t kind, uint32_t obj)
{
	uint64_t addr;
	int err = reserve(vm, 1);
	if (err == 0)
		err = vmr_find_gap(&vm->regions, VM_BASE, VM_LIMIT, len, PAGE_SIZE, &addr);
	if (err < 0)
		return err;
	struct vm_region r = {
	    .start = addr, .len = len, .paddr = paddr, .prot = prot, .kind = kind, .obj = obj};
	err = vmr_insert(&vm->regions, &r);
	return err < 0 ? err : (long)addr;
}

/* Whether a region with prot allows the access described by err. */
static bool region_allows(uint32_t prot, uint64_t err)
{
	if ((err & PF_WRITE) && !(prot & RB_PROT_WRITE))
		return false;
	return !(err & PF_INSN) || (prot & RB_PROT_EXEC);
}

/* Whether the present entry pte allows the access (a racing fault mapped it). */
static bool pte_allows(uint64_t pte, uint64_t err)
{
	if ((err & PF_WRITE) && !(pte & PTE_W))
		return false;
	return !(err & PF_INSN) || !(pte & PTE_NX);
}

/* Resolve a fault at va in p; spare is a zeroed page to use or 0. */
static int fault_locked(struct proc *p, uint64_t va, uint64_t err, uint64_t *spare)
{
	const struct vm_region *r = vmr_find(&p->vm.regions, va);
	if (!r || !region_allows(r->prot, err))
		return -E_FAULT;
	uint64_t pte = paging_user_lookup(p->root, va);
	if (pte)
		return pte_allows(pte, err) ? 0 : -E_FAULT; /* another thread was first */
	if (r->kind != VM_ANON)
		return -E_FAULT;
	if (!*spare)
		return -E_NOMEM;
	int e = memacct_map(&p->mem, p->root, va, *spare, prot_flags(r->prot) | PTE_OWNED);
	if (e == 0)
		*spare = 0;
	return e;
}

static int fault_in(struct proc *p, uint64_t va, uint64_t err)
{
	uint64_t spare = memacct_page_alloc(&p->mem);
	uint64_t f = spin_lock_irqsave(&p->vm.lock);
	int e = fault_locked(p, va, err, &spare);
	spin_unlock_irqrestore(&p->vm.lock, f);
	if (spare)
		memacct_page_free(&p->mem,
				  spare); /* not needed: no region, or a racing fault won */
	return e;
}

int vm_page_fault(uint64_t addr, uint64_t err, bool user)
{
	if (addr >= USER_TOP || addr < PAGE_SIZE)
		return -E_FAULT;
	/* The kernel only demand-faults not-present pages (a system call
	   copying into fresh memory); a protection fault stays a fault. */
	if (!user && (err & PF_PRESENT))
		return -E_FAULT;
	if (!user && percpu()->uaccess_nofault)
		return -E_FAULT; /* vm_copy_into holds a vm lock: it faults src in itself */
	struct proc *p = proc_current();
	if (!p)
		return -E_FAULT;
	return fault_in(p, addr & ~(uint64_t)(PAGE_SIZE - 1), err);
}

/*
 * Under p->vm.lock: the physical address where the kernel may write p's
 * page va for p (a present, writable, cached page of anonymous or file
 * memory in the direct map); 1 when it is an anonymous page not yet
 * touched and *spare is needed to map it; 0 when it cannot be had here.
 */
static uint64_t writable_frame(struct proc *p, uint64_t va, uint64_t *spare)
{
	if (!p->root) /* the last thread was reaped: the tables are going */
		return 0;
	const struct vm_region *r = vmr_find(&p->vm.regions, va);
	if (!r || !(r->prot & RB_PROT_WRITE) || (r->kind != VM_ANON && r->kind != VM_FILE))
		return 0;
	uint64_t pte = paging_user_lookup(p->root, va);
	if (!pte && r->kind == VM_ANON) {
		if (!*spare)
			return 1;
		if (fault_locked(p, va, PF_WRITE, spare) < 0)
			return 0;
		pte = paging_user_lookup(p->root, va);
	}
	uint64_t pa = pte & PTE_ADDR;
	if (!(pte & PTE_P) || !(pte & PTE_W) || (pte & (PTE_PCD | PTE_PWT)) ||
	    pa + PAGE_SIZE > mem_direct_map_top())
		return 0;
	return pa;
}

/* Pages vm_copy_into copies per hold of the lock (interrupts are off meanwhile). */
#define COPY_BATCH 8

/*
 * Under p->vm.lock: copy up to COPY_BATCH pages of vm_copy_into's work,
 * from *done on. 0 when they went (or all n did), 1 when the next page
 * needs *spare, 2 when it cannot be written from here (or *stop is set),
 * -E_FAULT when src faulted there.
 */
static int copy_batch(struct proc *p, uint64_t dst, uint64_t src, size_t n, size_t *done,
		      uint64_t *spare, const bool *stop)
{
	for (unsigned k = 0; k < COPY_BATCH && *done < n; k++) {
		uint64_t va = dst + *done, in = va & (PAGE_SIZE - 1);
		size_t len = MIN(n - *done, PAGE_SIZE - in);
		if (__atomic_load_n(stop, __ATOMIC_ACQUIRE))
			return 2;
		uint64_t pa = writable_frame(p, va, spare);
		if (pa <= 1)
			return pa ? 1 : 2;
		percpu()->uaccess_nofault = true; /* p's lock may be ours too */
		int err = copy_from_user(phys_to_virt(pa + in), src + *done, len);
		percpu()->uaccess_nofault = false;
		if (err < 0)
			return err;
		*done += len;
	}
	return 0;
}

long vm_copy_into(struct proc *p, uint64_t dst, uint64_t src, size_t n, const bool *stop)
{
	if (!user_range_ok(dst, n) || !user_range_ok(src, n))
		return 0;			/* the caller's own copy reports it */
	size_t done = 0, faulted_at = SIZE_MAX; /* where src was last faulted in */
	uint64_t spare = 0;
	long ret = 0;
	while (done < n) {
		uint64_t f = spin_lock_irqsave(&p->vm.lock);
		int st = copy_batch(p, dst, src, n, &done, &spare, stop);
		spin_unlock_irqrestore(&p->vm.lock, f);
		if (st == 1 && (spare = memacct_page_alloc(&p->mem)))
			continue;
		if (st > 0 || (st < 0 && faulted_at == done))
			break; /* the caller's own copy takes it from here */
		if (st < 0) {
			/* src is not in memory yet: fault it in as a copy would, then retry */
			size_t len = MIN(n - done, PAGE_SIZE - ((dst + done) & (PAGE_SIZE - 1)));
			char c;
			if (copy_from_user(&c, src + done, 1) < 0 ||
			    copy_from_user(&c, src + done + len - 1, 1) < 0) {
				ret = -E_FAULT;
				break;
			}
			faulted_at = done;
		}
	}
	if (spare)
		memacct_page_free(&p->mem, spare);
	return ret < 0 ? ret : (long)done;
}

/* Whether p is being killed or exits: its threads leave at their next
   return to user mode, and exec_free_root frees what is still mapped. */
static bool dying(struct proc *p)
{
	return __atomic_load_n(&p->dying, __ATOMIC_RELAXED) ||
	       (__atomic_load_n(&p->sig_pending, __ATOMIC_RELAXED) & (1ull << RB_SIGKILL));
}

long vm_map_anon(struct proc *p, uint64_t len, uint32_t prot, bool populate)
{
	uint64_t f = spin_lock_irqsave(&p->vm.lock);
	long addr = add_region(&p->vm, len, 0, prot, VM_ANON, 0);
	spin_unlock_irqrestore(&p->vm.lock, f);
	if (addr < 0 || !populate)
		return addr;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		if (dying(p))
			return -E_INTR; /* what is mapped goes at exit */
		int err = fault_in(p, (uint64_t)addr + off, 0);
		if (err < 0) {
			/* Replacing the whole region by munmap's hold needs no
			   allocation; should the unmap still fail (a racing munmap
			   and mmap moved things, or the process is dying), the
			   region stays until the process exits. */
			if (vm_unmap(p, (uint64_t)addr, len) < 0)
				return -E_NOMEM;
			return err == -E_FAULT ? -E_NOMEM : err; /* a racing munmap */
		}
	}
	return addr;
}

/*
 * DMA memory: npages physically contiguous zeroed pages, charged to p and
 * mapped at once as an ordinary anonymous region (PTE_OWNED, write-back:
 * x86 DMA is cache-coherent). munmap and exit free them page by page like
 * any anonymous page; nothing moves or swaps pages, so they stay where the
 * device was told until then. *phys gets the first page's address.
 */
long vm_map_dma(struct proc *p, uint64_t len, uint64_t *phys)
{
	uint64_t npages = len / PAGE_SIZE;
	if (memacct_charge(&p->mem, npages) < 0)
		return -E_NOMEM;
	uint64_t pa = page_alloc(npages);
	if (!pa) {
		memacct_uncharge(&p->mem, npages);
		return -E_NOMEM;
	}
	uint64_t f = spin_lock_irqsave(&p->vm.lock);
	long addr = add_region(&p->vm, len, 0, RB_PROT_READ | RB_PROT_WRITE, VM_ANON, 0);
	uint64_t off = 0;
	for (; addr >= 0 && off < len; off += PAGE_SIZE)
		if (memacct_map(&p->mem, p->root, (uint64_t)addr + off, pa + off,
				prot_flags(RB_PROT_READ | RB_PROT_WRITE) | PTE_OWNED) < 0)
			break;
	if (addr >= 0 && off < len) {
		/* Never used yet, so no TLB holds these: no shootdown. */
		for (uint64_t o = 0; o < off; o += PAGE_SIZE)
			(void)paging_user_unmap(p->root, (uint64_t)addr + o);
		int err = vmr_remove(&p->vm.regions, (uint64_t)addr, len);
		KASSERT(err == 0, "removing a whole region needs no slot");
		addr = -E_NOMEM;
	}
	spin_unlock_irqrestore(&p->vm.lock, f);
	if (addr < 0) {
		page_free(pa, npages);
		memacct_uncharge(&p->mem, npages);
		return addr;
	}
	*phys = pa;
	return addr;
}

/* Free the owned frames among ptes[0..n) and give back their charge to p. */
static void free_owned(struct proc *p, const uint64_t *ptes, size_t n)
{
	uint64_t owned = 0;
	for (size_t i = 0; i < n; i++)
		if (ptes[i] & PTE_OWNED) {
			page_free(ptes[i] & PTE_ADDR, 1);
			owned++;
		}
	if (owned)
		memacct_uncharge(&p->mem, owned);
}

/* Unmap [addr, end) from the tables (vm->lock held, dropped on return),
   shooting down and freeing in batches of buf; false if it stopped early
   because the process is dying. */
static bool unmap_pages(struct proc *p, uint64_t addr, uint64_t end, uint64_t *buf, size_t cap,
			uint64_t f)
{
	uint64_t va = addr;
	for (;;) {
		size_t n;
		va = paging_user_take(p->root, va, end, buf, cap, &n);
		spin_unlock_irqrestore(&p->vm.lock, f);
		if (n) {
			tlb_shootdown(&cpu_online, addr, (end - addr) / PAGE_SIZE);
			free_owned(p, buf, n);
		}
		if (va >= end)
			return true;
		if (dying(p))
			return false;
		f = spin_lock_irqsave(&p->vm.lock);
	}
}

/* Drop a mapping's reference to f (vm->lock not held: the last put closes f). */
static void drop_file(struct file *f)
{
	__atomic_sub_fetch(&f->maps, 1, __ATOMIC_RELEASE);
	file_put(f);
}

/* Drop a freed slot's file and owners, taken out of the space (vm->lock not held). */
static void drop_slot(struct vm_file *vf)
{
	for (uint32_t i = 0; i < vf->nowners; i++)
		drop_file(vf->owners[i]);
	kfree(vf->owners);
	if (vf->file)
		drop_file(vf->file);
}

/* Add owner to vf's owners unless it is there (vm->lock held): true if vf took the reference,
   false if it had it already; -E_NOMEM through err (no memory, or VM_MAX_OWNERS: a server
   answering every page from another file must not make this search long). */
static bool add_owner(struct vm_file *vf, struct file *owner, int *err)
{
	*err = 0;
	for (uint32_t i = 0; i < vf->nowners; i++)
		if (vf->owners[i] == owner)
			return false;
	if (vf->nowners == VM_MAX_OWNERS) {
		*err = -E_NOMEM;
		return false;
	}
	if (vf->nowners == vf->cap) {
		uint32_t cap = vf->cap ? 2 * vf->cap : 4;
		struct file **o = kmalloc(cap * sizeof *o);
		if (!o) {
			*err = -E_NOMEM;
			return false;
		}
		if (vf->nowners)
			memcpy(o, vf->owners, vf->nowners * sizeof *o);
		kfree(vf->owners);
		vf->owners = o;
		vf->cap = cap;
	}
	vf->owners[vf->nowners++] = owner;
	return true;
}

/*
 * Take the bytes of the VM_FILE regions inside [addr, end) off their
 * files' counts (back on them with undo), before munmap replaces the
 * range with its hold (vm->lock held).
 */
static void account_files(struct vm_space *vm, uint64_t addr, uint64_t end, bool undo)
{
	const struct vm_regions *l = &vm->regions;
	for (size_t i = 0; i < l->n; i++) {
		const struct vm_region *r = &l->r[i];
		uint64_t lo = r->start > addr ? r->start : addr;
		uint64_t hi = r->start + r->len < end ? r->start + r->len : end;
		if (r->kind != VM_FILE || lo >= hi)
			continue;
		KASSERT(r->obj && r->obj <= vm->nfiles, "file region with a bad tag");
		if (undo)
			vm->files[r->obj - 1].bytes += hi - lo;
		else
			vm->files[r->obj - 1].bytes -= hi - lo;
	}
}

/*
 * Drop the reference of every file no region maps any more, one at a time
 * (file_put may sleep, so never under vm->lock). Not in a dying process:
 * an munmap of it may have stopped between batches with its file's count
 * at 0 but pages still mapped, and its threads may still run; exit drops
 * the files after the page tables are gone (vm_release).
 */
static void put_unmapped_files(struct proc *p)
{
	if (dying(p))
		return;
	for (;;) {
		struct vm_file gone = {0};
		uint64_t fl = spin_lock_irqsave(&p->vm.lock);
		for (uint32_t i = 0; i < p->vm.nfiles && !gone.file; i++)
			if (p->vm.files[i].file && p->vm.files[i].bytes == 0) {
				gone = p->vm.files[i];
				p->vm.files[i] = (struct vm_file){0};
			}
		spin_unlock_irqrestore(&p->vm.lock, fl);
		if (!gone.file)
			return;
		drop_slot(&gone);
	}
}

/* A free files[] slot given to f for len bytes (vm->lock held): its tag (index + 1) or -E_NOMEM. */
static long file_slot(struct vm_space *vm, struct file *f, uint64_t len)
{
	uint32_t i = 0;
	while (i < vm->nfiles && vm->files[i].file)
		i++;
	if (i == vm->nfiles) {
		uint32_t n = vm->nfiles ? 2 * vm->nfiles : 8;
		struct vm_file *files = kzalloc(n * sizeof *files);
		if (!files)
			return -E_NOMEM;
		if (vm->nfiles)
			memcpy(files, vm->files, vm->nfiles * sizeof *files);
		kfree(vm->files);
		vm->files = files;
		vm->nfiles = n;
	}
	vm->files[i] = (struct vm_file){.file = f, .bytes = len, .gen = ++vm->file_gen};
	return (long)i + 1;
}

static bool readonly(const struct file *f)
{
	return (f->flags & RB_O_ACCMODE) == RB_O_RDONLY;
}

/* Whether slot vf's file or one of its owners was opened read-only. */
static bool slot_readonly(const struct vm_file *vf)
{
	for (uint32_t i = 0; i < vf->nowners; i++)
		if (readonly(vf->owners[i]))
			return true;
	return readonly(vf->file);
}

/* Whether a VM_FILE region in [addr, end) maps a file opened read-only, or pages such a file
   owns (vm->lock held). */
static bool has_readonly_file(struct vm_space *vm, uint64_t addr, uint64_t end)
{
	for (size_t i = 0; i < vm->regions.n; i++) {
		const struct vm_region *r = &vm->regions.r[i];
		if (r->kind == VM_FILE && r->start < end && r->start + r->len > addr &&
		    slot_readonly(&vm->files[r->obj - 1]))
			return true;
	}
	return false;
}

/*
 * Map file page pa at va, if va is still in the file region tagged obj at
 * file offset off and the slot is still the use gen (a racing munmap may
 * have taken the region and dropped the mapping's f->maps, so a shrink
 * may have freed pa, and a new mapping may have reused the slot and the
 * address): 0 or -E_*. A page owned by another file (*owner) is mapped
 * only once the slot holds the owner; *owner is NULL when the slot took
 * the reference, else the caller drops it.
 */
static int map_file_page(struct proc *p, uint64_t va, uint64_t pa, struct file **owner,
			 uint32_t obj, uint64_t gen, uint64_t off)
{
	uint64_t fl = spin_lock_irqsave(&p->vm.lock);
	const struct vm_region *r = vmr_find(&p->vm.regions, va);
	struct vm_file *vf = &p->vm.files[obj - 1];
	int err = -E_FAULT;
	if (r && r->kind == VM_FILE && r->obj == obj && vf->file && vf->gen == gen &&
	    r->paddr + (va - r->start) == off) {
		err = 0;
		if (*owner && add_owner(vf, *owner, &err))
			*owner = NULL;
		if (err == 0 && !paging_user_lookup(p->root, va))
			err = memacct_map(&p->mem, p->root, va, pa, prot_flags(r->prot));
	}
	spin_unlock_irqrestore(&p->vm.lock, fl);
	return err;
}

long vm_map_file(struct proc *p, struct file *f, uint64_t off, uint64_t len, uint32_t prot)
{
	/* maps first: a shrink that could free a page we are given sees it */
	__atomic_add_fetch(&f->maps, 1, __ATOMIC_ACQ_REL);
	file_get(f);
	uint64_t fl = spin_lock_irqsave(&p->vm.lock);
	long obj = file_slot(&p->vm, f, len);
	uint64_t gen = p->vm.file_gen;
	long addr = obj < 0 ? obj : add_region(&p->vm, len, off, prot, VM_FILE, (uint32_t)obj);
	if (addr < 0 && obj > 0)
		p->vm.files[obj - 1].file = NULL;
	spin_unlock_irqrestore(&p->vm.lock, fl);
	if (addr < 0) {
		drop_file(f);
		return addr;
	}
	for (uint64_t o = 0; o < len; o += PAGE_SIZE) {
		if (dying(p))
			return -E_INTR; /* the region and f go at exit */
		uint64_t pa;
		struct file *owner;
		int err = file_fmap(f, off + o, (int)prot, &pa, &owner);
		if (err == 0)
			err = map_file_page(p, (uint64_t)addr + o, pa, &owner, (uint32_t)obj, gen,
					    off + o);
		if (owner)
			drop_file(owner); /* the slot has it already, or the page was not mapped */
		if (err < 0) {
			/* As vm_map_anon: the whole region goes again (and with it f). */
			if (vm_unmap(p, (uint64_t)addr, len) < 0)
				return -E_NOMEM;
			return err == -E_FAULT ? -E_NOMEM : err;
		}
	}
	return (long)addr;
}

/*
 * Unmapping drops vm->lock between batches. The range is held meanwhile
 * by a VM_UNMAPPING region, so a new mapping cannot be placed in it (a
 * later batch would take that mapping's pages) and no page is faulted in
 * there; it goes when the last batch is done. unmap_lock (a sleeping
 * mutex, taken before vm->lock) admits one munmap of the space at a time:
 * a second munmap of an overlapping range would otherwise cut the first
 * one's hold and free the range while the first still has batches to go.
 * A process being killed stops between batches with -E_INTR: the hold
 * keeps the rest of the range out of use, and exit frees it.
 */
int vm_unmap(struct proc *p, uint64_t addr, uint64_t len)
{
	uint64_t small[32];
	uint64_t *buf = kmalloc(BATCH * sizeof *buf);
	size_t cap = buf ? BATCH : 32;
	struct vm_region hold = {.start = addr, .len = len, .kind = VM_UNMAPPING};
	kmutex_lock(&p->vm.unmap_lock);
	uint64_t f = spin_lock_irqsave(&p->vm.lock);
	account_files(&p->vm, addr, addr + len, false); /* undone if the replace fails */
	int err = vmr_replace(&p->vm.regions, &hold);
	if (err == -E_NOMEM && (err = reserve(&p->vm, 2)) == 0)
		err = vmr_replace(&p->vm.regions, &hold);
	if (err < 0)
		account_files(&p->vm, addr, addr + len, true);
	if (err < 0) {
		spin_unlock_irqrestore(&p->vm.lock, f);
		kmutex_unlock(&p->vm.unmap_lock);
		kfree(buf);
		return err;
	}
	if (!unmap_pages(p, addr, addr + len, buf ? buf : small, cap, f)) {
		kmutex_unlock(&p->vm.unmap_lock);
		kfree(buf);
		return -E_INTR;
	}
	f = spin_lock_irqsave(&p->vm.lock);
	/* Only the hold is left in the range (mprotect may have cut it, never
	   beyond it), so removing it needs no slot. */
	err = vmr_remove(&p->vm.regions, addr, len);
	KASSERT(err == 0, "munmap's hold reaches outside its range");
	spin_unlock_irqrestore(&p->vm.lock, f);
	kmutex_unlock(&p->vm.unmap_lock);
	kfree(buf);
	put_unmapped_files(p); /* their pages are unmapped and shot down now */
	return 0;
}

/* Whether every page of [addr, end) is in a region or mapped (vm->lock
   held). Regions are stepped over whole: only pages mapped outside any
   region (the program's image and stack, backed by RAM) go one by one. */
static bool all_mapped(struct proc *p, uint64_t addr, uint64_t end)
{
	for (uint64_t va = addr; va < end;) {
		const struct vm_region *r = vmr_find(&p->vm.regions, va);
		if (r)
			va = r->start + r->len;
		else if (paging_user_lookup(p->root, va))
			va += PAGE_SIZE;
		else
			return false;
	}
	return true;
}

/* Whether a physical region overlaps [addr, end) (vm->lock held). */
static bool has_phys(struct proc *p, uint64_t addr, uint64_t end)
{
	for (uint64_t va = addr; va < end;) {
		const struct vm_region *r = vmr_find(&p->vm.regions, va);
		if (r && r->kind == VM_PHYS)
			return true;
		va = r ? r->start + r->len : va + PAGE_SIZE;
	}
	return false;
}

int vm_protect(struct proc *p, uint64_t addr, uint64_t len, uint32_t prot)
{
	uint64_t end = addr + len;
	uint64_t f = spin_lock_irqsave(&p->vm.lock);
	int err = all_mapped(p, addr, end) ? reserve(&p->vm, 2) : -E_NOMEM;
	if (err == 0 && (prot & RB_PROT_EXEC) && has_phys(p, addr, end))
		err = -E_ACCES; /* device memory is never executed */
	if (err == 0 && (prot & RB_PROT_WRITE) && has_readonly_file(&p->vm, addr, end))
		err = -E_ACCES; /* as mmap: a file opened read-only is never written */
	if (err == 0)
		err = vmr_protect(&p->vm.regions, addr, len, prot);
	size_t changed = 0;
	if (err == 0)
		changed = paging_user_protect_range(p->root, addr, end, prot_flags(prot));
	spin_unlock_irqrestore(&p->vm.lock, f);
	if (changed)
		tlb_shootdown(&cpu_online, addr, len / PAGE_SIZE);
	return err;
}

long vm_map_phys(struct proc *p, uint64_t paddr, uint64_t len, uint32_t prot)
{
	/* Uncached, and not PTE_OWNED: the frames are not ours to free. */
	uint64_t flags = (prot & RB_PROT_WRITE ? PTE_W : 0) | PTE_PCD | PTE_PWT;
	uint64_t f = spin_lock_irqsave(&p->vm.lock);
	long addr = add_region(&p->vm, len, paddr, prot, VM_PHYS, 0);
	for (uint64_t off = 0; addr >= 0 && off < len; off += PAGE_SIZE) {
		if (memacct_map(&p->mem, p->root, (uint64_t)addr + off, paddr + off, flags) < 0) {
			/* Never used yet, so no TLB holds these: no shootdown. */
			for (uint64_t o = 0; o < off; o += PAGE_SIZE)
				(void)paging_user_unmap(p->root, (uint64_t)addr + o);
			int err = vmr_remove(&p->vm.regions, (uint64_t)addr, len);
			KASSERT(err == 0, "removing a whole region needs no slot");
			addr = -E_NOMEM;
		}
	}
	spin_unlock_irqrestore(&p->vm.lock, f);
	return addr;
}

void vm_release(struct vm_space *vm)
{
	kfree(vm->regions.r);
	vmr_init(&vm->regions, NULL, 0);
	for (uint32_t i = 0; i < vm->nfiles; i++)
		if (vm->files[i].file)
			drop_slot(&vm->files[i]);
	kfree(vm->files);
	vm->files = NULL;
	vm->nfiles = 0;
}

int vm_query(struct proc *p, uint64_t addr)
{
	uint64_t va = addr & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t f = spin_lock_irqsave(&p->vm.lock);
	bool region = vmr_find(&p->vm.regions, va) != NULL;
	uint64_t pte = paging_user_lookup(p->root, va);
	spin_unlock_irqrestore(&p->vm.lock, f);
	int bits = region ? RB_VM_REGION : 0;
	if (!pte)
		return bits;
	bits |= RB_VM_PRESENT;
	if (pte & PTE_W)
		bits |= RB_VM_WRITE;
	if (!(pte & PTE_NX))
		bits |= RB_VM_EXEC;
	if ((pte & (PTE_PCD | PTE_PWT)) == (PTE_PCD | PTE_PWT))
		bits |= RB_VM_UNCACHED;
	return bits;
}
