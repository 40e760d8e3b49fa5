/*
 * test_kbd.c - the scan code decoder of ps2d (lib/kbd/kbd.c): set-1 make
 * and break codes, 0xE0 and the Pause sequence, garbage and broken
 * prefixes; the US layout: letters, digits, punctuation, Shift, Caps Lock
 * (with repeats), Ctrl, Alt, Enter, Backspace, Tab, Esc, arrows and the
 * editing keys, function keys, the keypad with and without Num Lock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "kbd/kbd.h"

static struct kbd k;
static char got[256];
static size_t ngot;

static int setup(void **state)
{
	kbd_init(&k);
	ngot = 0;
	got[0] = '\0';
	return 0;
}

/* Feed scan codes sc[0..n) and collect the bytes in got (NUL-terminated). */
static void feed(const uint8_t *sc, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char out[KBD_OUT_MAX];
		size_t m = kbd_feed(&k, sc[i], out);
		assert_true(m <= KBD_OUT_MAX);
		assert_true(ngot + m < sizeof got);
		memcpy(got + ngot, out, m);
		ngot += m;
		got[ngot] = '\0';
	}
}

#define FEED(...)                                                                                  \
	do {                                                                                       \
		static const uint8_t sc_[] = {__VA_ARGS__};                                        \
		feed(sc_, sizeof sc_);                                                             \
	} while (0)

/* Press and release one plain (non-E0) key. */
static void tap(uint8_t code)
{
	uint8_t sc[2] = {code, (uint8_t)(code | 0x80)};
	feed(sc, 2);
}

static void expect(const char *want, size_t n)
{
	assert_int_equal(ngot, n);
	assert_memory_equal(got, want, n);
	ngot = 0;
	got[0] = '\0';
}

static void test_events(void **state)
{
	struct kbd_event ev;
	assert_true(kbd_scan(&k, 0x1e, &ev));
	assert_int_equal(ev.key, 0x1e);
	assert_true(ev.down);
	assert_true(kbd_scan(&k, 0x9e, &ev));
	assert_int_equal(ev.key, 0x1e);
	assert_false(ev.down);
	assert_false(kbd_scan(&k, 0xe0, &ev));
	assert_true(kbd_scan(&k, 0x48, &ev));
	assert_int_equal(ev.key, KBD_EXT | 0x48);
	assert_true(ev.down);
	assert_false(kbd_scan(&k, 0xe0, &ev));
	assert_true(kbd_scan(&k, 0xc8, &ev));
	assert_int_equal(ev.key, KBD_EXT | 0x48);
	assert_false(ev.down);
	/* Pause: E1 1D 45 E1 9D C5, one event */
	static const uint8_t pause[] = {0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5};
	int events = 0;
	for (size_t i = 0; i < sizeof pause; i++)
		if (kbd_scan(&k, pause[i], &ev)) {
			events++;
			assert_int_equal(ev.key, KBD_KEY_PAUSE);
			assert_true(ev.down);
		}
	assert_int_equal(events, 1);
	/* the controller's own bytes are not keys */
	static const uint8_t noise[] = {0x00, 0xff, 0xfa, 0xfe, 0xee, 0xfc, 0xfd};
	for (size_t i = 0; i < sizeof noise; i++)
		assert_false(kbd_scan(&k, noise[i], &ev));
	assert_true(kbd_scan(&k, 0x10, &ev)); /* and leave no state behind */
	assert_int_equal(ev.key, 0x10);
}

static void test_letters_digits_punct(void **state)
{
	/* "root" */
	tap(0x13), tap(0x18), tap(0x18), tap(0x14);
	expect("root", 4);
	static const uint8_t row[] = {0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
				      0x0a, 0x0b, 0x0c, 0x0d, 0x1a, 0x1b, 0x27, 0x28,
				      0x29, 0x2b, 0x33, 0x34, 0x35, 0x39, 0x56};
	for (size_t i = 0; i < sizeof row; i++)
		tap(row[i]);
	expect("1234567890-=[];'`\\,./ \\", 23);
	FEED(0x2a); /* left Shift held */
	for (size_t i = 0; i < sizeof row; i++)
		tap(row[i]);
	tap(0x1e);
	FEED(0xaa);
	expect("!@#$%^&*()_+{}:\"~|<>? |A", 24);
	FEED(0x36, 0x2c, 0xac, 0xb6, 0x2c, 0xac); /* right Shift: Z, then z */
	expect("Zz", 2);
	/* every letter, a-z, in keyboard order */
	static const uint8_t letters[] = {0x1e, 0x30, 0x2e, 0x20, 0x12, 0x21, 0x22, 0x23, 0x17,
					  0x24, 0x25, 0x26, 0x32, 0x31, 0x18, 0x19, 0x10, 0x13,
					  0x1f, 0x14, 0x16, 0x2f, 0x11, 0x2d, 0x15, 0x2c};
	for (size_t i = 0; i < sizeof letters; i++)
		tap(letters[i]);
	expect("abcdefghijklmnopqrstuvwxyz", 26);
}

static void test_caps_lock(void **state)
{
	FEED(0x3a, 0x3a, 0x3a, 0xba); /* held: typematic makes toggle once */
	tap(0x1e), tap(0x02), tap(0x0c);
	FEED(0x2a); /* Shift undoes Caps for letters only */
	tap(0x1e), tap(0x02);
	FEED(0xaa);
	expect("A1-a!", 5);
	FEED(0x3a, 0xba);
	tap(0x1e);
	expect("a", 1);
}

