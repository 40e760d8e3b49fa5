/*
 * test_tlb_req.c - the TLB shootdown request word (field boundaries,
 * higher-half round trips, fallbacks to a full flush) and a pthread stress
 * test of the publish/take/ack handshake: every thread both initiates and
 * answers shootdowns, and each request must reach every target exactly once
 * and be applied before the initiator sees the ack.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <sched.h>
#include <cmocka.h>

#include "test_scale.h"
#include "base/err.h"
#include "smp/tlb_req.h"

#define HIGH_BASE 0xffff800000000000ull

static void roundtrip(uint64_t va, uint64_t npages)
{
	struct tlb_req r;
	uint64_t w = tlb_req_pack(va, npages);
	tlb_req_unpack(w, &r);
	assert_int_equal(r.kind, TLB_REQ_RANGE);
	assert_int_equal(r.va, va);
	assert_int_equal(r.npages, npages);
}

static void expect_full_kind(uint64_t va, uint64_t npages, enum tlb_req_kind kind)
{
	struct tlb_req r;
	uint64_t w = tlb_req_pack(va, npages);
	assert_int_equal(w, kind);
	tlb_req_unpack(w, &r);
	assert_int_equal(r.kind, kind);
	assert_int_equal(r.va, 0);
	assert_int_equal(r.npages, 0);
}

/* User ranges fall back to a flush without global entries. */
static void expect_full(uint64_t va, uint64_t npages)
{
	expect_full_kind(va, npages, TLB_REQ_FULL);
}

/* Kernel-half and non-canonical ones flush global entries too. */
static void expect_full_global(uint64_t va, uint64_t npages)
{
	expect_full_kind(va, npages, TLB_REQ_FULL_GLOBAL);
}

static void test_layout(void **state)
{
	/* kind in bits 1:0, VPN in 37:2, count in 63:38. */
	assert_int_equal(tlb_req_pack(0x1000, 1), 1ull | 1ull << 2 | 1ull << 38);
	assert_int_equal(tlb_req_pack(0, 1), 1ull | 1ull << 38);
	assert_int_equal(tlb_req_pack(0x7ffffffff000ull, 1),
			 1ull | 0x7ffffffffull << 2 | 1ull << 38);
	assert_int_equal(tlb_req_pack(HIGH_BASE, 1), 1ull | 0x800000000ull << 2 | 1ull << 38);
	assert_int_equal(tlb_req_pack(0xfffffffffffff000ull, 1),
			 1ull | 0xfffffffffull << 2 | 1ull << 38);
	assert_int_equal(tlb_req_pack(0, TLB_REQ_RANGE_PAGES), 1ull | TLB_REQ_RANGE_PAGES << 38);
	/* The count field itself holds 26 bits. */
	struct tlb_req r;
	tlb_req_unpack(1ull | TLB_REQ_MAX_PAGES << 38, &r);
	assert_int_equal(r.npages, TLB_REQ_MAX_PAGES);
	assert_int_equal(tlb_req_full(false), TLB_REQ_FULL);
	assert_int_equal(tlb_req_full(true), TLB_REQ_FULL_GLOBAL);
}

static void test_roundtrip(void **state)
{
	roundtrip(0, 1);
	roundtrip(0x1000, 1);
	roundtrip(0x400000, 32);
	roundtrip(0x7ffffffff000ull, 1);  /* last low-half page */
	roundtrip(0x7fff00000000ull, 31); /* ends below 2^47 */
	roundtrip((1ull << 47) - (TLB_REQ_RANGE_PAGES << 12),
		  TLB_REQ_RANGE_PAGES); /* ends at 2^47 */
	roundtrip(HIGH_BASE, 1);	/* first high-half page */
	roundtrip(HIGH_BASE, TLB_REQ_RANGE_PAGES);
	roundtrip(0xffffffff80000000ull, 0x10); /* kernel image */
	roundtrip(0xfffffffffffff000ull, 1);	/* very last page */
	roundtrip(0 - (TLB_REQ_RANGE_PAGES << 12), TLB_REQ_RANGE_PAGES);
	roundtrip(0xffff888000000000ull, 7); /* direct map */
}

static void test_fallbacks(void **state)
{
	struct tlb_req r;
	assert_int_equal(tlb_req_pack(0x1000, 0), TLB_REQ_NONE);
	tlb_req_unpack(0, &r);
	assert_int_equal(r.kind, TLB_REQ_NONE);
	expect_full(0, TLB_REQ_RANGE_PAGES + 1); /* too long to send page by page */
	expect_full(0x400000, 512);
	expect_full(0, TLB_REQ_MAX_PAGES + 1); /* count overflow */
	expect_full(0x1000, ~0ull);
	expect_full(0x1234, 1);			  /* unaligned */
	expect_full_global(0x800000000000ull, 1); /* non-canonical */
	expect_full_global(0x0000900000000000ull, 1);
	expect_full_global(0xffff7ffffffff000ull, 1);
	expect_full(0x7ffffffff000ull, 2); /* runs past the low half */
	expect_full((1ull << 47) - (TLB_REQ_RANGE_PAGES << 12) + 0x1000, TLB_REQ_RANGE_PAGES);
	expect_full_global(0xfffffffffffff000ull, 2); /* wraps past 2^64 */
	expect_full_global(HIGH_BASE, TLB_REQ_RANGE_PAGES + 1);
	expect_full_global(0xffffffff80000000ull, 0x100); /* kernel image, too long */
	/* A word with range kind and zero count is read as a full flush. */
	tlb_req_unpack(TLB_REQ_RANGE | 5ull << 2, &r);
	assert_int_equal(r.kind, TLB_REQ_FULL);
	tlb_req_unpack(TLB_REQ_FULL_GLOBAL, &r);
	assert_int_equal(r.kind, TLB_REQ_FULL_GLOBAL);
}

