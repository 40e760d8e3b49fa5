/*
 * thread.c - kernel thread objects (see sched.h): creation, references,
 * kernel stacks and FPU areas, the wake/block API, exit and reaping. The
 * run queues, picking, switching, the tick, stealing and migration live in
 * sched.c; both share the per-CPU state of sched_cpu.h.
 *
 * Ownership: a thread holds one reference on itself from creation until
 * the CPU it exited on reaps it; thread_get/thread_put count the others
 * and the last put frees the struct. Locking: t->state, t->wake_at and the
 * sleep lists change only under the lock of the queue t->cpu names (taken
 * through sched_wake, or this CPU's own lock for the running thread). A
 * CPU's zombie is touched only by that CPU with interrupts off.
 */
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include "arch.h"
#include "core/panic.h"
#include "core/percpu.h"
#include "core/time.h"
#include "fmt/fmt.h"
#include "mm/mem.h"
#include "sched/sched.h"
#include "sched/sched_cpu.h"
#include "sync/irqlock.h"

#define STACK_PAGES 4

static _Atomic uint32_t next_tid = 1;
static _Atomic unsigned live_threads; /* created and not yet reaped */

extern char thread_start_asm[];

void thread_get(struct thread *t)
{
	atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);
}

void thread_put(struct thread *t)
{
	if (atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) == 1)
		kfree(t);
}

/*
 * Free the thread that exited on this CPU, now that we are off its stack.
 * The stack and FPU area go first, so that whoever the hook lets see the
 * exit (a joiner, a parent in waitpid) sees its memory freed already; the
 * hook drops the scheduler's reference before it tells anyone, and the
 * struct goes with the last reference.
 */
void (*thread_reap_hook)(struct thread *t);

void thread_reap_zombie(void)
{
	struct sched_cpu *c = sched_this_cpu();
	struct thread *z = c->zombie;
	if (!z)
		return;
	c->zombie = NULL;
	page_free(z->stack_phys, STACK_PAGES);
	kfree(z->fpu);
	z->fpu = NULL;
	atomic_fetch_sub(&live_threads, 1);
	if (thread_reap_hook)
		thread_reap_hook(z); /* drops the scheduler's reference */
	else
		thread_put(z);
}

unsigned sched_live_threads(void)
{
	return atomic_load(&live_threads);
}

void thread_start(void (*fn)(void *), void *arg);
void thread_start(void (*fn)(void *), void *arg)
{
	sched_finish_switch();
	cpu_sti();
	fn(arg);
	thread_exit();
}

void thread_prepare_block(void)
{
	thread_prepare_block_until(0);
}

void thread_block(void)
{
	uint64_t f = irq_save();
	sched_schedule();
	irq_restore(f);
}

/* Interrupts off: this CPU's queue lock is taken and the sleep list is
   this CPU's, which must stay the queue of the running thread. */
void thread_prepare_block_until(uint64_t deadline)
{
	uint64_t f = irq_save();
	struct sched_cpu *c = sched_this_cpu();
	spin_lock(&c->lock);
	struct thread *t = percpu_curr();
	t->state = THREAD_BLOCKED;
	if (deadline) {
		t->wake_at = deadline;
		t->sleep_next = c->sleepers;
		c->sleepers = t;
	}
	spin_unlock(&c->lock);
	irq_restore(f);
}

void thread_sleep_until(uint64_t deadline)
{
	uint64_t f = irq_save();
	if (deadline > time_ns())
		thread_prepare_block_until(deadline);
	sched_schedule();
	irq_restore(f);
}

struct thread *thread_create(void (*fn)(void *), void *arg, const char *name, unsigned cpu,
			     enum sched_policy policy, int prio)
{
	struct thread *t = thread_create_in(fn, arg, name, cpu, policy, prio, NULL);
	if (t)
		thread_run(t);
	return t;
}

struct thread *thread_create_user(void (*fn)(void *), void *arg, const char *name, unsigned cpu,
				  struct proc *p)
{
	return thread_create_in(fn, arg, name, cpu, SCHED_POLICY_FAIR, sched_prio_from_nice(0), p);
}

void thread_run(struct thread *t)
{
	(void)sched_wake(t, THREAD_BLOCKED);
}

struct thread *thread_create_in(void (*fn)(void *), void *arg, const char *name, unsigned cpu,
				enum sched_policy policy, int prio, struct proc *p)
{
	if (cpu >= MAX_CPUS || !cpumask_test_atomic(&cpu_online, cpu) || !sched_cpus[cpu].ready)
		return NULL;
	struct thread *t = kzalloc(sizeof *t);
	uint64_t stack = page_alloc(STACK_PAGES);
	if (!t || !stack || sched_entity_init(&t->se, policy, prio) < 0) {
		if (stack)
			page_free(stack, STACK_PAGES);
		kfree(t);
		return NULL;
	}
	atomic_fetch_add(&live_threads, 1);
	t->proc = p;
	pi_thread_init(&t->pi, prio);
	if (p) {
		t->fpu = kmalloc(512); /* slab objects of 512 bytes are 16-aligned */
		if (!t->fpu) {
			page_free(stack, STACK_PAGES);
			kfree(t);
			return NULL;
		}
		arch_fpu_init_state(t->fpu);
	}
	t->stack_phys = stack;
	t->kstack_top = (uint64_t)phys_to_virt(stack) + STACK_PAGES * PAGE_SIZE;
	t->cpu = cpu;
	t->state = THREAD_BLOCKED; /* until thread_run */
	atomic_init(&t->refs, 1);  /* the scheduler's, dropped when reaped */
	t->tid = atomic_fetch_add(&next_tid, 1);
	fmt_snprintf(t->name, sizeof t->name, "%s", name);
	cpumask_zero(&t->se.allowed);
	cpumask_set(&t->se.allowed, cpu); /* kernel threads stay where they were put */
	/* The frame switch_to pops: r15 r14 r13 r12 rbx rbp, then the return address. */
	uint64_t *sp = (uint64_t *)((char *)phys_to_virt(stack) + STACK_PAGES * PAGE_SIZE);
	*--sp = 0; /* alignment: thread_start_asm runs with rsp % 16 == 8, like a call */
	*--sp = (uint64_t)thread_start_asm;
	*--sp = 0;	       /* rbp */
	*--sp = 0;	       /* rbx */
	*--sp = (uint64_t)fn;  /* r12 */
	*--sp = (uint64_t)arg; /* r13 */
	*--sp = 0;	       /* r14 */
	*--sp = 0;	       /* r15 */
	t->rsp = (uint64_t)sp;
	return t;
}

void thread_exit(void)
{
	cpu_cli();
	struct sched_cpu *c = sched_this_cpu();
	struct thread *t = percpu_curr();
	KASSERT(t != c->idle, "the idle thread cannot exit");
	KASSERT(!c->zombie, "two zombies on cpu %u", percpu_id());
	t->state = THREAD_DEAD;
	c->zombie = t;
	sched_schedule();
	panic("a dead thread was scheduled again");
}