/*
 * test_usb_xhci.c - the xHCI structures of lib/usb/xhci.c: each TRB
 * builder's bits (Normal, Setup/Data/Status, Link, the commands), the
 * producer ring (cycle bit, Link TRB hand-over and toggle, full ring,
 * completions out of range), the event ring consumer (cycle, wrap, ERDP),
 * event decoding, input/slot/endpoint contexts at 32 and 64 bytes, PORTSC
 * writes, speeds, Interval encoding, the protocol capability and the
 * scratchpad count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "usb/desc.h"
#include "usb/xhci.h"

#define BUS 0x12340000ull

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_trb_builders(void **state)
{
	struct xhci_trb t;
	xhci_trb_normal(&t, 0x1122334455667788ull, 8);
	assert_int_equal(t.d[0], 0x55667788);
	assert_int_equal(t.d[1], 0x11223344);
	assert_int_equal(t.d[2], 8);
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_NORMAL);
	assert_true(t.d[3] & XHCI_TRB_IOC);
	assert_true(t.d[3] & XHCI_TRB_ISP);
	assert_false(t.d[3] & XHCI_TRB_CYCLE);

	struct usb_setup s;
	usb_get_descriptor(&s, USB_DT_DEVICE, 0, 18);
	xhci_trb_setup(&t, &s);
	assert_int_equal(t.d[0], 0x01000680); /* 80 06 00 01 */
	assert_int_equal(t.d[1], 18u << 16);
	assert_int_equal(t.d[2], 8);
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_SETUP);
	assert_true(t.d[3] & XHCI_TRB_IDT);
	assert_int_equal((t.d[3] >> 16) & 3, 3); /* IN data stage */
	usb_set_configuration(&s, 1);
	xhci_trb_setup(&t, &s);
	assert_int_equal((t.d[3] >> 16) & 3, 0); /* no data stage */
	assert_int_equal(t.d[0], 0x00010900);
	s = (struct usb_setup){0x21, 9, 0x200, 0, 1};
	xhci_trb_setup(&t, &s);
	assert_int_equal((t.d[3] >> 16) & 3, 2); /* OUT data stage */

	xhci_trb_data(&t, BUS, 18, true);
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_DATA);
	assert_true(t.d[3] & XHCI_TRB_DIR_IN);
	assert_int_equal(t.d[2], 18);
	xhci_trb_status(&t, false);
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_STATUS);
	assert_false(t.d[3] & XHCI_TRB_DIR_IN);
	assert_true(t.d[3] & XHCI_TRB_IOC);

	xhci_trb_link(&t, BUS + 0x1f, true);
	assert_int_equal(t.d[0], (uint32_t)BUS + 0x10); /* 16-byte aligned */
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_LINK);
	assert_true(t.d[3] & XHCI_TRB_TC);

	xhci_trb_enable_slot(&t);
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_ENABLE_SLOT);
	xhci_trb_address_device(&t, BUS + 0x40, 5, true);
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_ADDRESS_DEVICE);
	assert_int_equal(t.d[0], (uint32_t)BUS + 0x40);
	assert_int_equal(t.d[3] >> 24, 5);
	assert_true(t.d[3] & (1u << 9));
	xhci_trb_configure_ep(&t, BUS, 7);
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_CONFIGURE_EP);
	assert_int_equal(t.d[3] >> 24, 7);
	xhci_trb_evaluate_ctx(&t, BUS, 2);
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_EVALUATE_CTX);
	xhci_trb_disable_slot(&t, 3);
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_DISABLE_SLOT);
	assert_int_equal(t.d[3] >> 24, 3);
	xhci_trb_noop_cmd(&t);
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_NOOP_CMD);
}

