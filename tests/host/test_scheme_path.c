/*
 * test_scheme_path.c - scheme_name_valid and scheme_path_split: the names
 * the registry accepts and refuses, splitting at the first ':', plain
 * paths (no ':' before the first '/'), empty rests, and the length bound on unterminated input; the
 * name table: add, find, duplicate and invalid names, full table, remove.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "base/scheme_path.h"

static bool valid(const char *s)
{
	return scheme_name_valid(s, strlen(s));
}

static void test_names(void **state)
{
	assert_true(valid("initfs"));
	assert_true(valid("debug"));
	assert_true(valid("a"));
	assert_true(valid("pci-0_1"));
	assert_true(valid("abcdefghijklmnopqrstuvwxyz01234")); /* 31 bytes */
	assert_false(valid("abcdefghijklmnopqrstuvwxyz012345"));
	assert_false(valid(""));
	assert_false(valid("0abc"));
	assert_false(valid("-abc"));
	assert_false(valid("Initfs"));
	assert_false(valid("a/b"));
	assert_false(valid("a:b"));
	assert_false(valid("a b"));
	assert_false(scheme_name_valid("ab\0c", 4));
}

static void test_split(void **state)
{
	struct scheme_path sp;
	const char *p = "initfs:/bin/init";
	assert_int_equal(scheme_path_split(p, 256, &sp), 0);
	assert_ptr_equal(sp.name, p);
	assert_int_equal(sp.name_len, 6);
	assert_string_equal(sp.rest, "/bin/init");
	assert_int_equal(sp.rest_len, 9);

	assert_int_equal(scheme_path_split("debug:", 256, &sp), 0);
	assert_int_equal(sp.name_len, 5);
	assert_string_equal(sp.rest, "");
	assert_int_equal(sp.rest_len, 0);

	/* only the first ':' splits */
	assert_int_equal(scheme_path_split("disk:/a:b", 256, &sp), 0);
	assert_int_equal(sp.name_len, 4);
	assert_string_equal(sp.rest, "/a:b");
}

static void test_errors(void **state)
{
	struct scheme_path sp = {0};
	assert_int_equal(scheme_path_split("/bin/init", 256, &sp), -E_NOENT);
	assert_int_equal(scheme_path_split("", 256, &sp), -E_NOENT);
	assert_int_equal(scheme_path_split(":/x", 256, &sp), -E_INVAL);
	assert_int_equal(scheme_path_split("Bad:/x", 256, &sp), -E_INVAL);
	/* no ':' before the first '/': a plain path, whatever follows */
	assert_int_equal(scheme_path_split("a/b:/x", 256, &sp), -E_NOENT);
	assert_int_equal(scheme_path_split("/a:b", 256, &sp), -E_NOENT);
	assert_int_equal(scheme_path_split("tmp/x", 256, &sp), -E_NOENT);
	assert_int_equal(scheme_path_split("x", 256, &sp), -E_NOENT);
	assert_int_equal(scheme_path_split("Bad/:x", 256, &sp), -E_NOENT);
	assert_int_equal(scheme_path_split("a b:/x", 256, &sp), -E_INVAL);
	assert_null(sp.name); /* untouched on failure */
	char buf[8] = {'a', 'b', ':', '/', 'x', 'y', 'z', 'w'};
	assert_int_equal(scheme_path_split(buf, sizeof buf, &sp), -E_NAMETOOLONG);
	buf[7] = '\0';
	assert_int_equal(scheme_path_split(buf, sizeof buf, &sp), 0);
	assert_string_equal(sp.rest, "/xyz");
}

static void test_table(void **state)
{
	static struct scheme_table t;
	int a, b, objs[SCHEME_TABLE_MAX];
	assert_int_equal(scheme_table_add(&t, "initfs", 6, &a), 0);
	assert_int_equal(scheme_table_add(&t, "debug", 5, &b), 0);
	assert_ptr_equal(scheme_table_find(&t, "initfs", 6), &a);
	assert_ptr_equal(scheme_table_find(&t, "debug:/x", 5), &b);
	assert_null(scheme_table_find(&t, "init", 4));	 /* a prefix is not a match */
	assert_null(scheme_table_find(&t, "debugx", 6)); /* nor a longer name */
	assert_null(scheme_table_find(&t, "", 0));
	assert_int_equal(scheme_table_add(&t, "initfs", 6, &b), -E_EXIST);
	assert_int_equal(scheme_table_add(&t, "Init", 4, &b), -E_INVAL);
	assert_int_equal(scheme_table_add(&t, "", 0, &b), -E_INVAL);
	assert_int_equal(scheme_table_add(&t, "ok", 2, NULL), -E_INVAL);
	char name[4] = "s00";
	for (int i = 2; i < SCHEME_TABLE_MAX; i++) {
		name[1] = (char)('0' + i / 10);
		name[2] = (char)('0' + i % 10);
		assert_int_equal(scheme_table_add(&t, name, 3, &objs[i]), 0);
	}
	assert_int_equal(scheme_table_add(&t, "more", 4, &a), -E_NOSPC);
	assert_ptr_equal(scheme_table_remove(&t, "initfs", 6), &a);
	assert_null(scheme_table_remove(&t, "initfs", 6));
	assert_null(scheme_table_find(&t, "initfs", 6));
	assert_int_equal(scheme_table_add(&t, "more", 4, &a), 0); /* the freed slot */
	assert_ptr_equal(scheme_table_find(&t, "more", 4), &a);
	assert_ptr_equal(scheme_table_find(&t, "s15", 3), &objs[15]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_split),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
