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
#include "arch.h"
#include "boot/boot.h"
#include "core/log.h"
#include "mm/mem.h"
#include "core/panic.h"
#include "boot/numa.h"
#include "core/percpu.h"
#include "sched/steal.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "sync/irqlock.h"
#include "core/time.h"
#include "fmt/fmt.h"

#define STACK_PAGES 4

struct sched_cpu {
	struct spinlock lock;
	struct runq rq;
	struct thread *curr, *idle, *zombie;
	struct thread *sleepers; /* threads with wake_at set, under lock */
	struct thread *migrating; /* switched away from, to be queued on migrate_to */
	struct thread *switched_from; /* prev of the last switch: on_cpu to clear */
	unsigned migrate_to;
	bool ready;
	uint64_t switches;
};

static struct sched_cpu cpus[MAX_CPUS];
static struct cpumask idle_cpus; /* CPUs sleeping in sched_idle (atomic bits) */
/* Steal order of each CPU (lib/sched/steal.c), computed once the NUMA
   topology is final; until then idle CPUs do not steal (no threads yet). */
static uint8_t steal_list[MAX_CPUS][MAX_CPUS];
static uint16_t steal_len[MAX_CPUS];
static _Atomic bool steal_ready;
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
void (*thread_reap_hook)(struct thread *t);

static void reap(void)
{
	struct sched_cpu *c = me();
	struct thread *z = c->zombie;
	if (!z)
		return;
	c->zombie = NULL;
	if (thread_reap_hook)
		thread_reap_hook(z);
	page_free(z->stack_phys, STACK_PAGES);
	kfree(z->fpu);
	kfree(z);
	atomic_fetch_sub(&live_threads, 1);
}

unsigned sched_live_threads(void)
{
	return atomic_load(&live_threads);
}

static void wake(struct thread *t);
static void finish_migration(void);
static void reap(void);

/* First thing in the thread switched to: the previous one is off its stack. */
static void finish_switch(void)
{
	struct sched_cpu *c = me();
	struct thread *prev = c->switched_from;
	c->switched_from = NULL;
	if (prev) {
		spin_lock(&c->lock);
		prev->on_cpu = false; /* now a thief may take it */
		spin_unlock(&c->lock);
	}
	reap();
	finish_migration();
}

/* Queue a thread that left this CPU for another, now that its stack is free. */
static void finish_migration(void)
{
	struct sched_cpu *c = me();
	struct thread *t = c->migrating;
	if (!t)
		return;
	c->migrating = NULL;
	t->cpu = c->migrate_to;
	wake(t);
}

/* Earliest wake-up among this CPU's sleepers, or 0. Queue lock held. */
static uint64_t next_wake(struct sched_cpu *c)
{
	uint64_t w = 0;
	for (struct thread *t = c->sleepers; t; t = t->sleep_next)
		if (!w || t->wake_at < w)
			w = t->wake_at;
	return w;
}

/* Arm this CPU's timer for the next tick (when busy) or the next sleeper. */
static void arm_timer(struct sched_cpu *c, bool busy, uint64_t wake, uint64_t now)
{
	uint64_t delay = busy ? tick_ns : 0;
	if (wake && (!delay || wake - now < delay))
		delay = wake > now ? wake - now : 1000;
	if (delay)
		timer_arm_ns(delay); /* tickless: nothing armed when idle with no sleeper */
}

/* The FPU/SSE state of a fresh thread: after fninit, MXCSR at its reset value. */
static uint8_t fpu_initial[512] __attribute__((aligned(16)));

/* Turn on x87/SSE for user code on this CPU (the kernel itself never uses it). */
static void fpu_init_cpu(void)
{
	uint64_t cr0 = read_cr0();
	cr0 &= ~(1ull << 2); /* EM off: x87 instructions execute */
	cr0 |= 1ull << 1;    /* MP */
	cr0 &= ~(1ull << 3); /* TS off: no lazy-switch traps */
	write_cr0(cr0);
	write_cr4(read_cr4() | (1ull << 9) | (1ull << 10)); /* OSFXSR, OSXMMEXCPT */
	if (percpu_id() == 0) {
		uint32_t mxcsr = 0x1F80;
		__asm__ volatile("fninit; ldmxcsr %1; fxsave %0" : "=m"(fpu_initial) : "m"(mxcsr));
	}
}

