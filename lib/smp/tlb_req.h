/*
 * tlb_req.h - a TLB shootdown request packed into one 64-bit word, and a
 * pure model of the shootdown handshake.
 *
 * Request word (published with one atomic store, so a responder can never
 * see the kind of one request with the range of another):
 *
 *   63                      38 37                                 2 1   0
 *  +--------------------------+------------------------------------+-----+
 *  | npages (26 bits)         | start VPN (VA bits 47:12, 36 bits) | kind|
 *  +--------------------------+------------------------------------+-----+
 *
 *   kind 0 = none (an empty slot; the word is 0), 1 = range,
 *        2 = full flush (non-global entries, a CR3 reload),
 *        3 = full flush including global entries.
 * The start VPN is stored modulo 2^36 and sign-extended from its bit 35 on
 * unpack, so higher-half (canonical, bit 47 set) addresses round-trip. A range
 * that is not worth or not able to be sent page by page - unaligned or
 * non-canonical start, more than TLB_REQ_RANGE_PAGES pages (a responder runs
 * one invlpg per page with interrupts off; beyond a few dozen a full flush is
 * cheaper and bounded), or an end beyond its canonical half - packs as a full
 * flush: flushing more than asked is always safe, less never is. The fallback
 * keeps global entries only for user (low-half canonical) ranges, which never
 * use global pages; anything else flushes global entries too.
 *
 * Handshake (struct tlb_shoot), one initiator at a time - the caller holds a
 * shootdown lock around publish..done, and a CPU spinning on that lock keeps
 * answering requests (in the kernel: the IPI stays enabled):
 *   initiator: tlb_shoot_publish() - reset the ack counter, then store the
 *              request into each target's slot with release order; send IPIs;
 *              spin on tlb_shoot_done() (acquire load of the ack counter);
 *   responder: tlb_shoot_take() - exchange its slot with 0 (acquire), flush,
 *              then tlb_shoot_ack() (release increment).
 * Because the counter is reset before the release stores, a responder's ack
 * can only count towards the request it took.
 */
#pragma once
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "base/compiler.h"
#include "smp/config.h"
#include "smp/cpumask.h"

enum tlb_req_kind {
	TLB_REQ_NONE = 0,
	TLB_REQ_RANGE = 1,
	TLB_REQ_FULL = 2,
	TLB_REQ_FULL_GLOBAL = 3,
};

#define TLB_REQ_KIND_BITS 2
#define TLB_REQ_VPN_BITS 36
#define TLB_REQ_VPN_SHIFT 2
#define TLB_REQ_COUNT_SHIFT 38
#define TLB_REQ_COUNT_BITS 26
#define TLB_REQ_MAX_PAGES ((1ull << TLB_REQ_COUNT_BITS) - 1) /* what the field holds */
#define TLB_REQ_RANGE_PAGES 32ull			     /* the largest range sent as a range */

/* A request after unpacking; va and npages are 0 unless kind is a range. */
struct tlb_req {
	enum tlb_req_kind kind;
	uint64_t va;	 /* canonical start address, page aligned */
	uint64_t npages; /* 1..TLB_REQ_MAX_PAGES (packing sends at most RANGE_PAGES) */
};

/* Pack a flush of npages pages from va_start; falls back to a full flush when
 * the range does not fit (see above); npages == 0 gives TLB_REQ_NONE (0). */
uint64_t tlb_req_pack(uint64_t va_start, uint64_t npages);
/* The word for a full flush, with or without global entries. */
uint64_t tlb_req_full(bool global);
/* Decode a request word; unknown bits cannot occur (all 64 are defined). */
void tlb_req_unpack(uint64_t w, struct tlb_req *out);

/* Handshake state shared by all CPUs. */
struct tlb_shoot {
	_Atomic uint64_t slot[MAX_CPUS]; /* request word per target CPU, 0 = none */
	_Atomic uint32_t acks;		 /* responders done with the current request */
};

/* Empty every slot and the ack counter. */
void tlb_shoot_init(struct tlb_shoot *s);
/* Initiator (holding the shootdown lock): publish req to every CPU in
 * targets. Returns -E_INVAL for TLB_REQ_NONE, -E_BUSY if a target still has
 * an untaken request (a lost-request bug in the caller), else 0. */
int tlb_shoot_publish(struct tlb_shoot *s, const struct cpumask *targets, uint64_t req) MUST_CHECK;
/* Initiator: whether ntargets responders have acknowledged (acquire). */
bool tlb_shoot_done(struct tlb_shoot *s, uint32_t ntargets);
/* Responder cpu: take its pending request, if any, emptying the slot. */
bool tlb_shoot_take(struct tlb_shoot *s, unsigned cpu, struct tlb_req *out);
/* Responder: report that the request taken has been flushed (release). */
void tlb_shoot_ack(struct tlb_shoot *s);
