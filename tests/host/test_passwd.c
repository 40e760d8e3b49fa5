/*
 * test_passwd.c - /etc/passwd lines (lib/auth/passwd.c) and the shared
 * line walker (lib/auth/colon.c): a good file parses into its entries;
 * comments, blank lines, CRLF and a missing final newline; every kind of
 * malformed line is skipped and reported with its number and reason,
 * and the lines around it still parse; duplicate names; the table's
 * end; field length limits; NUL bytes; lookups by name and uid.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "auth/passwd.h"
#include "test_reports.h"

#define ROWS 8

static struct passwd_entry rows[ROWS];
static struct reports rep;

static size_t parse_n(const char *s, size_t len, size_t max)
{
	memset(&rep, 0, sizeof rep);
	memset(rows, 0xa5, sizeof rows);
	return passwd_parse(s, len, rows, max, reports_record, &rep);
}

static size_t parse(const char *s)
{
	return parse_n(s, strlen(s), ROWS);
}

/* One line: expect it skipped with reason why. */
static void bad(const char *line, const char *why)
{
	assert_int_equal(parse(line), 0);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.line[0], 1);
	assert_string_equal(rep.why[0], why);
}

static void test_good_file(void **state)
{
	const char *text = "# accounts\n"
			   "root:x:0:0:Super User:/root:/bin/sh\n"
			   "\n"
			   "guest:x:1000:1000::/home/guest:/bin/sh\n"
			   "_svc-1:x:2147483647:7:a b, c!~:/:/bin/true";
	assert_int_equal(parse(text), 3);
	assert_int_equal(rep.n, 0);
	assert_string_equal(rows[0].name, "root");
	assert_int_equal(rows[0].uid, 0);
	assert_int_equal(rows[0].gid, 0);
	assert_string_equal(rows[0].gecos, "Super User");
	assert_string_equal(rows[0].home, "/root");
	assert_string_equal(rows[0].shell, "/bin/sh");
	assert_string_equal(rows[1].name, "guest");
	assert_int_equal(rows[1].uid, 1000);
	assert_string_equal(rows[1].gecos, "");
	assert_string_equal(rows[2].name, "_svc-1");
	assert_int_equal(rows[2].uid, 2147483647);
	assert_int_equal(rows[2].gid, 7);
	assert_string_equal(rows[2].gecos, "a b, c!~");
	assert_string_equal(rows[2].home, "/");
}

static void test_crlf_and_blank(void **state)
{
	assert_int_equal(parse("a:x:1:1::/a:/s\r\nb:x:2:2::/b:/s\r\n\r\n"), 2);
	assert_int_equal(rep.n, 0);
	assert_string_equal(rows[0].shell, "/s");
	assert_string_equal(rows[1].shell, "/s");
	assert_int_equal(parse(""), 0);
	assert_int_equal(parse("\n\n#x\n# a:x:1:1::/a:/s"), 0);
	assert_int_equal(rep.n, 0);
	/* a '\r' elsewhere is a bad character, not a line end */
	bad("a:x:1:1::/a:/s\r\r", "bad shell");
	bad("a:x:1:1:\r:/a:/s", "bad gecos");
}

static void test_malformed(void **state)
{
	bad("root", "not 7 fields");
	bad("root:x:0:0:/root:/bin/sh", "not 7 fields");
	bad("root:x:0:0::/root:/bin/sh:", "not 7 fields");
	bad(":::::::::", "not 7 fields");
	bad("::0:0::/:/", "bad name");
	bad("Root:x:0:0::/:/", "bad name");
	bad("9root:x:0:0::/:/", "bad name");
	bad("-root:x:0:0::/:/", "bad name");
	bad("ro.ot:x:0:0::/:/", "bad name");
	bad("ro ot:x:0:0::/:/", "bad name");
	bad("abcdefghijklmnopqrstuvwxyz0123456:x:0:0::/:/", "bad name"); /* 33 */
	assert_int_equal(parse("abcdefghijklmnopqrstuvwxyz012345:x:0:0::/:/"), 1);
	bad("root::0:0::/:/", "password field is not x");
	bad("root:*:0:0::/:/", "password field is not x");
	bad("root:xx:0:0::/:/", "password field is not x");
	bad("root:$5$a$b:0:0::/:/", "password field is not x");
	bad("root:x::0::/:/", "bad uid");
	bad("root:x:-1:0::/:/", "bad uid");
	bad("root:x:+1:0::/:/", "bad uid");
	bad("root:x:01:0::/:/", "bad uid");
	bad("root:x:1a:0::/:/", "bad uid");
	bad("root:x: 1:0::/:/", "bad uid");
	bad("root:x:2147483648:0::/:/", "bad uid");
	bad("root:x:99999999999999999999:0::/:/", "bad uid");
	bad("root:x:0:::/:/", "bad gid");
	bad("root:x:0:00::/:/", "bad gid");
	bad("root:x:0:0:\x01:/:/", "bad gecos");
	bad("root:x:0:0:\x7f:/:/", "bad gecos");
	bad("root:x:0:0:\xc3\xa9:/:/", "bad gecos");
	bad("root:x:0:0:::/", "bad home");
	bad("root:x:0:0::root:/", "bad home");
	bad("root:x:0:0::/r t:/", "bad home");
	bad("root:x:0:0::/:", "bad shell");
	bad("root:x:0:0::/:sh", "bad shell");
	bad("root:x:0:0::/:/bin/\tsh", "bad shell");
}