/* Everything about the CPU that follows the running thread. */
static void switch_context(struct thread *prev, struct thread *next)
{
	/* Eager FPU switch: user threads keep their x87/SSE registers apart. */
	if (prev->fpu)
		__asm__ volatile("fxsave %0" : "=m"(*(uint8_t(*)[512])prev->fpu));
	if (next->fpu)
		__asm__ volatile("fxrstor %0" : : "m"(*(uint8_t(*)[512])next->fpu));
	if (next->kstack_top) {
		percpu()->kstack_top = next->kstack_top;
		percpu()->gdt.tss.rsp[0] = next->kstack_top;
	}
	uint64_t root = next->proc ? proc_root(next->proc) : paging_kernel_root();
	if (read_cr3() != root)
		write_cr3(root);
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

	uint64_t wake = next_wake(c);
	spin_unlock(&c->lock);
	arm_timer(c, busy, wake, now);
	if (next == prev)
		return;
	c->curr = next;
	c->switches++;
	next->on_cpu = true;
	c->switched_from = prev;
	switch_context(prev, next);
	switch_to(&prev->rsp, next->rsp);
	finish_switch();
}

/* Wake this CPU's sleepers whose time has come. Queue lock held. */
static void wake_sleepers(struct sched_cpu *c, uint64_t now)
{
	struct thread **pp = &c->sleepers;
	while (*pp) {
		struct thread *t = *pp;
		if (t->wake_at > now) {
			pp = &t->sleep_next;
			continue;
		}
		*pp = t->sleep_next;
		t->wake_at = 0;
		if (t->state == THREAD_BLOCKED) {
			t->state = THREAD_RUNNABLE;
			if (!t->se.on_rq)
				runq_enqueue(&c->rq, &t->se, now);
		}
	}
}

void sched_tick(void)
{
	struct sched_cpu *c = me();
	if (!c->ready)
		return;
	uint64_t now = time_ns();
	spin_lock(&c->lock);
	wake_sleepers(c, now);
	bool preempt = c->curr == c->idle ? runq_nr_running(&c->rq) > 0
					  : runq_tick(&c->rq, &c->curr->se, now);
	bool busy = runq_nr_running(&c->rq) > 1;
	uint64_t wake = next_wake(c);
	spin_unlock(&c->lock);
	if (preempt)
		schedule();
	else
		arm_timer(c, busy, wake, now);
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
	fpu_init_cpu();
	struct sched_config cfg = SCHED_CONFIG_DEFAULT;
	cfg.latency_ns = tick_ns * 2 > cfg.latency_ns ? tick_ns * 2 : cfg.latency_ns;
	KASSERT(runq_init(&c->rq, &cfg, time_ns()) == 0, "bad scheduler configuration");
	spin_init(&c->lock);
	/* Static, not from the heap: 255 APs queueing on the heap lock at once
	   made bring-up crawl under TCG (a ticket lock convoy). */
	static struct thread idle_threads[MAX_CPUS];
	c->idle = &idle_threads[percpu_id()];
	fmt_snprintf(c->idle->name, sizeof c->idle->name, "idle/%u", percpu_id());
	c->idle->cpu = percpu_id();
	c->curr = c->idle;
	c->ready = true;
}

/*
 * An idle CPU takes a waiting thread from a busy one: same NUMA node first,
 * then others by SLIT distance (lib/sched/steal.c). Only one queue lock is
 * held at a time. A thread still on its CPU (being switched away from) is
 * put back rather than taken. True if something was stolen.
 */
void sched_topology_ready(void)
{
	static unsigned order[MAX_CPUS];
	for (unsigned cpu = cpumask_first(&cpu_online); cpu < MAX_CPUS;
	     cpu = cpumask_next(&cpu_online, cpu)) {
		int n = steal_order(numa_topology(), cpu, &cpu_online, order, MAX_CPUS);
		for (int i = 0; i < n; i++)
			steal_list[cpu][i] = (uint8_t)order[i];
		steal_len[cpu] = n > 0 ? (uint16_t)n : 0;
	}
	atomic_store_explicit(&steal_ready, true, memory_order_release);
}

