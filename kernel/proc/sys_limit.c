/*
 * sys_limit.c - SYS_GETRLIMIT / SYS_SETRLIMIT (docs/ipc.md, Limits).
 *
 * RB_RLIMIT_NOFILE lives in the caller's fd table (its lock), RLIMIT_SHM
 * in the caller's struct proc (__atomic), RLIMIT_MEM in its memory
 * account (mm/memacct.h, __atomic), RLIMIT_NFILE is the file layer's
 * system-wide bound and RLIMIT_UIDMEM the accounts' per-uid total (both
 * __atomic); RLIMIT_MEMRESERVE (the kernel's reserve) is read-only. All
 * are inherited or global values, so this file owns no objects and no
 * lock. Anyone may lower his own limits; raising one, and setting
 * RLIMIT_NFILE or RLIMIT_UIDMEM at all, needs uid 0. Whether a value
 * raises a limit is decided against the value it replaces (under the fd
 * table's lock; a compare-and-swap for RLIMIT_SHM and RLIMIT_MEM), so two
 * threads lowering at once never put back a higher one. Memory limits are
 * kept in pages: a value is rounded down to a page.
 * A lowered limit below what is in use is allowed: it only refuses more.
 */
#include "arch.h"
#include "base/err.h"
#include "base/syscall_nr.h"
#include "mm/mem.h"
#include "mm/memacct.h"
#include "proc/proc.h"
#include "scheme/fdtable.h"
#include "scheme/file.h"
#include "syscall/syscall.h"

#define NFILE_MAX (1ull << 20) /* RLIMIT_NFILE may not go higher */
#define SHM_MAX (1ull << 40)   /* nor RLIMIT_SHM */

long sys_getrlimit(uint64_t res, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	switch (res) {
	case RB_RLIMIT_NOFILE:
		return fdt_limit(&p->fdt);
	case RB_RLIMIT_SHM:
		return (long)__atomic_load_n(&p->shm_limit, __ATOMIC_RELAXED);
	case RB_RLIMIT_NFILE:
		return (long)file_limit();
	case RB_RLIMIT_MEM:
		return (long)(memacct_limit(&p->mem) * PAGE_SIZE);
	case RB_RLIMIT_UIDMEM:
		return (long)(memacct_uid_limit() * PAGE_SIZE);
	case RB_RLIMIT_MEMRESERVE:
		return (long)(mem_reserve_pages() * PAGE_SIZE);
	default:
		return -E_INVAL;
	}
}

/* Set p's RLIMIT_SHM to v: 0, or -E_PERM if that raises it and !may_raise.
   Compared with the value it replaces, so a racing lowering is never undone. */
static int set_shm_limit(struct proc *p, uint64_t v, bool may_raise)
{
	uint64_t old = __atomic_load_n(&p->shm_limit, __ATOMIC_RELAXED);
	do {
		if (v > old && !may_raise)
			return -E_PERM;
	} while (!__atomic_compare_exchange_n(&p->shm_limit, &old, v, true, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return 0;
}

long sys_setrlimit(uint64_t res, uint64_t v, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	bool root = proc_uid(p) == 0;
	switch (res) {
	case RB_RLIMIT_NOFILE:
		if (v < 1 || v > FDT_MAX)
			return -E_INVAL;
		return fdt_set_limit(&p->fdt, (int)v, root);
	case RB_RLIMIT_SHM:
		if (v > SHM_MAX)
			return -E_INVAL;
		return set_shm_limit(p, v, root);
	case RB_RLIMIT_NFILE:
		if (!root)
			return -E_PERM;
		if (v < 1 || v > NFILE_MAX)
			return -E_INVAL;
		file_set_limit(v);
		return 0;
	case RB_RLIMIT_MEM:
		if (v / PAGE_SIZE > MEMACCT_LIMIT_MAX)
			return -E_INVAL;
		return memacct_set_limit(&p->mem, v / PAGE_SIZE, root);
	case RB_RLIMIT_UIDMEM:
		if (!root)
			return -E_PERM;
		if (v < PAGE_SIZE || v / PAGE_SIZE > MEMACCT_LIMIT_MAX)
			return -E_INVAL;
		memacct_set_uid_limit(v / PAGE_SIZE);
		return 0;
	case RB_RLIMIT_MEMRESERVE:
		return -E_PERM; /* set at boot from the memory size */
	default:
		return -E_INVAL;
	}
}
