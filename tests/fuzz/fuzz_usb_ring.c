/*
 * fuzz_usb_ring.c - libFuzzer target for the xHCI ring bookkeeping
 * (lib/usb/xhci.c) against what a controller controls: the TRB pointers
 * of its completion events and the contents of the event ring. The input
 * drives a small transfer ring: each byte either pushes a TRB or
 * completes an address derived from it (often a real TRB, sometimes
 * anything); then the rest of the input is an event ring's memory, popped
 * until empty and decoded. Checks: enq and deq stay within the ring, room
 * never exceeds the TRBs that can be in flight, a push into a full ring
 * fails and changes nothing, the Link TRB keeps its target, and the event
 * ring pops at most one lap.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "usb/xhci.h"

#define N 8
#define BUS 0x100000ull
#define EV_N 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xhci_trb trbs[N];
	memset(trbs, 0, sizeof trbs);
	struct xhci_ring r;
	if (xhci_ring_init(&r, trbs, BUS, N) != 0)
		abort();
	size_t i = 0;
	for (; i < size && data[i] != 0xff; i++) {
		uint8_t b = data[i];
		struct xhci_trb t;
		xhci_trb_normal(&t, b, b);
		if (b & 1) {
			unsigned room = xhci_ring_room(&r);
			struct xhci_ring before = r;
			uint64_t at;
			int e = xhci_ring_push(&r, &t, &at);
			if (room == 0 && (e == 0 || memcmp(&before, &r, sizeof r) != 0))
				abort();
			if (room && (e != 0 || at < BUS || at >= BUS + (N - 1) * XHCI_TRB_SIZE))
				abort();
		} else {
			uint64_t at = (b & 2) ? BUS + (uint64_t)(b >> 2) * 4 : (uint64_t)b << 8;
			(void)xhci_ring_done(&r, at);
		}
		if (r.enq >= N - 1 || r.deq >= N - 1 || xhci_ring_room(&r) > N - 2)
			abort();
		if (trbs[N - 1].d[0] != (uint32_t)BUS ||
		    xhci_trb_type(&trbs[N - 1]) != XHCI_TRB_LINK)
			abort();
	}
	struct xhci_trb ev[EV_N];
	memset(ev, 0, sizeof ev);
	if (i < size)
		memcpy(ev, data + i, size - i < sizeof ev ? size - i : sizeof ev);
	struct xhci_evring e;
	if (xhci_evring_init(&e, ev, BUS, EV_N) != 0)
		abort();
	struct xhci_trb t;
	unsigned popped = 0;
	while (xhci_evring_pop(&e, &t)) {
		struct xhci_event d;
		xhci_event_decode(&t, &d);
		if (d.ep > 31 || d.slot > 255 || d.type > 63)
			abort();
		if (++popped > EV_N)
			break; /* a whole lap: the cycle bit flipped, the old ones do not match */
	}
	if (popped > EV_N || (xhci_evring_erdp(&e) & ~(uint64_t)XHCI_ERDP_EHB) >= BUS + EV_N * 16)
		abort();
	return 0;
}
