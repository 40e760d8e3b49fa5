/*
 * sys_mm.c - memory system calls: mmap, munmap, mprotect, physmap, vmquery,
 * meminfo.
 *
 * Argument checks only; the address space (kernel/mm/vm.c) does the
 * work under its own lock. Mappings are placed first-fit above 16 TiB
 * with a guard page between them (hints are ignored), anonymous memory is
 * zero-filled on first touch (RB_MAP_POPULATE maps it at once), and
 * nothing is writable and executable together. RB_MAP_FD maps a file
 * (r8 = fd, r9 = page-aligned offset) through its scheme's fmap, every
 * page at once (ENODEV without fmap; EACCES if the open mode does not
 * allow prot). vmquery reports how one page is mapped. physmap maps device
 * memory only inside one range the process was granted (dev/hw.c), never
 * RAM. dmamap gives a driver (a process with the irq right) physically
 * contiguous RAM and its address, for a device to read and write.
 */
#include "arch.h"
#include "base/err.h"
#include "base/syscall_nr.h"
#include "dev/hw.h"
#include "mm/mem.h"
#include "proc/proc.h"
#include "syscall/syscall.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include "scheme/fdtable.h"
#include "scheme/file.h"
#include "scheme/scheme.h"

#define MMAP_MAX (64ull << 30)	 /* one anonymous mapping is at most 64 GiB */
#define PHYSMAP_MAX (1ull << 30) /* one physical mapping at most 1 GiB */
#define DMAMAP_MAX (4ull << 20)	 /* one DMA block at most 4 MiB: contiguous pages are scarce */
#define PROT_ALL (RB_PROT_READ | RB_PROT_WRITE | RB_PROT_EXEC)

/* A page-aligned, non-empty user range; len is checked before it is
   rounded up, which would wrap a length near 2^64 to 0. */
static bool range_ok(uint64_t addr, uint64_t len)
{
	return len && len <= USER_TOP && !(addr & (PAGE_SIZE - 1)) &&
	       user_range_ok(addr, ALIGN_UP(len, PAGE_SIZE));
}

static int prot_check(uint64_t prot)
{
	if (prot & ~(uint64_t)PROT_ALL)
		return -E_INVAL;
	if ((prot & RB_PROT_WRITE) && (prot & RB_PROT_EXEC))
		return -E_ACCES; /* W^X */
	return 0;
}

/* Whether an open mode allows mapping with prot (as POSIX: read always, write if opened so). */
static int mode_allows(int flags, uint64_t prot)
{
	int acc = flags & RB_O_ACCMODE;
	if (acc == RB_O_WRONLY || ((prot & RB_PROT_WRITE) && acc == RB_O_RDONLY))
		return -E_ACCES;
	return 0;
}

/* mmap of [off, +len) of the caller's file fd (RB_MAP_FD). */
static long map_fd(uint64_t fd, uint64_t off, uint64_t len, uint64_t prot)
{
	if ((off & (PAGE_SIZE - 1)) || off + len < off)
		return -E_INVAL;
	struct proc *p = proc_current();
	struct file *file = fdt_get(&p->fdt, fdt_arg(fd));
	if (!file)
		return -E_BADF;
	long r = mode_allows(file->flags, prot);
	if (r == 0 && !file->scheme->ops->fmap)
		r = -E_NODEV;
	if (r == 0)
		r = vm_map_file(p, file, off, len, (uint32_t)prot);
	file_put(file);
	return r;
}

long sys_mmap(uint64_t hint, uint64_t len, uint64_t prot, uint64_t flags, uint64_t fd, uint64_t off)
{
	if (len == 0 || len > MMAP_MAX || (flags & ~(uint64_t)(RB_MAP_POPULATE | RB_MAP_FD)))
		return -E_INVAL;
	int err = prot_check(prot);
	if (err < 0)
		return err;
	if (flags & RB_MAP_FD)
		return map_fd(fd, off, ALIGN_UP(len, PAGE_SIZE), prot);
	return vm_map_anon(proc_current(), ALIGN_UP(len, PAGE_SIZE), (uint32_t)prot,
			   flags & RB_MAP_POPULATE);
}

long sys_munmap(uint64_t addr, uint64_t len, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (!range_ok(addr, len))
		return -E_INVAL;
	return vm_unmap(proc_current(), addr, ALIGN_UP(len, PAGE_SIZE));
}

long sys_mprotect(uint64_t addr, uint64_t len, uint64_t prot, uint64_t d, uint64_t e, uint64_t f)
{
	if (!range_ok(addr, len))
		return -E_INVAL;
	int err = prot_check(prot);
	if (err < 0)
		return err;
	return vm_protect(proc_current(), addr, ALIGN_UP(len, PAGE_SIZE), (uint32_t)prot);
}

long sys_physmap(uint64_t paddr, uint64_t len, uint64_t prot, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	if (len == 0 || len > PHYSMAP_MAX || (paddr & (PAGE_SIZE - 1)) || paddr + len < paddr ||
	    paddr + len > (1ull << 52))
		return -E_INVAL;
	int err = prot_check(prot);
	if (err < 0)
		return err;
	if (prot & RB_PROT_EXEC)
		return -E_ACCES; /* device memory is never executed */
	len = ALIGN_UP(len, PAGE_SIZE);
	if (mem_range_is_ram(paddr, len))
		return -E_PERM; /* RAM belongs to the kernel: only MMIO and reserved ranges */
	err = hw_phys_check(p, paddr, len); /* inside one granted range (U19) */
	if (err < 0)
		return err;
	return vm_map_phys(p, paddr, len, (uint32_t)prot);
}

long sys_dmamap(uint64_t len, uint64_t uphys, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	if (!hw_irq_allowed(p))
		return -E_PERM; /* a physical address is a driver's business only */
	if (len == 0 || len > DMAMAP_MAX)
		return -E_INVAL;
	if (!user_range_ok(uphys, sizeof(uint64_t)))
		return -E_FAULT;
	len = ALIGN_UP(len, PAGE_SIZE);
	uint64_t phys = 0;
	long addr = vm_map_dma(p, len, &phys);
	if (addr >= 0 && copy_to_user(uphys, &phys, sizeof phys) < 0) {
		if (vm_unmap(p, (uint64_t)addr, len) < 0)
			return -E_NOMEM; /* a racing munmap moved things; it goes at exit */
		return -E_FAULT;
	}
	return addr;
}

long sys_vmquery(uint64_t addr, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (!user_range_ok(addr, 1))
		return -E_FAULT;
	return vm_query(proc_current(), addr);
}

long sys_meminfo(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (proc_uid(proc_current()) == 0)
		mem_trim(); /* exact: the leak checks of root's tests compare it */
	else
		mem_trim_shared();
	return (long)mem_free_pages();
}
