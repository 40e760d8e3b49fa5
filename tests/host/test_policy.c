/*
 * test_policy.c - the scheme registration policy (lib/base/policy.c):
 * a good file parses into the rules it says; every kind of malformed
 * line is skipped and reported with its number and reason; the 64-rule
 * cap; very long lines, NUL bytes, CRLF and a missing final newline;
 * glob edge cases ('*' alone, "a*b*c", '?', the empty name) and the
 * first-match query over name, program and uid.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/policy.h"
#include "test_reports.h"

static struct policy_rule rules[POLICY_MAX_RULES];
static struct reports rep;

/* Parse the NUL-terminated text s into rules (reports into rep): the rule count. */
static size_t parse(const char *s)
{
	memset(&rep, 0, sizeof rep);
	memset(rules, 0xa5, sizeof rules);
	return policy_parse(s, strlen(s), rules, POLICY_MAX_RULES, reports_record, &rep);
}

/* Parse one line; expect it skipped with reason why. */
static void bad(const char *line, const char *why)
{
	assert_int_equal(parse(line), 0);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.line[0], 1);
	assert_string_equal(rep.why[0], why);
}

static void test_good_file(void **state)
{
	const char *text = "# name-pattern   program        uid\n"
			   "\n"
			   "file             initfs:/bin/ramfsd    0\n"
			   "   \t  \n"
			   "log\tinitfs:/bin/logd\t0   # the log daemon\n"
			   "test*  *  *\n"
			   "  bench-?_x  /bin/kbench  1000\n"
			   "#file * *\n";
	assert_int_equal(parse(text), 4);
	assert_int_equal(rep.n, 0);
	assert_string_equal(rules[0].pattern, "file");
	assert_string_equal(rules[0].program, "initfs:/bin/ramfsd");
	assert_int_equal(rules[0].uid, 0);
	assert_string_equal(rules[1].pattern, "log");
	assert_string_equal(rules[1].program, "initfs:/bin/logd");
	assert_string_equal(rules[2].pattern, "test*");
	assert_string_equal(rules[2].program, "*");
	assert_int_equal(rules[2].uid, POLICY_ANY_UID);
	assert_string_equal(rules[3].pattern, "bench-?_x");
	assert_int_equal(rules[3].uid, 1000);
}

static void test_empty_and_comments(void **state)
{
	assert_int_equal(parse(""), 0);
	assert_int_equal(rep.n, 0);
	assert_int_equal(parse("\n\n\n"), 0);
	assert_int_equal(parse("# only a comment"), 0);
	assert_int_equal(parse("#a b c\n  # x y z"), 0);
	assert_int_equal(rep.n, 0);
	/* a comment may follow the fields with no space */
	assert_int_equal(parse("a b 0#c"), 1);
	assert_int_equal(rules[0].uid, 0);
}

static void test_malformed(void **state)
{
	bad("file", "missing field");
	bad("file initfs:/bin/ramfsd", "missing field");
	bad("file /x 0 extra", "extra field");
	bad("   0", "missing field");
	bad("file /x 0 0", "extra field");
	/* a comment after the third field is not a fourth */
	assert_int_equal(parse("file /x 0 # x y z"), 1);
}

static void test_malformed_fields(void **state)
{
	bad("File /x 0", "bad character in name-pattern");
	bad("a.b /x 0", "bad character in name-pattern");
	bad("a:b /x 0", "bad character in name-pattern");
	bad("a/b /x 0", "bad character in name-pattern");
	bad("a[b] /x 0", "bad character in name-pattern");
	bad("abcdefghijklmnopqrstuvwxyz012345 /x 0", "name-pattern too long"); /* 32 */
	assert_int_equal(parse("abcdefghijklmnopqrstuvwxyz01234 /x 0"), 1);    /* 31 */
	bad("a /x\x01y 0", "bad character in program");
	bad("a /\xc3\xa9 0", "bad character in program");
	bad("a /x\x7f 0", "bad character in program");
	bad("a /x -1", "bad uid");
	bad("a /x 1a", "bad uid");
	bad("a /x **", "bad uid");
	bad("a /x 2147483648", "bad uid");
	bad("a /x 99999999999999999999999", "bad uid");
	bad("a /x +1", "bad uid");
	assert_int_equal(parse("a /x 2147483647"), 1);
	assert_int_equal(rules[0].uid, 2147483647);
	assert_int_equal(parse("a /x 007"), 1);
	assert_int_equal(rules[0].uid, 7);
}

