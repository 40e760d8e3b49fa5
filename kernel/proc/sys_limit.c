/*
 * sys_limit.c - SYS_GETRLIMIT / SYS_SETRLIMIT (docs/ipc.md, Limits).
 *
 * RB_RLIMIT_NOFILE lives in the caller's fd table (its lock), RLIMIT_SHM
 * in the caller's struct proc (__atomic), RLIMIT_NFILE is the file
 * layer's system-wide bound (__atomic). All three are inherited or global
 * values, so this file owns no objects and no lock. Anyone may lower his
 * own limits; raising one, and setting RLIMIT_NFILE at all, needs uid 0.
 * A lowered limit below what is in use is allowed: it only refuses more.
 */
#include "base/err.h"
#include "base/syscall_nr.h"
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
	default:
		return -E_INVAL;
	}
}

/* 0 if p may set a limit from old to v (root, or not raising it), else -E_PERM. */
static int may_set(struct proc *p, uint64_t old, uint64_t v)
{
	return v <= old || proc_uid(p) == 0 ? 0 : -E_PERM;
}

long sys_setrlimit(uint64_t res, uint64_t v, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	int err;
	switch (res) {
	case RB_RLIMIT_NOFILE:
		if (v < 1 || v > FDT_MAX)
			return -E_INVAL;
		if ((err = may_set(p, (uint64_t)fdt_limit(&p->fdt), v)) == 0)
			fdt_set_limit(&p->fdt, (int)v);
		return err;
	case RB_RLIMIT_SHM:
		if (v > SHM_MAX)
			return -E_INVAL;
		if ((err = may_set(p, __atomic_load_n(&p->shm_limit, __ATOMIC_RELAXED), v)) == 0)
			__atomic_store_n(&p->shm_limit, v, __ATOMIC_RELAXED);
		return err;
	case RB_RLIMIT_NFILE:
		if (proc_uid(p) != 0)
			return -E_PERM;
		if (v < 1 || v > NFILE_MAX)
			return -E_INVAL;
		file_set_limit(v);
		return 0;
	default:
		return -E_INVAL;
	}
}
