/*
 * sched.h - kernel threads and the per-CPU scheduler.
 *
 * Each CPU has its own run queue (lib/sched/runq.c: a real-time class with
 * levels 0-9 and a weighted fair class) under its own lock; there is no
 * global scheduler lock. A thread stays on the CPU it was created for or
 * woken on in this version (no migration yet), so a thread's stack is only
 * ever used by one CPU at a time without further bookkeeping.
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
#include "sched/runq.h"

enum thread_state { THREAD_RUNNABLE, THREAD_BLOCKED, THREAD_DEAD };

struct thread {
	uint64_t rsp;	       /* saved stack pointer while switched out */
	uint64_t stack_phys;   /* kernel stack pages (0 for a CPU's boot thread) */
	struct sched_entity se;
	unsigned cpu;	       /* the CPU whose queue it belongs to */
	enum thread_state state;
	uint32_t tid;
	char name[16];
};

/* Read the scheduler options and install its IPI handler (boot CPU, before APs). */
void sched_init(void);
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
/* The running thread. */
struct thread *thread_current(void);
/* Give up the CPU to any thread of equal or better claim. */
void thread_yield(void);
/* End the calling thread. */
__attribute__((noreturn)) void thread_exit(void);
/* Threads created and not yet freed (kernel threads; idle threads excluded). */
unsigned sched_live_threads(void);
/* Context switches this CPU has made. */
uint64_t sched_switches(void);
