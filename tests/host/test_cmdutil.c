/*
 * test_cmdutil.c - the small utilities' pure logic (lib/cmdutil): test's
 * expressions by POSIX's word-count rules and by the grammar (precedence,
 * parentheses, errors with their messages), the file tests through fake
 * callbacks, integer parsing limits; sleep's duration syntax.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cmdutil/duration.h"
#include "cmdutil/testexpr.h"

/* fake file system: /f regular 5 bytes (rw), /e regular empty (r), /d directory (rx) */
static enum testexpr_type fake_stat(void *ctx, const char *p, long long *size)
{
	(*(int *)ctx)++;
	*size = 0;
	if (strcmp(p, "/f") == 0) {
		*size = 5;
		return TESTEXPR_REG;
	}
	if (strcmp(p, "/e") == 0)
		return TESTEXPR_REG;
	if (strcmp(p, "/d") == 0) {
		*size = 4096;
		return TESTEXPR_DIR;
	}
	if (strcmp(p, "/c") == 0)
		return TESTEXPR_OTHER;
	return TESTEXPR_NONE;
}

static bool fake_access(void *ctx, const char *p, char how)
{
	if (how == 'r')
		return strcmp(p, "/f") == 0 || strcmp(p, "/e") == 0 || strcmp(p, "/d") == 0;
	if (how == 'w')
		return strcmp(p, "/f") == 0;
	return strcmp(p, "/d") == 0;
}

static bool fake_isatty(void *ctx, int fd)
{
	return fd == 0;
}

static int calls;
static const struct testexpr_ops ops = {&calls, fake_stat, fake_access, fake_isatty};
static char err[64];

/* Evaluate the words of a space-separated string ("" words as '_'). */
static int ev(const char *s)
{
	static char buf[256];
	const char *w[32];
	int n = 0;

	strcpy(buf, s);
	for (char *t = strtok(buf, " "); t && n < 32; t = strtok(NULL, " "))
		w[n++] = strcmp(t, "_") == 0 ? "" : t;
	return testexpr_eval(w, n, &ops, err, sizeof err);
}

#define T(s) assert_int_equal(ev(s), TESTEXPR_TRUE)
#define F(s) assert_int_equal(ev(s), TESTEXPR_FALSE)
#define E(s, msg)                                                                                  \
	do {                                                                                       \
		assert_int_equal(ev(s), TESTEXPR_ERROR);                                           \
		assert_string_equal(err, msg);                                                     \
	} while (0)

static void test_by_count(void **st)
{
	F("");
	T("x");
	F("_");
	T("-n");
	T("!");
	T("(");
	T("-n x");
	F("-n _");
	T("-z _");
	F("! x");
	T("! _");
	T("a = a");
	T("a == a");
	F("a = b");
	T("a != b");
	F("! = x"); /* three words: = is the operator */
	T("! = !");
	T("a < b");
	F("a > b");
	T("a -a b");
	F("a -a _");
	T("_ -o b");
	F("! a = a");
	T("( x )");
	F("( _ )");
	T("! ( _ )");
	T("( -n x )");
	T("-n -a -n"); /* three words: -a is binary */
	E("-q x", "unary operator expected: '-q'");
	E("a b c", "binary operator expected: 'b'");
	assert_string_equal(err, "binary operator expected: 'b'");
}

static void test_integers(void **st)
{
	T("1 -eq 1");
	T("-5 -lt 3");
	F("10 -le 9");
	T("10 -gt 9");
	T("7 -ge 7");
	T("7 -ne 8");
	T("+3 -eq 3");
	T("-9223372036854775808 -lt 9223372036854775807");
	E("9223372036854775808 -gt 1", "integer out of range: '9223372036854775808'");
	E("1 -eq x", "integer expression expected: 'x'");
	E("1x -lt 2", "integer expression expected: '1x'");
	E("- -eq 2", "integer expression expected: '-'");
	E("_ -eq 2", "integer expression expected: ''");
	const char *w[] = {" 4\t", "-eq", "4"};
	assert_int_equal(testexpr_eval(w, 3, &ops, err, sizeof err), TESTEXPR_TRUE);
}