static void test_ctrl(void **state)
{
	FEED(0x1d);
	tap(0x2e); /* Ctrl-C */
	tap(0x1e); /* Ctrl-A */
	tap(0x2c); /* Ctrl-Z */
	tap(0x2b); /* Ctrl-\ */
	tap(0x1a); /* Ctrl-[ */
	tap(0x1b); /* Ctrl-] */
	tap(0x07); /* Ctrl-6 (^) */
	tap(0x0c); /* Ctrl-- (_) */
	tap(0x03); /* Ctrl-2 (@) */
	tap(0x39); /* Ctrl-Space */
	FEED(0x9d);
	expect("\x03\x01\x1a\x1c\x1b\x1d\x1e\x1f\0\0", 10);
	FEED(0xe0, 0x1d, 0x2e, 0xae, 0xe0, 0x9d, 0x2e, 0xae); /* right Ctrl, then none */
	expect("\x03"
	       "c",
	       2);
	FEED(0x1d, 0x2a, 0x2e, 0xae, 0xaa, 0x9d); /* Ctrl-Shift-C is still 0x03 */
	expect("\x03", 1);
	FEED(0x3a, 0xba, 0x1d, 0x2e, 0xae, 0x9d, 0x3a, 0xba); /* and with Caps Lock */
	expect("\x03", 1);
}

static void test_alt(void **state)
{
	FEED(0x38, 0x30, 0xb0, 0xb8, 0x30, 0xb0); /* Alt-b, b */
	expect("\x1b"
	       "bb",
	       3);
	FEED(0xe0, 0x38, 0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0xb8); /* AltGr-Up */
	expect("\x1b\x1b[A", 4);
}

static void test_special_keys(void **state)
{
	tap(0x1c);
	FEED(0xe0, 0x1c, 0xe0, 0x9c);
	expect("\r\r", 2);
	tap(0x0e), tap(0x0f), tap(0x01);
	expect("\x7f\t\x1b", 3);
	FEED(0x2a, 0x0f, 0x8f, 0xaa);
	expect("\x1b[Z", 3);
	FEED(0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x50, 0xe0, 0x4d, 0xe0, 0x4b);
	expect("\x1b[A\x1b[B\x1b[C\x1b[D", 12);
	FEED(0xe0, 0x47, 0xe0, 0x4f, 0xe0, 0x53, 0xe0, 0x52, 0xe0, 0x49, 0xe0, 0x51);
	expect("\x1b[H\x1b[F\x1b[3~\x1b[2~\x1b[5~\x1b[6~", 22);
	tap(0x3b), tap(0x3e), tap(0x3f), tap(0x44), tap(0x57), tap(0x58);
	expect("\x1bOP\x1bOS\x1b[15~\x1b[21~\x1b[23~\x1b[24~", 26);
	FEED(0xe0, 0x35, 0xe0, 0xb5);
	tap(0x37), tap(0x4a), tap(0x4e);
	expect("/*-+", 4);
	/* the fake shifts around Print Screen, the Windows keys, Scroll Lock: nothing */
	FEED(0xe0, 0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0xe0, 0xaa, 0xe0, 0x5b, 0xe0, 0xdb, 0x46, 0xc6);
	expect("", 0);
	tap(0x1e); /* and no Shift left behind */
	expect("a", 1);
}

static void test_keypad(void **state)
{
	static const uint8_t pad[] = {0x47, 0x48, 0x49, 0x4b, 0x4c, 0x4d,
				      0x4f, 0x50, 0x51, 0x52, 0x53};
	for (size_t i = 0; i < sizeof pad; i++)
		tap(pad[i]);
	expect("\x1b[H\x1b[A\x1b[5~\x1b[D\x1b[C\x1b[F\x1b[B\x1b[6~\x1b[2~\x1b[3~", 34);
	FEED(0x45, 0xc5); /* Num Lock on */
	for (size_t i = 0; i < sizeof pad; i++)
		tap(pad[i]);
	expect("7894561230.", 11);
}

static void test_garbage(void **state)
{
	FEED(0xe0, 0xe0, 0x48); /* a prefix twice: still one extended key */
	expect("\x1b[A", 3);
	FEED(0xe1, 0x1e, 0x9e); /* E1 then a plain key: the key counts */
	expect("a", 1);
	FEED(0xe1, 0x1d, 0x1e, 0x9e); /* a broken Pause sequence: the key counts */
	expect("a", 1);
	FEED(0xe1, 0xe0, 0x48); /* E1 then E0 */
	expect("\x1b[A", 3);
	FEED(0xe0, 0x00, 0xe0, 0x80, 0x1e); /* E0 and a zero code */
	expect("a", 1);
	FEED(0xe1, 0x1d, 0x45); /* Pause makes no bytes */
	expect("", 0);
	/* releases of keys never pressed, unknown codes: nothing and no state */
	FEED(0x9d, 0xb8, 0xba, 0xc5, 0x7f, 0x60, 0xe0, 0x7f, 0x59, 0xd9);
	expect("", 0);
	tap(0x1e);
	expect("a", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_events, setup),
	    cmocka_unit_test_setup(test_letters_digits_punct, setup),
	    cmocka_unit_test_setup(test_caps_lock, setup),
	    cmocka_unit_test_setup(test_ctrl, setup),
	    cmocka_unit_test_setup(test_alt, setup),
	    cmocka_unit_test_setup(test_special_keys, setup),
	    cmocka_unit_test_setup(test_keypad, setup),
	    cmocka_unit_test_setup(test_garbage, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
