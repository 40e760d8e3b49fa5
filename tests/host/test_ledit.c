/*
 * test_ledit.c - the line editor (lib/ledit): key sequences give the
 * expected line, cursor and result; Enter as CR, LF and CR LF; a full
 * line rings the bell; escape sequences (known and unknown) are never
 * inserted; history add/get/eviction and Up/Down keeping the new line;
 * the word under the cursor and Tab completion (one, several, a list);
 * the exact bytes written for echo, cursor moves, redraws and a line
 * that wraps at the terminal's edge.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ledit/ledit.h"

#define CAP 32

static struct ledit e;
static char line[CAP], draft[CAP];
static char obuf[4096];
static struct ledit_out out;
static struct ledit_hist hist;
static char hbuf[64];

static void start(const char *prompt, int cols)
{
	memset(&e, 0, sizeof e);
	ledit_hist_init(&hist, hbuf, sizeof hbuf);
	ledit_start(&e, line, draft, CAP, prompt, &hist, cols);
	out = (struct ledit_out){.buf = obuf, .cap = sizeof obuf - 1};
}

/* Feed s; returns the result of the last byte; out collects everything. */
static int feed(const char *s)
{
	int r = LEDIT_MORE;

	for (; *s; s++)
		r = ledit_feed(&e, (unsigned char)*s, &out);
	obuf[out.len] = '\0';
	return r;
}

static void clear_out(void)
{
	out.len = 0;
	out.lost = 0;
	obuf[0] = '\0';
}

/* Typing s from a fresh line gives line want with the cursor at pos. */
static void keys(const char *s, const char *want, size_t pos)
{
	start("$ ", 80);
	assert_int_equal(feed(s), LEDIT_MORE);
	assert_string_equal(e.line, want);
	assert_int_equal(e.len, strlen(want));
	assert_int_equal(e.pos, pos);
}

static void test_insert_and_move(void **st)
{
	keys("abc", "abc", 3);
	keys("abc\x1b[D\x1b[DX", "aXbc", 2);
	keys("abc\x1bOD\x1bODX", "aXbc", 2);
	keys("abc\x02\x02\x06X", "abXc", 3);
	keys("abc\x1b[D\x1b[C\x1b[CX", "abcX", 4); /* Right at the end stays */
	keys("\x1b[Dab", "ab", 2);		   /* Left at the start stays */
	keys("abc\x01X", "Xabc", 1);
	keys("abc\x01\x05X", "abcX", 4);
	keys("abc\x1b[HX\x1b[FY", "XabcY", 5);
	keys("abc\x1b[1~X\x1b[4~Y", "XabcY", 5);
	keys("abc\x1b[7~X\x1b[8~Y", "XabcY", 5);
	keys("abc\x1bOHX\x1bOFY", "XabcY", 5);
	keys("a\xc3\xa9z", "a\xc3\xa9z", 4); /* bytes >= 0x80 as they are */
}

static void test_delete_keys(void **st)
{
	keys("abc\x7f", "ab", 2);
	keys("abc\x08\x08", "a", 1);
	keys("\x7f\x08", "", 0);
	keys("abc\x01\x1b[3~", "bc", 0);
	keys("abc\x1b[3~", "abc", 3); /* Delete at the end: nothing */
	keys("abc\x01\x04", "bc", 0); /* Ctrl-D deletes under the cursor */
	keys("abc\x04", "abc", 3);
	keys("abc def\x1b[D\x1b[D\x15", "ef", 0);
	keys("abc def\x1b[D\x1b[D\x0b", "abc d", 5);
	keys("ls -l  /tmp\x17", "ls -l  ", 7);
	keys("ls -l  \x17", "ls ", 3);
	keys("ls -l\x17\x17\x17", "", 0);
	keys("abc def\x1b[D\x1b[D\x1b[D\x17", "def", 0);
}

static void test_escapes_swallowed(void **st)
{
	keys("a\x1b[15~b", "ab", 2);	      /* F5 */
	keys("a\x1b[1;5Cb", "ab", 2);	      /* Ctrl-Right */
	keys("a\x1b[?25hb", "ab", 2);	      /* private parameters */
	keys("a\x1bxb", "ab", 2);	      /* Alt-x */
	keys("a\x1b\x1b[Cb", "ab", 2);	      /* ESC ESC [ C */
	keys("a\x1bOPb", "ab", 2);	      /* F1 */
	keys("a\x1b[99999999999Db", "ba", 1); /* a huge parameter; Left moves one */
	keys("a\x01\x07\x0f\x1f", "a", 0);    /* other control bytes do nothing */
	/* a control byte inside a sequence ends it and acts */
	start("$ ", 80);
	assert_int_equal(feed("ab\x1b[\r"), LEDIT_DONE);
	assert_string_equal(line, "ab");
}

