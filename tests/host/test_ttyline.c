/*
 * test_ttyline.c - the typed-line reader of getty and login
 * (lib/ttyline/ttyline.c): echo of kept bytes and none for a password;
 * CR, LF and CR LF as one Enter, also across lines and at the start;
 * backspace and DEL; Ctrl-U; Ctrl-D only on an empty line; escape
 * sequences dropped whole; other control bytes ignored; the length cap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "ttyline/ttyline.h"

static struct ttyline t;
static char buf[8];
static char echoed[256];
static size_t nechoed;

/* Feed s[0..n) until a result other than MORE (returned, with *used bytes) or the end. */
static enum ttyline_result feed(const char *s, size_t n, size_t *used)
{
	for (size_t i = 0; i < n; i++) {
		char out[TTYLINE_ECHO_MAX];
		size_t k;
		enum ttyline_result r = ttyline_feed(&t, (unsigned char)s[i], out, &k);
		assert_true(k <= TTYLINE_ECHO_MAX);
		memcpy(echoed + nechoed, out, k);
		nechoed += k;
		echoed[nechoed] = '\0';
		if (r != TTYLINE_MORE) {
			if (used)
				*used = i + 1;
			return r;
		}
	}
	if (used)
		*used = n;
	return TTYLINE_MORE;
}

static void start(bool echo, bool skip_lf)
{
	nechoed = 0;
	echoed[0] = '\0';
	ttyline_start(&t, buf, sizeof buf, echo, skip_lf);
}

static void test_line_and_echo(void **state)
{
	start(true, false);
	assert_int_equal(feed("root\r", 5, NULL), TTYLINE_DONE);
	assert_string_equal(buf, "root");
	assert_int_equal(t.len, 4);
	assert_string_equal(echoed, "root\n");
	assert_true(ttyline_ended_cr(&t));
	start(false, false);
	assert_int_equal(feed("pw\n", 3, NULL), TTYLINE_DONE);
	assert_string_equal(buf, "pw");
	assert_string_equal(echoed, "\n"); /* no echo but the Enter */
	assert_false(ttyline_ended_cr(&t));
}

static void test_crlf(void **state)
{
	size_t used;
	start(true, false);
	assert_int_equal(feed("ab\r\ncd\r\n", 8, &used), TTYLINE_DONE);
	assert_int_equal(used, 3);
	assert_string_equal(buf, "ab");
	start(true, ttyline_ended_cr(&t));
	assert_int_equal(feed("\ncd\r\n", 5, &used), TTYLINE_DONE);
	assert_int_equal(used, 4);
	assert_string_equal(buf, "cd");
	assert_string_equal(echoed, "cd\n");
	/* after an LF, a second LF is an empty line */
	start(true, false);
	assert_int_equal(feed("\n", 1, NULL), TTYLINE_DONE);
	assert_string_equal(buf, "");
	/* skip_lf drops only one LF, and only first */
	start(true, true);
	assert_int_equal(feed("\n\n", 2, &used), TTYLINE_DONE);
	assert_int_equal(used, 2);
	start(true, true);
	assert_int_equal(feed("x\n", 2, NULL), TTYLINE_DONE);
	assert_string_equal(buf, "x");
	/* CR CR is two lines */
	start(true, false);
	assert_int_equal(feed("\r", 1, NULL), TTYLINE_DONE);
	start(true, ttyline_ended_cr(&t));
	assert_int_equal(feed("\r", 1, NULL), TTYLINE_DONE);
}

static void test_editing(void **state)
{
	start(true, false);
	assert_int_equal(feed("rox\bo\x7ft\r", 8, NULL), TTYLINE_DONE);
	assert_string_equal(buf, "rot");
	assert_string_equal(echoed, "rox\b \bo\b \bt\n");
	start(true, false);
	assert_int_equal(feed("\b\x7f"
			      "a\r",
			      4, NULL),
			 TTYLINE_DONE); /* nothing to erase */
	assert_string_equal(buf, "a");
	assert_string_equal(echoed, "a\n");
	start(false, false);
	assert_int_equal(feed("ab\bc\r", 5, NULL), TTYLINE_DONE);
	assert_string_equal(buf, "ac");
	assert_string_equal(echoed, "\n"); /* a password's erase shows nothing */
	start(true, false);
	assert_int_equal(feed("abc\x15xy\r", 7, NULL), TTYLINE_DONE);
	assert_string_equal(buf, "xy");
	assert_string_equal(echoed, "abc^U\nxy\n");
}

static void test_control_and_escapes(void **state)
{
	start(true, false);
	assert_int_equal(feed("a\x01\x07\tb\x03\x1b[A\x1b[1;5Cc\x1bOd\x1bxe\r", 23, NULL),
			 TTYLINE_DONE);
	assert_string_equal(buf, "abce");
	assert_string_equal(echoed, "abce\n");
	/* Ctrl-D: end of input only on an empty line */
	start(true, false);
	assert_int_equal(feed("a\x04", 2, NULL), TTYLINE_MORE);
	assert_int_equal(feed("\b\x04", 2, NULL), TTYLINE_EOF);
	/* bytes >= 0x80 are kept (a password may hold them) */
	start(false, false);
	assert_int_equal(feed("\xc3\xa9\r", 3, NULL), TTYLINE_DONE);
	assert_string_equal(buf, "\xc3\xa9");
}

static void test_cap(void **state)
{
	start(true, false);
	assert_int_equal(feed("abcdefghij\r", 11, NULL), TTYLINE_DONE);
	assert_string_equal(buf, "abcdefg"); /* sizeof buf - 1 */
	assert_true(t.too_long);
	assert_string_equal(echoed, "abcdefg\n");
	start(true, false);
	assert_int_equal(feed("abcdefg\bh\r", 10, NULL), TTYLINE_DONE);
	assert_string_equal(buf, "abcdefh");
	assert_false(t.too_long);
	char one[1];
	ttyline_start(&t, one, 1, true, false);
	assert_int_equal(feed("a\r", 2, NULL), TTYLINE_DONE);
	assert_string_equal(one, "");
	assert_true(t.too_long);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_line_and_echo), cmocka_unit_test(test_crlf),
	    cmocka_unit_test(test_editing),	  cmocka_unit_test(test_control_and_escapes),
	    cmocka_unit_test(test_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