static void test_ring_cycle_and_link(void **state)
{
	struct xhci_trb trbs[4];
	memset(trbs, 0, sizeof trbs);
	struct xhci_ring r;
	assert_int_equal(xhci_ring_init(&r, trbs, BUS + 8, 4), -E_INVAL); /* misaligned */
	assert_int_equal(xhci_ring_init(&r, trbs, BUS, 2), -E_INVAL);
	assert_int_equal(xhci_ring_init(&r, trbs, BUS, 4), 0);
	assert_int_equal(xhci_trb_type(&trbs[3]), XHCI_TRB_LINK);
	assert_int_equal(trbs[3].d[0], (uint32_t)BUS);
	assert_false(trbs[3].d[3] & XHCI_TRB_CYCLE);
	assert_int_equal(xhci_ring_deq_ptr(&r), BUS | 1);
	assert_int_equal(xhci_ring_room(&r), 2);

	struct xhci_trb t;
	xhci_trb_noop_cmd(&t);
	t.d[3] |= XHCI_TRB_CYCLE; /* a stale cycle bit from the caller is replaced */
	uint64_t at[8];
	assert_int_equal(xhci_ring_push(&r, &t, &at[0]), 0);
	assert_int_equal(at[0], BUS);
	assert_true(trbs[0].d[3] & XHCI_TRB_CYCLE);
	assert_int_equal(xhci_ring_push(&r, &t, &at[1]), 0);
	assert_int_equal(at[1], BUS + 16);
	assert_int_equal(xhci_ring_room(&r), 0);
	assert_int_equal(xhci_ring_push(&r, &t, &at[2]), -E_NOSPC);

	/* the controller finished the first: one more fits, at index 2, then the Link */
	assert_int_equal(xhci_ring_done(&r, at[0]), 0);
	assert_int_equal(xhci_ring_push(&r, &t, &at[2]), 0);
	assert_int_equal(at[2], BUS + 32);
	assert_true(trbs[3].d[3] & XHCI_TRB_CYCLE); /* Link handed over with cycle 1 */
	assert_int_equal(r.enq, 0);
	assert_false(r.cycle); /* toggled */
	assert_int_equal(xhci_ring_deq_ptr(&r), BUS);

	assert_int_equal(xhci_ring_done(&r, at[2]), 0);
	assert_int_equal(xhci_ring_push(&r, &t, &at[3]), 0);
	assert_int_equal(at[3], BUS);
	assert_false(trbs[0].d[3] & XHCI_TRB_CYCLE); /* second lap: cycle 0 */
	assert_int_equal(xhci_ring_push(&r, &t, &at[4]), 0);
	assert_int_equal(xhci_ring_push(&r, &t, &at[5]), -E_NOSPC);
	assert_int_equal(xhci_ring_done(&r, at[3]), 0);
	assert_int_equal(xhci_ring_push(&r, &t, &at[5]), 0);
	assert_int_equal(at[5], BUS + 32);
	assert_false(trbs[3].d[3] & XHCI_TRB_CYCLE); /* Link handed over with cycle 0 */
	assert_true(r.cycle);

	/* completions the ring did not give, or already freed, change nothing */
	assert_int_equal(xhci_ring_done(&r, BUS + 48), -E_INVAL); /* the Link */
	assert_int_equal(xhci_ring_done(&r, BUS + 8), -E_INVAL);
	assert_int_equal(xhci_ring_done(&r, BUS - 16), -E_INVAL);
	assert_int_equal(xhci_ring_done(&r, BUS + 0x10000), -E_INVAL);
	assert_int_equal(xhci_ring_done(&r, at[5]), 0); /* frees at[4] too */
	assert_int_equal(xhci_ring_done(&r, at[5]), -E_INVAL);
	assert_int_equal(xhci_ring_done(&r, at[4]), -E_INVAL);
	assert_int_equal(xhci_ring_room(&r), 2);
}

