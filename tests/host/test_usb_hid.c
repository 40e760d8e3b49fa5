/*
 * test_usb_hid.c - lib/usb's descriptors and the HID boot keyboard:
 * device descriptor (8 and 18 bytes, malformed), a configuration with a
 * boot keyboard (QEMU usb-kbd's bytes), with a mouse only, a keyboard
 * behind another interface, broken lengths; the standard and HID setup
 * packets; boot reports to key events (modifiers, releases before
 * presses, rollover ignored, duplicates, short reports), usages to set-1
 * keys checked through lib/kbd to the bytes typed, and the repeat timer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "kbd/kbd.h"
#include "usb/desc.h"
#include "usb/hid.h"

/* A high-speed boot keyboard's configuration: config, interface 3/1/1, HID, endpoint 0x81. */
static const uint8_t kbd_config[] = {
    9, 2,    34,   0, 1, 1, 0,	  0xa0, 50, /* configuration 1, 34 bytes */
    9, 4,    0,	   0, 1, 3, 1,	  1,	0,  /* interface 0: HID, boot, keyboard */
    9, 0x21, 0x11, 1, 0, 1, 0x22, 63,	0,  /* HID 1.11 */
    7, 5,    0x81, 3, 8, 0, 7,		    /* EP 1 IN, interrupt, 8 bytes, bInterval 7 */
};

static void test_device_descriptor(void **state)
{
	static const uint8_t d[18] = {18,   1,	  0x00, 0x02, 0, 0, 0, 64, 0x27,
				      0x06, 0x01, 0x00, 0,    0, 1, 4, 11, 1};
	struct usb_dev_desc dd;
	assert_int_equal(usb_dev_desc_parse(d, 8, &dd), 0);
	assert_int_equal(dd.mps0, 64);
	assert_int_equal(dd.usb, 0x200);
	assert_int_equal(dd.vendor, 0); /* not read yet */
	assert_int_equal(usb_dev_desc_parse(d, 18, &dd), 0);
	assert_int_equal(dd.vendor, 0x0627);
	assert_int_equal(dd.product, 1);
	assert_int_equal(dd.configs, 1);
	assert_int_equal(usb_dev_desc_parse(d, 7, &dd), -E_BADMSG);
	uint8_t bad[18];
	memcpy(bad, d, sizeof bad);
	bad[1] = 2;
	assert_int_equal(usb_dev_desc_parse(bad, 18, &dd), -E_BADMSG);
	bad[1] = 1;
	bad[0] = 0;
	assert_int_equal(usb_dev_desc_parse(bad, 18, &dd), -E_BADMSG);
}

static void test_config_keyboard(void **state)
{
	struct usb_config_info ci;
	assert_int_equal(usb_config_parse(kbd_config, 9, &ci), 0); /* header only */
	assert_int_equal(ci.total, 34);
	assert_false(ci.kbd);
	assert_int_equal(usb_config_parse(kbd_config, sizeof kbd_config, &ci), 0);
	assert_true(ci.kbd);
	assert_true(ci.hid_desc);
	assert_int_equal(ci.value, 1);
	assert_int_equal(ci.kbd_iface, 0);
	assert_int_equal(ci.ep_addr, 0x81);
	assert_int_equal(ci.ep_mps, 8);
	assert_int_equal(ci.ep_interval, 7);
	assert_int_equal(ci.ifaces, 1);
	assert_int_equal(ci.first_class, 3);
}

static void test_config_others(void **state)
{
	struct usb_config_info ci;
	uint8_t c[sizeof kbd_config];
	/* a boot mouse (protocol 2): not a keyboard */
	memcpy(c, kbd_config, sizeof c);
	c[9 + 7] = 2;
	assert_int_equal(usb_config_parse(c, sizeof c, &ci), 0);
	assert_false(ci.kbd);
	/* the keyboard's endpoint OUT, or bulk: not usable */
	memcpy(c, kbd_config, sizeof c);
	c[27 + 2] = 0x01;
	assert_int_equal(usb_config_parse(c, sizeof c, &ci), 0);
	assert_false(ci.kbd);
	memcpy(c, kbd_config, sizeof c);
	c[27 + 3] = 2;
	assert_int_equal(usb_config_parse(c, sizeof c, &ci), 0);
	assert_false(ci.kbd);
	/* a keyboard as the second interface, after a mass-storage one with a bulk IN */
	static const uint8_t two[] = {
	    9, 2,    50,   0,	 2, 2, 0,    0x80, 50, 9, 4, 0,	   0, 1, 8, 6,	0x50,
	    0, 7,    5,	   0x82, 2, 0, 2,    0,	   9,  4, 1, 0,	   1, 3, 1, 1,	0,
	    9, 0x21, 0x11, 1,	 0, 1, 0x22, 63,   0,  7, 5, 0x83, 3, 8, 0, 10,
	};
	assert_int_equal(usb_config_parse(two, sizeof two, &ci), 0);
	assert_true(ci.kbd);
	assert_int_equal(ci.kbd_iface, 1);
	assert_int_equal(ci.ep_addr, 0x83);
	assert_int_equal(ci.ep_interval, 10);
	assert_int_equal(ci.ifaces, 2);
	assert_int_equal(ci.first_class, 8);
	assert_int_equal(ci.value, 2);
	/* malformed: zero-length descriptor, one past the end, bad header */
	memcpy(c, kbd_config, sizeof c);
	c[9] = 0;
	assert_int_equal(usb_config_parse(c, sizeof c, &ci), -E_BADMSG);
	memcpy(c, kbd_config, sizeof c);
	c[9] = 40;
	assert_int_equal(usb_config_parse(c, sizeof c, &ci), -E_BADMSG);
	memcpy(c, kbd_config, sizeof c);
	c[1] = 4;
	assert_int_equal(usb_config_parse(c, sizeof c, &ci), -E_BADMSG);
	memcpy(c, kbd_config, sizeof c);
	c[2] = 4; /* wTotalLength below the header */
	assert_int_equal(usb_config_parse(c, sizeof c, &ci), -E_BADMSG);
	/* wTotalLength shorter than the buffer: the rest is not looked at */
	memcpy(c, kbd_config, sizeof c);
	c[2] = 27;
	assert_int_equal(usb_config_parse(c, sizeof c, &ci), 0);
	assert_false(ci.kbd);
}

