/*
 * ipi.c - function calls and TLB shootdowns across CPUs (see ipi.h).
 *
 * TLB shootdown: the request (kind, start page, page count) is packed into
 * ONE 64-bit word (lib/smp/tlb_req.c) and stored into each target's slot
 * with a release store, so a target that sees the word sees a whole
 * request, never the flag of one and the range of another. Targets take
 * their word with an exchange (acquire), flush, and count an ack (release);
 * the initiator waits for acks == targets (acquire). One initiator at a
 * time (shoot_lock); a range too large for the word becomes a full flush.
 * Waiting is bounded: a CPU that never answers is a kernel bug (it stopped
 * taking interrupts), reported by panic with its id.
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

#define WAIT_NS 2000000000ull

static struct tlb_shoot shoot;
static struct spinlock shoot_lock = SPINLOCK_INIT;

static struct spinlock call_lock = SPINLOCK_INIT;
static void (*call_fn)(void *);
static void *call_arg;
static _Atomic unsigned call_acks;

/* Apply one unpacked request to this CPU's TLB. */
static void flush_req(const struct tlb_req *r)
{
	if (r->kind == TLB_REQ_RANGE) {
		for (uint64_t i = 0; i < r->npages; i++)
			invlpg(r->va + i * 4096);
	} else if (r->kind != TLB_REQ_NONE) {
		/* toggling CR4.PGE drops global entries too (SDM §4.10.4.1) */
		uint64_t cr4 = read_cr4();
		write_cr4(cr4 & ~(1ull << 7));
		write_cr4(cr4);
	}
}

void tlb_flush_local(uint64_t va, uint64_t npages)
{
	struct tlb_req r;
	tlb_req_unpack(npages ? tlb_req_pack(va, npages) : tlb_req_full(true), &r);
	flush_req(&r);
}

/* Serve a shootdown aimed at this CPU, if one is pending. */
static void tlb_serve(void)
{
	struct tlb_req r;
	if (!tlb_shoot_take(&shoot, percpu_id(), &r))
		return;
	flush_req(&r);
	tlb_shoot_ack(&shoot);
}

static void tlb_irq(struct trap_frame *tf)
{
	tlb_serve();
	lapic_eoi();
}

static void call_irq(struct trap_frame *tf)
{
	void (*fn)(void *) = call_fn;
	void *arg = call_arg;
	lapic_eoi();
	fn(arg);
	atomic_fetch_add_explicit(&call_acks, 1, memory_order_release);
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
		if (lapic_send(ICR_MODE_FIXED, vector, ICR_LEVEL_ASSERT, ICR_DEST_FIELD,
			       smp_cpu_apic_id(cpu)) < 0)
			panic("ipi: cannot send vector %#x to cpu %u", vector, cpu);
}

/* Take l, serving shootdowns aimed at us while we wait for it. */
static void lock_serving(struct spinlock *l)
{
	while (!spin_trylock(l)) {
		tlb_serve();
		cpu_relax();
	}
}

void tlb_shootdown(const struct cpumask *targets, uint64_t va, uint64_t npages)
{
	unsigned self = percpu_id();
	uint64_t req = npages ? tlb_req_pack(va, npages) : tlb_req_full(true);
	tlb_flush_local(va, npages);

	struct cpumask others = *targets;
	cpumask_and(&others, &others, &cpu_online);
	cpumask_clear(&others, self);
	unsigned n = cpumask_count(&others);
	if (n == 0)
		return;
	lock_serving(&shoot_lock);
	int err = tlb_shoot_publish(&shoot, &others, req);
	KASSERT(err == 0, "tlb shootdown already in flight (%d)", err);
	send_each(&others, VEC_TLB);
	uint64_t deadline = time_ns() + WAIT_NS;
	while (!tlb_shoot_done(&shoot, n)) {
		tlb_serve();
		if (time_ns() > deadline)
			panic("tlb: %u CPUs did not acknowledge a shootdown within 2 s", n);
		cpu_relax();
	}
	spin_unlock(&shoot_lock);
}

void smp_call_others(void (*fn)(void *arg), void *arg)
{
	struct cpumask others = cpu_online;
	cpumask_clear(&others, percpu_id());
	unsigned n = cpumask_count(&others);
	if (n == 0)
		return;
	lock_serving(&call_lock);
	call_fn = fn;
	call_arg = arg;
	atomic_store_explicit(&call_acks, 0, memory_order_release);
	send_each(&others, VEC_CALL);
	uint64_t deadline = time_ns() + WAIT_NS;
	while (atomic_load_explicit(&call_acks, memory_order_acquire) < n) {
		tlb_serve();
		if (time_ns() > deadline)
			panic("ipi: %u CPUs did not run a cross call within 2 s", n);
		cpu_relax();
	}
	spin_unlock(&call_lock);
}