static void test_event_ring(void **state)
{
	struct xhci_trb ev[16];
	memset(ev, 0, sizeof ev);
	struct xhci_evring e;
	assert_int_equal(xhci_evring_init(&e, ev, BUS + 16, 16), -E_INVAL);
	assert_int_equal(xhci_evring_init(&e, ev, BUS, 8), -E_INVAL);
	assert_int_equal(xhci_evring_init(&e, ev, BUS, 16), 0);
	struct xhci_trb t;
	assert_false(xhci_evring_pop(&e, &t));
	/* the controller posts a command completion: slot 3, code 1, TRB at BUS+0x40 */
	ev[0] = (struct xhci_trb){
	    {(uint32_t)BUS + 0x40, 0, 1u << 24, 3u << 24 | XHCI_TRB_COMMAND_COMPLETION << 10 | 1}};
	assert_true(xhci_evring_pop(&e, &t));
	struct xhci_event d;
	xhci_event_decode(&t, &d);
	assert_int_equal(d.type, XHCI_TRB_COMMAND_COMPLETION);
	assert_int_equal(d.code, XHCI_CC_SUCCESS);
	assert_int_equal(d.slot, 3);
	assert_int_equal(d.ptr, BUS + 0x40);
	assert_false(xhci_evring_pop(&e, &t));
	assert_int_equal(xhci_evring_erdp(&e), (BUS + 16) | XHCI_ERDP_EHB);
	/* fill the rest of the lap, then the second lap's events have cycle 0 */
	for (unsigned i = 1; i < 16; i++)
		ev[i].d[3] = XHCI_TRB_PORT_STATUS_CHANGE << 10 | 1;
	for (unsigned i = 1; i < 16; i++)
		assert_true(xhci_evring_pop(&e, &t));
	assert_int_equal(e.deq, 0);
	assert_false(e.cycle);
	assert_false(xhci_evring_pop(&e, &t)); /* ev[0] still has cycle 1: old */
	ev[0] = (struct xhci_trb){{5u << 24, 0, 1u << 24, XHCI_TRB_PORT_STATUS_CHANGE << 10}};
	assert_true(xhci_evring_pop(&e, &t));
	xhci_event_decode(&t, &d);
	assert_int_equal(d.type, XHCI_TRB_PORT_STATUS_CHANGE);
	assert_int_equal(d.port, 5);
	/* a transfer event: residue and endpoint */
	t = (struct xhci_trb){{0x1000, 0, 13u << 24 | 3, 2u << 24 | 3u << 16 | 32u << 10 | 1}};
	xhci_event_decode(&t, &d);
	assert_int_equal(d.type, XHCI_TRB_TRANSFER_EVENT);
	assert_int_equal(d.code, XHCI_CC_SHORT_PACKET);
	assert_int_equal(d.length, 3);
	assert_int_equal(d.slot, 2);
	assert_int_equal(d.ep, 3);

	uint8_t erst[16];
	xhci_erst_entry(erst, 0x123456789000ull, 256);
	assert_int_equal(ld32(erst), 0x56789000);
	assert_int_equal(ld32(erst + 4), 0x1234);
	assert_int_equal(ld32(erst + 8), 256);
	assert_int_equal(ld32(erst + 12), 0);
}

static void contexts(unsigned csz)
{
	uint8_t in[64 * 33];
	memset(in, 0, sizeof in);
	assert_int_equal(xhci_input_ctx_len(csz), csz * 33);
	assert_int_equal(xhci_dev_ctx_len(csz), csz * 32);
	assert_int_equal(xhci_in_slot_off(csz), csz);
	assert_int_equal(xhci_in_ep_off(csz, 1), 2 * csz);
	assert_int_equal(xhci_in_ep_off(csz, 3), 4 * csz);
	assert_int_equal(xhci_dev_ep_off(csz, 3), 3 * csz);
	xhci_input_ctl(in, 3, 0x10);
	assert_int_equal(ld32(in), 0x10);
	assert_int_equal(ld32(in + 4), 3);
	xhci_slot_ctx(in + xhci_in_slot_off(csz), XHCI_SPEED_HIGH, 3, 5);
	const uint8_t *slot = in + csz;
	assert_int_equal((ld32(slot) >> 20) & 0xf, XHCI_SPEED_HIGH);
	assert_int_equal(ld32(slot) >> 27, 3);
	assert_int_equal((ld32(slot + 4) >> 16) & 0xff, 5);
	struct xhci_ep e = {XHCI_EP_INTR_IN, 8, 7, BUS | 1, 8, 8};
	uint8_t *ep = in + xhci_in_ep_off(csz, 3);
	xhci_ep_ctx(ep, &e);
	assert_int_equal((ld32(ep) >> 16) & 0xff, 7);
	assert_int_equal((ld32(ep + 4) >> 1) & 3, 3); /* CErr */
	assert_int_equal((ld32(ep + 4) >> 3) & 7, XHCI_EP_INTR_IN);
	assert_int_equal(ld32(ep + 4) >> 16, 8);
	assert_int_equal(ld32(ep + 8), (uint32_t)BUS | 1);
	assert_int_equal(ld32(ep + 12), 0);
	assert_int_equal(ld32(ep + 16), 8u | 8u << 16);
	/* nothing written past the endpoint's own context */
	for (size_t i = xhci_in_ep_off(csz, 4); i < sizeof in; i++)
		assert_int_equal(in[i], 0);
	/* output slot context: state and address */
	uint8_t out[64] = {0};
	out[12] = 7;
	out[15] = 2u << 3;
	assert_int_equal(xhci_slot_state(out), 2);
	assert_int_equal(xhci_slot_address(out), 7);
	out[0] = 2;
	assert_int_equal(xhci_ep_state(out), 2);
}