static void test_line_numbers(void **state)
{
	const char *text = "good * 0\n"	     /* 1 */
			   "bad\n"	     /* 2 */
			   "\n"		     /* 3 */
			   "# c\n"	     /* 4 */
			   "also-good * *\n" /* 5 */
			   "x y z w\n"	     /* 6 */
			   "y * nope";	     /* 7, no final newline */
	assert_int_equal(parse(text), 2);
	assert_int_equal(rep.n, 3);
	assert_int_equal(rep.line[0], 2);
	assert_string_equal(rep.why[0], "missing field");
	assert_int_equal(rep.line[1], 6);
	assert_string_equal(rep.why[1], "extra field");
	assert_int_equal(rep.line[2], 7);
	assert_string_equal(rep.why[2], "bad uid");
	assert_string_equal(rules[1].pattern, "also-good");
}

static void test_no_trailing_newline_and_crlf(void **state)
{
	assert_int_equal(parse("a /x 0\nb /y 1"), 2);
	assert_string_equal(rules[1].pattern, "b");
	assert_int_equal(rules[1].uid, 1);
	assert_int_equal(parse("a /x 0\r\nb /y 1\r\n"), 2);
	assert_string_equal(rules[0].program, "/x");
	assert_int_equal(rules[1].uid, 1);
	assert_int_equal(rep.n, 0);
}

static void test_report_null(void **state)
{
	const char *t = "bad\nok * *\n";
	assert_int_equal(policy_parse(t, strlen(t), rules, POLICY_MAX_RULES, NULL, NULL), 1);
}

static void test_nul_bytes(void **state)
{
	/* the length, not a NUL, ends the text: a NUL is a bad byte in its line only */
	static const char t[] = "a /x 0\nb /y\0 1\nc /z 2\n# \0 in a comment\nd * *";
	memset(&rep, 0, sizeof rep);
	assert_int_equal(
	    policy_parse(t, sizeof t - 1, rules, POLICY_MAX_RULES, reports_record, &rep), 3);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.line[0], 2);
	assert_string_equal(rep.why[0], "NUL byte");
	assert_string_equal(rules[1].pattern, "c");
	assert_string_equal(rules[2].pattern, "d");
	/* a text that is only NULs */
	static const char z[16];
	memset(&rep, 0, sizeof rep);
	assert_int_equal(policy_parse(z, sizeof z, rules, POLICY_MAX_RULES, reports_record, &rep),
			 0);
	assert_int_equal(rep.n, 1);
}

static void test_too_many_rules(void **state)
{
	char *text = malloc(100 * 16);
	assert_non_null(text);
	size_t len = 0;
	for (int i = 0; i < 70; i++)
		len += (size_t)sprintf(text + len, "s%d * %d\n", i, i);
	assert_int_equal(parse(text), POLICY_MAX_RULES);
	assert_int_equal(rep.n, 70 - POLICY_MAX_RULES);
	for (unsigned i = 0; i < rep.n; i++) {
		assert_int_equal(rep.line[i], POLICY_MAX_RULES + 1 + i);
		assert_string_equal(rep.why[i], "too many rules");
	}
	assert_string_equal(rules[63].pattern, "s63");
	/* a smaller caller array: the cap is the caller's */
	memset(&rep, 0, sizeof rep);
	assert_int_equal(policy_parse(text, len, rules, 2, reports_record, &rep), 2);
	assert_int_equal(rep.n, 68);
	assert_int_equal(policy_parse(text, len, rules, 0, NULL, NULL), 0);
	free(text);
}

static void test_long_lines(void **state)
{
	size_t big = 1 << 20;
	char *text = malloc(big + 64);
	assert_non_null(text);
	/* a megabyte-long comment, then a rule */
	text[0] = '#';
	memset(text + 1, 'x', big - 1);
	strcpy(text + big, "\nok * 5\n");
	assert_int_equal(parse(text), 1);
	assert_int_equal(rep.n, 0);
	assert_int_equal(rules[0].uid, 5);
	/* a megabyte of blanks between fields is fine */
	memset(text, ' ', big);
	memcpy(text, "ok", 2);
	strcpy(text + big, "* 6");
	assert_int_equal(parse(text), 1);
	assert_int_equal(rules[0].uid, 6);
	/* a megabyte-long field is not */
	memset(text, 'a', big);
	strcpy(text + big, " * 0");
	bad(text, "name-pattern too long");
	text[0] = 'a';
	text[1] = ' ';
	memset(text + 2, '/', big - 2);
	strcpy(text + big, " 0");
	bad(text, "program too long");
	memset(text, ' ', big);
	memcpy(text, "a * ", 4);
	memset(text + 4, '1', big - 4);
	text[big] = '\0';
	bad(text, "bad uid");
	free(text);
	/* exactly at the program bound */
	char line[POLICY_PROGRAM_MAX + 16];
	strcpy(line, "a ");
	memset(line + 2, 'p', POLICY_PROGRAM_MAX);
	strcpy(line + 2 + POLICY_PROGRAM_MAX, " 0");
	assert_int_equal(parse(line), 1);
	assert_int_equal(strlen(rules[0].program), POLICY_PROGRAM_MAX);
	line[2 + POLICY_PROGRAM_MAX] = 'p';
	strcpy(line + 3 + POLICY_PROGRAM_MAX, " 0");
	bad(line, "program too long");
}

