/*
 * test_cstd.c - lib/cstd (the pure core of user/libc's strtol, qsort,
 * bsearch, gmtime, timegm and strftime) against the host's C library.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "base/err.h"
#include "cstd/cstd.h"

/* cstd_parse_int must agree with the host's strtoull on value, end and ERANGE. */
static void same_as_strtoull(const char *s, int base)
{
	const char *end;
	int neg;
	uint64_t mag;
	int r = cstd_parse_int(s, base, &end, &neg, &mag);
	char *hend;
	errno = 0;
	unsigned long long want = strtoull(s, &hend, base);
	int herr = errno;
	assert_ptr_equal(end, hend);
	if (herr == ERANGE) {
		assert_int_equal(r, -E_RANGE);
		assert_true(mag == UINT64_MAX);
		return;
	}
	assert_int_equal(r, 0);
	assert_true((neg ? 0 - mag : mag) == want);
}

static void test_parse(void **state)
{
	const char *cases[] = {"0",
			       "42",
			       "  -42xyz",
			       "+7",
			       "0x1F",
			       "0X1f",
			       "017",
			       "0x",
			       "0xg",
			       "abc",
			       "",
			       "-",
			       "18446744073709551615",
			       "18446744073709551616",
			       "-1",
			       "99999999999999999999999",
			       "\t\n 12",
			       "0b101",
			       "zz"};
	int bases[] = {0, 2, 8, 10, 16, 36};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++)
			same_as_strtoull(cases[i], bases[b]);
	const char *end;
	int neg;
	uint64_t mag;
	assert_int_equal(cstd_parse_int("12", 1, &end, &neg, &mag), -E_INVAL);
	assert_int_equal(cstd_parse_int("12", 37, &end, &neg, &mag), -E_INVAL);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void test_sort(void **state)
{
	enum { N = 5000 };
	static int a[N], b[N];
	srand(1);
	for (size_t n = 0; n <= N; n = n ? n * 3 : 1) {
		for (size_t i = 0; i < n; i++)
			a[i] = b[i] = rand() % (int)(n / 2 + 1);
		cstd_sort(a, n, sizeof a[0], cmp_int);
		qsort(b, n, sizeof b[0], cmp_int);
		assert_memory_equal(a, b, n * sizeof a[0]);
	}
	for (size_t i = 0; i < N; i++)
		a[i] = (int)i * 2;
	for (int k = -1; k < 2 * N + 1; k++) {
		int *hit = cstd_bsearch(&k, a, N, sizeof a[0], cmp_int);
		if (k >= 0 && k % 2 == 0 && k < 2 * N)
			assert_true(hit && *hit == k);
		else
			assert_null(hit);
	}
	assert_null(cstd_bsearch(&a[0], a, 0, sizeof a[0], cmp_int));
}

/* cstd_gmtime and cstd_timegm agree with glibc's gmtime_r and timegm. */
static void same_as_gmtime(int64_t t)
{
	struct cstd_tm c;
	struct tm h;
	time_t ht = (time_t)t;
	cstd_gmtime(t, &c);
	assert_non_null(gmtime_r(&ht, &h));
	assert_int_equal(c.sec, h.tm_sec);
	assert_int_equal(c.min, h.tm_min);
	assert_int_equal(c.hour, h.tm_hour);
	assert_int_equal(c.mday, h.tm_mday);
	assert_int_equal(c.mon, h.tm_mon);
	assert_int_equal(c.year, h.tm_year);
	assert_int_equal(c.wday, h.tm_wday);
	assert_int_equal(c.yday, h.tm_yday);
	assert_true(cstd_timegm(&c) == t);
}

static void test_calendar(void **state)
{
	int64_t fixed[] = {
	    0,		-1,	      86399,	     86400,	     951782400,	    951868800,
	    1234567890, 4102444800LL, -2208988800LL, 253402300799LL, -62135596800LL};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		same_as_gmtime(fixed[i]);
	for (int64_t t = -5000000000LL; t < 5000000000LL; t += 7777777)
		same_as_gmtime(t);
	struct cstd_tm c = {.year = 109, .mon = 13, .mday = 40, .hour = 25}; /* unnormalised */
	struct tm h = {.tm_year = 109, .tm_mon = 13, .tm_mday = 40, .tm_hour = 25};
	assert_true(cstd_timegm(&c) == (int64_t)timegm(&h));
}

static void test_strftime(void **state)
{
	const char *fmts[] = {"%Y-%m-%d %H:%M:%S",
			      "%a %A %b %B %h",
			      "%c",
			      "%D %e %F",
			      "%I %p %j %R %T",
			      "%u %w %y %%",
			      "%s",
			      "plain",
			      "%n%t"};
	int64_t times[] = {0, 1234567890, 951782400, 1700000000 + 13 * 3600, -86400 * 400};
	for (size_t t = 0; t < sizeof times / sizeof times[0]; t++) {
		struct cstd_tm c;
		struct tm h;
		time_t ht = (time_t)times[t];
		cstd_gmtime(times[t], &c);
		gmtime_r(&ht, &h);
		for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
			char a[128], b[128];
			size_t ra = cstd_strftime(a, sizeof a, fmts[f], &c);
			size_t rb = strftime(b, sizeof b, fmts[f], &h);
			assert_string_equal(a, b);
			assert_int_equal(ra, rb);
		}
	}
	struct cstd_tm c;
	char small[5];
	cstd_gmtime(0, &c);
	assert_int_equal(cstd_strftime(small, sizeof small, "%Y-%m", &c), 0);
	assert_int_equal(cstd_strftime(small, sizeof small, "%Y", &c), 4);
	assert_string_equal(small, "1970");
	char z[16];
	assert_int_equal(cstd_strftime(z, sizeof z, "%z %Z", &c), 9);
	assert_string_equal(z, "+0000 UTC");
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_sort),
	    cmocka_unit_test(test_calendar),
	    cmocka_unit_test(test_strftime),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
