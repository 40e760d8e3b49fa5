/*
 * proc.h - processes: an address space, a file table, threads, a parent.
 *
 * A process is created by spawn (exec of an ELF from initfs into a fresh
 * address space, one thread) and ends when its last thread exits or it is
 * killed; its parent collects the status with waitpid, and every page,
 * table, file and thread it held is freed then. Locking: proc_lock (one
 * global lock) guards the process table, parent/child links (parent,
 * ppid), the waitpid waiter lists and exit state; each process's own lock
 * guards its thread slots, affinity, signal actions, its threads'
 * signal masks and its working directory (cwd, read as a whole copy);
 * proc_lock also guards the process group and session ids (pgid, sid;
 * pgrp.c), so a group's members are found in one walk of the table. The
 * fd table (fdt, scheme/fdtable.h) and the address space (vm, with the
 * page tables at root; mm/vm.h) are objects with their own locks. Pending
 * signals, the RLIMIT_SHM figures (shm_limit, shm_used; scheme/shm.c
 * charges) and scheme_logged (scheme/policy.c's log-once bits) change
 * with __atomic operations only, as do hw (the hardware grants, made at
 * spawn or by the first SYS_HWGRANT, freed with the struct; dev/hw.c) and
 * hw_logged (its log-once bits). The memory account (mem) has its own
 * lock (mm/memacct.h); uid changes only through it (memacct_setuid), so
 * the uid and the charge move together.
 *
 * Ownership: a struct proc is reference counted (refs). The process table
 * holds one reference from spawn until waitpid takes the process out;
 * proc_find hands the caller another, dropped with proc_put; the last put
 * frees the struct. The table's reference outlives every thread of the
 * process, so a thread's own code may use its process without one.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "base/syscall_nr.h"
#include "mm/memacct.h"
#include "mm/vm.h"
#include "scheme/fdtable.h"
#include "sched/sched.h"
#include "smp/cpumask.h"
#include "sync/spinlock.h"

#define MAX_PROCS 1024
#define MAX_THREADS 64
#define PROCS_PER_UID 256 /* processes (live or unreaped) of one non-root uid: EAGAIN beyond */
#define SHM_DEFAULT (64ull << 20) /* RLIMIT_SHM of init */

struct file;
struct hw_grants;

/* A thread blocked in waitpid, linked into its own process's waiters
   under proc_lock; the record lives on the waiting thread's stack. */
struct proc_waiter {
	struct proc_waiter *next;
	struct thread *t;
};

struct proc {
	int pid, ppid, uid;  /* ppid follows parent (both under proc_lock); uid atomic */
	int gid;	     /* atomic, as uid */
	int pgid, sid;	     /* process group and session (proc_lock) */
	struct proc *parent; /* NULL: none; init (pid 1) adopts orphans */
	char name[32];
	char path[256];		/* the program it was spawned from; never changes */
	char cwd[RB_PATH_MAX];	/* canonical "scheme:/dir" (p->lock; sys_cwd.c) */
	unsigned scheme_logged; /* __atomic: log-once bits of scheme/policy.c */
	struct hw_grants *hw;	/* __atomic: hardware grants or NULL (dev/hw.c) */
	unsigned hw_logged;	/* __atomic: log-once bits of dev/hw.c */
	uint64_t root;		/* page table root (physical) */
	struct spinlock lock;
	_Atomic int refs;	     /* proc_find/proc_put; the table holds one */
	struct fdtable fdt;	     /* owns its lock; closed when the process ends */
	struct vm_space vm;	     /* regions; all-zero is empty */
	int nthreads;		     /* live threads */
	bool dying;		     /* exit or fatal signal: threads leave at their next chance */
	bool exited;		     /* all threads gone; status valid */
	int status;		     /* exit code, or 128 + signal */
	struct proc_waiter *waiters; /* its threads blocked in waitpid (proc_lock) */
	uint64_t sig_handlers[32], sig_restorers[32], sig_masks[32];
	uint64_t sig_pending;	 /* changed only with __atomic operations */
	struct cpumask affinity; /* CPUs its threads start with (set by pid) */
	uint64_t shm_limit;	 /* RLIMIT_SHM, __atomic */
	uint64_t shm_used;	 /* bytes of live shm: objects it created, __atomic */
	struct mem_acct mem;	 /* pages charged, RLIMIT_MEM (owns its locking) */
	uint64_t start_ns;	 /* time_ns() at spawn; never changes */
	uint64_t cpu_done_ns;	 /* CPU time of its reaped threads (p->lock) */
	struct {
		int tid;
		struct thread *t; /* valid while !done */
		int code;
		bool done;
		struct thread *joiner;
	} tslots[MAX_THREADS];
};

/* Processes in the table, live and exited-unreaped, and their threads (SYS_KSTAT). */
void proc_count(uint64_t *live, uint64_t *zombie, uint64_t *threads);
/* The pids of live (not exited) processes, ascending, into out[0..cap); how many there are
   (more than cap: the rest were left out). Under proc_lock (SYS_PROCLIST). */
