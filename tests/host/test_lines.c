/*
 * test_lines.c - the line cursor (lib/base/lines.c): an empty buffer has
 * no lines; a final '\n' adds no empty line; empty lines in the middle,
 * '\r', '#' and NUL bytes come through as data; line numbers count from
 * 1; nothing past len is read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/lines.h"

/* Walk text[0..len) and check the lines are want[0..nwant), in order. */
static void expect_lines(const char *text, size_t len, const char *const *want, size_t nwant)
{
	struct lines it = lines_start(text, len);
	const char *line;
	size_t n, i = 0;
	while (lines_next(&it, &line, &n)) {
		assert_true(i < nwant);
		assert_int_equal(it.no, i + 1);
		assert_int_equal(n, strlen(want[i]));
		assert_memory_equal(line, want[i], n);
		assert_true(line >= text && line + n <= text + len);
		i++;
	}
	assert_int_equal(i, nwant);
	assert_false(lines_next(&it, &line, &n)); /* stays at the end */
}

static void test_empty(void **state)
{
	expect_lines("", 0, NULL, 0);
	expect_lines("abc", 0, NULL, 0);
}

static void test_final_newline(void **state)
{
	const char *const two[] = {"a", "bc"};
	expect_lines("a\nbc", 4, two, 2);
	expect_lines("a\nbc\n", 5, two, 2);
	const char *const one_empty[] = {""};
	expect_lines("\n", 1, one_empty, 1);
}

static void test_middle_and_data(void **state)
{
	const char *const want[] = {"", "x\r", "#c", ""};
	expect_lines("\nx\r\n#c\n\n", 8, want, 4);
	const char nul[] = {'a', '\0', 'b', '\n', 'c'};
	struct lines it = lines_start(nul, sizeof nul);
	const char *line;
	size_t n;
	assert_true(lines_next(&it, &line, &n));
	assert_int_equal(n, 3);
	assert_true(lines_next(&it, &line, &n));
	assert_int_equal(n, 1);
	assert_int_equal(it.no, 2);
	assert_false(lines_next(&it, &line, &n));
}

static void test_stops_at_len(void **state)
{
	const char *const want[] = {"ab"};
	expect_lines("ab\ncd", 3, want, 1);
	expect_lines("abcd", 2, want, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_final_newline),
	    cmocka_unit_test(test_middle_and_data),
	    cmocka_unit_test(test_stops_at_len),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
