/*
 * sys_proc.c - process system calls: exit, spawn, waitpid, kill, and the
 * pid and uid calls, procinfo and proclist (what ps reads).
 *
 * Argument checks and copies only; proc.c does the work under its locks
 * (proc_lock for the table, parent links and exit state). Every id
 * arrives as a 64-bit register and is range-checked before it is
 * narrowed to int, so a value past INT_MAX never aliases a real pid or
 * "any child". spawn copies its path, argv, envp and fd map into one
 * kernel buffer first, so the new process never reads the caller's
 * memory; a relative path is resolved against the caller's working
 * directory (sys_cwd.c), and an optional struct rb_spawn_attr chooses the
 * child's process group (pgrp.c). kill with a pid of 0 or below -1 and
 * waitpid with 0 or below -1 name a process group. uid and gid are the
 * only fields written here (set_id): a process's own threads may race
 * setuid against a reader elsewhere, so both sides use atomic accesses
 * (proc_uid, proc_gid). setuid goes through the memory account
 * (memacct_setuid), which checks and stores the uid under its lock and
 * moves the process's charge to the new uid's total in the same step.
 */
#include <stdint.h>
#include <string.h>
#include "base/err.h"
#include "base/syscall_nr.h"
#include "mm/mem.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "scheme/fdtable.h"
#include "syscall/syscall.h"

#define MAX_ARGS 32
#define MAX_ARG_LEN 256

long sys_exit(uint64_t code, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	proc_thread_exit((int)(code & 0xFF), true);
}

long sys_getpid(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return proc_current()->pid;
}

long sys_getppid(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	/* ppid changes under proc_lock (reparenting, proc.c); one atomic load
	   sees the old or the new parent whole, and either was true at some moment */
	return __atomic_load_n(&proc_current()->ppid, __ATOMIC_RELAXED);
}

long sys_getuid(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return proc_uid(proc_current());
}

/*
 * Set the caller's id *id (its uid or gid) to v: anyone may set it to what
 * it is, only uid 0 to anything else. Both fields are read with atomic
 * loads elsewhere (proc_uid, proc_gid), so the store is atomic too.
 */
static long set_id(struct proc *p, int *id, uint64_t v)
{
	if (v > 65535)
		return -E_INVAL;
	if (proc_uid(p) != 0 && (int)v != __atomic_load_n(id, __ATOMIC_RELAXED))
		return -E_PERM;
	__atomic_store_n(id, (int)v, __ATOMIC_RELAXED);
	return 0;
}

long sys_setuid(uint64_t uid, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	if (uid > 65535)
		return -E_INVAL;
	return memacct_setuid(&p->mem, &p->uid, (int)uid);
}

long sys_getgid(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return proc_gid(proc_current());
}

long sys_setgid(uint64_t gid, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	return set_id(p, &p->gid, gid);
}

long sys_procinfo(uint64_t pid, uint64_t out, uint64_t size, uint64_t d, uint64_t e, uint64_t f)
{
	if (pid > INT32_MAX)
		return -E_INVAL;
	struct proc *p = proc_current();
	if (pid == 0)
		proc_get(p); /* 0: the caller */
	else
		p = proc_find((int)pid);
	if (!p)
		return -E_NOENT;
	bool runnable;
	struct rb_procinfo info = {
	    .pid = p->pid,
	    .ppid = __atomic_load_n(&p->ppid, __ATOMIC_RELAXED),
	    .uid = proc_uid(p),
	    .gid = proc_gid(p),
	    .pgid = proc_pgid(p),
	    .sid = proc_sid(p),
	    .nthreads = __atomic_load_n(&p->nthreads, __ATOMIC_RELAXED),
	    .cpu_ns = proc_cpu_ns(p, &runnable),
	    .start_ns = p->start_ns,
	};
	info.state = runnable ? 'R' : 'S';
	memcpy(info.name, p->name, sizeof info.name);
	bool gone = __atomic_load_n(&p->exited, __ATOMIC_RELAXED);
	proc_put(p);
	if (gone)
		return -E_NOENT; /* a zombie has no credentials left to ask about */
	size_t n = size < sizeof info ? size : sizeof info;
	if (!user_range_ok(out, n))
		return -E_FAULT;
	return copy_to_user(out, &info, n) < 0 ? -E_FAULT : (long)n;
}

long sys_proclist(uint64_t upids, uint64_t cap, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (cap > MAX_PROCS)
		cap = MAX_PROCS; /* no more pids exist */
	if (cap && !user_range_ok(upids, cap * sizeof(int)))
		return -E_FAULT;
	int *pids = cap ? kmalloc(cap * sizeof(int)) : NULL;
	if (cap && !pids)
		return -E_NOMEM;
	int total = proc_list(pids, (int)cap);
	size_t n = (size_t)total < cap ? (size_t)total : (size_t)cap;
	int err = n ? copy_to_user(upids, pids, n * sizeof(int)) : 0;
	kfree(pids);
	return err < 0 ? -E_FAULT : total;
}

