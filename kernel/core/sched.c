/*
 * sched.c - kernel threads on per-CPU run queues (see sched.h).
 *
 * Locking: each CPU's queue has its own spinlock, taken with interrupts off
 * and never held across switch_to. That is safe because a thread only ever
 * runs on its own CPU (t->cpu): the only CPU that can pick a thread is the
 * one switching away from it, and that CPU has interrupts off until the
 * switch is done. Remote CPUs only enqueue under the lock and send an IPI.
 * A thread that exits is freed by the next thread to run on its CPU, once
 * nothing runs on its stack any more (c->zombie).
 */
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/trap.h"
#include "core/boot.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/panic.h"
#include "core/percpu.h"
#include "core/sched.h"
#include "core/spinlock.h"
#include "core/time.h"
#include "fmt/fmt.h"

#define STACK_PAGES 4

struct sched_cpu {
	struct spinlock lock;
	struct runq rq;
	struct thread *curr, *idle, *zombie;
	bool ready;
	uint64_t switches;
};

static struct sched_cpu cpus[MAX_CPUS];
static uint64_t tick_ns = 4000000;
static _Atomic uint32_t next_tid = 1;
static _Atomic unsigned live_threads; /* created and not yet reaped */

void switch_to(uint64_t *old_rsp, uint64_t new_rsp);
extern char thread_start_asm[];

static struct sched_cpu *me(void)
{
	return &cpus[percpu_id()];
}

static struct thread *of(struct sched_entity *se)
{
	return (struct thread *)((char *)se - offsetof(struct thread, se));
}

struct thread *thread_current(void)
{
	return me()->curr;
}

uint64_t sched_switches(void)
{
	return me()->switches;
}

/* Free the thread that exited on this CPU, now that we are off its stack. */
static void reap(void)
{
	struct sched_cpu *c = me();
	struct thread *z = c->zombie;
	if (!z)
		return;
	c->zombie = NULL;
	page_free(z->stack_phys, STACK_PAGES);
	kfree(z);
	atomic_fetch_sub(&live_threads, 1);
}

unsigned sched_live_threads(void)
{
	return atomic_load(&live_threads);
}

/* Pick and switch to the next thread of this CPU. Interrupts must be off. */
static void schedule(void)
{
	struct sched_cpu *c = me();
	uint64_t now = time_ns();
	spin_lock(&c->lock);
	struct thread *prev = c->curr;
	runq_update(&c->rq, now); /* charge prev up to now before it may leave */
	if (prev != c->idle && prev->state != THREAD_RUNNABLE && prev->se.on_rq)
		runq_dequeue(&c->rq, &prev->se);
	struct sched_entity *se = runq_pick(&c->rq, now);
	struct thread *next = se ? of(se) : c->idle;
	bool busy = runq_nr_running(&c->rq) > 1;
	spin_unlock(&c->lock);
	if (busy)
		timer_arm_ns(tick_ns); /* tickless: no timer while one thread or none runs */
	if (next == prev)
		return;
	c->curr = next;
	c->switches++;
	switch_to(&prev->rsp, next->rsp);
	reap();
}

void sched_tick(void)
{
	struct sched_cpu *c = me();
	if (!c->ready)
		return;
	spin_lock(&c->lock);
	bool preempt = c->curr == c->idle ? runq_nr_running(&c->rq) > 0
					  : runq_tick(&c->rq, &c->curr->se, time_ns());
	bool busy = runq_nr_running(&c->rq) > 1;
	spin_unlock(&c->lock);
	if (preempt)
		schedule();
	else if (busy)
		timer_arm_ns(tick_ns);
}

static void resched_irq(struct trap_frame *tf)
{
	lapic_eoi();
	if (me()->ready)
		schedule();
}

void sched_init(void)
{
	uint64_t us;
	if (cmdline_get_u64(&boot_cmdline, "sched.tick_us", &us) == 0) {
		if (us >= 100 && us <= 1000000)
			tick_ns = us * 1000;
		else
			kprintf("sched: sched.tick_us=%lu out of range (100-1000000); using %lu\n",
				(unsigned long)us, (unsigned long)(tick_ns / 1000));
	}
	trap_register(VEC_RESCHED, resched_irq);
	kprintf("sched: preemption interval %lu us, tickless idle\n",
		(unsigned long)(tick_ns / 1000));
}