static bool steal(void)
{
	if (!atomic_load_explicit(&steal_ready, memory_order_acquire))
		return false;
	unsigned self = percpu_id();
	for (unsigned i = 0; i < steal_len[self]; i++) {
		struct sched_cpu *v = &cpus[steal_list[self][i]];
		if (!v->ready || runq_nr_running(&v->rq) < 2)
			continue;
		uint64_t now = time_ns();
		spin_lock(&v->lock);
		struct sched_entity *se = runq_nr_running(&v->rq) > 1 ? runq_steal(&v->rq, self)
								       : NULL;
		if (se && of(se)->on_cpu) {
			runq_enqueue(&v->rq, se, now);
			se = NULL;
		}
		spin_unlock(&v->lock);
		if (!se)
			continue;
		struct sched_cpu *c = me();
		spin_lock(&c->lock);
		of(se)->cpu = self;
		runq_enqueue(&c->rq, se, now);
		spin_unlock(&c->lock);
		return true;
	}
	return false;
}

void sched_idle(void)
{
	for (;;) {
		cpu_cli();
		struct sched_cpu *c = me();
		if (runq_nr_running(&c->rq) > 0 || steal()) {
			schedule();
			continue;
		}
		cpumask_set_atomic(&idle_cpus, percpu_id());
		if (runq_nr_running(&c->rq) == 0)
			__asm__ volatile("sti; hlt"); /* sti's shadow covers hlt: no lost wake-up */
		cpumask_clear_atomic(&idle_cpus, percpu_id());
	}
}

/* A queue just got a second runnable thread: wake one idle CPU to steal it. */
static void kick_idle(unsigned busy_cpu)
{
	for (unsigned cpu = cpumask_first(&idle_cpus); cpu < MAX_CPUS;
	     cpu = cpumask_next(&idle_cpus, cpu)) {
		if (cpu == busy_cpu || cpu == percpu_id() || !cpus[cpu].ready)
			continue;
		if (lapic_send(ICR_MODE_FIXED, VEC_RESCHED, ICR_LEVEL_ASSERT, ICR_DEST_FIELD,
			       smp_cpu_apic_id(cpu)) < 0)
			panic("sched: cannot wake idle cpu %u", cpu);
		return;
	}
}

void thread_start(void (*fn)(void *), void *arg);
void thread_start(void (*fn)(void *), void *arg)
{
	finish_switch();
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
	if (t->wake_at) { /* leave the sleep list */
		for (struct thread **pp = &c->sleepers; *pp; pp = &(*pp)->sleep_next)
			if (*pp == t) {
				*pp = t->sleep_next;
				break;
			}
		t->wake_at = 0;
	}
	if (!t->se.on_rq) /* still queued: it has not switched away yet */
		runq_enqueue(&c->rq, &t->se, time_ns());
	bool busy = runq_nr_running(&c->rq) > 1;
	unsigned target = t->cpu;
	spin_unlock_irqrestore(&c->lock, f);
	if (busy && !cpumask_empty(&idle_cpus))
		kick_idle(target);
	if (target == percpu_id()) {
		if (busy)
			timer_arm_ns(tick_ns);
	} else if (lapic_send(ICR_MODE_FIXED, VEC_RESCHED, ICR_LEVEL_ASSERT, ICR_DEST_FIELD,
			      smp_cpu_apic_id(target)) < 0) {
		panic("sched: cannot send a reschedule IPI to cpu %u", target);
	}
}

void thread_wake(struct thread *t)
{
	struct sched_cpu *c = &cpus[t->cpu];
	uint64_t f = spin_lock_irqsave(&c->lock);
	bool blocked = t->state == THREAD_BLOCKED;
	spin_unlock_irqrestore(&c->lock, f);
	if (blocked)
		wake(t);
}

void thread_prepare_block(void)
{
	struct sched_cpu *c = me();
	uint64_t f = spin_lock_irqsave(&c->lock);
	c->curr->state = THREAD_BLOCKED;
	spin_unlock_irqrestore(&c->lock, f);
}

void thread_block(void)
{
	uint64_t f = irq_save();
	schedule();
	irq_restore(f);
}