static void test_enter(void **st)
{
	start("$ ", 80);
	assert_int_equal(feed("ls\r"), LEDIT_DONE);
	assert_string_equal(line, "ls");
	assert_string_equal(obuf, "ls\r\n");
	/* CR LF is one Enter: the LF after the CR is ignored on the next line */
	ledit_start(&e, line, draft, CAP, "$ ", &hist, 80);
	clear_out();
	assert_int_equal(feed("\nab\n"), LEDIT_DONE);
	assert_string_equal(line, "ab");
	ledit_start(&e, line, draft, CAP, "$ ", &hist, 80);
	assert_int_equal(feed("\n"), LEDIT_DONE);
	assert_string_equal(line, "");
	/* Enter in the middle returns the whole line, cursor moved to the end */
	start("$ ", 80);
	assert_int_equal(feed("abc\x1b[D\x1b[D"), LEDIT_MORE);
	clear_out();
	assert_int_equal(feed("\r"), LEDIT_DONE);
	assert_string_equal(line, "abc");
	assert_string_equal(obuf, "\x1b[2C\r\n");
}

static void test_eof_intr(void **st)
{
	start("$ ", 80);
	assert_int_equal(feed("\x04"), LEDIT_EOF);
	assert_string_equal(obuf, "\r\n");
	start("$ ", 80);
	assert_int_equal(feed("abc\x03"), LEDIT_INTR);
	assert_string_equal(line, "");
	assert_int_equal(e.len, 0);
	assert_string_equal(obuf, "abc^C\r\n");
	start("$ ", 80);
	assert_int_equal(feed("\t"), LEDIT_COMPLETE);
}

static void test_full_line(void **st)
{
	char s[CAP + 8];

	memset(s, 'x', CAP + 4);
	s[CAP + 4] = '\0';
	start("$ ", 200);
	feed(s);
	assert_int_equal(e.len, CAP - 1);
	assert_int_equal(line[CAP - 1], '\0');
	assert_non_null(strchr(obuf, '\a'));
	/* a zero-capacity buffer cannot be written past */
	memset(&e, 0, sizeof e);
	ledit_start(&e, line, NULL, 1, "", NULL, 80);
	out.len = 0;
	feed("abc");
	assert_int_equal(e.len, 0);
	assert_int_equal(line[0], '\0');
}

static void test_output(void **st)
{
	start("$ ", 80);
	ledit_redraw(&e, &out);
	obuf[out.len] = '\0';
	assert_string_equal(obuf, "\r$ "); /* a fresh row: nothing to erase */
	clear_out();
	feed("ab");
	assert_string_equal(obuf, "ab");
	clear_out();
	feed("\x1b[D");
	assert_string_equal(obuf, "\b");
	clear_out();
	feed("X"); /* insert in the middle: rewrite the tail, back one */
	assert_string_equal(obuf, "Xb\b");
	clear_out();
	feed("\x7f"); /* backspace: back, rewrite, clear the old last byte */
	assert_string_equal(obuf, "\bb\x1b[K\b");
	clear_out();
	feed("\x01");
	assert_string_equal(obuf, "\b");
	clear_out();
	feed("\x05");
	assert_string_equal(obuf, "\x1b[2C");
	clear_out();
	feed("\x0c");
	assert_string_equal(obuf, "\x1b[H\x1b[2J$ ab");
	clear_out();
	feed("\x1b[D\x1b[D");
	ledit_redraw(&e, &out);
	obuf[out.len] = '\0';
	assert_string_equal(obuf, "\b\b\r$ ab\x1b[K\x1b[2D");
}

