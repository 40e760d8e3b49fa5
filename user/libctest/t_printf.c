/* t_printf.c - printf formats against expected strings. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "libctest.h"

#define FMT(want, ...)                                                                             \
	do {                                                                                       \
		char b_[128];                                                                      \
		int r_ = snprintf(b_, sizeof b_, __VA_ARGS__);                                     \
		if (strcmp(b_, want) != 0 || r_ != (int)strlen(want))                              \
			FAIL("%.30s: got \"%.40s\" (%d), want \"%s\"", #__VA_ARGS__, b_, r_,       \
			     want);                                                                \
	} while (0)

static int t_ints(char *why, size_t n)
{
	FMT("42 -7 42", "%d %i %u", 42, -7, 42u);
	FMT("ff FF 17 0xff", "%x %X %o %#x", 255u, 255u, 15u, 255u);
	FMT("-9223372036854775808", "%ld", LONG_MIN);
	FMT("18446744073709551615", "%llu", ULLONG_MAX);
	FMT("123456789012", "%zu", (size_t)123456789012ull);
	FMT("-1 255", "%hhd %hhu", 255, 255);
	FMT("-32768", "%hd", 32768);
	return 0;
}

static int t_widths(char *why, size_t n)
{
	FMT("[   42]", "[%5d]", 42);
	FMT("[42   ]", "[%-5d]", 42);
	FMT("[00042]", "[%05d]", 42);
	FMT("[+42] [ 42]", "[%+d] [% d]", 42, 42);
	FMT("[  abc]", "[%5.3s]", "abcdef");
	FMT("[   42]", "[%*d]", 5, 42);
	FMT("[007]", "[%.3d]", 7);
	FMT("x y %", "%c %s %%", 'x', "y");
	return 0;
}

static int t_pointer(char *why, size_t n)
{
	char b[32];
	snprintf(b, sizeof b, "%p", (void *)0x1234);
	EXPECT_STR(b, "0x1234");
	return 0;
}

static int t_truncate(char *why, size_t n)
{
	char b[6];
	memset(b, 'z', sizeof b);
	EXPECT(snprintf(b, sizeof b, "%s", "hello world"), 11);
	EXPECT_STR(b, "hello");
	EXPECT(snprintf(NULL, 0, "%d", 12345), 5);
	char big[64];
	EXPECT(sprintf(big, "%s-%d", "ab", 9), 4);
	EXPECT_STR(big, "ab-9");
	char *a = NULL;
	EXPECT(asprintf(&a, "%0600d", 1), 600);
	CHECK(a && strlen(a) == 600 && a[599] == '1' && a[0] == '0', "asprintf 600 chars");
	free(a);
	return 0;
}

const struct lcase printf_cases[] = {
    {"printf: %d %i %u %x %X %o %#x, l ll z hh h", t_ints},
    {"printf: widths, precision, flags, %c %s %%", t_widths},
    {"printf: %p", t_pointer},
    {"printf: snprintf truncates and returns the full length; asprintf", t_truncate},
    {NULL, NULL},
};