static void test_limits(void **state)
{
	char line[512];
	char gecos[PASSWD_GECOS_MAX + 2], path[PASSWD_PATH_MAX + 2];
	memset(gecos, 'g', sizeof gecos);
	gecos[PASSWD_GECOS_MAX] = '\0';
	memset(path, 'p', sizeof path);
	path[0] = '/';
	path[PASSWD_PATH_MAX] = '\0';
	snprintf(line, sizeof line, "a:x:1:1:%s:%s:%s", gecos, path, path);
	assert_int_equal(parse(line), 1);
	assert_int_equal(strlen(rows[0].gecos), PASSWD_GECOS_MAX);
	assert_int_equal(strlen(rows[0].home), PASSWD_PATH_MAX);
	assert_int_equal(strlen(rows[0].shell), PASSWD_PATH_MAX);

	gecos[PASSWD_GECOS_MAX] = 'g';
	gecos[PASSWD_GECOS_MAX + 1] = '\0';
	snprintf(line, sizeof line, "a:x:1:1:%s:/:/", gecos);
	bad(line, "bad gecos");
	path[PASSWD_PATH_MAX] = 'p';
	path[PASSWD_PATH_MAX + 1] = '\0';
	snprintf(line, sizeof line, "a:x:1:1::%s:/", path);
	bad(line, "bad home");
	snprintf(line, sizeof line, "a:x:1:1::/:%s", path);
	bad(line, "bad shell");

	/* a very long line is refused, not overrun */
	static char huge[100000];
	memset(huge, 'a', sizeof huge - 1);
	bad(huge, "not 7 fields");
	memcpy(huge, "a:x:1:1:", 8);
	memcpy(huge + sizeof huge - 5, ":/:/", 4);
	bad(huge, "bad gecos");
}

static void test_report_lines(void **state)
{
	const char *text = "root:x:0:0::/root:/bin/sh\n"  /* 1 */
			   "bad line\n"			  /* 2 */
			   "\n"				  /* 3 */
			   "root:x:5:5::/r:/s\n"	  /* 4: duplicate */
			   "# c\n"			  /* 5 */
			   "guest:x:1000:1000::/h:/s\n"	  /* 6 */
			   "guest2:x:1001:1000::h:/s\n"	  /* 7 */
			   "guest3:x:1000:1000::/h:/s\n"; /* 8: same uid is fine */
	assert_int_equal(parse(text), 3);
	assert_int_equal(rep.n, 3);
	assert_int_equal(rep.line[0], 2);
	assert_string_equal(rep.why[0], "not 7 fields");
	assert_int_equal(rep.line[1], 4);
	assert_string_equal(rep.why[1], "duplicate name");
	assert_int_equal(rep.line[2], 7);
	assert_string_equal(rep.why[2], "bad home");
	assert_int_equal(rows[0].uid, 0); /* the first root stays */
	assert_string_equal(rows[2].name, "guest3");
	/* without a report callback the same entries are stored */
	assert_int_equal(passwd_parse(text, strlen(text), rows, ROWS, NULL, NULL), 3);
}

static void test_table_full(void **state)
{
	const char *text = "a:x:1:1::/:/\nb:x:2:2::/:/\nc:x:3:3::/:/\nd:x:4:4::/:/\n";
	assert_int_equal(parse_n(text, strlen(text), 2), 2);
	assert_int_equal(rep.n, 2);
	assert_int_equal(rep.line[0], 3);
	assert_string_equal(rep.why[0], "too many entries");
	assert_int_equal(rep.line[1], 4);
	/* nothing written past the table */
	assert_int_equal((unsigned char)rows[2].name[0], 0xa5);
	assert_int_equal(parse_n(text, strlen(text), 0), 0);
	assert_int_equal(rep.n, 4);
}