void thread_prepare_block_until(uint64_t deadline)
{
	struct sched_cpu *c = me();
	uint64_t f = spin_lock_irqsave(&c->lock);
	struct thread *t = c->curr;
	t->state = THREAD_BLOCKED;
	if (deadline) {
		t->wake_at = deadline;
		t->sleep_next = c->sleepers;
		c->sleepers = t;
	}
	spin_unlock_irqrestore(&c->lock, f);
}

int thread_set_prio(struct thread *t, int prio)
{
	struct sched_cpu *c = &cpus[t->cpu];
	uint64_t f = spin_lock_irqsave(&c->lock);
	int err = runq_set_prio(&c->rq, &t->se, prio, time_ns());
	spin_unlock_irqrestore(&c->lock, f);
	return err;
}

int thread_set_policy(struct thread *t, enum sched_policy policy, int prio)
{
	struct sched_cpu *c = &cpus[t->cpu];
	uint64_t f = spin_lock_irqsave(&c->lock);
	int err = 0;
	if (t->se.policy != policy) {
		/* a class change: requeue with a fresh entity of the new policy */
		bool queued = t->se.on_rq;
		if (queued)
			runq_dequeue(&c->rq, &t->se);
		struct cpumask allowed = t->se.allowed;
		err = sched_entity_init(&t->se, policy, prio);
		t->se.allowed = allowed;
		if (queued)
			runq_enqueue(&c->rq, &t->se, time_ns());
	} else {
		err = runq_set_prio(&c->rq, &t->se, prio, time_ns());
	}
	spin_unlock_irqrestore(&c->lock, f);
	return err;
}

void thread_sleep_until(uint64_t deadline)
{
	struct sched_cpu *c = me();
	uint64_t f = spin_lock_irqsave(&c->lock);
	struct thread *t = c->curr;
	if (deadline > time_ns()) {
		t->state = THREAD_BLOCKED;
		t->wake_at = deadline;
		t->sleep_next = c->sleepers;
		c->sleepers = t;
	}
	spin_unlock_irqrestore(&c->lock, f);
	thread_block();
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
	wake(t);
}

struct thread *thread_create_in(void (*fn)(void *), void *arg, const char *name, unsigned cpu,
				enum sched_policy policy, int prio, struct proc *p)
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
	t->proc = p;
	pi_thread_init(&t->pi, prio);
	if (p) {
		t->fpu = kmalloc(512); /* slab objects of 512 bytes are 16-aligned */
		if (!t->fpu) {
			page_free(stack, STACK_PAGES);
			kfree(t);
			return NULL;
		}
		memcpy(t->fpu, fpu_initial, 512);
	}
	t->stack_phys = stack;
	t->kstack_top = (uint64_t)phys_to_virt(stack) + STACK_PAGES * PAGE_SIZE;
	t->cpu = cpu;
	t->tid = atomic_fetch_add(&next_tid, 1);
	fmt_snprintf(t->name, sizeof t->name, "%s", name);
	cpumask_zero(&t->se.allowed);
	cpumask_set(&t->se.allowed, cpu); /* kernel threads stay where they were put */
	if (p)
		t->se.allowed = p->affinity; /* user threads may be stolen within it */
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
	return t;
}

void sched_kick_others(void)
{
	for (unsigned cpu = cpumask_first(&cpu_online); cpu < MAX_CPUS;
	     cpu = cpumask_next(&cpu_online, cpu))
		if (cpu != percpu_id() && cpus[cpu].ready &&
		    lapic_send(ICR_MODE_FIXED, VEC_RESCHED, ICR_LEVEL_ASSERT, ICR_DEST_FIELD,
			       smp_cpu_apic_id(cpu)) < 0)
			panic("sched: cannot kick cpu %u", cpu);
}

void thread_migrate(unsigned cpu)
{
	uint64_t f = irq_save();
	struct sched_cpu *c = me();
	struct thread *t = c->curr;
	if (cpu == t->cpu || cpu >= MAX_CPUS || !cpus[cpu].ready || t == c->idle) {
		irq_restore(f);
		return;
	}
	spin_lock(&c->lock);
	t->state = THREAD_BLOCKED; /* schedule() takes it off this queue */
	spin_unlock(&c->lock);
	c->migrating = t;
	c->migrate_to = cpu;
	schedule(); /* resumes on the new CPU */
	irq_restore(f);
}

void thread_resched(void)
{
	uint64_t f = irq_save();
	schedule();
	irq_restore(f);
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
