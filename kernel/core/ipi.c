/*
 * ipi.c - function calls and TLB shootdowns across CPUs (see ipi.h).
 *
 * TLB shootdown: the request (kind, start page, page count) is packed into
 * ONE 64-bit word (lib/smp/tlb_req.c) and stored into each target's slot
 * with a release store, so a target that sees the word sees a whole
 * request, never the flag of one and the range of another. Targets take
 * their word with an exchange (acquire), flush, and count an ack (release);
 * the initiator waits for acks == targets (acquire). A range of more than
 * TLB_REQ_RANGE_PAGES pages becomes a full flush, so no CPU loops over
 * invlpg for long with interrupts off.
 *
 * Locking: shoot_lock admits one shootdown initiator at a time, call_lock
 * one cross-call initiator. Both are taken and held with interrupts off
 * (this kernel preempts only from interrupts, so that is "preemption off"
 * too): the holder cannot be switched out while others spin on the lock,
 * and the current CPU id read at entry stays valid. Because every waiter
 * spins with interrupts off, every wait loop here (for a lock or for acks)
 * serves both kinds of request aimed at its own CPU by polling (ipi_poll):
 * a CPU never waits for another that is itself waiting with interrupts off.
 * Callers must not hold a spinlock that an IPI target might be spinning on.
 * Waiting is bounded: a CPU that never answers is a kernel bug (it stopped
 * taking interrupts), reported by panic.
 */
#include <stdatomic.h>
#include "arch.h"
#include "core/ipi.h"
#include "core/log.h"
#include "core/panic.h"
#include "core/percpu.h"
#include "core/time.h"
#include "smp/tlb_req.h"
#include "sync/spinlock.h"

/* How long an initiator waits for acks before it calls the silence a bug.
   Under TCG every vCPU is a host thread and the guest clock is host time:
   with many vCPUs on few, busy host cores a target may simply not be
   scheduled for a second or two (2 s was hit with 16 vCPUs on 2 cores), so
   the bound is generous; a CPU that stopped taking interrupts is still
   reported, only later. */
#define WAIT_S 10
#define WAIT_NS (WAIT_S * 1000000000ull)

static struct tlb_shoot shoot;
static struct spinlock shoot_lock = SPINLOCK_INIT;

static struct spinlock call_lock = SPINLOCK_INIT;
static void (*call_fn)(void *);
static void *call_arg;
static _Atomic unsigned call_acks;
static _Atomic uint8_t call_pending[MAX_CPUS]; /* 1: this CPU owes the current call */

/* Apply one unpacked request to this CPU's TLB. */
static void flush_req(const struct tlb_req *r)
{
	if (r->kind == TLB_REQ_RANGE) {
		for (uint64_t i = 0; i < r->npages; i++)
			tlb_flush_page(r->va + i * 4096);
	} else if (r->kind == TLB_REQ_FULL) {
		tlb_flush_nonglobal();
	} else if (r->kind == TLB_REQ_FULL_GLOBAL) {
		tlb_flush_everything();
	}
}

/* The request word for [va, +npages); npages 0 means a full flush. */
static uint64_t req_word(uint64_t va, uint64_t npages)
{
	return npages ? tlb_req_pack(va, npages) : tlb_req_full(true);
}

void tlb_flush_local(uint64_t va, uint64_t npages)
{
	struct tlb_req r;
	tlb_req_unpack(req_word(va, npages), &r);
	flush_req(&r);
}

/* Serve a shootdown aimed at CPU self, if one is pending (interrupts off). */
static void tlb_serve(unsigned self)
{
	struct tlb_req r;
	if (!tlb_shoot_take(&shoot, self, &r))
		return;
	flush_req(&r);
	tlb_shoot_ack(&shoot);
}

/* Run the cross call owed by CPU self, if any (interrupts off). */
static void call_serve(unsigned self)
{
	/* Acquire: pairs with the release store in smp_call_others, so
	   call_fn and call_arg are those of the request that set the flag. */
	if (!atomic_exchange_explicit(&call_pending[self], 0, memory_order_acquire))
		return;
	void (*fn)(void *) = call_fn;
	void *arg = call_arg;
	fn(arg);
	atomic_fetch_add_explicit(&call_acks, 1, memory_order_release);
}

/* Serve whatever other CPUs are waiting for from CPU self. */
static void ipi_poll(unsigned self)
{
	tlb_serve(self);
	call_serve(self);
}

static void tlb_irq(struct trap_frame *tf)
{
	tlb_serve(percpu_id());
	lapic_eoi();
}

static void call_irq(struct trap_frame *tf)
{
	lapic_eoi();
	call_serve(percpu_id());
}

void ipi_init(void)
{
	tlb_shoot_init(&shoot);
	trap_register(VEC_TLB, tlb_irq);
	trap_register(VEC_CALL, call_irq);
}

static void send_each(const struct cpumask *m, uint8_t vector)
{
	for (unsigned cpu = cpumask_first(m); cpu < MAX_CPUS; cpu = cpumask_next(m, cpu))
		if (arch_ipi_send(cpu, vector) < 0)
			panic("ipi: cannot send vector %#x to cpu %u", vector, cpu);
}

