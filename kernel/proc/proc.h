/*
 * proc.h - processes: an address space, a file table, threads, a parent.
 *
 * A process is created by spawn (exec of an ELF from initfs into a fresh
 * address space, one thread) and ends when its last thread exits or it is
 * killed; its parent collects the status with waitpid, and every page,
 * table, file and thread it held is freed then. Locking: proc_lock (one
 * global lock) guards the process table, parent/child links and exit
 * state; each process's own lock guards its mappings; the fd table is an
 * object with its own lock (fdtable.h).
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "scheme/fdtable.h"
#include "sched/sched.h"
#include "smp/cpumask.h"
#include "sync/spinlock.h"

#define MAX_PROCS 1024
#define MAX_THREADS 64

struct file;

struct proc {
	int pid, ppid, uid;
	char name[32];
	uint64_t root; /* page table root (physical) */
	struct spinlock lock;
	struct fdtable fdt; /* owns its lock; closed when the process ends */
	uint64_t mmap_next; /* where the next anonymous mapping goes */
	int nthreads;	    /* live threads */
	bool dying;	    /* exit or fatal signal: threads leave at their next chance */
	bool exited;	    /* all threads gone; status valid */
	int status;	    /* exit code, or 128 + signal */
	struct thread *waiter; /* a thread blocked in waitpid on this process */
	uint64_t sig_handlers[32], sig_restorers[32], sig_masks[32];
	uint64_t sig_pending; /* changed only with __atomic operations */
	uint64_t sig_blocked;
	struct cpumask affinity; /* CPUs its threads may run on */
	struct {
		int tid;
		struct thread *t; /* valid while !done */
		int code;
		bool done;
		struct thread *joiner;
	} tslots[MAX_THREADS];
};

/* Start /bin/init (or init=PATH) as pid 1; false if it cannot be loaded. */
bool proc_start_init(void);
/* The calling thread's process (NULL for kernel threads). */
struct proc *proc_current(void);
/* Spawn path with argv/envp (kernel copies) and fds from the caller; pid or -E_*. */
int proc_spawn(const char *path, char *const argv[], int argc, char *const envp[], int envc,
	       const int *fdmap, int nfd);
/* Exit the calling thread; the process ends with status when it is the last. */
__attribute__((noreturn)) void proc_thread_exit(int status, bool whole_process);
/* Wait for child pid (-1: any); 0 with *status, -E_CHILD, or 0 with pid 0 for WNOHANG. */
int proc_wait(int pid, int *status, bool nohang);
/* Deliver sig to process pid. */
int proc_kill(int pid, int sig);
/* A user thread faulted: report and kill its process (SIGSEGV). */
__attribute__((noreturn)) void proc_fault(const char *what, uint64_t rip, uint64_t addr);
/* Find a process by pid (caller holds no lock; result valid while it is not reaped). */
struct proc *proc_find(int pid);
/* Create a user thread in p starting at entry(arg) on stack_top; tid or -E_*. */
int proc_thread_create(struct proc *p, uint64_t entry, uint64_t arg, uint64_t stack_top);

/* Free what a process still holds (files, address space) and the struct. */
void proc_release(struct proc *p);

/* Page-table root of p (for the context switch). */
static inline uint64_t proc_root(struct proc *p)
{
	return p->root;
}
