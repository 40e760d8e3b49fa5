/* t_stdlib.c - strtol family, qsort/bsearch, environment, rand, malloc. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "libctest.h"

static int t_strtol(char *why, size_t n)
{
	char *end;
	const char *s = "  -42xyz";
	EXPECT(strtol(s, &end, 10), -42);
	CHECK(end == s + 5, "end after the digits");
	EXPECT(strtol("0x1F", NULL, 0), 31);
	EXPECT(strtol("0x1F", NULL, 16), 31);
	EXPECT(strtol("017", NULL, 0), 15);
	EXPECT(strtol("zz", NULL, 36), 1295);
	s = "0x";
	EXPECT(strtol(s, &end, 0), 0);
	CHECK(end == s + 1, "\"0x\": only the 0 is used");
	s = "abc";
	errno = 0;
	EXPECT(strtol(s, &end, 10), 0);
	CHECK(end == s && errno == 0, "no digits: end = s, no error");
	errno = 0;
	EXPECT(strtol("9223372036854775807", NULL, 10), LONG_MAX);
	EXPECT(errno, 0);
	EXPECT(strtol("9223372036854775808", NULL, 10), LONG_MAX);
	EXPECT(errno, ERANGE);
	errno = 0;
	EXPECT(strtol("-9223372036854775808", NULL, 10), LONG_MIN);
	EXPECT(errno, 0);
	EXPECT(strtol("-9223372036854775809", NULL, 10), LONG_MIN);
	EXPECT(errno, ERANGE);
	errno = 0;
	EXPECT(strtol("1", NULL, 37), 0);
	EXPECT(errno, EINVAL);
	return 0;
}

static int t_strtoul(char *why, size_t n)
{
	errno = 0;
	CHECK(strtoul("-1", NULL, 10) == ULONG_MAX && errno == 0, "strtoul(-1) = ULONG_MAX");
	CHECK(strtoull("18446744073709551615", NULL, 10) == ULLONG_MAX && errno == 0, "max");
	CHECK(strtoull("18446744073709551616", NULL, 10) == ULLONG_MAX && errno == ERANGE,
	      "overflow: ERANGE");
	EXPECT(atoi("  123abc"), 123);
	EXPECT(atol("-5"), -5);
	EXPECT(abs(-3) + labs(-4L), 7);
	div_t d = div(17, 5);
	CHECK(d.quot == 3 && d.rem == 2, "div");
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int t_qsort(char *why, size_t n)
{
	enum { N = 1000 };
	static int v[N];
	long sum = 0, sum2 = 0;
	srand(7);
	for (int i = 0; i < N; i++) {
		v[i] = rand() % 500 - 250; /* many duplicates */
		sum += v[i];
	}
	qsort(v, N, sizeof v[0], cmp_int);
	for (int i = 0; i < N; i++) {
		sum2 += v[i];
		CHECK(i == 0 || v[i - 1] <= v[i], "not sorted at %d", i);
	}
	EXPECT(sum2, sum);
	const char *w[] = {"pear", "apple", "fig", "kiwi", "banana"};
	qsort(w, 5, sizeof w[0], cmp_str);
	EXPECT_STR(w[0], "apple");
	EXPECT_STR(w[4], "pear");
	int key = v[N / 2];
	int *hit = bsearch(&key, v, N, sizeof v[0], cmp_int);
	CHECK(hit && *hit == key, "bsearch finds a present key");
	key = 1000;
	CHECK(!bsearch(&key, v, N, sizeof v[0], cmp_int), "bsearch misses an absent key");
	qsort(v, 0, sizeof v[0], cmp_int); /* no-op */
	return 0;
}

static int in_environ(const char *entry)
{
	for (char **e = environ; e && *e; e++)
		if (strcmp(*e, entry) == 0)
			return 1;
	return 0;
}

static int t_env(char *why, size_t n)
{
	CHECK(getenv("LCT_NOPE") == NULL, "unset variable");
	EXPECT(setenv("LCT_A", "1", 1), 0);
	EXPECT_STR(getenv("LCT_A"), "1");
	EXPECT(setenv("LCT_A", "2", 0), 0);
	EXPECT_STR(getenv("LCT_A"), "1");
	EXPECT(setenv("LCT_A", "3", 1), 0);
	EXPECT_STR(getenv("LCT_A"), "3");
	CHECK(in_environ("LCT_A=3"), "environ holds LCT_A=3");
	EXPECT(setenv("LCT_B", "x=y", 1), 0);
	EXPECT_STR(getenv("LCT_B"), "x=y");
	EXPECT(unsetenv("LCT_A"), 0);
	CHECK(getenv("LCT_A") == NULL && !in_environ("LCT_A=3"), "unset");
	EXPECT_STR(getenv("LCT_B"), "x=y");
	EXPECT_ERRNO(setenv("A=B", "1", 1), EINVAL);
	EXPECT_ERRNO(setenv("", "1", 1), EINVAL);
	EXPECT_ERRNO(unsetenv("A=B"), EINVAL);
	CHECK(getenv("LCT_B=") == NULL, "getenv of a name with '='");
	unsetenv("LCT_B");
	return 0;
}

static int t_rand_malloc(char *why, size_t n)
{
	srand(5);
	int a = rand(), b = rand();
	srand(5);
	CHECK(rand() == a && rand() == b, "srand repeats the sequence");
	CHECK(a >= 0 && a <= RAND_MAX && a != b, "range");
	unsigned char *p = calloc(100, 10);
	CHECK(p, "calloc");
	for (int i = 0; i < 1000; i++)
		CHECK(p[i] == 0, "calloc zeroes");
	memset(p, 0xab, 1000);
	p = realloc(p, 100000);
	CHECK(p && p[0] == 0xab && p[999] == 0xab, "realloc keeps the contents");
	free(p);
	free(NULL);
	errno = 0;
	CHECK(malloc(SIZE_MAX / 2) == NULL && errno == ENOMEM, "huge malloc: NULL, ENOMEM");
	CHECK(calloc(SIZE_MAX / 2, 4) == NULL, "calloc overflow");
	return 0;
}

const struct lcase stdlib_cases[] = {
    {"stdlib: strtol bases, ends, ERANGE, EINVAL", t_strtol},
    {"stdlib: strtoul/strtoull, atoi, abs, div", t_strtoul},
    {"stdlib: qsort 1000 ints and strings, bsearch", t_qsort},
    {"stdlib: getenv, setenv, unsetenv, environ", t_env},
    {"stdlib: rand/srand, calloc, realloc, ENOMEM", t_rand_malloc},
    {NULL, NULL},
};
