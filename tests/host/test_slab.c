/*
 * test_slab.c - the kernel heap over a page source backed by aligned_alloc:
 * many sizes, alignment, slot reuse, big allocations, stats returning to
 * baseline, page-source exhaustion, and (debug mode) poison patterns,
 * red-zone overruns, writes after free, double and bad frees.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "mm/slab.h"

struct src {
	size_t pages; /* outstanding */
	size_t limit; /* refuse beyond this many outstanding pages */
	int ncorrupt;
	const char *what;
	void *obj;
};

static void *src_alloc(void *ctx, size_t np)
{
	struct src *s = ctx;

	if (s->pages + np > s->limit)
		return NULL;
	s->pages += np;
	return aligned_alloc(SLAB_PAGE_SIZE, np * SLAB_PAGE_SIZE);
}

static void src_free(void *ctx, void *p, size_t np)
{
	struct src *s = ctx;

	assert_true(s->pages >= np);
	assert_int_equal((uintptr_t)p % SLAB_PAGE_SIZE, 0);
	s->pages -= np;
	free(p);
}

static void src_corrupt(void *ctx, const char *what, void *obj)
{
	struct src *s = ctx;

	s->ncorrupt++;
	s->what = what;
	s->obj = obj;
}

static struct slab_heap h;
static struct src src;

static void setup_heap(bool debug)
{
	memset(&src, 0, sizeof(src));
	src.limit = SIZE_MAX;
	slab_init(&h, src_alloc, src_free, src_corrupt, &src, debug);
}

static void check_empty(void)
{
	struct slab_stats st;

	slab_trim(&h);
	slab_stats(&h, &st);
	assert_int_equal(st.objects, 0);
	assert_int_equal(st.bytes, 0);
	assert_int_equal(st.big, 0);
	assert_int_equal(st.pages, 0);
	assert_int_equal(src.pages, 0);
	assert_int_equal(st.allocs, st.frees);
	assert_int_equal(src.ncorrupt, 0);
}

/* Allocate and free objects of every size up to 5000, both modes. */
static void many_sizes(bool debug)
{
	static void *p[5001];
	struct slab_stats st;
	size_t i;

	setup_heap(debug);
	for (i = 0; i <= 5000; i++) {
		p[i] = slab_alloc(&h, i);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		assert_int_equal(slab_size(&h, p[i]), i);
		memset(p[i], (int)i, i);
	}
	slab_stats(&h, &st);
	assert_int_equal(st.objects, 5001);
	assert_int_equal(st.bytes, 5000 * 5001 / 2);
	assert_int_equal(st.big, 5000 - SLAB_MAX_SIZE);
	assert_int_equal(st.pages, src.pages);
	/* no two objects overlap: each still holds its own fill */
	for (i = 0; i <= 5000; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			assert_int_equal(((uint8_t *)p[i])[j], (uint8_t)i);
	}
	for (i = 0; i <= 5000; i += 2)
		slab_free(&h, p[i]);
	for (i = 1; i <= 5000; i += 2)
		slab_free(&h, p[i]);
	check_empty();
}

static void test_many_sizes(void **state)
{
	many_sizes(false);
}

static void test_many_sizes_debug(void **state)
{
	many_sizes(true);
}

