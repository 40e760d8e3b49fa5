/*
 * test_shadow.c - /etc/shadow lines (lib/auth/shadow.c): a good file
 * with hashed, locked and password-less accounts; day counts empty or
 * set; every kind of malformed line skipped and reported with its
 * number; refused hash forms (empty, "$6$", DES, non-canonical "$5$");
 * duplicate names and the table's end; shadow_check() opens an account
 * only with its password and never a locked one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "auth/shadow.h"
#include "test_reports.h"

#define ROWS 8

/* crypt("Hello world!", "$5$saltstring"), from the specification */
#define HELLO "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5"

static struct shadow_entry rows[ROWS];
static struct reports rep;

static size_t parse_n(const char *s, size_t max)
{
	memset(&rep, 0, sizeof rep);
	memset(rows, 0xa5, sizeof rows);
	return shadow_parse(s, strlen(s), rows, max, reports_record, &rep);
}

static size_t parse(const char *s)
{
	return parse_n(s, ROWS);
}

static void bad(const char *line, const char *why)
{
	assert_int_equal(parse(line), 0);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.line[0], 1);
	assert_string_equal(rep.why[0], why);
}

static void test_good_file(void **state)
{
	const char *text = "# name:hash:lastchg:min:max:warn:inactive:expire:\n"
			   "root:" HELLO ":19000:0:99999:7:::\n"
			   "locked:!" HELLO ":::::::\n"
			   "daemon:*:::::::\r\n"
			   "nobody:!:1:2:3:4:5:6:\n"
			   "new:!!:::::::";
	assert_int_equal(parse(text), 5);
	assert_int_equal(rep.n, 0);
	assert_string_equal(rows[0].name, "root");
	assert_string_equal(rows[0].hash, HELLO);
	assert_int_equal(rows[0].lastchg, 19000);
	assert_int_equal(rows[0].min, 0);
	assert_int_equal(rows[0].max, 99999);
	assert_int_equal(rows[0].warn, 7);
	assert_int_equal(rows[0].inactive, SHADOW_UNSET);
	assert_int_equal(rows[0].expire, SHADOW_UNSET);
	assert_string_equal(rows[1].hash, "!" HELLO);
	assert_int_equal(rows[1].lastchg, SHADOW_UNSET);
	assert_string_equal(rows[2].hash, "*");
	assert_string_equal(rows[3].hash, "!");
	assert_int_equal(rows[3].lastchg, 1);
	assert_int_equal(rows[3].expire, 6);
	assert_string_equal(rows[4].hash, "!!");
}

static void test_malformed(void **state)
{
	bad("root", "not 9 fields");
	bad("root:" HELLO, "not 9 fields");
	bad("root:" HELLO "::::::", "not 9 fields");
	bad("root:" HELLO "::::::::", "not 9 fields");
	bad(":" HELLO ":::::::", "bad name");
	bad("Root:" HELLO ":::::::", "bad name");
	bad("root::::::::", "empty password field");
	bad("root:x:::::::", "unsupported hash");
	bad("root:!!!:::::::", "unsupported hash");
	bad("root:**:::::::", "unsupported hash");
	bad("root:*" HELLO ":::::::", "unsupported hash");
	bad("root:!!" HELLO ":::::::", "unsupported hash");
	bad("root:abJnggxhB/yWI:::::::", "unsupported hash"); /* DES */
	bad("root:$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiB"
	    "FdcbYEdFCoEOfaS35inz1:::::::",
	    "unsupported hash");
	bad("root:$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc:::::::",
	    "unsupported hash"); /* 42 characters */
	bad("root:$5$rounds=10$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC:::::::",
	    "unsupported hash"); /* rounds not as written back */
	bad("root:*:x::::::", "bad day count");
	bad("root:*::-1:::::", "bad day count");
	bad("root:*:::01::::", "bad day count");
	bad("root:*:::: 1:::", "bad day count");
	bad("root:*:::::2147483648::", "bad day count");
	bad("root:*:::::::0", "reserved field not empty");
}

static void test_report_lines(void **state)
{
	const char *text = "a:*:::::::\n"	  /* 1 */
			   "a:!:::::::\n"	  /* 2: duplicate */
			   "\n"			  /* 3 */
			   "b:" HELLO ":::::::\n" /* 4 */
			   "c:$5$:::::::\n"	  /* 5 */
			   "d:*:::::::\n"	  /* 6 */
			   "e:*:::::::\n";	  /* 7: table of 3 is full */
	assert_int_equal(parse_n(text, 3), 3);
	assert_int_equal(rep.n, 3);
	assert_int_equal(rep.line[0], 2);
	assert_string_equal(rep.why[0], "duplicate name");
	assert_int_equal(rep.line[1], 5);
	assert_string_equal(rep.why[1], "unsupported hash");
	assert_int_equal(rep.line[2], 7);
	assert_string_equal(rep.why[2], "too many entries");
	assert_string_equal(rows[0].hash, "*");
	assert_string_equal(rows[2].name, "d");
	assert_int_equal((unsigned char)rows[3].name[0], 0xa5);
}

static void test_check(void **state)
{
	const char *text = "root:" HELLO ":::::::\n"
			   "locked:!" HELLO ":::::::\n"
			   "daemon:*:::::::\n"
			   "nobody:!:::::::\n";
	size_t n = parse(text);
	assert_int_equal(n, 4);
	const struct shadow_entry *root = shadow_by_name(rows, n, "root");
	const struct shadow_entry *locked = shadow_by_name(rows, n, "locked");
	assert_ptr_equal(root, &rows[0]);
	assert_ptr_equal(locked, &rows[1]);
	assert_null(shadow_by_name(rows, n, "roo"));
	assert_null(shadow_by_name(rows, n, "roots"));
	assert_null(shadow_by_name(rows, n, ""));

	assert_true(shadow_check(root, "Hello world!", 12));
	assert_false(shadow_check(root, "Hello world", 11));
	assert_false(shadow_check(root, "", 0));
	assert_false(shadow_check(locked, "Hello world!", 12));
	assert_false(shadow_check(shadow_by_name(rows, n, "daemon"), "", 0));
	assert_false(shadow_check(shadow_by_name(rows, n, "daemon"), "*", 1));
	assert_false(shadow_check(shadow_by_name(rows, n, "nobody"), "!", 1));
}

/* The longest hash field ('!' and an 80-byte hash) fits the entry. */
static void test_longest_hash(void **state)
{
	const char *h = "$5$rounds=999999999$0123456789abcdef$"
			"0123456789012345678901234567890123456789012";
	char line[256];
	snprintf(line, sizeof line, "x:!%s:::::::", h);
	assert_int_equal(parse(line), 1);
	assert_int_equal(strlen(rows[0].hash), SHADOW_HASH_MAX);
	assert_string_equal(rows[0].hash + 1, h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_file),	 cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_report_lines), cmocka_unit_test(test_check),
	    cmocka_unit_test(test_longest_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
