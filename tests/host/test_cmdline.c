/*
 * test_cmdline.c - cmdline_parse and its lookups: flags, key=value, quoted
 * values, repeated keys, numbers in both bases, enumeration, and the limits
 * (512 bytes, 32 words) and syntax errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "boot/cmdline.h"

static struct cmdline cl;

static void test_basic(void **state)
{
	const struct cmdline_opt *o;

	assert_int_equal(cmdline_parse("  init=/bin/init\tloglevel=7 debug  ", &cl), 0);
	assert_int_equal(cmdline_count(&cl), 3);
	assert_string_equal(cmdline_get(&cl, "init"), "/bin/init");
	assert_string_equal(cmdline_get(&cl, "loglevel"), "7");
	assert_string_equal(cmdline_get(&cl, "debug"), "");
	assert_null(cmdline_get(&cl, "fault"));
	assert_null(cmdline_get(&cl, "ini"));
	assert_true(cmdline_flag(&cl, "debug"));
	assert_false(cmdline_flag(&cl, "fault"));
	o = cmdline_opt_at(&cl, 0);
	assert_string_equal(o->key, "init");
	assert_false(o->bare);
	o = cmdline_opt_at(&cl, 2);
	assert_string_equal(o->key, "debug");
	assert_true(o->bare);
	assert_null(cmdline_opt_at(&cl, 3));
	assert_string_equal(cl.error, "");
}

static void test_empty(void **state)
{
	assert_int_equal(cmdline_parse(NULL, &cl), 0);
	assert_int_equal(cmdline_count(&cl), 0);
	assert_int_equal(cmdline_parse("", &cl), 0);
	assert_int_equal(cmdline_count(&cl), 0);
	assert_int_equal(cmdline_parse("   \t ", &cl), 0);
	assert_int_equal(cmdline_count(&cl), 0);
	assert_null(cmdline_get(&cl, "x"));
}

static void test_quotes(void **state)
{
	assert_int_equal(cmdline_parse("init=\"/bin/sh -x\" a=\"\" b= c", &cl), 0);
	assert_int_equal(cmdline_count(&cl), 4);
	assert_string_equal(cmdline_get(&cl, "init"), "/bin/sh -x");
	assert_string_equal(cmdline_get(&cl, "a"), "");
	assert_false(cmdline_opt_at(&cl, 1)->bare);
	assert_string_equal(cmdline_get(&cl, "b"), "");
	assert_string_equal(cmdline_get(&cl, "c"), "");
	assert_int_equal(cmdline_parse("x=a=b", &cl), 0);
	assert_string_equal(cmdline_get(&cl, "x"), "a=b");

	assert_int_equal(cmdline_parse("init=\"/bin/sh", &cl), -E_INVAL);
	assert_non_null(strstr(cl.error, "unterminated"));
	assert_int_equal(cmdline_count(&cl), 0);
	assert_int_equal(cmdline_parse("init=\"a\"b", &cl), -E_INVAL);
	assert_int_equal(cmdline_parse("in\"it=a", &cl), -E_INVAL);
	assert_int_equal(cmdline_parse("init=a\"b\"", &cl), -E_INVAL);
	assert_int_equal(cmdline_parse("\"debug\"", &cl), -E_INVAL);
	assert_int_equal(cmdline_parse("a =b", &cl), -E_INVAL);
	assert_non_null(strstr(cl.error, "without a key"));
	assert_int_equal(cmdline_parse("=b", &cl), -E_INVAL);
}

static void test_repeat_and_flags(void **state)
{
	assert_int_equal(cmdline_parse("loglevel=1 loglevel=5 debug=off quiet=0 x=no y=false "
				       "z=yes w=1",
				       &cl),
			 0);
	assert_string_equal(cmdline_get(&cl, "loglevel"), "5");
	assert_string_equal(cmdline_opt_at(&cl, 0)->value, "1");
	assert_false(cmdline_flag(&cl, "debug"));
	assert_false(cmdline_flag(&cl, "quiet"));
	assert_false(cmdline_flag(&cl, "x"));
	assert_false(cmdline_flag(&cl, "y"));
	assert_true(cmdline_flag(&cl, "z"));
	assert_true(cmdline_flag(&cl, "w"));
	assert_int_equal(cmdline_parse("debug=off debug", &cl), 0);
	assert_true(cmdline_flag(&cl, "debug"));
}

static void test_u64(void **state)
{
	uint64_t v = 77;

	assert_int_equal(cmdline_parse("a=0 b=42 c=0x1F d=0XfFfF e=18446744073709551615 "
				       "f=18446744073709551616 g=0xffffffffffffffff "
				       "h=0x10000000000000000 i=12a j=0x k= l -m=1 n=0x-1 o=-1",
				       &cl),
			 0);
	assert_int_equal(cmdline_get_u64(&cl, "a", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cmdline_get_u64(&cl, "b", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cmdline_get_u64(&cl, "c", &v), 0);
	assert_int_equal(v, 0x1f);
	assert_int_equal(cmdline_get_u64(&cl, "d", &v), 0);
	assert_int_equal(v, 0xffff);
	assert_int_equal(cmdline_get_u64(&cl, "e", &v), 0);
	assert_true(v == UINT64_MAX);
	v = 5;
	assert_int_equal(cmdline_get_u64(&cl, "f", &v), -E_RANGE);
	assert_int_equal(v, 5);
	assert_int_equal(cmdline_get_u64(&cl, "g", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(cmdline_get_u64(&cl, "h", &v), -E_RANGE);
	assert_int_equal(cmdline_get_u64(&cl, "i", &v), -E_INVAL);
	assert_int_equal(cmdline_get_u64(&cl, "j", &v), -E_INVAL);
	assert_int_equal(cmdline_get_u64(&cl, "k", &v), -E_INVAL);
	assert_int_equal(cmdline_get_u64(&cl, "l", &v), -E_INVAL);
	assert_int_equal(cmdline_get_u64(&cl, "-m", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(cmdline_get_u64(&cl, "n", &v), -E_INVAL);
	assert_int_equal(cmdline_get_u64(&cl, "o", &v), -E_INVAL);
	assert_int_equal(cmdline_get_u64(&cl, "zz", &v), -E_NOENT);
}

/* The bare parser tools use: whole string, same rules as the lookups. */
static void test_parse_u64(void **state)
{
	uint64_t v = 77;

	assert_int_equal(cmdline_parse_u64("123", &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(cmdline_parse_u64("0x1234", &v), 0);
	assert_int_equal(v, 0x1234);
	assert_int_equal(cmdline_parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	v = 9;
	assert_int_equal(cmdline_parse_u64("", &v), -E_INVAL);
	assert_int_equal(cmdline_parse_u64("0x", &v), -E_INVAL);
	assert_int_equal(cmdline_parse_u64("12 ", &v), -E_INVAL);
	assert_int_equal(cmdline_parse_u64("1e3", &v), -E_INVAL);
	assert_int_equal(cmdline_parse_u64("-1", &v), -E_INVAL);
	assert_int_equal(cmdline_parse_u64("18446744073709551616", &v), -E_RANGE);
	assert_int_equal(v, 9);
}

static void test_limits(void **state)
{
	char s[1024];
	size_t i;

	/* 511 bytes in one key=value word: the largest line that fits */
	memset(s, 'v', 511);
	memcpy(s, "k=", 2);
	s[511] = 0;
	assert_int_equal(cmdline_parse(s, &cl), 0);
	assert_int_equal(strlen(cmdline_get(&cl, "k")), 509);
	s[511] = 'v';
	s[512] = 0;
	assert_int_equal(cmdline_parse(s, &cl), -E_2BIG);
	assert_non_null(strstr(cl.error, "longer"));
	assert_int_equal(cmdline_count(&cl), 0);

	/* 511 bytes of one-letter flags: 256 words, too many */
	for (i = 0; i < 511; i++)
		s[i] = (i % 2) ? ' ' : 'a';
	s[511] = 0;
	assert_int_equal(cmdline_parse(s, &cl), -E_2BIG);
	assert_non_null(strstr(cl.error, "more than 32"));
	assert_int_equal(cmdline_count(&cl), 0);

	/* exactly 32 words fit, 33 do not */
	s[0] = 0;
	for (i = 0; i < 32; i++)
		sprintf(s + strlen(s), "k%zu=%zu ", i, i);
	assert_int_equal(cmdline_parse(s, &cl), 0);
	assert_int_equal(cmdline_count(&cl), 32);
	assert_string_equal(cmdline_get(&cl, "k31"), "31");
	strcat(s, "x");
	assert_int_equal(cmdline_parse(s, &cl), -E_2BIG);
}

static void test_range(void **state)
{
	uint64_t v = 77;

	assert_int_equal(cmdline_parse("t=500 z=0 big=99999999999 huge=18446744073709551616 "
				       "neg=-1 abc=abc empty= bare",
				       &cl),
			 0);
	assert_int_equal(cmdline_get_range(&cl, "t", 1, 600000, &v), 0);
	assert_int_equal(v, 500);
	v = 77;
	assert_int_equal(cmdline_get_range(&cl, "z", 1, 600000, &v), -E_RANGE);
	assert_int_equal(v, 1);
	assert_int_equal(cmdline_get_range(&cl, "big", 1, 600000, &v), -E_RANGE);
	assert_int_equal(v, 600000);
	v = 77;
	assert_int_equal(cmdline_get_range(&cl, "huge", 1, 600000, &v), -E_RANGE);
	assert_int_equal(v, 600000);
	v = 77;
	assert_int_equal(cmdline_get_range(&cl, "neg", 0, 10, &v), -E_INVAL);
	assert_int_equal(cmdline_get_range(&cl, "abc", 0, 10, &v), -E_INVAL);
	assert_int_equal(cmdline_get_range(&cl, "empty", 0, 10, &v), -E_INVAL);
	assert_int_equal(cmdline_get_range(&cl, "bare", 0, 10, &v), -E_INVAL);
	assert_int_equal(cmdline_get_range(&cl, "absent", 0, 10, &v), -E_NOENT);
	assert_int_equal(v, 77); /* untouched on every error but -E_RANGE */
}

static void test_cut(void **state)
{
	char s[1024];

	assert_int_equal(cmdline_cut(NULL), 0);
	assert_int_equal(cmdline_cut("a b"), 3);
	/* 511 bytes fit whole */
	memset(s, 'a', 511);
	s[511] = 0;
	assert_int_equal(cmdline_cut(s), 511);
	/* 700 bytes of 19-letter words: cut after the last word ending by 511 */
	for (size_t i = 0; i < 700; i++)
		s[i] = (i % 20 == 19) ? ' ' : 'a';
	s[700] = 0;
	size_t cut = cmdline_cut(s);
	assert_int_equal(cut, 499);
	assert_true(cut < CMDLINE_MAX_LEN);
	s[cut] = 0;
	assert_int_equal(cmdline_parse(s, &cl), 0);
	/* one word longer than the limit: nothing fits */
	memset(s, 'a', 700);
	s[700] = 0;
	assert_int_equal(cmdline_cut(s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_basic),  cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_quotes), cmocka_unit_test(test_repeat_and_flags),
	    cmocka_unit_test(test_u64),	   cmocka_unit_test(test_parse_u64),
	    cmocka_unit_test(test_limits), cmocka_unit_test(test_range),
	    cmocka_unit_test(test_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