static void test_glob(void **state)
{
	assert_true(policy_glob("*", ""));
	assert_true(policy_glob("*", "anything"));
	assert_true(policy_glob("**", ""));
	assert_true(policy_glob("abc", "abc"));
	assert_false(policy_glob("abc", "abcd"));
	assert_false(policy_glob("abcd", "abc"));
	assert_false(policy_glob("abc", ""));
	assert_false(policy_glob("?", ""));
	assert_true(policy_glob("?", "x"));
	assert_false(policy_glob("?", "xy"));
	assert_true(policy_glob("??", "xy"));
	assert_true(policy_glob("a?c", "abc"));
	assert_false(policy_glob("a?c", "ac"));
	assert_true(policy_glob("a*b*c", "abc"));
	assert_true(policy_glob("a*b*c", "aXbYc"));
	assert_true(policy_glob("a*b*c", "abbbcbc"));
	assert_true(policy_glob("a*b*c", "aXXbXXbXXc"));
	assert_false(policy_glob("a*b*c", "aXbYcZ"));
	assert_false(policy_glob("a*b*c", "acb"));
	assert_false(policy_glob("a*b*c", "ab"));
	assert_true(policy_glob("test*", "test"));
	assert_true(policy_glob("test*", "test-1"));
	assert_false(policy_glob("test*", "tes"));
	assert_false(policy_glob("test*", "xtest"));
	assert_true(policy_glob("*-?", "pci-0"));
	assert_false(policy_glob("*-?", "pci-"));
	assert_true(policy_glob("*?", "x"));
	assert_false(policy_glob("*?", ""));
	assert_true(policy_glob("*a", "aaaa"));
	assert_false(policy_glob("*a", "aaab"));
	assert_false(policy_glob("", "a"));
	assert_true(policy_glob("", ""));
	/* a worst case for naive backtracking stays quick: O(pattern * name) */
	char name[1024];
	memset(name, 'a', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	assert_false(policy_glob("*a*a*a*a*a*a*a*a*a*a*b", name));
}

static void test_allows(void **state)
{
	const char *text = "file initfs:/bin/ramfsd 0\n"
			   "test* * *\n"
			   "log * 5\n"
			   "ipc initfs:/bin/ipcd *\n";
	size_t n = parse(text);
	assert_int_equal(n, 4);
	assert_true(policy_allows(rules, n, "file", "initfs:/bin/ramfsd", 0));
	assert_false(policy_allows(rules, n, "file", "initfs:/bin/ramfsd", 1)); /* uid */
	assert_false(policy_allows(rules, n, "file", "/bin/ramfsd", 0));	/* exact program */
	assert_false(policy_allows(rules, n, "file", "initfs:/bin/ramfsdx", 0));
	assert_false(policy_allows(rules, n, "file", "", 0));
	assert_false(policy_allows(rules, n, "files", "initfs:/bin/ramfsd", 0)); /* whole name */
	assert_true(policy_allows(rules, n, "test", "anything", 1234));
	assert_true(policy_allows(rules, n, "test-9", "", 0));
	assert_false(policy_allows(rules, n, "tes", "anything", 0));
	assert_true(policy_allows(rules, n, "log", "initfs:/bin/x", 5));
	assert_false(policy_allows(rules, n, "log", "initfs:/bin/x", 0));
	assert_true(policy_allows(rules, n, "ipc", "initfs:/bin/ipcd", 77));
	assert_false(policy_allows(rules, n, "ipc", "initfs:/bin/ipc", 77));
	assert_false(policy_allows(rules, n, "", "initfs:/bin/ramfsd", 0));
	assert_false(policy_allows(rules, 0, "test", "x", 0)); /* no rules: nothing allowed */
	/* a program field "*" is a wildcard, but a program named "*" matches only "*" too */
	assert_true(policy_allows(rules, n, "test", "*", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_file),
	    cmocka_unit_test(test_empty_and_comments),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_malformed_fields),
	    cmocka_unit_test(test_line_numbers),
	    cmocka_unit_test(test_no_trailing_newline_and_crlf),
	    cmocka_unit_test(test_report_null),
	    cmocka_unit_test(test_nul_bytes),
	    cmocka_unit_test(test_too_many_rules),
	    cmocka_unit_test(test_long_lines),
	    cmocka_unit_test(test_glob),
	    cmocka_unit_test(test_allows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