int proc_list(int *out, int cap);
/* CPU time of p's threads, live and reaped, and whether one is runnable (under p->lock). */
uint64_t proc_cpu_ns(struct proc *p, bool *runnable);
/* Start /bin/init (or init=PATH) as pid 1; false if it cannot be loaded. */
bool proc_start_init(void);
/* The calling thread's process (NULL for kernel threads). */
struct proc *proc_current(void);
/* p's uid: set by its own threads (setuid) while others read it, so read whole. */
static inline int proc_uid(const struct proc *p)
{
	return __atomic_load_n(&p->uid, __ATOMIC_RELAXED);
}
/* p's gid, read whole (as proc_uid). */
static inline int proc_gid(const struct proc *p)
{
	return __atomic_load_n(&p->gid, __ATOMIC_RELAXED);
}
/* Spawn path with argv/envp (kernel copies) and fds from the caller, in the group attr
   chooses (NULL: the caller's); pid or -E_*. */
int proc_spawn(const char *path, char *const argv[], int argc, char *const envp[], int envc,
	       const int *fdmap, int nfd, const struct rb_spawn_attr *attr);
/* Exit the calling thread; the process ends with status when it is the last. */
__attribute__((noreturn)) void proc_thread_exit(int status, bool whole_process);
/* Wait for child pid (-1: any); 0 with *status, -E_CHILD, or 0 with pid 0 for WNOHANG. */
int proc_wait(int pid, int *status, bool nohang);
/* True if a thread of p should leave a blocking wait with -E_INTR: p is
   dying, or a signal is pending that the calling thread does not block
   and p does not ignore. */
bool signal_interrupts(struct proc *p);
/* True if the calling thread of p has a signal to take before it returns
   to user mode (signal_check): p is dying, or a signal is pending that the
   thread does not block (an ignored one too: taking it drops it). Takes
   no lock; a signal sent meanwhile is seen by the next look. */
bool signal_pending_here(struct proc *p);
/* After thread_prepare_block*: block, unless a signal would end the wait
   (signal_interrupts; p NULL: never). The check follows the prepare, so a
   kill sent between the caller's last look and the sleep is not lost: it
   either finds the thread blocked and wakes it, or is seen here. True if
   the caller was interrupted (the prepare is undone, nothing blocked). */
bool proc_block_or_intr(struct proc *p);
/* Sleep until time_ns() >= deadline, or until woken: a signal that would
   end a blocking wait (signal_interrupts) ends the sleep at once, even one
   sent just before it began. */
void proc_sleep_until(uint64_t deadline);
/* Deliver sig to process pid. */
int proc_kill(int pid, int sig);
/* Deliver sig to every live process of group pgid: 0, -E_SRCH (no member), -E_PERM
   (check_perm and none the caller may signal). Safe in interrupt context (pgrp.c). */
int proc_kill_group(int pgid, int sig, bool check_perm);
/* kill(-1): sig to every process the caller may signal except init and
   itself (unreaped zombies count, as in a group). 0, -E_SRCH (none),
   -E_PERM (none the caller may signal), -E_INVAL. */
int proc_kill_all(int sig);
/* True if a process of session sid is in group pgid (pgrp.c). */
bool proc_pgrp_in_session(int pgid, int sid);
/* The session of p, read under proc_lock (pgrp.c). */
int proc_sid(struct proc *p);
/* The process group of p, read under proc_lock (pgrp.c). */
int proc_pgid(struct proc *p);
/* A copy of the caller's working directory into buf[RB_PATH_MAX] (sys_cwd.c). */
void proc_cwd(char *buf);
/* path (a kernel buffer of RB_PATH_MAX bytes) made absolute in place: a relative path is
   resolved against the caller's working directory; 0 or -E_* (ENAMETOOLONG) (sys_cwd.c). */
int proc_abs_path(char *path);
/* A user page fault found no memory within p's limits: report and kill
   the process (SIGKILL), as an out-of-memory kill of the faulter. */
__attribute__((noreturn)) void proc_oom(uint64_t rip, uint64_t addr);
/* A user thread faulted: report and kill its process (SIGSEGV). */
__attribute__((noreturn)) void proc_fault(const char *what, uint64_t rip, uint64_t addr);
/* Find a process by pid and take a reference on it (NULL if none). */
struct proc *proc_find(int pid);
/* Take another reference on p (the caller holds one, or is a thread of p). */
void proc_get(struct proc *p);
/* Drop a reference from proc_find; the last one frees the process. */
void proc_put(struct proc *p);
/* Set the CPU mask of every thread of p and of its future threads. */
void proc_set_affinity(struct proc *p, const struct cpumask *m);
/* Create a user thread in p starting at entry(arg) on stack_top; tid or -E_*. */
int proc_thread_create(struct proc *p, uint64_t entry, uint64_t arg, uint64_t stack_top);

/* Page-table root of p (for the context switch). */
static inline uint64_t proc_root(struct proc *p)
{
	return p->root;
}
