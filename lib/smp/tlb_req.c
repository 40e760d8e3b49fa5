/*
 * tlb_req.c - packing of TLB shootdown request words and the handshake model.
 * See tlb_req.h for the word layout, the protocol and its locking rule.
 */
#include "base/err.h"
#include "smp/tlb_req.h"

#define TLB_PAGE_SHIFT 12
#define TLB_VA_BITS 48
#define TLB_VPN_MASK ((1ull << TLB_REQ_VPN_BITS) - 1)

/* Whether va is canonical for 48-bit virtual addresses (bits 63:47 equal). */
static bool tlb_va_canonical(uint64_t va)
{
	uint64_t top = va >> (TLB_VA_BITS - 1);
	return top == 0 || top == (~0ull >> (TLB_VA_BITS - 1));
}

uint64_t tlb_req_full(bool global)
{
	return global ? TLB_REQ_FULL_GLOBAL : TLB_REQ_FULL;
}

uint64_t tlb_req_pack(uint64_t va_start, uint64_t npages)
{
	/* A full flush keeps global entries only when va_start is a user address. */
	bool user = va_start < (1ull << (TLB_VA_BITS - 1));
	if (npages == 0)
		return TLB_REQ_NONE;
	if (npages > TLB_REQ_RANGE_PAGES || (va_start & ((1ull << TLB_PAGE_SHIFT) - 1)) ||
	    !tlb_va_canonical(va_start))
		return tlb_req_full(!user);
	/* The last page must stay in the same canonical half: npages is
	 * small, so the low half's end computes without overflow, and the
	 * high half ends at 2^64 (wrap to 0 means "exactly the top"). */
	uint64_t bytes = npages << TLB_PAGE_SHIFT;
	if (va_start >> 63) {
		if (va_start + bytes != 0 && va_start + bytes < va_start)
			return tlb_req_full(true);
	} else if (va_start + bytes > (1ull << (TLB_VA_BITS - 1))) {
		return tlb_req_full(false);
	}
	uint64_t vpn = (va_start >> TLB_PAGE_SHIFT) & TLB_VPN_MASK;
	return (uint64_t)TLB_REQ_RANGE | vpn << TLB_REQ_VPN_SHIFT | npages << TLB_REQ_COUNT_SHIFT;
}

void tlb_req_unpack(uint64_t w, struct tlb_req *out)
{
	out->kind = (enum tlb_req_kind)(w & ((1u << TLB_REQ_KIND_BITS) - 1));
	out->va = 0;
	out->npages = 0;
	if (out->kind != TLB_REQ_RANGE)
		return;
	uint64_t vpn = (w >> TLB_REQ_VPN_SHIFT) & TLB_VPN_MASK;
	/* Sign-extend VA bit 47 (VPN bit 35) into bits 63:48. */
	uint64_t va = vpn << TLB_PAGE_SHIFT;
	if (va >> (TLB_VA_BITS - 1))
		va |= ~0ull << TLB_VA_BITS;
	out->va = va;
	out->npages = w >> TLB_REQ_COUNT_SHIFT;
	if (out->npages == 0) /* never packed; treat as the safe choice */
		out->kind = TLB_REQ_FULL;
}

void tlb_shoot_init(struct tlb_shoot *s)
{
	for (unsigned i = 0; i < MAX_CPUS; i++)
		atomic_init(&s->slot[i], 0);
	atomic_init(&s->acks, 0);
}

int tlb_shoot_publish(struct tlb_shoot *s, const struct cpumask *targets, uint64_t req)
{
	unsigned cpu;

	if ((req & ((1u << TLB_REQ_KIND_BITS) - 1)) == TLB_REQ_NONE)
		return -E_INVAL;
	/* Only the lock holder writes non-zero words and it waits for every
	 * ack, so all target slots are empty here unless the caller broke the
	 * protocol; check before publishing anything. */
	cpumask_for_each(cpu, targets)
	{
		if (atomic_load_explicit(&s->slot[cpu], memory_order_relaxed) != 0)
			return -E_BUSY;
	}
	/* Relaxed is enough: the release stores below order this reset before
	 * any responder's take, hence before its ack (the RMW on acks then
	 * reads this 0 or a later value, never an older count). */
	atomic_store_explicit(&s->acks, 0, memory_order_relaxed);

	cpumask_for_each(cpu, targets)
	{
		/* Release: the page-table changes the initiator made before
		 * calling happen-before the responder's acquire exchange in
		 * tlb_shoot_take, so its flush drops the stale entries. */
		atomic_store_explicit(&s->slot[cpu], req, memory_order_release);
	}
	return 0;
}

bool tlb_shoot_done(struct tlb_shoot *s, uint32_t ntargets)
{
	/* Acquire: pairs with the release increment in tlb_shoot_ack, so every
	 * responder's flush happens-before the initiator frees the pages. */
	return atomic_load_explicit(&s->acks, memory_order_acquire) == ntargets;
}

bool tlb_shoot_take(struct tlb_shoot *s, unsigned cpu, struct tlb_req *out)
{
	if (cpu >= MAX_CPUS)
		return false;
	/* Acquire: pairs with the release in tlb_shoot_publish (see there).
	 * The exchange empties the slot so one request is applied once. */
	uint64_t w = atomic_exchange_explicit(&s->slot[cpu], 0, memory_order_acquire);
	if (w == 0)
		return false;
	tlb_req_unpack(w, out);
	return true;
}

void tlb_shoot_ack(struct tlb_shoot *s)
{
	/* Release: the flush the responder just did happens-before the
	 * initiator's acquire load in tlb_shoot_done that counts it. */
	atomic_fetch_add_explicit(&s->acks, 1, memory_order_release);
}