static void test_nul_bytes(void **state)
{
	static const char text[] = "a:x:1:1::/:/\nb\0:x:2:2::/:/\nc:x:3:3::/\0:/\nd:x:4:4:\0:/:/";
	assert_int_equal(parse_n(text, sizeof text - 1, ROWS), 1);
	assert_int_equal(rep.n, 3);
	assert_string_equal(rep.why[0], "bad name");
	assert_string_equal(rep.why[1], "bad home");
	assert_string_equal(rep.why[2], "bad gecos");
	/* only len bytes are read: the line is cut short */
	assert_int_equal(parse_n("a:x:1:1::/:/sh", 12, ROWS), 1);
	assert_string_equal(rows[0].shell, "/");
}

static void test_lookup(void **state)
{
	const char *text = "root:x:0:0::/root:/bin/sh\n"
			   "toor:x:0:0::/root:/bin/sh\n"
			   "guest:x:1000:100::/home/guest:/bin/sh\n";
	size_t n = parse(text);
	assert_int_equal(n, 3);
	assert_ptr_equal(passwd_by_name(rows, n, "root"), &rows[0]);
	assert_ptr_equal(passwd_by_name(rows, n, "toor"), &rows[1]);
	assert_ptr_equal(passwd_by_name(rows, n, "guest"), &rows[2]);
	assert_null(passwd_by_name(rows, n, "gues"));
	assert_null(passwd_by_name(rows, n, "guests"));
	assert_null(passwd_by_name(rows, n, ""));
	assert_null(passwd_by_name(rows, 0, "root"));
	assert_ptr_equal(passwd_by_uid(rows, n, 0), &rows[0]);
	assert_ptr_equal(passwd_by_uid(rows, n, 1000), &rows[2]);
	assert_null(passwd_by_uid(rows, n, 100));
	assert_null(passwd_by_uid(rows, n, -1));
}

static void test_colon_helpers(void **state)
{
	struct colon_field f[3];
	assert_true(colon_split("a::b", 4, f, 3));
	assert_int_equal(f[0].len, 1);
	assert_int_equal(f[1].len, 0);
	assert_int_equal(f[2].len, 1);
	assert_true(colon_split("", 0, f, 1));
	assert_int_equal(f[0].len, 0);
	assert_false(colon_split("a:b", 3, f, 1));
	assert_false(colon_split("a:b", 3, f, 3));
	assert_true(colon_split("::", 2, f, 3));

	struct colon_field g = {"ab\0c", 4};
	assert_false(colon_equal(&g, "ab"));
	assert_false(colon_equal(&g, "abxc"));
	struct colon_field h = {"ab", 2};
	assert_true(colon_equal(&h, "ab"));
	assert_false(colon_equal(&h, "a"));
	assert_false(colon_equal(&h, "abc"));

	int32_t v = 7;
	struct colon_field z = {"0", 1};
	assert_true(colon_id(&z, &v));
	assert_int_equal(v, 0);
	struct colon_field m = {"2147483647", 10};
	assert_true(colon_id(&m, &v));
	assert_int_equal(v, INT32_MAX);

	/* colon_find: the name sits after other fields; first match wins */
	struct row {
		int x;
		char name[4];
	} r[3] = {{1, "ab"}, {2, "cd"}, {3, "cd"}};
	size_t off = offsetof(struct row, name);
	struct colon_field cd = {"cd", 2}, c = {"c", 1};
	assert_ptr_equal(colon_find(r, 3, sizeof r[0], off, &cd), &r[1]);
	assert_null(colon_find(r, 1, sizeof r[0], off, &cd));
	assert_null(colon_find(r, 3, sizeof r[0], off, &c));
	assert_null(colon_find(r, 0, sizeof r[0], off, &g));
	assert_ptr_equal(colon_find_str(r, 3, sizeof r[0], off, "ab"), &r[0]);
	assert_ptr_equal(colon_find_str(r, 3, sizeof r[0], off, "cd"), &r[1]);
	assert_null(colon_find_str(r, 3, sizeof r[0], off, "abc"));
	assert_null(colon_find_str(r, 3, sizeof r[0], off, ""));
	/* colon_room: a duplicate is named before a full table */
	struct colon_field ef = {"ef", 2};
	assert_null(colon_room(r, 2, 3, sizeof r[0], off, &ef));
	assert_string_equal(colon_room(r, 2, 3, sizeof r[0], off, &cd), "duplicate name");
	assert_string_equal(colon_room(r, 3, 3, sizeof r[0], off, &cd), "duplicate name");
	assert_string_equal(colon_room(r, 3, 3, sizeof r[0], off, &ef), "too many entries");
	assert_string_equal(colon_room(r, 0, 0, sizeof r[0], off, &ef), "too many entries");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_file),	  cmocka_unit_test(test_crlf_and_blank),
	    cmocka_unit_test(test_malformed),	  cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_report_lines),  cmocka_unit_test(test_table_full),
	    cmocka_unit_test(test_nul_bytes),	  cmocka_unit_test(test_lookup),
	    cmocka_unit_test(test_colon_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
