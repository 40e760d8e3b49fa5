/*
 * test_fsperms.c - ramfsd's permission table parser (lib/ramfs/fsperms.c):
 * a good table parses in order with every field; comments, blank lines,
 * CRLF, tabs and a missing final newline; each kind of bad line is
 * refused and reported with its number while the lines around it count;
 * the "*" form; path and id limits; NUL bytes; a full table; and the
 * shipped initfs/etc/fs.perms parses without a report.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ramfs/fsperms.h"
#include "test_reports.h"

#define ROWS 8

static struct fsperms_rule rows[ROWS];
static struct reports rep;

static size_t parse_n(const char *s, size_t len, size_t max)
{
	memset(&rep, 0, sizeof rep);
	memset(rows, 0xa5, sizeof rows);
	return fsperms_parse(s, len, rows, max, reports_record, &rep);
}

static size_t parse(const char *s)
{
	return parse_n(s, strlen(s), ROWS);
}

static void bad(const char *line, const char *why)
{
	assert_int_equal(parse(line), 0);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.line[0], 1);
	assert_string_equal(rep.why[0], why);
}

static void test_good(void **state)
{
	const char *text = "# type mode owner path\n"
			   "d 0700 0:0 /root\n"
			   "\n"
			   "  # indented comment\n"
			   "d\t0755  1000:1000\t/home/guest\r\n"
			   "f 600 0:0 /etc/shadow\n"
			   "f 0755 0:0 /bin/*\n"
			   "d 01777 0:0 /tmp\n"
			   "f 0 2147483647:5 /";
	assert_int_equal(parse(text), 6);
	assert_int_equal(rep.n, 0);
	assert_true(rows[0].make_dir);
	assert_false(rows[0].children);
	assert_int_equal(rows[0].mode, 0700);
	assert_int_equal(rows[0].uid, 0);
	assert_string_equal(rows[0].path, "/root");
	assert_int_equal(rows[1].uid, 1000);
	assert_int_equal(rows[1].gid, 1000);
	assert_string_equal(rows[1].path, "/home/guest");
	assert_false(rows[2].make_dir);
	assert_int_equal(rows[2].mode, 0600);
	assert_string_equal(rows[2].path, "/etc/shadow");
	assert_true(rows[3].children);
	assert_string_equal(rows[3].path, "/bin");
	assert_int_equal(rows[4].mode, 01777);
	assert_int_equal(rows[5].mode, 0);
	assert_int_equal(rows[5].uid, 2147483647);
	assert_int_equal(rows[5].gid, 5);
	assert_string_equal(rows[5].path, "/");
	assert_int_equal(parse("f 0644 0:0 /*\n"), 1);
	assert_true(rows[0].children);
	assert_string_equal(rows[0].path, "/");
}

static void test_bad_lines(void **state)
{
	bad("d 0700 0:0\n", "need 4 fields: TYPE MODE UID:GID PATH");
	bad("d 0700 0:0 /a # comment\n", "need 4 fields: TYPE MODE UID:GID PATH");
	bad("x 0700 0:0 /a\n", "type must be d or f");
	bad("dd 0700 0:0 /a\n", "type must be d or f");
	bad("d 0800 0:0 /a\n", "mode must be octal, at most 01777");
	bad("d 02000 0:0 /a\n", "mode must be octal, at most 01777");
	bad("d 000644 0:0 /a\n", "mode must be octal, at most 01777");
	bad("d -1 0:0 /a\n", "mode must be octal, at most 01777");
	bad("d 0700 0 /a\n", "owner must be UID:GID, decimal");
	bad("d 0700 0: /a\n", "owner must be UID:GID, decimal");
	bad("d 0700 :0 /a\n", "owner must be UID:GID, decimal");
	bad("d 0700 01:0 /a\n", "owner must be UID:GID, decimal");
	bad("d 0700 2147483648:0 /a\n", "owner must be UID:GID, decimal");
	bad("d 0700 0:0:0 /a\n", "owner must be UID:GID, decimal");
	bad("d 0700 root:0 /a\n", "owner must be UID:GID, decimal");
	bad("d 0700 0:0 a\n", "path must start with /");
	bad("d 0700 0:0 /a//b\n", "empty path component");
	bad("d 0700 0:0 /a/\n", "empty path component");
	bad("d 0700 0:0 /a/../b\n", ". or .. in path");
	bad("d 0700 0:0 /./b\n", ". or .. in path");
	bad("d 0700 0:0 /bin/*\n", "a d rule cannot end in /*");
	bad("f 0700 0:0 /bin//*\n", "empty path component");
	assert_int_equal(parse("f 0700 0:0 /.a/..b/a*\n"), 1); /* only . and .. are special */
	assert_string_equal(rows[0].path, "/.a/..b/a*");
}