static void test_setup_packets(void **state)
{
	struct usb_setup s;
	usb_get_descriptor(&s, USB_DT_CONFIG, 0, 9);
	assert_int_equal(s.type, 0x80);
	assert_int_equal(s.request, 6);
	assert_int_equal(s.value, 0x200);
	assert_int_equal(s.length, 9);
	hid_set_protocol(&s, 2, 0);
	assert_int_equal(s.type, 0x21);
	assert_int_equal(s.request, 0x0b);
	assert_int_equal(s.value, 0);
	assert_int_equal(s.index, 2);
	hid_set_idle(&s, 1, 0);
	assert_int_equal(s.request, 0x0a);
	assert_int_equal(s.value, 0);
	assert_int_equal(s.index, 1);
	usb_set_configuration(&s, 3);
	assert_int_equal(s.type, 0);
	assert_int_equal(s.value, 3);
}

static struct hid_kbd h;
static struct kbd k;
static char typed[128];
static size_t ntyped;

static int setup(void **state)
{
	hid_kbd_init(&h);
	kbd_init(&k);
	ntyped = 0;
	typed[0] = 0;
	return 0;
}

/* Feed one report; what lib/kbd makes of its events goes to typed. */
static size_t report(uint64_t now, uint8_t mods, uint8_t k1, uint8_t k2, uint8_t k3,
		     struct hid_key_event *ev)
{
	const uint8_t r[8] = {mods, 0, k1, k2, k3, 0, 0, 0};
	size_t n = hid_boot_report(&h, r, sizeof r, now, ev);
	assert_true(n <= HID_EVENTS_MAX);
	for (size_t i = 0; i < n; i++) {
		struct kbd_event ke = {hid_usage_to_set1(ev[i].usage), ev[i].down};
		char out[KBD_OUT_MAX];
		size_t m = ke.key ? kbd_key(&k, &ke, out) : 0;
		assert_true(ntyped + m < sizeof typed);
		memcpy(typed + ntyped, out, m);
		ntyped += m;
		typed[ntyped] = 0;
	}
	return n;
}

static void test_report_diff(void **state)
{
	struct hid_key_event ev[HID_EVENTS_MAX];
	assert_int_equal(report(0, 0, 0x04, 0, 0, ev), 1); /* a down */
	assert_int_equal(ev[0].usage, 0x04);
	assert_true(ev[0].down);
	assert_int_equal(report(0, 0, 0x04, 0, 0, ev), 0); /* the same report: nothing */
	/* a up, b down in one report: the release comes first */
	assert_int_equal(report(0, 0, 0x05, 0, 0, ev), 2);
	assert_int_equal(ev[0].usage, 0x04);
	assert_false(ev[0].down);
	assert_int_equal(ev[1].usage, 0x05);
	assert_true(ev[1].down);
	/* a key moving to another slot is neither pressed nor released */
	assert_int_equal(report(0, 0, 0x06, 0x05, 0, ev), 1);
	assert_int_equal(ev[0].usage, 0x06);
	/* rollover error: ignored, state kept */
	assert_int_equal(report(0, 0, 0x01, 0x01, 0x01, ev), 0);
	assert_int_equal(report(0, 0, 0x06, 0x05, 0, ev), 0);
	/* duplicates count once */
	assert_int_equal(report(0, 0, 0x07, 0x07, 0, ev), 3); /* b, c up; d down */
	assert_int_equal(ev[2].usage, 0x07);
	assert_int_equal(report(0, 0, 0, 0, 0, ev), 1);
	assert_false(ev[0].down);
	assert_string_equal(typed, "abcd");
	/* a short report is padded: one byte of modifiers = left shift down */
	const uint8_t one[1] = {0x02};
	assert_int_equal(hid_boot_report(&h, one, 1, 0, ev), 1);
	assert_int_equal(ev[0].usage, 0xe1);
	assert_true(ev[0].down);
}