static void test_handshake_single(void **state)
{
	static struct tlb_shoot s;
	struct cpumask t;
	struct tlb_req r;
	tlb_shoot_init(&s);
	cpumask_zero(&t);
	cpumask_set(&t, 1);
	cpumask_set(&t, 200);
	assert_int_equal(tlb_shoot_publish(&s, &t, 0), -E_INVAL);
	uint64_t w = tlb_req_pack(0x5000, 3);
	assert_int_equal(tlb_shoot_publish(&s, &t, w), 0);
	assert_false(tlb_shoot_take(&s, 0, &r));
	assert_false(tlb_shoot_take(&s, MAX_CPUS, &r));
	assert_false(tlb_shoot_done(&s, 2));
	/* Publishing over an untaken request is a caller bug: -E_BUSY, and
	 * nothing is overwritten. */
	assert_int_equal(tlb_shoot_publish(&s, &t, tlb_req_full(false)), -E_BUSY);
	assert_true(tlb_shoot_take(&s, 1, &r));
	assert_int_equal(r.kind, TLB_REQ_RANGE);
	assert_int_equal(r.va, 0x5000);
	assert_int_equal(r.npages, 3);
	assert_false(tlb_shoot_take(&s, 1, &r)); /* applied once */
	tlb_shoot_ack(&s);
	assert_false(tlb_shoot_done(&s, 2));
	assert_true(tlb_shoot_take(&s, 200, &r));
	assert_int_equal(r.va, 0x5000);
	tlb_shoot_ack(&s);
	assert_true(tlb_shoot_done(&s, 2));
}

/* Stress: NT threads, each initiating nreq shootdowns to all the others. */
#define NT 4
static uint64_t nreq; /* requests per thread: test_iterations() */

static struct tlb_shoot shoot;
static atomic_flag shoot_lock = ATOMIC_FLAG_INIT;
static uint64_t current_req;  /* written under shoot_lock before publish */
static uint64_t applied[NT];  /* last word each responder flushed */
static uint64_t nflushes[NT]; /* requests each responder applied */
static _Atomic unsigned failures;

static void respond(unsigned self)
{
	struct tlb_req r;
	if (!tlb_shoot_take(&shoot, self, &r))
		return;
	/* current_req was written before the release store we acquired. */
	uint64_t want = current_req;
	struct tlb_req w;
	tlb_req_unpack(want, &w);
	if (w.kind != r.kind || w.va != r.va || w.npages != r.npages)
		atomic_fetch_add(&failures, 1);
	applied[self] = tlb_req_pack(r.va, r.npages); /* the "flush" */
	nflushes[self]++;
	tlb_shoot_ack(&shoot);
}

static void *stress_thread(void *arg)
{
	unsigned self = (unsigned)(uintptr_t)arg;
	struct cpumask others;
	cpumask_fill(&others, NT);
	cpumask_clear(&others, self);
	for (uint64_t i = 0; i < nreq; i++) {
		/* Keep answering while waiting for the lock, as a CPU does
		 * with the shootdown IPI enabled. */
		while (atomic_flag_test_and_set_explicit(&shoot_lock, memory_order_acquire)) {
			respond(self);
			sched_yield();
		}
		uint64_t va = ((uint64_t)self << 32 | i) << 12;
		if (i & 1)
			va |= HIGH_BASE;
		uint64_t req = tlb_req_pack(va, 1 + i % TLB_REQ_RANGE_PAGES);
		current_req = req;
		if (tlb_shoot_publish(&shoot, &others, req) != 0)
			atomic_fetch_add(&failures, 1);
		while (!tlb_shoot_done(&shoot, NT - 1))
			sched_yield();
		/* The acks' release/acquire make the responders' writes
		 * visible: every target applied exactly this request. */
		for (unsigned t = 0; t < NT; t++)
			if (t != self && applied[t] != req)
				atomic_fetch_add(&failures, 1);
		atomic_flag_clear_explicit(&shoot_lock, memory_order_release);
		respond(self);
	}
	/* Stay responsive until everyone has finished initiating. */
	static _Atomic unsigned finished;
	atomic_fetch_add(&finished, 1);
	while (atomic_load(&finished) < NT) {
		respond(self);
		sched_yield();
	}
	return NULL;
}

static void test_handshake_stress(void **state)
{
	pthread_t th[NT];
	nreq = (uint64_t)test_iterations(10000, 100000);
	tlb_shoot_init(&shoot);
	for (unsigned t = 0; t < NT; t++)
		assert_int_equal(pthread_create(&th[t], NULL, stress_thread, (void *)(uintptr_t)t),
				 0);
	for (unsigned t = 0; t < NT; t++)
		pthread_join(th[t], NULL);
	assert_int_equal(atomic_load(&failures), 0);
	/* Each thread answered every other thread's requests exactly once. */
	for (unsigned t = 0; t < NT; t++)
		assert_int_equal(nflushes[t], (uint64_t)(NT - 1) * nreq);
	for (unsigned t = 0; t < NT; t++)
		assert_int_equal(atomic_load(&shoot.slot[t]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout),	     cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_fallbacks),	     cmocka_unit_test(test_handshake_single),
	    cmocka_unit_test(test_handshake_stress),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
