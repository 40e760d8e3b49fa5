/*
 * stdlib.c - malloc and friends (on rb/malloc.h), numbers, sorting, rand.
 *
 * malloc is the runtime's thread-safe heap. rand's state is one word
 * updated with an atomic exchange loop, so concurrent callers never
 * corrupt it (they may see the same value). The rest is pure.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include "cstd/cstd.h"
#include "rb/malloc.h"

void *malloc(size_t n)
{
	void *p = rb_malloc(n ? n : 1);
	if (!p)
		errno = ENOMEM;
	return p;
}

void *calloc(size_t n, size_t size)
{
	void *p = rb_calloc(n ? n : 1, size ? size : 1);
	if (!p)
		errno = ENOMEM;
	return p;
}

void *realloc(void *p, size_t n)
{
	void *q = rb_realloc(p, n ? n : 1);
	if (!q)
		errno = ENOMEM;
	return q;
}

void *reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}

void free(void *p)
{
	rb_free(p);
}

/* Parse s for strtoll/strtoull; errno on a bad base or overflow. */
static uint64_t parse(const char *s, char **end, int base, int *neg, int *range)
{
	const char *e;
	uint64_t mag;
	int r = cstd_parse_int(s, base, &e, neg, &mag);
	if (end)
		*end = (char *)e;
	*range = r == -E_RANGE;
	if (r < 0)
		errno = -r;
	return mag;
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
	int neg, range;
	uint64_t mag = parse(s, end, base, &neg, &range);
	uint64_t limit = neg ? (uint64_t)LLONG_MAX + 1 : (uint64_t)LLONG_MAX;
	if (range || mag > limit) {
		errno = ERANGE;
		return neg ? LLONG_MIN : LLONG_MAX;
	}
	return neg ? (long long)(0 - mag) : (long long)mag;
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
	int neg, range;
	uint64_t mag = parse(s, end, base, &neg, &range);
	if (range)
		return ULLONG_MAX;
	return neg ? 0 - mag : mag;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	return strtoll(s, end, base);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return strtoull(s, end, base);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}

int abs(int v)
{
	return v < 0 ? -v : v;
}

long labs(long v)
{
	return v < 0 ? -v : v;
}

long long llabs(long long v)
{
	return v < 0 ? -v : v;
}

div_t div(int a, int b)
{
	return (div_t){a / b, a % b};
}

ldiv_t ldiv(long a, long b)
{
	return (ldiv_t){a / b, a % b};
}

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	cstd_sort(base, n, size, cmp);
}

void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *))
{
	return cstd_bsearch(key, base, n, size, cmp);
}

static uint64_t rand_state = 1;

void srand(unsigned seed)
{
	__atomic_store_n(&rand_state, seed, __ATOMIC_RELAXED);
}

/* A 64-bit LCG (Knuth's MMIX constants); the top 31 bits are the result. */
int rand(void)
{
	uint64_t old = __atomic_load_n(&rand_state, __ATOMIC_RELAXED), next;
	do
		next = old * 6364136223846793005ull + 1442695040888963407ull;
	while (!__atomic_compare_exchange_n(&rand_state, &old, next, 1, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED));
	return (int)(next >> 33);
}