static void test_layout_through_kbd(void **state)
{
	struct hid_key_event ev[HID_EVENTS_MAX];
	/* "Ab1$" then Enter: Shift is the left shift modifier bit 1 */
	report(0, 0x02, 0x04, 0, 0, ev);
	report(0, 0x00, 0, 0, 0, ev);
	report(0, 0x00, 0x05, 0, 0, ev);
	report(0, 0x00, 0x1e, 0, 0, ev);
	report(0, 0x20, 0x21, 0, 0, ev); /* right shift + 4 */
	report(0, 0x00, 0x28, 0, 0, ev);
	report(0, 0x00, 0, 0, 0, ev);
	assert_string_equal(typed, "Ab1$\r");
	ntyped = 0;
	/* Ctrl-C (left ctrl bit 0), Alt-x (left alt bit 2), Up (an E0 key), Backspace */
	report(0, 0x01, 0x06, 0, 0, ev);
	report(0, 0x04, 0x1b, 0, 0, ev);
	report(0, 0x00, 0x52, 0, 0, ev);
	report(0, 0x00, 0x2a, 0, 0, ev);
	report(0, 0x00, 0, 0, 0, ev);
	assert_memory_equal(typed, "\x03\x1bx\x1b[A\x7f", 7);
	assert_int_equal(ntyped, 7);
	/* keypad Enter, keypad slash, F1, Delete */
	ntyped = 0;
	report(0, 0, 0x58, 0x54, 0, ev);
	report(0, 0, 0x3a, 0, 0, ev);
	report(0, 0, 0x4c, 0, 0, ev);
	report(0, 0, 0, 0, 0, ev);
	assert_string_equal(typed, "\r/\x1bOP\x1b[3~");
	assert_int_equal(hid_usage_to_set1(0xe3), KBD_EXT | 0x5b);
	assert_int_equal(hid_usage_to_set1(0x48), KBD_KEY_PAUSE);
	assert_int_equal(hid_usage_to_set1(0x00), 0);
	assert_int_equal(hid_usage_to_set1(0x66), 0);
	assert_int_equal(hid_usage_to_set1(0xe8), 0);
	assert_int_equal(hid_usage_to_set1(0xff), 0);
	/* every letter and digit maps to a key that types it */
	for (uint8_t u = 0x04; u <= 0x27; u++)
		assert_int_not_equal(hid_usage_to_set1(u), 0);
}

static void test_repeat(void **state)
{
	struct hid_key_event ev[HID_EVENTS_MAX];
	uint8_t u;
	assert_int_equal(hid_repeat_wait(&h, 0), -1);
	report(1000, 0, 0x04, 0, 0, ev);
	assert_int_equal(hid_repeat_wait(&h, 1000), (int64_t)HID_REPEAT_DELAY_NS);
	assert_false(hid_repeat_due(&h, 1000 + HID_REPEAT_DELAY_NS - 1, &u));
	assert_true(hid_repeat_due(&h, 1000 + HID_REPEAT_DELAY_NS, &u));
	assert_int_equal(u, 0x04);
	assert_int_equal(hid_repeat_wait(&h, 1000 + HID_REPEAT_DELAY_NS),
			 (int64_t)HID_REPEAT_PERIOD_NS);
	/* a second key takes the repeat over; a modifier does not stop it */
	report(2000000000, 0x02, 0x04, 0x05, 0, ev);
	assert_true(hid_repeat_due(&h, 2000000000 + HID_REPEAT_DELAY_NS, &u));
	assert_int_equal(u, 0x05);
	/* releasing the first key leaves b repeating; releasing b stops it */
	report(3000000000, 0x02, 0x05, 0, 0, ev);
	assert_true(hid_repeat_due(&h, 3000000000 + HID_REPEAT_DELAY_NS, &u));
	report(3000000000, 0x02, 0, 0, 0, ev);
	assert_false(hid_repeat_due(&h, 9000000000, &u));
	assert_int_equal(hid_repeat_wait(&h, 9000000000), -1);
	/* Caps Lock does not repeat */
	report(0, 0, 0x39, 0, 0, ev);
	assert_int_equal(hid_repeat_wait(&h, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_device_descriptor),
	    cmocka_unit_test(test_config_keyboard),
	    cmocka_unit_test(test_config_others),
	    cmocka_unit_test(test_setup_packets),
	    cmocka_unit_test_setup(test_report_diff, setup),
	    cmocka_unit_test_setup(test_layout_through_kbd, setup),
	    cmocka_unit_test_setup(test_repeat, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
