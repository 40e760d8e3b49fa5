/*
 * sched_cpu.h - the per-CPU scheduler state shared by sched.c (run queues,
 * pick, switch, tick, steal, migrate, idle) and thread.c (thread objects
 * and the wake/block API). Not for use outside kernel/sched/.
 *
 * Locking: each struct sched_cpu is guarded by its own lock (see sched.c),
 * the busy/idle time split included (sched_cpu_stat reads it under it);
 * zombie, migrating, switched_from and root are written only by their own
 * CPU with interrupts off (root is read by others, atomically). The
 * running thread is not here but in the per-CPU block (percpu()->curr,
 * core/percpu.h), so that it reads in one load.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "core/percpu.h"
#include "sched/sched.h"
#include "sync/spinlock.h"

struct sched_cpu {
	struct spinlock lock;
	struct runq rq;
	struct thread *idle, *zombie;
	struct thread *sleepers;      /* threads with wake_at set, under lock */
	struct thread *migrating;     /* switched away from, to be queued on migrate_to */
	struct thread *switched_from; /* prev of the last switch: on_cpu to clear */
	unsigned migrate_to;
	/* The user root this CPU has loaded, 0 for the kernel's (written by this
	   CPU with interrupts off, read by sched_forget_root). */
	uint64_t root;
	uint64_t timer_at; /* time_ns() the timer is armed for; 0: none (this CPU only) */
	bool ready;
	uint64_t switches;
	/* CPU time split (under lock): since acct_at the CPU has been idle
	   (running its idle thread) if acct_idle, else busy. */
	uint64_t acct_at, busy_ns, idle_ns;
	bool acct_idle;
};

extern struct sched_cpu sched_cpus[MAX_CPUS];

/* This CPU's scheduler state (interrupts off, or the answer may be stale). */
static inline struct sched_cpu *sched_this_cpu(void)
{
	return &sched_cpus[percpu_id()];
}

/* Pick and switch to the next thread of this CPU. Interrupts must be off. */
void sched_schedule(void);
/* Make t runnable if its state is from; false if it was not (sched.c). */
bool sched_wake(struct thread *t, enum thread_state from);
/* First thing in the thread switched to (sched.c). */
void sched_finish_switch(void);
/* Free the thread that exited on this CPU, if any (thread.c). */
void thread_reap_zombie(void);