void sched_init_cpu(void)
{
	struct sched_cpu *c = me();
	struct sched_config cfg = SCHED_CONFIG_DEFAULT;
	cfg.latency_ns = tick_ns * 2 > cfg.latency_ns ? tick_ns * 2 : cfg.latency_ns;
	KASSERT(runq_init(&c->rq, &cfg, time_ns()) == 0, "bad scheduler configuration");
	spin_init(&c->lock);
	c->idle = kzalloc(sizeof *c->idle);
	KASSERT(c->idle, "no memory for the idle thread");
	fmt_snprintf(c->idle->name, sizeof c->idle->name, "idle/%u", percpu_id());
	c->idle->cpu = percpu_id();
	c->curr = c->idle;
	c->ready = true;
}

void sched_idle(void)
{
	for (;;) {
		cpu_cli();
		struct sched_cpu *c = me();
		if (runq_nr_running(&c->rq) > 0)
			schedule();
		else
			__asm__ volatile("sti; hlt"); /* sti's shadow covers hlt: no lost wake-up */
	}
}

void thread_start(void (*fn)(void *), void *arg);
void thread_start(void (*fn)(void *), void *arg)
{
	reap();
	cpu_sti();
	fn(arg);
	thread_exit();
}

/*
 * Make t runnable on its CPU. A remote CPU always gets an IPI: besides a
 * preemption, its tick may have to start (tickless while it ran one thread
 * alone), and only that CPU can arm its own timer.
 */
static void wake(struct thread *t)
{
	struct sched_cpu *c = &cpus[t->cpu];
	uint64_t f = spin_lock_irqsave(&c->lock);
	t->state = THREAD_RUNNABLE;
	runq_enqueue(&c->rq, &t->se, time_ns());
	bool busy = runq_nr_running(&c->rq) > 1;
	spin_unlock_irqrestore(&c->lock, f);
	if (t->cpu == percpu_id()) {
		if (busy)
			timer_arm_ns(tick_ns);
	} else if (lapic_send(ICR_MODE_FIXED, VEC_RESCHED, ICR_LEVEL_ASSERT, ICR_DEST_FIELD,
			      smp_cpu_apic_id(t->cpu)) < 0) {
		panic("sched: cannot send a reschedule IPI to cpu %u", t->cpu);
	}
}

struct thread *thread_create(void (*fn)(void *), void *arg, const char *name, unsigned cpu,
			     enum sched_policy policy, int prio)
{
	if (cpu >= MAX_CPUS || !cpumask_test_atomic(&cpu_online, cpu) || !cpus[cpu].ready)
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
	t->stack_phys = stack;
	t->cpu = cpu;
	t->tid = atomic_fetch_add(&next_tid, 1);
	fmt_snprintf(t->name, sizeof t->name, "%s", name);
	cpumask_zero(&t->se.allowed);
	cpumask_set(&t->se.allowed, cpu);
	/* The frame switch_to pops: r15 r14 r13 r12 rbx rbp, then the return address. */
	uint64_t *sp = (uint64_t *)((char *)phys_to_virt(stack) + STACK_PAGES * PAGE_SIZE);
	*--sp = 0; /* alignment: thread_start_asm runs with rsp % 16 == 8, like a call */
	*--sp = (uint64_t)thread_start_asm;
	*--sp = 0;		/* rbp */
	*--sp = 0;		/* rbx */
	*--sp = (uint64_t)fn;	/* r12 */
	*--sp = (uint64_t)arg;	/* r13 */
	*--sp = 0;		/* r14 */
	*--sp = 0;		/* r15 */
	t->rsp = (uint64_t)sp;
	wake(t);
	return t;
}

void thread_yield(void)
{
	uint64_t f = irq_save();
	struct sched_cpu *c = me();
	if (c->curr != c->idle) {
		spin_lock(&c->lock);
		runq_yield(&c->rq, time_ns());
		spin_unlock(&c->lock);
	}
	schedule();
	irq_restore(f);
}

void thread_exit(void)
{
	cpu_cli();
	struct sched_cpu *c = me();
	KASSERT(c->curr != c->idle, "the idle thread cannot exit");
	KASSERT(!c->zombie, "two zombies on cpu %u", percpu_id());
	c->curr->state = THREAD_DEAD;
	c->zombie = c->curr;
	schedule();
	panic("a dead thread was scheduled again");
}
