/*
 * sched.c - kernel threads on per-CPU run queues (see sched.h).
 *
 * Locking: each CPU's queue has its own spinlock, taken with interrupts off
 * and never held across switch_to. A thread's queue is the one t->cpu
 * names; lock_rq_of() locks it and re-checks t->cpu, which changes only with
 * both the old and the new queue locked (steal, finish_migration; two queue
 * locks are taken lower CPU id first). Only the CPU that owns a queue picks
 * from it, and a thread still on its CPU's stack (on_cpu) is never taken by
 * a thief. The running thread lives in the per-CPU block (percpu()->curr,
 * written here with interrupts off) and is read in one %gs-relative load
 * (percpu_curr), which no preemption or steal can split.
 *
 * A thread that exits is reaped by the next thread to run on its CPU, once
 * nothing runs on its stack any more (c->zombie): its stack goes at once,
 * the struct with its last reference (thread_put). A thread moving to
 * another CPU (c->migrating) is queued there by the next thread to run on
 * the CPU it left, for the same reason.
 *
 * Each CPU splits its time into busy and idle (cpu_account at every pick,
 * under the queue lock); sched_cpu_stat reads the split under the same
 * lock for SYS_CPUINFO.
 *
 * Timer: a busy queue (two or more runnable) has a tick armed; a wake-up
 * that makes the queue busy arms it, later wake-ups leave it alone. Idle
 * CPUs sleep in hlt with their bit set in idle_cpus; a waker that makes a
 * queue busy sends one allowed idle CPU, nearest first, an IPI to steal.
 */
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include "arch.h"
#include "boot/boot.h"
#include "core/ipi.h"
#include "core/log.h"
#include "mm/mem.h"
#include "core/panic.h"
#include "boot/numa.h"
#include "dev/hw.h"
#include "core/percpu.h"
#include "sched/steal.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "sync/irqlock.h"
#include "core/time.h"
#include "fmt/fmt.h"

#include "sched/sched_cpu.h"
#include "scheme/poll.h"

struct sched_cpu sched_cpus[MAX_CPUS];
static struct cpumask idle_cpus; /* CPUs sleeping in sched_idle (atomic bits) */
/* Steal order of each CPU (lib/sched/steal.c), computed once the NUMA
   topology is final; until then idle CPUs do not steal (no threads yet). */
static uint8_t steal_list[MAX_CPUS][MAX_CPUS];
static uint16_t steal_len[MAX_CPUS];
static _Atomic bool steal_ready;
static uint64_t tick_ns = 4000000;

void switch_to(uint64_t *old_rsp, uint64_t new_rsp);

static struct sched_cpu *me(void)
{
	return &sched_cpus[percpu_id()];
}

static struct thread *of(struct sched_entity *se)
{
	return (struct thread *)((char *)se - offsetof(struct thread, se));
}

/* One %gs-relative load: no preemption can come between finding this CPU
   and reading its running thread, so interrupts stay as they are. */
struct thread *thread_current(void)
{
	return percpu_curr();
}

/*
 * Lock the run queue t belongs to and return it. t->cpu changes only under
 * the lock of the queue it names (and, when it changes, of the new one), so
 * once the re-check passes it stays put until the caller unlocks.
 */
static struct sched_cpu *lock_rq_of(struct thread *t, uint64_t *flags)
{
	for (;;) {
		unsigned cpu = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
		struct sched_cpu *c = &sched_cpus[cpu];
		*flags = spin_lock_irqsave(&c->lock);
		if (__atomic_load_n(&t->cpu, __ATOMIC_RELAXED) == cpu)
			return c;
		spin_unlock_irqrestore(&c->lock, *flags);
	}
}

/* Take two queue locks (interrupts already off), lower CPU id first. */
static void lock_two(struct sched_cpu *a, struct sched_cpu *b)
{
	if (a == b) {
		spin_lock(&a->lock);
		return;
	}
	if (a > b) {
		struct sched_cpu *x = a;
		a = b;
		b = x;
	}
	spin_lock(&a->lock);
	spin_lock(&b->lock);
}