static void test_lines_around(void **state)
{
	assert_int_equal(parse("d 0700 0:0 /a\nbogus\n\nf 0600 1:2 /b"), 2);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.line[0], 2);
	assert_string_equal(rows[0].path, "/a");
	assert_string_equal(rows[1].path, "/b");
}

static void test_limits(void **state)
{
	char line[FSPERMS_PATH_MAX + 32];
	int k = snprintf(line, sizeof line, "f 0644 0:0 /");
	memset(line + k, 'a', FSPERMS_PATH_MAX - 1);
	line[k + FSPERMS_PATH_MAX - 1] = '\0';
	assert_int_equal(parse(line), 1);
	assert_int_equal(strlen(rows[0].path), FSPERMS_PATH_MAX);
	strcat(line, "a");
	bad(line, "path too long");
	/* the last "*" does not count against the path */
	line[strlen(line) - 1] = '\0';
	strcat(line, "/*");
	assert_int_equal(parse(line), 1);
	assert_true(rows[0].children);
}

static void test_nul_bytes(void **state)
{
	static const char text[] = "f 0644 0:0 /a\0b\nf 0644 0:0 /c";
	assert_int_equal(parse_n(text, sizeof text - 1, ROWS), 1);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.line[0], 1);
	assert_string_equal(rep.why[0], "path holds a space or control byte");
	assert_string_equal(rows[0].path, "/c");
	assert_int_equal(parse_n("", 0, ROWS), 0);
	assert_int_equal(rep.n, 0);
}

static void test_table_full(void **state)
{
	assert_int_equal(parse_n("d 0700 0:0 /a\nd 0700 0:0 /b\nbad\nd 0700 0:0 /c\n", 43, 2), 2);
	assert_int_equal(rep.n, 2);
	assert_int_equal(rep.line[0], 3);
	assert_string_equal(rep.why[1], "too many rules");
	assert_int_equal(rep.line[1], 4);
}

static void test_shipped(void **state)
{
	FILE *f = fopen("initfs/etc/fs.perms", "rb");
	assert_non_null(f);
	static char text[8192];
	size_t n = fread(text, 1, sizeof text, f);
	fclose(f);
	assert_true(n > 0 && n < sizeof text);
	static struct fsperms_rule all[64];
	memset(&rep, 0, sizeof rep);
	size_t got = fsperms_parse(text, n, all, 64, reports_record, &rep);
	assert_int_equal(rep.n, 0);
	bool shadow = false, tmp = false, guest = false;
	for (size_t i = 0; i < got; i++) {
		if (!strcmp(all[i].path, "/etc/shadow"))
			shadow = all[i].mode == 0600 && all[i].uid == 0;
		if (!strcmp(all[i].path, "/tmp"))
			tmp = all[i].make_dir && all[i].mode == 01777;
		if (!strcmp(all[i].path, "/home/guest"))
			guest = all[i].make_dir && all[i].uid == 1000 && all[i].gid == 1000;
	}
	assert_true(shadow);
	assert_true(tmp);
	assert_true(guest);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),	 cmocka_unit_test(test_bad_lines),
	    cmocka_unit_test(test_lines_around), cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_nul_bytes),	 cmocka_unit_test(test_table_full),
	    cmocka_unit_test(test_shipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
