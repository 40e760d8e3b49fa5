/*
 * sched.h - kernel threads and the per-CPU scheduler.
 *
 * Each CPU has its own run queue (lib/sched/runq.c: a real-time class with
 * levels 0-9 and a weighted fair class) under its own lock; there is no
 * global scheduler lock. A thread belongs to one queue at a time, named by
 * t->cpu; it changes queue when an idle CPU steals it (within its CPU mask,
 * t->se.allowed) or when it moves itself (thread_migrate). t->cpu, t->state
 * and t->se change only under the lock of the queue t->cpu names (both
 * queues' locks when t->cpu changes), so code that finds a thread's queue
 * re-checks t->cpu once it holds the lock.
 *
 * Ownership: a thread holds one reference on itself from creation until the
 * CPU it exited on frees its stack; anyone who keeps a thread pointer after
 * dropping the lock that found it takes a reference (thread_get) first and
 * drops it with thread_put, which frees the struct with the last one.
 *
 * The LAPIC timer, re-armed each tick while more than one thread is
 * runnable, asks the policy whether the running thread's slice is over
 * (sched.tick_us on the command line, default 4000); an idle CPU arms no
 * timer at all (tickless idle) and sleeps in hlt until an IPI or interrupt.
 * Waking a thread on another CPU sends that CPU a reschedule IPI.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "sched/pi.h"
#include "sched/runq.h"

enum thread_state {
	THREAD_RUNNABLE,
	THREAD_BLOCKED,	  /* waits for thread_wake (also: created, not yet run) */
	THREAD_MIGRATING, /* moving to another CPU; thread_wake leaves it alone */
	THREAD_DEAD,
};

struct proc;

struct thread {
	uint64_t rsp;	     /* saved stack pointer while switched out */
	uint64_t stack_phys; /* kernel stack pages (0 for a CPU's boot thread) */
	uint64_t kstack_top; /* top of that stack (TSS.rsp0 while it runs) */
	struct proc *proc;   /* owning process; NULL for kernel threads */
	uint64_t wake_at;    /* sleeping: time_ns() to wake at, else 0 */
	struct thread *sleep_next;
	int exit_code; /* user threads: for thread_join */
	bool exited;
	struct thread *joiner; /* a thread blocked in thread_join on this one */
	uint8_t *fpu;	       /* user threads: 512-byte FXSAVE area, 16-aligned */
	struct pi_thread pi;   /* priority inheritance (futex_pi.c) */
	struct sched_entity se;
	unsigned cpu; /* the CPU whose queue it belongs to */
	enum thread_state state;
	bool on_cpu; /* running, or being switched away from: not stealable */
	uint32_t tid;
	_Atomic unsigned refs; /* thread_get/thread_put */
	uint64_t sig_blocked;  /* user threads: blocked signals (bit n: signal n);
				  written by the thread itself under its proc's lock */
	char name[16];
};

/* Read the scheduler options and install its IPI handler (boot CPU, before APs). */
void sched_init(void);
/* The NUMA topology is final: compute every CPU's steal order (boot CPU). */
void sched_topology_ready(void);
/* One CPU's time split and queue length (SYS_CPUINFO). */
struct sched_cpu_stat {
	uint64_t busy_ns, idle_ns; /* since the CPU's scheduler started */
	unsigned runnable;	   /* queued threads, the running one included */
};
/* Fill *out for cpu under its queue lock; false if cpu has no scheduler yet. */
bool sched_cpu_stat(unsigned cpu, struct sched_cpu_stat *out);
/* Called by the timer interrupt on this CPU. */
void sched_tick(void);
/* Create the scheduler state of this CPU; the calling context becomes its idle thread. */
void sched_init_cpu(void);
/* Run the scheduler forever on this CPU (the idle loop). */
__attribute__((noreturn)) void sched_idle(void);
/*
 * Create a kernel thread running fn(arg) on cpu with the given policy and
 * priority (lib/sched/prio.h scale) and make it runnable. NULL on failure.
 */