static void test_files(void **st)
{
	T("-e /f");
	T("-f /f");
	T("-s /f");
	F("-s /e");
	T("-f /e");
	F("-f /d");
	T("-d /d");
	T("-e /c");
	F("-f /c");
	F("-e /nope");
	F("-s /nope");
	T("-r /e");
	F("-w /e");
	T("-w /f");
	T("-x /d");
	F("-x /f");
	F("-h /f");
	F("-L /f");
	T("-t 0");
	F("-t 1");
	F("-t -1");
	E("-t x", "integer expression expected: 'x'");
}

static void test_grammar(void **st)
{
	T("1 -eq 2 -o a = a");
	F("1 -eq 1 -a a = b");
	T("! 1 -eq 2 -a -d /d");
	T("x -o _ -a _"); /* -a binds tighter than -o */
	F("_ -a x -o _");
	T("( _ -o x ) -a y");
	F("( _ -o x ) -a _");
	T("! ! ! ! x");
	T("( ( ( x ) ) )");
	F("-f /d -o -f /nope");
	T("-n x -a -z _ -a ! -e /nope");
	/* evaluation is not short-circuited, but errors anywhere are reported */
	E("x -o 1 -eq y", "integer expression expected: 'y'");
	E("( x", "unary operator expected: '('"); /* two words: POSIX's rule */
	E("( x -a y", "')' expected");
	E("a = a b c", "unexpected argument: 'b'");
	E("x -a", "unary operator expected: 'x'");
	E("x -a y -a", "argument expected");
	E("( x ) )", "unary operator expected: 'x'"); /* four words: ( "x )" ) */
	E("( x ) ) y", "unexpected argument: ')'");
	E("! ( x -o", "binary operator expected: 'x'");
	E("! ( x -o y", "')' expected");
	E("a b c d e", "unexpected argument: 'b'");
}

static void test_err_buffer(void **st)
{
	const char *w[] = {"-q", "x"};
	char small[8];

	assert_int_equal(testexpr_eval(w, 2, &ops, small, sizeof small), TESTEXPR_ERROR);
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_int_equal(testexpr_eval(w, 2, &ops, NULL, 0), TESTEXPR_ERROR);
	assert_int_equal(testexpr_eval(w, -3, &ops, err, sizeof err), TESTEXPR_FALSE);
}

static void dur_ok(const char *s, uint64_t want)
{
	uint64_t ns = 12345;

	assert_int_equal(duration_parse(s, &ns), 0);
	assert_int_equal(ns, want);
}

static void dur_bad(const char *s)
{
	uint64_t ns = 12345;

	assert_int_equal(duration_parse(s, &ns), -1);
	assert_int_equal(ns, 12345);
}

static void test_duration(void **st)
{
	dur_ok("0", 0);
	dur_ok("1", 1000000000ull);
	dur_ok("0.5", 500000000ull);
	dur_ok(".25", 250000000ull);
	dur_ok("3.", 3000000000ull);
	dur_ok("1s", 1000000000ull);
	dur_ok("1.5m", 90000000000ull);
	dur_ok("2h", 7200000000000ull);
	dur_ok("1d", 86400000000000ull);
	dur_ok("0.000000001", 1);
	dur_ok("0.0000000019", 1); /* past nine digits: ignored */
	dur_ok("36500d", DURATION_MAX_NS);
	dur_bad("");
	dur_bad(".");
	dur_bad("s");
	dur_bad("-1");
	dur_bad("+1");
	dur_bad("1x");
	dur_bad("1ss");
	dur_bad("1.5.5");
	dur_bad("1 ");
	dur_bad("36501d");
	dur_bad("99999999999999999999999");
	dur_bad("3153600000.1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_by_count),   cmocka_unit_test(test_integers),
	    cmocka_unit_test(test_files),      cmocka_unit_test(test_grammar),
	    cmocka_unit_test(test_err_buffer), cmocka_unit_test(test_duration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