/* prompt "> " on a 10-column terminal: byte 8 starts row 1 */
static void test_wrap(void **st)
{
	start("> ", 10);
	ledit_redraw(&e, &out);
	clear_out();
	feed("abcdefg");
	assert_string_equal(obuf, "abcdefg");
	clear_out();
	feed("h"); /* fills the row: the cursor goes to the next row's start */
	assert_string_equal(obuf, "h\r\n");
	clear_out();
	feed("i");
	assert_string_equal(obuf, "i");
	clear_out();
	feed("\x1b[D\x1b[D"); /* from row 1 col 1 to row 1 col 0, then row 0 col 9 */
	assert_string_equal(obuf, "\b\x1b[1A\r\x1b[9C");
	clear_out();
	feed("\x01"); /* to row 0 col 2 */
	assert_string_equal(obuf, "\x1b[7D");
	clear_out();
	feed("\x0b"); /* kill to end: the old text spans two rows */
	assert_string_equal(obuf, "\x1b[J");
	clear_out();
	feed("0123456789");
	assert_string_equal(obuf, "01234567\r\n89");
	clear_out();
	ledit_redraw(&e, &out);
	obuf[out.len] = '\0';
	assert_string_equal(obuf, "\x1b[1A\r> 0123456789\x1b[K"); /* the terminal wraps */
	clear_out();
	assert_int_equal(feed("\r"), LEDIT_DONE);
	assert_string_equal(obuf, "\r\n");
	/* a prompt wider than the terminal: the first redraw does not move up */
	start("0123456789ab> ", 10);
	ledit_redraw(&e, &out);
	obuf[out.len] = '\0';
	assert_string_equal(obuf, "\r0123456789ab> ");
	clear_out();
	feed("x");
	ledit_redraw(&e, &out);
	obuf[out.len] = '\0';
	assert_string_equal(obuf, "x\x1b[1A\r0123456789ab> x\x1b[K");
	/* a line that ends at the edge: Enter does not add an empty row */
	start("> ", 10);
	feed("abcdefgh");
	clear_out();
	assert_int_equal(feed("\r"), LEDIT_DONE);
	assert_string_equal(obuf, "");
}

static void test_history_store(void **st)
{
	char small[12];
	struct ledit_hist h;

	ledit_hist_init(&h, small, sizeof small);
	assert_int_equal(ledit_hist_count(&h), 0);
	assert_null(ledit_hist_get(&h, 0));
	ledit_hist_add(&h, "");
	ledit_hist_add(&h, "ls");
	ledit_hist_add(&h, "ls");
	ledit_hist_add(&h, "pwd");
	assert_int_equal(ledit_hist_count(&h), 2);
	assert_string_equal(ledit_hist_get(&h, 0), "ls");
	assert_string_equal(ledit_hist_get(&h, 1), "pwd");
	ledit_hist_add(&h, "cat x"); /* 3 + 4 + 6 > 12: "ls" goes */
	assert_int_equal(ledit_hist_count(&h), 2);
	assert_string_equal(ledit_hist_get(&h, 0), "pwd");
	assert_string_equal(ledit_hist_get(&h, 1), "cat x");
	ledit_hist_add(&h, "0123456789ab"); /* longer than the storage: skipped */
	assert_int_equal(ledit_hist_count(&h), 2);
	ledit_hist_add(&h, "0123456789a"); /* exactly fits: all others go */
	assert_int_equal(ledit_hist_count(&h), 1);
	assert_string_equal(ledit_hist_get(&h, 0), "0123456789a");
	ledit_hist_add(&h, "ls"); /* repeated only counts against the newest */
	ledit_hist_add(&h, "pwd");
	ledit_hist_add(&h, "ls");
	assert_int_equal(ledit_hist_count(&h), 3);
	/* an entry of its own is refused, not corrupted */
	ledit_hist_add(&h, ledit_hist_get(&h, 0));
	assert_int_equal(ledit_hist_count(&h), 3);
	assert_string_equal(ledit_hist_get(&h, 2), "ls");
}

static void test_history_keys(void **st)
{
	start("$ ", 80);
	ledit_hist_add(&hist, "one");
	ledit_hist_add(&hist, "two");
	ledit_start(&e, line, draft, CAP, "$ ", &hist, 80);
	feed("new");
	feed("\x1b[A");
	assert_string_equal(line, "two");
	assert_int_equal(e.pos, 3);
	feed("\x1b[A");
	assert_string_equal(line, "one");
	feed("\x1b[A"); /* the oldest: stays */
	assert_string_equal(line, "one");
	feed("\x1b[B");
	assert_string_equal(line, "two");
	feed("\x1b[B"); /* back to the line being typed */
	assert_string_equal(line, "new");
	feed("\x1b[B");
	assert_string_equal(line, "new");
	feed("\x10\x10!");
	assert_string_equal(line, "one!");
	assert_int_equal(feed("\r"), LEDIT_DONE);
	assert_string_equal(line, "one!");
	assert_string_equal(ledit_hist_get(&hist, 0), "one"); /* the entry is unchanged */
	/* output: back to the start, the new text, clear the longer old text */
	ledit_start(&e, line, draft, CAP, "$ ", &hist, 80);
	feed("abcdef");
	clear_out();
	feed("\x1b[A");
	assert_string_equal(obuf, "\x1b[6Dtwo\x1b[K");
	/* without a draft buffer, coming back down gives an empty line */
	ledit_start(&e, line, NULL, CAP, "$ ", &hist, 80);
	feed("xyz\x0e\x10\x0e");
	assert_string_equal(line, "");
	/* without history, Up does nothing */
	ledit_start(&e, line, draft, CAP, "$ ", NULL, 80);
	feed("q\x1b[A");
	assert_string_equal(line, "q");
}

