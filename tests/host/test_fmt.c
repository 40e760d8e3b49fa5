/*
 * test_fmt.c - fmt_snprintf against the host's snprintf on the conversions
 * the kernel uses, plus truncation and the return-length contract.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "fmt/fmt.h"

#define SAME(...)                                                                                  \
	do {                                                                                       \
		char a[128], b[128];                                                               \
		int ra = fmt_snprintf(a, sizeof a, __VA_ARGS__);                                   \
		int rb = snprintf(b, sizeof b, __VA_ARGS__);                                       \
		assert_string_equal(a, b);                                                         \
		assert_int_equal(ra, rb);                                                          \
	} while (0)

static void test_integers(void **state)
{
	SAME("%d %i %u", -42, 17, 4000000000u);
	SAME("%5d|%-5d|%05d", 42, 42, 42);
	SAME("%+d % d %+d", 5, 5, -5);
	SAME("%x %X %#x %#X %08x", 0xbeefu, 0xbeefu, 255u, 255u, 0x1234u);
	SAME("%lx %llx %lu %lld", 0xfffffffffffUL, 0xdeadbeefcafeULL, 1UL << 40, -(1LL << 62));
	SAME("%zu %zx %td", (size_t)123456789, (size_t)0xabc, (ptrdiff_t)-3);
	SAME("%hhu %hd %hhx", 300, 70000, 0x1ff);
	SAME("%.3d %.0d %5.3d", 7, 0, 7);
	SAME("%o %#o", 8u, 8u);
	SAME("%lld", (long long)INT64_MIN);
	SAME("%*d %-*d %.*d", 6, 1, 6, 2, 4, 3);
}

static void test_strings(void **state)
{
	SAME("%s|%10s|%-10s|%.2s", "abc", "abc", "abc", "abc");
	SAME("%c%c%5c", 'x', 'y', 'z');
	SAME("100%%");
	char buf[32];
	const char *volatile nul = NULL; /* hidden from -Wformat-overflow */
	fmt_snprintf(buf, sizeof buf, "%s", nul);
	assert_string_equal(buf, "(null)");
}

static void test_pointer(void **state)
{
	char buf[32];
	fmt_snprintf(buf, sizeof buf, "%p", (void *)0x1000);
	assert_string_equal(buf, "0x1000");
}

static void test_truncation(void **state)
{
	char buf[8];
	memset(buf, 'Q', sizeof buf);
	int r = fmt_snprintf(buf, 5, "hello world");
	assert_int_equal(r, 11);
	assert_string_equal(buf, "hell");
	assert_int_equal(buf[5], 'Q'); /* nothing written past n */
	assert_int_equal(fmt_snprintf(NULL, 0, "%d", 12345), 5);
}

static void test_odd_formats(void **state)
{
	char buf[32];
	const char *volatile q = "a%qb", *volatile e = "end%"; /* not literals: no -Wformat */
	fmt_snprintf(buf, sizeof buf, q);
	assert_string_equal(buf, "a%qb");
	fmt_snprintf(buf, sizeof buf, e);
	assert_string_equal(buf, "end");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integers),	cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_pointer),	cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_odd_formats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
