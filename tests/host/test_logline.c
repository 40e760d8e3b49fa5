/*
 * test_logline.c - the kernel log's line layout (lib/logline/logline.c):
 * kernel lines are prefixed on the ring and the console; a program's
 * bytes are raw on the console and prefixed per line in the ring; a
 * kernel message that comes while a program's line (a prompt) is
 * half-written starts on a new line, and the other way round; pieces from
 * one side continue their line; empty writes change nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "logline/logline.h"

static char ring[1024], con[1024];
static size_t nring, ncon;

static void put_ring(void *ctx, const char *s, size_t n)
{
	assert_true(nring + n < sizeof ring);
	memcpy(ring + nring, s, n);
	ring[nring += n] = '\0';
}

static void put_con(void *ctx, const char *s, size_t n)
{
	assert_true(ncon + n < sizeof con);
	memcpy(con + ncon, s, n);
	con[ncon += n] = '\0';
}

static size_t stamp(void *ctx, char *buf)
{
	memcpy(buf, "[T] ", 4);
	return 4;
}

static const struct logline_out out = {put_ring, put_con, stamp, NULL};
static struct logline l;

static void k(const char *s)
{
	logline_write(&l, LOGLINE_KERNEL, s, strlen(s), &out);
}

static void u(const char *s)
{
	logline_write(&l, LOGLINE_USER, s, strlen(s), &out);
}

static int setup(void **state)
{
	l = (struct logline)LOGLINE_INIT;
	nring = ncon = 0;
	ring[0] = con[0] = '\0';
	return 0;
}

static void test_kernel_lines(void **state)
{
	k("a\nb\n");
	k("c");
	k("d\n"); /* a kernel message in pieces continues its line */
	assert_string_equal(ring, "[T] a\n[T] b\n[T] cd\n");
	assert_string_equal(con, ring);
}

static void test_user_raw(void **state)
{
	u("login: ");
	u("root\b \bt\r\n");
	u("\x1b[1mhi\n");
	assert_string_equal(con, "login: root\b \bt\r\n\x1b[1mhi\n");
	assert_string_equal(ring, "[T] login: root\b \bt\r\n[T] \x1b[1mhi\n");
}

static void test_kernel_breaks_prompt(void **state)
{
	u("redbear login: ");
	k("console: 3 input bytes dropped\n");
	u("x\n");
	assert_string_equal(con, "redbear login: \n[T] console: 3 input bytes dropped\nx\n");
	assert_string_equal(ring,
			    "[T] redbear login: \n[T] console: 3 input bytes dropped\n[T] x\n");
}

static void test_user_after_partial_kernel(void **state)
{
	k("part");
	u("prompt$ ");
	k("more\n");
	assert_string_equal(con, "[T] part\nprompt$ \n[T] more\n");
	assert_string_equal(ring, "[T] part\n[T] prompt$ \n[T] more\n");
}

static void test_empty_writes(void **state)
{
	u("abc");
	k("");
	u("");
	u("d\n");
	assert_string_equal(con, "abcd\n");
	assert_string_equal(ring, "[T] abcd\n");
	/* a NUL byte is data */
	logline_write(&l, LOGLINE_USER, "a\0b\n", 4, &out);
	assert_int_equal(ncon, 9);
	assert_memory_equal(con + 5, "a\0b\n", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_kernel_lines, setup),
	    cmocka_unit_test_setup(test_user_raw, setup),
	    cmocka_unit_test_setup(test_kernel_breaks_prompt, setup),
	    cmocka_unit_test_setup(test_user_after_partial_kernel, setup),
	    cmocka_unit_test_setup(test_empty_writes, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