static void word(const char *typed, const char *want, bool first)
{
	size_t s, l;
	bool f;

	start("$ ", 80);
	feed(typed);
	ledit_word(&e, &s, &l, &f);
	assert_int_equal(l, strlen(want));
	assert_memory_equal(line + s, want, l);
	assert_int_equal(f, first);
}

static void test_word(void **st)
{
	word("", "", true);
	word("l", "l", true);
	word("  ls", "ls", true);
	word("ls ", "", false);
	word("ls /et", "/et", false);
	word("cat x|gr", "gr", true);
	word("cat x | gr", "gr", true);
	word("a; b", "b", true);
	word("a && b", "b", true);
	word("(ec", "ec", true);
	word("echo >/tm", "/tm", false);
	word("echo hi\x1b[D", "h", false); /* the part before the cursor */
}

static int complete(const char *typed, const char *const *c, size_t n)
{
	start("$ ", 40);
	assert_int_equal(feed(typed), LEDIT_COMPLETE);
	clear_out();
	ledit_complete(&e, c, n, &out);
	obuf[out.len] = '\0';
	return 0;
}

static void test_complete(void **st)
{
	const char *one[] = {"echo"};
	const char *dir[] = {"/etc/"};
	const char *two[] = {"grep", "groups"};
	const char *paths[] = {"/etc/passwd", "/etc/profile", "/etc/init.d/"};
	const char *same[] = {"ls", "ls"};

	complete("ec\t", one, 1);
	assert_string_equal(line, "echo ");
	assert_string_equal(obuf, "ho ");
	complete("cat /e\t", dir, 1);
	assert_string_equal(line, "cat /etc/");
	complete("g\t", two, 2);
	assert_string_equal(line, "gr");
	assert_string_equal(obuf, "r");
	complete("x\t", two, 0);
	assert_string_equal(line, "x");
	assert_string_equal(obuf, "\a");
	complete("l\t", same, 2);
	assert_string_equal(line, "ls ");
	/* nothing to add: list the names in columns, then the prompt again */
	complete("gr\t", two, 2);
	assert_string_equal(line, "gr");
	assert_string_equal(obuf, "\r\ngrep    groups\r\n$ gr");
	complete("cat /etc/p\t", paths, 3);
	assert_string_equal(line, "cat /etc/p");
	assert_string_equal(obuf, "\r\npasswd   profile  init.d/\r\n$ cat /etc/p");
	/* completion in the middle keeps the text after the cursor */
	complete("ec hi\x1b[D\x1b[D\x1b[D\t", one, 1);
	assert_string_equal(line, "echo  hi");
	assert_int_equal(e.pos, 5);
	/* a replacement that does not fit rings the bell, line unchanged */
	const char *big[] = {"abcdefghijklmnopqrstuvwxyz0123456789"};
	complete("ab\t", big, 1);
	assert_string_equal(line, "ab");
	assert_string_equal(obuf, "\a");
}

static void test_out_overflow(void **st)
{
	char tiny[4];

	start("$ ", 80);
	out = (struct ledit_out){.buf = tiny, .cap = sizeof tiny};
	feed("abcdef");
	assert_int_equal(out.len, 4);
	assert_int_equal(out.lost, 2);
	assert_string_equal(line, "abcdef");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_insert_and_move),
	    cmocka_unit_test(test_delete_keys),
	    cmocka_unit_test(test_escapes_swallowed),
	    cmocka_unit_test(test_enter),
	    cmocka_unit_test(test_eof_intr),
	    cmocka_unit_test(test_full_line),
	    cmocka_unit_test(test_output),
	    cmocka_unit_test(test_wrap),
	    cmocka_unit_test(test_history_store),
	    cmocka_unit_test(test_history_keys),
	    cmocka_unit_test(test_word),
	    cmocka_unit_test(test_complete),
	    cmocka_unit_test(test_out_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