static void test_contexts_32_and_64(void **state)
{
	assert_int_equal(xhci_ctx_size(0), 32);
	assert_int_equal(xhci_ctx_size(1u << 2), 64);
	contexts(32);
	contexts(64);
	assert_int_equal(xhci_dci(0x00), 1);
	assert_int_equal(xhci_dci(0x80), 1);
	assert_int_equal(xhci_dci(0x81), 3);
	assert_int_equal(xhci_dci(0x01), 2);
	assert_int_equal(xhci_dci(0x8f), 31);
}

static void test_ports_and_speeds(void **state)
{
	uint32_t v = XHCI_PORT_CCS | XHCI_PORT_PED | XHCI_PORT_PP | XHCI_PORT_CSC | XHCI_PORT_PRC |
		     3u << 10 | XHCI_PORT_PR | XHCI_PORT_WPR | XHCI_PORT_LWS;
	uint32_t n = xhci_port_neutral(v);
	assert_int_equal(n, XHCI_PORT_CCS | XHCI_PORT_PP | 3u << 10);
	assert_int_equal(xhci_port_speed(v), XHCI_SPEED_HIGH);
	assert_int_equal(xhci_speed_mps0(XHCI_SPEED_LOW), 8);
	assert_int_equal(xhci_speed_mps0(XHCI_SPEED_FULL), 8);
	assert_int_equal(xhci_speed_mps0(XHCI_SPEED_HIGH), 64);
	assert_int_equal(xhci_speed_mps0(XHCI_SPEED_SUPER), 512);
	assert_int_equal(xhci_speed_mps0(0), 0);
	assert_int_equal(xhci_speed_mps0(15), 0);
	assert_string_equal(xhci_speed_name(XHCI_SPEED_HIGH), "high-speed");
	assert_string_equal(xhci_speed_name(9), "unknown speed");
	assert_int_equal(xhci_mps0_bytes(XHCI_SPEED_FULL, 64), 64);
	assert_int_equal(xhci_mps0_bytes(XHCI_SPEED_FULL, 12), 0);
	assert_int_equal(xhci_mps0_bytes(XHCI_SPEED_LOW, 64), 0);
	assert_int_equal(xhci_mps0_bytes(XHCI_SPEED_SUPER, 9), 512);
	assert_int_equal(xhci_mps0_bytes(XHCI_SPEED_SUPER, 64), 0);
	/* Interval: full/low speed 2^n x 125 us <= bInterval ms, 3..10 */
	assert_int_equal(xhci_intr_interval(XHCI_SPEED_FULL, 1), 3);
	assert_int_equal(xhci_intr_interval(XHCI_SPEED_FULL, 0), 3);
	assert_int_equal(xhci_intr_interval(XHCI_SPEED_FULL, 10), 6);
	assert_int_equal(xhci_intr_interval(XHCI_SPEED_LOW, 255), 10);
	/* high speed: bInterval - 1, clamped to 0..15 */
	assert_int_equal(xhci_intr_interval(XHCI_SPEED_HIGH, 7), 6);
	assert_int_equal(xhci_intr_interval(XHCI_SPEED_HIGH, 0), 0);
	assert_int_equal(xhci_intr_interval(XHCI_SPEED_HIGH, 200), 15);
	assert_int_equal(xhci_intr_interval(XHCI_SPEED_SUPER, 4), 3);
}

static void test_caps(void **state)
{
	unsigned major, first, count;
	/* "USB " 3.0, ports 5-8 */
	xhci_proto_parse(0x03000802, 0x00000405, &major, &first, &count);
	assert_int_equal(major, 3);
	assert_int_equal(first, 5);
	assert_int_equal(count, 4);
	assert_int_equal(xhci_xcap_id(0x03000802), XHCI_XCAP_PROTOCOL);
	assert_int_equal(xhci_xcap_next(0x03000802), 8);
	assert_int_equal(xhci_scratchpads(0), 0);
	assert_int_equal(xhci_scratchpads(4u << 27), 4);
	assert_int_equal(xhci_scratchpads(1u << 21 | 2u << 27), 34);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_trb_builders),     cmocka_unit_test(test_ring_cycle_and_link),
	    cmocka_unit_test(test_event_ring),	     cmocka_unit_test(test_contexts_32_and_64),
	    cmocka_unit_test(test_ports_and_speeds), cmocka_unit_test(test_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