/* Copy a NULL-terminated user array of strings into store; count or -E_*. */
static int copy_strv(uint64_t uv, char *store, size_t cap, char **out, int max)
{
	if (!uv)
		return 0;
	size_t used = 0;
	for (int i = 0;; i++) {
		uint64_t s;
		if (i == max)
			return -E_2BIG;
		int err = copy_from_user(&s, uv + 8 * (uint64_t)i, 8);
		if (err < 0)
			return err;
		if (!s)
			return i;
		if (used >= cap)
			return -E_2BIG;
		err = copy_string_from_user(store + used, cap - used, s);
		if (err < 0)
			return err == -E_NAMETOOLONG ? -E_2BIG : err;
		out[i] = store + used;
		used += strlen(store + used) + 1;
	}
}

/* Copy and check spawn's attribute: 0, -E_FAULT or -E_INVAL. */
static int spawn_attr(uint64_t uattr, struct rb_spawn_attr *attr)
{
	int err = copy_from_user(attr, uattr, sizeof *attr);
	if (err < 0)
		return err;
	unsigned known = RB_SPAWN_SETPGROUP | RB_SPAWN_FOREGROUND | RB_SPAWN_SETUID;
	if ((attr->flags & ~known) || attr->pgid < 0)
		return -E_INVAL;
	if ((attr->flags & RB_SPAWN_SETUID) && (attr->uid < 0 || attr->gid < 0))
		return -E_INVAL;
	if ((attr->flags & RB_SPAWN_FOREGROUND) && !(attr->flags & RB_SPAWN_SETPGROUP))
		return -E_INVAL;
	return 0;
}

long sys_spawn(uint64_t upath, uint64_t uargv, uint64_t uenvp, uint64_t ufdmap, uint64_t nfd,
	       uint64_t uattr)
{
	struct rb_spawn_attr attr = {0};
	if (uattr) {
		int err = spawn_attr(uattr, &attr);
		if (err < 0)
			return err;
	}
	struct spawn_args {
		char path[MAX_ARG_LEN];
		char strings[3072];
		char *argv[MAX_ARGS], *envp[MAX_ARGS];
	} *a = kzalloc(sizeof *a);
	if (!a)
		return -E_NOMEM;
	char *path = a->path;
	long r = copy_string_from_user(path, sizeof a->path, upath);
	if (r == 0)
		r = proc_abs_path(path); /* a relative path: from the caller's cwd */
	int argc = 0, envc = 0;
	if (r == 0)
		r = argc = copy_strv(uargv, a->strings, 2048, a->argv, MAX_ARGS);
	if (r >= 0)
		r = envc = copy_strv(uenvp, a->strings + 2048, 1024, a->envp, MAX_ARGS);
	/* The child's table has the caller's limit: a longer map cannot fit. */
	if (r >= 0 && nfd > (uint64_t)fdt_limit(&proc_current()->fdt))
		r = -E_INVAL;
	int *fdmap = NULL;
	if (r >= 0 && nfd && !(fdmap = kmalloc(nfd * sizeof(int))))
		r = -E_NOMEM;
	if (r >= 0 && nfd)
		r = copy_from_user(fdmap, ufdmap, nfd * sizeof(int));
	if (r >= 0) {
		char *fallback[1] = {path};
		r = proc_spawn(path, argc ? a->argv : fallback, argc ? argc : 1, a->envp, envc,
			       fdmap, (int)nfd, uattr ? &attr : NULL);
	}
	kfree(fdmap);
	kfree(a);
	return r;
}

long sys_waitpid(uint64_t pid, uint64_t ustatus, uint64_t options, uint64_t d, uint64_t e,
		 uint64_t f)
{
	int status = 0;
	int64_t want = (int64_t)pid;
	if (want <= INT32_MIN || want > INT32_MAX)
		return -E_CHILD; /* names no child; truncated it could mean "any" */
	if (ustatus && !user_range_ok(ustatus, sizeof status))
		return -E_FAULT;
	int r = proc_wait((int)want, &status, options & RB_WNOHANG);
	if (r > 0 && ustatus && copy_to_user(ustatus, &status, sizeof status) < 0)
		return -E_FAULT;
	return r;
}

long sys_kill(uint64_t pid, uint64_t sig, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (sig >= 32)
		return -E_INVAL;
	int64_t want = (int64_t)pid;
	if (want == 0) /* the caller's group */
		return proc_kill_group((int)proc_pgid(proc_current()), (int)sig, true);
	if (want == -1) /* everyone the caller may signal, but init and itself */
		return proc_kill_all((int)sig);
	if (want < 0 && want > INT32_MIN)
		return proc_kill_group((int)-want, (int)sig, true);
	if (want < 1 || want > INT32_MAX)
		return -E_NOENT; /* names no process; truncated it could name a real one */
	return proc_kill((int)want, (int)sig);
}