struct thread *thread_create(void (*fn)(void *), void *arg, const char *name, unsigned cpu,
			     enum sched_policy policy, int prio);
/* As thread_create, for a thread of process p (fair class, nice 0), not
   started yet: the caller records it, then calls thread_run. */
struct thread *thread_create_user(void (*fn)(void *), void *arg, const char *name, unsigned cpu,
				  struct proc *p);
/* Make a thread from thread_create_user/thread_create_in runnable. */
void thread_run(struct thread *t);
/* The general form (not started): a thread of p (NULL: a kernel thread). */
struct thread *thread_create_in(void (*fn)(void *), void *arg, const char *name, unsigned cpu,
				enum sched_policy policy, int prio, struct proc *p);
/* Take a reference on t (the caller holds one, or the lock that found t). */
void thread_get(struct thread *t);
/* Drop a reference; the last one frees the struct. */
void thread_put(struct thread *t);
/* Set the CPUs t may run on (stealing honours it at once); false if t's
   present CPU is not among them (t moves at its next system call). */
bool thread_set_affinity(struct thread *t, const struct cpumask *m);
/* Copy t's CPU mask into *m. */
void thread_get_affinity(struct thread *t, struct cpumask *m);
/* Set t's policy and base priority under the PI graph lock, keeping any
   PI boost and updating the chain t waits on (futex_pi.c). */
int thread_set_base_policy(struct thread *t, enum sched_policy policy, int prio);
/* The exiting thread t gives up every PI futex it holds (futex_pi.c). */
void futex_pi_thread_exit(struct thread *t);
/* Free the PI futex records of process p, whose last thread is gone. */
void futex_pi_proc_exit(struct proc *p);
/* Make every other CPU enter the kernel once (e.g. to act on a new signal). */
void sched_kick_others(void);
/* If t is running on another CPU, make that CPU enter the kernel once
   (after the caller published something t must see, e.g. a signal). */
void thread_kick(struct thread *t);
/* Move the calling thread to another CPU if cpu differs (affinity change). */
void thread_migrate(unsigned cpu);
/* The running thread. */
struct thread *thread_current(void);
/* Block the calling thread until thread_wake (state set under the caller's lock first). */
void thread_block(void);
/* Mark the caller as about to block (before releasing the lock that guards the wake-up). */
void thread_prepare_block(void);
/* Make a blocked thread runnable again; harmless if it already is. */
void thread_wake(struct thread *t);
/* As thread_wake, from a caller that is about to block until t answers it (a scheme request,
   its answer): t may be moved to the caller's CPU, where it runs as soon as the caller
   blocks, with no IPI (see sched.c). */
void thread_wake_sync(struct thread *t);
/* As thread_prepare_block, and also wake by itself at deadline (0: never). */
void thread_prepare_block_until(uint64_t deadline);
/* Change t's run-queue priority only (a PI boost or its end). */
int thread_set_prio(struct thread *t, int prio);
/* Change t's policy and priority (lib/sched/prio.h scale). */
int thread_set_policy(struct thread *t, enum sched_policy policy, int prio);
/* Sleep until time_ns() >= deadline, or until woken. */
void thread_sleep_until(uint64_t deadline);
/* Hook run by the CPU that frees an exited thread (set by proc.c). */
extern void (*thread_reap_hook)(struct thread *t);
/* Let the policy choose again now (after the caller's class changed). */
void thread_resched(void);
/* Give up the CPU to any thread of equal or better claim. */
void thread_yield(void);
/* Root (a process's page tables) is about to be freed: make every CPU that holds it
   lazily (in a kernel thread, see sched.c) load the kernel's. */
void sched_forget_root(uint64_t root);
/* End the calling thread. */
__attribute__((noreturn)) void thread_exit(void);
/* Threads created and not yet freed (kernel threads; idle threads excluded). */
unsigned sched_live_threads(void);
/* Context switches this CPU has made. */
uint64_t sched_switches(void);
