/*
 * test_path.c - path_is_relative and path_resolve: relative paths joined
 * to a working directory, "." and ".." (also past the root), repeated and
 * trailing slashes, absolute scheme and plain paths canonicalised, and the
 * errors: empty path, bad cwd or scheme name, results that do not fit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "base/path.h"

static void test_relative(void **state)
{
	assert_true(path_is_relative("x"));
	assert_true(path_is_relative("a/b"));
	assert_true(path_is_relative(".."));
	assert_true(path_is_relative("./x:y"));
	assert_false(path_is_relative(""));
	assert_false(path_is_relative("/etc"));
	assert_false(path_is_relative("initfs:/bin"));
	assert_false(path_is_relative("debug:"));
}

static void check(const char *cwd, const char *path, const char *want)
{
	char out[256];
	assert_int_equal(path_resolve(cwd, path, out, sizeof out), 0);
	assert_string_equal(out, want);
}

static void test_resolve(void **state)
{
	check("file:/", "x", "file:/x");
	check("file:/a/b", "c", "file:/a/b/c");
	check("file:/a/b", "..", "file:/a");
	check("file:/a/b", "../..", "file:/");
	check("file:/a/b", "../../../..", "file:/");
	check("file:/a", "./x/./y/", "file:/a/x/y");
	check("file:/a", "x//y///z", "file:/a/x/y/z");
	check("file:/a", ".", "file:/a");
	check("initfs:/bin", "../etc/x", "initfs:/etc/x");
	check("file:/a", "/etc/../tmp", "file:/tmp");
	check("file:/a", "initfs:/bin/", "initfs:/bin");
	check("file:/a", "initfs:bin", "initfs:/bin");
	check("file:/a", "debug:", "debug:/");
	check("file:/a", "initfs:/..", "initfs:/");
}

static void test_errors(void **state)
{
	char out[16];
	assert_int_equal(path_resolve("file:/", "", out, sizeof out), -E_NOENT);
	assert_int_equal(path_resolve("file", "x", out, sizeof out), -E_INVAL);
	assert_int_equal(path_resolve("file:x", "x", out, sizeof out), -E_INVAL);
	assert_int_equal(path_resolve("file:/", "Bad:/x", out, sizeof out), -E_INVAL);
	/* "file:/" + 9 bytes + NUL = 16 fits; one more does not */
	assert_int_equal(path_resolve("file:/", "123456789", out, sizeof out), 0);
	assert_string_equal(out, "file:/123456789");
	assert_int_equal(path_resolve("file:/", "1234567890", out, sizeof out), -E_NAMETOOLONG);
	assert_int_equal(path_resolve("file:/", "1234567890123456", out, sizeof out),
			 -E_NAMETOOLONG);
	/* what ".." takes away again still had to fit on the way */
	assert_int_equal(path_resolve("file:/", "a/../b", out, sizeof out), 0);
	assert_string_equal(out, "file:/b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_relative),
	    cmocka_unit_test(test_resolve),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