static void test_zero_and_null(void **state)
{
	void *a, *b;

	setup_heap(false);
	a = slab_alloc(&h, 0);
	b = slab_alloc(&h, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	slab_free(&h, NULL);
	assert_int_equal(slab_size(&h, NULL), 0);
	slab_free(&h, a);
	slab_free(&h, b);
	check_empty();
}

static void test_reuse(void **state)
{
	void *a, *b, *c;
	struct slab_stats st;

	setup_heap(false);
	a = slab_alloc(&h, 100);
	b = slab_alloc(&h, 100);
	slab_free(&h, a);
	c = slab_alloc(&h, 120); /* same class: gets a's slot back */
	assert_ptr_equal(a, c);
	slab_free(&h, b);
	slab_free(&h, c);
	/* one empty slab is kept for the class until trimmed */
	slab_stats(&h, &st);
	assert_int_equal(st.pages, 1);
	assert_int_equal(h.classes[3].nempty, 1);
	check_empty();
}

static void test_slab_churn(void **state)
{
	/* fill several slabs of one class, free in mixed order */
	static void *p[1000];
	size_t per, i;

	setup_heap(false);
	per = h.classes[0].per_slab;
	assert_true(per >= 8);
	for (i = 0; i < 1000; i++)
		assert_non_null(p[i] = slab_alloc(&h, 16));
	assert_int_equal(h.classes[0].nslabs, (1000 + per - 1) / per);
	for (i = 0; i < 1000; i += 3)
		slab_free(&h, p[i]);
	for (i = 0; i < 1000; i += 3)
		assert_non_null(p[i] = slab_alloc(&h, 8));
	assert_int_equal(h.classes[0].nslabs, (1000 + per - 1) / per);
	for (i = 1000; i-- > 0;)
		slab_free(&h, p[i]);
	/* freeing slabs as they empty keeps at most one */
	assert_int_equal(h.classes[0].nslabs, 1);
	check_empty();
}

static void test_big(void **state)
{
	uint8_t *a, *b;
	struct slab_stats st;

	setup_heap(false);
	a = slab_alloc(&h, SLAB_MAX_SIZE + 1);
	b = slab_alloc(&h, 3 * SLAB_PAGE_SIZE);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal((uintptr_t)a % 16, 0);
	assert_int_equal(slab_size(&h, b), 3 * SLAB_PAGE_SIZE);
	memset(b, 1, 3 * SLAB_PAGE_SIZE);
	slab_stats(&h, &st);
	assert_int_equal(st.big, 2);
	assert_int_equal(st.pages, 1 + 4);
	slab_free(&h, a);
	slab_free(&h, b);
	assert_null(slab_alloc(&h, SIZE_MAX));
	assert_null(slab_alloc(&h, SIZE_MAX - 100));
	slab_stats(&h, &st);
	assert_int_equal(st.failures, 2);
	check_empty();
}

static void test_exhaustion(void **state)
{
	void *p[64];
	int n = 0;
	struct slab_stats st;

	setup_heap(false);
	src.limit = 3;
	while (n < 64 && (p[n] = slab_alloc(&h, 1024)) != NULL)
		n++;
	assert_true(n > 0 && n < 64);
	assert_null(slab_alloc(&h, 3 * SLAB_PAGE_SIZE));
	slab_stats(&h, &st);
	assert_int_equal(st.failures, 2);
	while (n--)
		slab_free(&h, p[n]);
	check_empty();
}

static void test_debug_poison(void **state)
{
	uint8_t *a;
	size_t i;

	setup_heap(true);
	a = slab_alloc(&h, 40);
	for (i = 0; i < 40; i++)
		assert_int_equal(a[i], SLAB_POISON_NEW);
	for (i = 40; i < 64 + SLAB_REDZONE; i++)
		assert_int_equal(a[i], SLAB_POISON_REDZONE);
	for (i = 1; i <= SLAB_REDZONE; i++)
		assert_int_equal(a[-(ptrdiff_t)i], SLAB_POISON_REDZONE);
	slab_free(&h, a);
	for (i = 0; i < 64; i++)
		assert_int_equal(a[i], SLAB_POISON_FREE);
	check_empty();
}

static void test_debug_overflow(void **state)
{
	uint8_t *a, *b;

	setup_heap(true);
	/* one byte past the requested size, inside the class slack */
	a = slab_alloc(&h, 40);
	a[40] = 0;
	slab_free(&h, a);
	assert_int_equal(src.ncorrupt, 1);
	assert_string_equal(src.what, "red zone after object overwritten");
	assert_ptr_equal(src.obj, a);
	/* underflow */
	a = slab_alloc(&h, 64);
	a[-1] = 0;
	slab_free(&h, a);
	assert_int_equal(src.ncorrupt, 2);
	assert_string_equal(src.what, "red zone before object overwritten");
	/* big object overrun */
	b = slab_alloc(&h, 5000);
	b[5000] = 0;
	slab_free(&h, b);
	assert_int_equal(src.ncorrupt, 3);
	assert_string_equal(src.what, "red zone after object overwritten");
	/* write after free is seen when the slot is handed out again */
	a = slab_alloc(&h, 32);
	slab_free(&h, a);
	a[3] = 1;
	b = slab_alloc(&h, 32);
	assert_ptr_equal(a, b);
	assert_int_equal(src.ncorrupt, 4);
	assert_string_equal(src.what, "object written after free");
	slab_free(&h, b);
	src.ncorrupt = 0;
	check_empty();
}

static void double_free(bool debug)
{
	void *a, *b;
	struct slab_stats st;
	uint8_t junk[64] __attribute__((aligned(16)));

	setup_heap(debug);
	a = slab_alloc(&h, 24);
	b = slab_alloc(&h, 10000);
	slab_free(&h, a);
	slab_free(&h, a);
	assert_int_equal(src.ncorrupt, 1);
	assert_string_equal(src.what, "double free");
	/* misaligned and foreign pointers */
	slab_free(&h, (uint8_t *)b + 8);
	assert_int_equal(src.ncorrupt, 2);
	memset(junk, 0, sizeof(junk));
	slab_free(&h, junk + 48);
	assert_int_equal(src.ncorrupt, 3);
	slab_stats(&h, &st);
	assert_int_equal(st.corruptions, 3);
	assert_int_equal(st.objects, 1);
	slab_free(&h, b);
	src.ncorrupt = 0;
	check_empty();
}

static void test_double_free(void **state)
{
	double_free(false);
}

static void test_double_free_debug(void **state)
{
	double_free(true);
}

static void test_random(void **state)
{
	static void *p[2000];
	static size_t sz[2000];
	int i, n = 0;

	setup_heap(true);
	srand(11);
	for (i = 0; i < 50000; i++) {
		if (n < 2000 && rand() % 2) {
			size_t s = (size_t)(rand() % 3 ? rand() % 300 : rand() % 9000);

			p[n] = slab_alloc(&h, s);
			assert_non_null(p[n]);
			memset(p[n], 0x11, s);
			sz[n++] = s;
		} else if (n) {
			int k = rand() % n;

			assert_int_equal(slab_size(&h, p[k]), sz[k]);
			slab_free(&h, p[k]);
			p[k] = p[--n];
			sz[k] = sz[n];
		}
	}
	while (n--)
		slab_free(&h, p[n]);
	check_empty();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_many_sizes),	      cmocka_unit_test(test_many_sizes_debug),
	    cmocka_unit_test(test_zero_and_null),     cmocka_unit_test(test_reuse),
	    cmocka_unit_test(test_slab_churn),	      cmocka_unit_test(test_big),
	    cmocka_unit_test(test_exhaustion),	      cmocka_unit_test(test_debug_poison),
	    cmocka_unit_test(test_debug_overflow),    cmocka_unit_test(test_double_free),
	    cmocka_unit_test(test_double_free_debug), cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