/* Take l (interrupts are off), serving requests aimed at self meanwhile. */
static void lock_serving(struct spinlock *l, unsigned self)
{
	while (!spin_trylock(l)) {
		ipi_poll(self);
		cpu_relax();
	}
}

void tlb_shootdown(const struct cpumask *targets, uint64_t va, uint64_t npages)
{
	uint64_t flags = irq_save(); /* no migration from here: self stays ours */
	unsigned self = percpu_id();
	tlb_flush_local(va, npages);

	struct cpumask others = *targets;
	cpumask_and(&others, &others, &cpu_online);
	cpumask_clear(&others, self);
	unsigned n = cpumask_count(&others);
	if (n > 0) {
		lock_serving(&shoot_lock, self);
		int err = tlb_shoot_publish(&shoot, &others, req_word(va, npages));
		KASSERT(err == 0, "tlb shootdown already in flight (%d)", err);
		send_each(&others, VEC_TLB);
		uint64_t deadline = time_ns() + WAIT_NS;
		while (!tlb_shoot_done(&shoot, n)) {
			ipi_poll(self);
			if (time_ns() > deadline)
				panic("tlb: %u CPUs did not acknowledge a shootdown within %d s", n,
				      WAIT_S);
			cpu_relax();
		}
		spin_unlock(&shoot_lock);
	}
	irq_restore(flags);
}

void smp_call_others(void (*fn)(void *arg), void *arg)
{
	smp_call_mask(&cpu_online, fn, arg);
}

void smp_call_mask(const struct cpumask *targets, void (*fn)(void *arg), void *arg)
{
	uint64_t flags = irq_save();
	unsigned self = percpu_id();
	struct cpumask others;
	cpumask_and(&others, targets, &cpu_online);
	cpumask_clear(&others, self);
	unsigned n = cpumask_count(&others);
	if (n > 0) {
		lock_serving(&call_lock, self);
		call_fn = fn;
		call_arg = arg;
		atomic_store_explicit(&call_acks, 0, memory_order_relaxed);
		unsigned cpu;
		cpumask_for_each(cpu, &others)
		{
			/* Release: fn, arg and the ack reset before the flag. */
			atomic_store_explicit(&call_pending[cpu], 1, memory_order_release);
		}
		send_each(&others, VEC_CALL);
		uint64_t deadline = time_ns() + WAIT_NS;
		while (atomic_load_explicit(&call_acks, memory_order_acquire) < n) {
			ipi_poll(self);
			if (time_ns() > deadline)
				panic("ipi: %u CPUs did not run a cross call within %d s", n,
				      WAIT_S);
			cpu_relax();
		}
		spin_unlock(&call_lock);
	}
	irq_restore(flags);
}

/*
 * smp_run_alone: the other CPUs are parked in park() (interrupts off,
 * touching only RAM) while fn runs here. call_lock orders it with
 * smp_call_others; arrivals and the release are counted on their own.
 */
static _Atomic unsigned park_arrived;
static _Atomic bool park_release;

static void park(void *arg)
{
	unsigned self = percpu_id();
	atomic_fetch_add_explicit(&park_arrived, 1, memory_order_release);
	uint64_t deadline = time_ns() + WAIT_NS;
	while (!atomic_load_explicit(&park_release, memory_order_acquire) && time_ns() < deadline) {
		tlb_serve(self); /* a shootdown sent before the park still completes */
		cpu_relax();
	}
}

void smp_run_alone(void (*fn)(void *arg), void *arg)
{
	uint64_t flags = irq_save();
	unsigned self = percpu_id();
	struct cpumask others = cpu_online;
	cpumask_clear(&others, self);
	unsigned n = cpumask_count(&others);
	if (n == 0) {
		fn(arg);
		irq_restore(flags);
		return;
	}
	lock_serving(&call_lock, self);
	call_fn = park;
	call_arg = NULL;
	atomic_store_explicit(&call_acks, 0, memory_order_relaxed);
	atomic_store_explicit(&park_arrived, 0, memory_order_relaxed);
	atomic_store_explicit(&park_release, false, memory_order_relaxed);
	unsigned cpu;
	cpumask_for_each(cpu, &others)
	{
		atomic_store_explicit(&call_pending[cpu], 1, memory_order_release);
	}
	send_each(&others, VEC_CALL);
	uint64_t deadline = time_ns() + WAIT_NS;
	while (atomic_load_explicit(&park_arrived, memory_order_acquire) < n) {
		tlb_serve(self);
		if (time_ns() > deadline)
			panic("ipi: %u CPUs did not park within %d s", n, WAIT_S);
		cpu_relax();
	}
	fn(arg);
	atomic_store_explicit(&park_release, true, memory_order_release);
	while (atomic_load_explicit(&call_acks, memory_order_acquire) < n)
		cpu_relax(); /* each leaves park() at once now */
	spin_unlock(&call_lock);
	irq_restore(flags);
}