static void unlock_two(struct sched_cpu *a, struct sched_cpu *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

uint64_t sched_switches(void)
{
	return me()->switches;
}

static void finish_migration(void);

/* First thing in the thread switched to: the previous one is off its stack. */
void sched_finish_switch(void)
{
	struct sched_cpu *c = me();
	struct thread *prev = c->switched_from;
	c->switched_from = NULL;
	if (prev) /* now a thief may take it (it reads on_cpu under the queue lock) */
		__atomic_store_n(&prev->on_cpu, false, __ATOMIC_RELEASE);
	thread_reap_zombie();
	finish_migration();
}

/*
 * Queue a thread that left this CPU for another, now that its stack is
 * free. It is THREAD_MIGRATING until then, which thread_wake leaves alone;
 * t->cpu changes with both queues locked.
 */
static void finish_migration(void)
{
	struct sched_cpu *c = me();
	struct thread *t = c->migrating;
	if (!t)
		return;
	c->migrating = NULL;
	struct sched_cpu *to = &sched_cpus[c->migrate_to];
	uint64_t f = irq_save();
	lock_two(c, to);
	__atomic_store_n(&t->cpu, c->migrate_to, __ATOMIC_RELEASE);
	unlock_two(c, to);
	irq_restore(f);
	sched_wake(t, THREAD_MIGRATING);
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

/*
 * Arm this CPU's timer for the next tick (when busy) or the next sleeper.
 * A timer already armed no later than that is left alone (it fires, and
 * sched_tick looks again): no LAPIC write on most switches.
 */
static void arm_timer(struct sched_cpu *c, bool busy, uint64_t wake, uint64_t now)
{
	uint64_t delay = busy ? tick_ns : 0;
	if (wake && (!delay || wake - now < delay))
		delay = wake > now ? wake - now : 1000;
	if (!delay)
		return; /* tickless: nothing armed when idle with no sleeper */
	if (c->timer_at > now && c->timer_at <= now + delay)
		return;
	c->timer_at = now + delay;
	timer_arm_ns(delay);
}

/* Load root (0: the kernel's) on this CPU, interrupts off. */
static void load_root(struct sched_cpu *c, uint64_t root)
{
	__atomic_store_n(&c->root, root, __ATOMIC_RELAXED);
	arch_switch_root(root ? root : paging_kernel_root());
}

/*
 * Everything about the CPU that follows the running thread. A kernel
 * thread (the idle thread above all) keeps the address space that is
 * loaded, lazily: it uses only the kernel half, which every root shares.
 * A CPU that goes idle between two threads of one process (a driver that
 * waits for its device's interrupt) then writes CR3 no more, which under
 * TCG also keeps the soft TLB that each CR3 write flushes. A root is
 * never freed while a CPU holds it: sched_forget_root first.
 */
static void switch_context(struct thread *prev, struct thread *next)
{
	/* Eager FPU switch: user threads keep their x87/SSE registers apart. */
	if (prev->fpu)
		arch_fpu_save(prev->fpu);
	if (next->fpu)
		arch_fpu_restore(next->fpu);
	if (next->kstack_top)
		arch_set_kernel_stack(next->kstack_top);
	if (next->proc)
		load_root(me(), proc_root(next->proc));
	hw_switch(next->proc); /* its I/O ports, or none */
}

/* Cross call of sched_forget_root: leave *arg if this CPU holds it. */
static void drop_root(void *arg)
{
	struct sched_cpu *c = me();
	if (__atomic_load_n(&c->root, __ATOMIC_RELAXED) == *(const uint64_t *)arg)
		load_root(c, 0);
}

/*
 * Root is about to be freed: no thread of its process runs any more
 * (each was switched away from before it was reaped), so a CPU holds it
 * only lazily, in a kernel thread, and none takes it up again. This CPU
 * drops it at once; each other CPU that holds it gets a cross call that
 * drops it there (rare: a CPU that went idle straight from the process
 * and has not run a user thread since). c->root is written only by its
 * CPU; the reaps of the process's threads, under its lock, order every
 * write of root before this read.
 */
void sched_forget_root(uint64_t root)
{
	uint64_t f = irq_save();
	drop_root(&root);
	unsigned self = percpu_id();
	struct cpumask holders;
	cpumask_zero(&holders);
	for (unsigned cpu = cpumask_first(&cpu_online); cpu < MAX_CPUS;
	     cpu = cpumask_next(&cpu_online, cpu))
		if (cpu != self && __atomic_load_n(&sched_cpus[cpu].root, __ATOMIC_RELAXED) == root)
			cpumask_set(&holders, cpu);
	irq_restore(f);
	if (!cpumask_empty(&holders))
		smp_call_mask(&holders, drop_root, &root);
}

/* Charge the time since the last switch to busy or idle, and start the
   next stretch as idle or not. Queue lock held. */
static void cpu_account(struct sched_cpu *c, uint64_t now, bool idle)
{
	if (now > c->acct_at) {
		if (c->acct_idle)
			c->idle_ns += now - c->acct_at;
		else
			c->busy_ns += now - c->acct_at;
		c->acct_at = now;
	}
	c->acct_idle = idle;
}

bool sched_cpu_stat(unsigned cpu, struct sched_cpu_stat *out)
{
	if (cpu >= MAX_CPUS)
		return false;
	struct sched_cpu *c = &sched_cpus[cpu];
	if (!__atomic_load_n(&c->ready, __ATOMIC_ACQUIRE))
		return false;
	uint64_t f = spin_lock_irqsave(&c->lock);
	cpu_account(c, time_ns(), c->acct_idle); /* bring the split up to now */
	out->busy_ns = c->busy_ns;
	out->idle_ns = c->idle_ns;
	out->runnable = runq_nr_running(&c->rq);
	spin_unlock_irqrestore(&c->lock, f);
	return true;
}

/*
 * Pick and switch to the next thread of this CPU (after a yield of the
 * running one if yield). Interrupts must be off. preempt: an interrupt
 * takes the CPU from the running thread, which did not ask to stop; one
 * that is BLOCKED has only prepared to block (thread_prepare_block) and
 * not blocked yet, so it stays queued: it will look at its condition and
 * call thread_block itself. Taking it off here would lose a wake-up that
 * came before the prepare, which the thread was about to see.
 */
static void schedule_as(bool yield, bool preempt)
{
	struct sched_cpu *c = me();
	uint64_t now = time_ns();
	spin_lock(&c->lock);
	struct thread *prev = percpu_curr();
	if (yield && prev != c->idle)
		runq_yield(&c->rq, now);
	runq_update(&c->rq, now); /* charge prev up to now before it may leave */
	if (prev != c->idle && prev->state == THREAD_MIGRATING && prev->se.on_rq)
		runq_detach(&c->rq, &prev->se); /* vruntime relative, as when stolen */
	else if (prev != c->idle && prev->state != THREAD_RUNNABLE && prev->se.on_rq &&
		 !(preempt && prev->state == THREAD_BLOCKED))
		runq_dequeue(&c->rq, &prev->se);
	struct sched_entity *se = runq_pick(&c->rq, now);
	struct thread *next = se ? of(se) : c->idle;
	cpu_account(c, now, next == c->idle);
	KASSERT(next->cpu == percpu_id(), "thread %u queued on cpu %u belongs to cpu %u", next->tid,
		percpu_id(), next->cpu);
	bool busy = runq_nr_running(&c->rq) > 1;

	uint64_t wake = next_wake(c);
	spin_unlock(&c->lock);
	arm_timer(c, busy, wake, now);
	if (next == prev)
		return;
	percpu()->curr = next;
	c->switches++;
	next->on_cpu = true;
	atomic_thread_fence(memory_order_seq_cst); /* pairs with thread_kick */
	c->switched_from = prev;
	switch_context(prev, next);
	switch_to(&prev->rsp, next->rsp);
	sched_finish_switch();
}

void sched_schedule(void)
{
	schedule_as(false, false);
}

/* The running thread is preempted (timer or reschedule IPI). */
static void sched_preempt(void)
{
	schedule_as(false, true);
}

/* Take t off c's sleep list if it is on it (a timed block). Queue lock held. */
static void sleepers_remove(struct sched_cpu *c, struct thread *t)
{
	if (!t->wake_at)
		return;
	for (struct thread **pp = &c->sleepers; *pp; pp = &(*pp)->sleep_next)
		if (*pp == t) {
			*pp = t->sleep_next;
			break;
		}
	t->wake_at = 0;
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
	kmsg_poke();	/* no lock held: wake kmsg: readers if the log grew (scheme/kmsg.c) */
	console_poke(); /* and the screen's renderer (core/console.c) */
	uint64_t now = time_ns();
	c->timer_at = 0; /* it fired */
	spin_lock(&c->lock);
	wake_sleepers(c, now);
	struct thread *curr = percpu_curr();
	bool preempt =
	    curr == c->idle ? runq_nr_running(&c->rq) > 0 : runq_tick(&c->rq, &curr->se, now);
	bool busy = runq_nr_running(&c->rq) > 1;
	uint64_t wake = next_wake(c);
	spin_unlock(&c->lock);
	if (preempt)
		sched_preempt();
	else
		arm_timer(c, busy, wake, now);
}

static void resched_irq(struct trap_frame *tf)
{
	lapic_eoi();
	if (me()->ready)
		sched_preempt();
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
	arch_fpu_init_cpu();
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
	percpu()->curr = c->idle;
	c->acct_at = time_ns();
	c->acct_idle = false; /* bring-up and the first pick count as busy */
	__atomic_store_n(&c->ready, true, __ATOMIC_RELEASE);
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

/*
 * Take one waiting thread off v for CPU self, both queues locked. A thread
 * still on its CPU's stack (on_cpu: being switched away from) cannot move;
 * it is set aside and the next candidate tried, up to STEAL_TRIES, and the
 * ones set aside go back to v. NULL if nothing could be taken.
 */
#define STEAL_TRIES 4
static struct sched_entity *steal_one(struct sched_cpu *v, unsigned self, uint64_t now)
{
	struct sched_entity *aside[STEAL_TRIES], *se = NULL;
	int n = 0;
	while (n < STEAL_TRIES && runq_nr_running(&v->rq) > 1) {
		se = runq_steal(&v->rq, self);
		/* A thread preempted between preparing to block and blocking
		   (state BLOCKED, still queued) stays: its sleep list is v's. */
		if (!se || (!of(se)->on_cpu && of(se)->state == THREAD_RUNNABLE))
			break;
		aside[n++] = se;
		se = NULL;
	}
	while (n > 0)
		runq_enqueue(&v->rq, aside[--n], now);
	return se;
}

static bool steal(void)
{
	if (!atomic_load_explicit(&steal_ready, memory_order_acquire))
		return false;
	unsigned self = percpu_id();
	struct sched_cpu *c = me();
	for (unsigned i = 0; i < steal_len[self]; i++) {
		struct sched_cpu *v = &sched_cpus[steal_list[self][i]];
		if (!v->ready || runq_nr_running(&v->rq) < 2)
			continue;
		uint64_t now = time_ns();
		lock_two(c, v); /* t->cpu changes with both queues locked */
		struct sched_entity *se = steal_one(v, self, now);
		if (se) {
			__atomic_store_n(&of(se)->cpu, self, __ATOMIC_RELEASE);
			runq_enqueue(&c->rq, se, now);
		}
		unlock_two(c, v);
		if (se)
			return true;
	}
	return false;
}

/*
 * The idle bit is set before the last look for work, with a full barrier,
 * and a waker enqueues before it reads the idle mask (also behind a full
 * barrier): either the waker sees the bit and sends an IPI, or this CPU
 * sees the work. sti's shadow covers hlt, so the IPI cannot slip in between.
 */
void sched_idle(void)
{
	for (;;) {
		cpu_cli();
		struct sched_cpu *c = me();
		if (runq_nr_running(&c->rq) > 0 || steal()) {
			sched_schedule();
			continue;
		}
		cpumask_set_atomic(&idle_cpus, percpu_id());
		atomic_thread_fence(memory_order_seq_cst);
		if (runq_nr_running(&c->rq) == 0 && !steal())
			__asm__ volatile("sti; hlt");
		cpumask_clear_atomic(&idle_cpus, percpu_id());
	}
}

/* Send cpu a reschedule IPI. */
static void resched_cpu(unsigned cpu)
{
	if (arch_ipi_send(cpu, VEC_RESCHED) < 0)
		panic("sched: cannot send a reschedule IPI to cpu %u", cpu);
}

/*
 * busy_cpu's queue just got a second runnable thread, which may run on
 * allowed: wake one idle CPU among those to steal it, the nearest first (busy_cpu's steal order,
 * which is by NUMA node and distance).
 */
static void kick_idle(const struct cpumask *allowed, unsigned busy_cpu)
{
	atomic_thread_fence(memory_order_seq_cst); /* enqueue before reading idle_cpus */
	if (cpumask_empty(&idle_cpus))
		return;
	unsigned self = percpu_id();
	if (atomic_load_explicit(&steal_ready, memory_order_acquire)) {
		for (unsigned i = 0; i < steal_len[busy_cpu]; i++) {
			unsigned cpu = steal_list[busy_cpu][i];
			if (cpu != self && cpumask_test_atomic(&idle_cpus, cpu) &&
			    cpumask_test(allowed, cpu)) {
				resched_cpu(cpu);
				return;
			}
		}
		return;
	}
	for (unsigned cpu = cpumask_first(&idle_cpus); cpu < MAX_CPUS;
	     cpu = cpumask_next(&idle_cpus, cpu)) {
		if (cpu == busy_cpu || cpu == self || !sched_cpus[cpu].ready ||
		    !cpumask_test(allowed, cpu))
			continue;
		resched_cpu(cpu);
		return;
	}
}
/*
 * Make t runnable on its CPU if its state is `from` (THREAD_BLOCKED for a
 * wake-up or a new thread, THREAD_MIGRATING at the end of a move); false if
 * it was not. A remote CPU always gets an IPI: besides a preemption, its
 * tick may have to start (tickless while it ran one thread alone), and only
 * that CPU can arm its own timer. On this CPU the tick is armed only when
 * the queue just became busy: an armed tick is not pushed back. sync: the
 * caller blocks next, so t queued behind it alone on this CPU needs no
 * idle CPU to steal it (thread_wake_sync).
 */
static bool wake_as(struct thread *t, enum thread_state from, bool sync)
{
	uint64_t f;
	struct sched_cpu *c = lock_rq_of(t, &f);
	if (t->state != from) {
		spin_unlock_irqrestore(&c->lock, f);
		return false;
	}
	uint64_t now = time_ns();
	t->state = THREAD_RUNNABLE;
	sleepers_remove(c, t);
	unsigned before = runq_nr_running(&c->rq);
	if (!t->se.on_rq) /* still queued: it has not switched away yet */
		runq_enqueue(&c->rq, &t->se, now);
	bool busy = runq_nr_running(&c->rq) > 1;
	struct cpumask allowed;
	if (busy)
		allowed = t->se.allowed; /* t may be gone once the lock is dropped */
	unsigned target = (unsigned)(c - sched_cpus);
	bool local = target == percpu_id(); /* interrupts are off */
	if (local && busy && before <= 1)
		arm_timer(c, true, next_wake(c), now);
	spin_unlock_irqrestore(&c->lock, f);
	if (busy && !(sync && local && before <= 1))
		kick_idle(&allowed, target);
	if (!local)
		resched_cpu(target);
	return true;
}

bool sched_wake(struct thread *t, enum thread_state from)
{
	return wake_as(t, from, false);
}

/*
 * Pulling a wake-up to this CPU (thread_wake_sync, and thread_wake from an
 * idle CPU). If t would otherwise wake on another CPU, it is moved to this
 * one when: this queue runs at most `room` threads (t runs as soon as they
 * leave, not behind others), t may run here, and t has fully left its old
 * CPU (blocked, off its queue and off its stack, as a thief requires). The
 * move is made with both queue locks held, like a steal: t leaves its old
 * CPU's sleep list and its vruntime becomes relative (runq_forget). False
 * if t was not moved; the caller then wakes it where it is. No idle CPU is
 * kicked to steal t, as an ordinary wake-up that makes a queue busy does.
 * Should the caller run on after all, the tick armed here shares the CPU.
 */
static bool pull_here(struct thread *t, unsigned room)
{
	uint64_t f = irq_save();
	unsigned self = percpu_id();
	struct sched_cpu *c = me();
	unsigned from = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
	if (from == self || !c->ready || runq_nr_running(&c->rq) > room) {
		irq_restore(f);
		return false;
	}
	struct sched_cpu *o = &sched_cpus[from];
	lock_two(c, o);
	bool move = __atomic_load_n(&t->cpu, __ATOMIC_RELAXED) == from &&
		    t->state == THREAD_BLOCKED && !t->se.on_rq &&
		    !__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE) &&
		    cpumask_test(&t->se.allowed, self) && runq_nr_running(&c->rq) <= room;
	if (move) {
		uint64_t now = time_ns();
		sleepers_remove(o, t); /* the old CPU's list */
		runq_forget(&o->rq, &t->se);
		__atomic_store_n(&t->cpu, self, __ATOMIC_RELEASE);
		t->state = THREAD_RUNNABLE;
		unsigned before = runq_nr_running(&c->rq);
		runq_enqueue(&c->rq, &t->se, now);
		if (runq_nr_running(&c->rq) > 1 && before <= 1)
			arm_timer(c, true, next_wake(c), now);
	}
	unlock_two(c, o);
	irq_restore(f);
	return move;
}

/*
 * Sync wake-ups: the caller hands work to t and blocks until t hands
 * something back, so the two never run at once. t is pulled here when this
 * queue runs only the caller; t already here is woken without kicking an
 * idle CPU to steal it (it runs as soon as the caller blocks, and a thief
 * would only move the exchange apart). Callers use it only where they
 * block next (a client after posting its request; a server after
 * answering, when no other request waits; a driver's completion thread
 * going back to wait for its interrupt). The gain is a request and its
 * answer on one CPU with no reschedule IPI and no wake from hlt on either
 * side.
 */
void thread_wake_sync(struct thread *t)
{
	if (!pull_here(t, 1))
		(void)wake_as(t, THREAD_BLOCKED, true);
}

/*
 * A wake-up made by an idle CPU (an interrupt that found it in hlt, such
 * as a device's completion) pulls t to it: this CPU is awake already and
 * has nothing else to run, while t's own CPU may be asleep in hlt and
 * would need an IPI and a wake from hlt first (costly in a VM, and under
 * TCG most of all). A device whose interrupts go to one CPU thus draws the
 * threads that wait for it there, and a request and its completion meet on
 * that CPU (docs/sched.md, "Where a woken thread runs").
 */
void thread_wake(struct thread *t)
{
	struct sched_cpu *c = me();
	if (percpu_curr() == c->idle && pull_here(t, 0))
		return;
	(void)sched_wake(t, THREAD_BLOCKED);
}

/*
 * A PI boost (futex_pi.c) of a thread queued behind another on a remote
 * CPU must take effect now, not at that CPU's next tick (up to 4 ms):
 * when the new priority should preempt what runs there, that CPU gets a
 * reschedule IPI, as a wake-up does.
 */
int thread_set_prio(struct thread *t, int prio)
{
	uint64_t f;
	struct sched_cpu *c = lock_rq_of(t, &f);
	uint64_t now = time_ns();
	int err = runq_set_prio(&c->rq, &t->se, prio, now);
	bool kick = err == 0 && t->se.on_rq && c->rq.curr != &t->se &&
		    runq_wakeup_preempt(&c->rq, &t->se, now);
	unsigned target = (unsigned)(c - sched_cpus);
	bool local = target == percpu_id(); /* interrupts are off */
	spin_unlock_irqrestore(&c->lock, f);
	if (kick && !local)
		resched_cpu(target);
	return err;
}

int thread_set_policy(struct thread *t, enum sched_policy policy, int prio)
{
	uint64_t f;
	struct sched_cpu *c = lock_rq_of(t, &f);
	int err = 0;
	if (t->se.policy != policy) {
		/* a class change: requeue with a fresh entity of the new policy */
		bool queued = t->se.on_rq;
		if (queued)
			runq_dequeue(&c->rq, &t->se);
		struct cpumask allowed = t->se.allowed;
		/* A fair thread runs at a real-time level while PI-boosted
		   (runq_set_prio allows it): start it at a level of its own
		   class, then apply the boost. */
		bool boosted = policy == SCHED_POLICY_FAIR && sched_prio_is_rt(prio);
		err = sched_entity_init(&t->se, policy, boosted ? sched_prio_from_nice(0) : prio);
		t->se.allowed = allowed;
		if (queued)
			runq_enqueue(&c->rq, &t->se, time_ns());
		if (err == 0 && boosted)
			err = runq_set_prio(&c->rq, &t->se, prio, time_ns());
	} else {
		err = runq_set_prio(&c->rq, &t->se, prio, time_ns());
	}
	spin_unlock_irqrestore(&c->lock, f);
	return err;
}

void sched_kick_others(void)
{
	uint64_t f = irq_save();
	unsigned self = percpu_id();
	for (unsigned cpu = cpumask_first(&cpu_online); cpu < MAX_CPUS;
	     cpu = cpumask_next(&cpu_online, cpu))
		if (cpu != self && sched_cpus[cpu].ready)
			resched_cpu(cpu);
	irq_restore(f);
}

/*
 * The caller has just published a change t must act on in user mode (a
 * pending signal). A thread that is switched in later sees it on its way
 * back to user mode (the fence after on_cpu in schedule_as pairs with the
 * one here); one running on another CPU now is made to enter the kernel.
 */
void thread_kick(struct thread *t)
{
	atomic_thread_fence(memory_order_seq_cst);
	uint64_t f = irq_save();
	unsigned cpu = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
	if (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE) && cpu != percpu_id() &&
	    sched_cpus[cpu].ready)
		resched_cpu(cpu);
	irq_restore(f);
}

void thread_migrate(unsigned cpu)
{
	uint64_t f = irq_save();
	struct sched_cpu *c = me();
	struct thread *t = percpu_curr();
	if (cpu == t->cpu || cpu >= MAX_CPUS || !sched_cpus[cpu].ready || t == c->idle) {
		irq_restore(f);
		return;
	}
	spin_lock(&c->lock);
	t->state = THREAD_MIGRATING; /* schedule() takes it off this queue */
	spin_unlock(&c->lock);
	c->migrating = t;
	c->migrate_to = cpu;
	sched_schedule(); /* resumes on the new CPU */
	irq_restore(f);
}

bool thread_set_affinity(struct thread *t, const struct cpumask *m)
{
	uint64_t f;
	struct sched_cpu *c = lock_rq_of(t, &f);
	t->se.allowed = *m;
	bool ok = cpumask_test(m, t->cpu);
	spin_unlock_irqrestore(&c->lock, f);
	return ok;
}

void thread_get_affinity(struct thread *t, struct cpumask *m)
{
	uint64_t f;
	struct sched_cpu *c = lock_rq_of(t, &f);
	*m = t->se.allowed;
	spin_unlock_irqrestore(&c->lock, f);
}

void thread_resched(void)
{
	uint64_t f = irq_save();
	sched_schedule();
	irq_restore(f);
}

void thread_yield(void)
{
	uint64_t f = irq_save();
	schedule_as(true, false);
	irq_restore(f);
}
