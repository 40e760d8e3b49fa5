/*
 * test_pmm.c - the physical frame allocator: init/free/reserve edge rounding,
 * aligned and contiguous allocation, next-fit order and wrap-around,
 * exhaustion, fragmentation, double and bad frees, pmm_check, and the
 * memory-map helpers pmm_mem_summary and pmm_find_run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "mm/pmm.h"

#define PG PMM_PAGE_SIZE

static uint64_t bm[64]; /* room for 4096 pages */
static struct pmm p;

static void check_ok(const struct pmm_range *r, size_t n)
{
	char why[128];

	assert_int_equal(pmm_check(&p, r, n, why, sizeof(why)), 0);
	assert_string_equal(why, "");
}

static void test_init_ranges(void **state)
{
	uint64_t a;

	assert_int_equal(pmm_bitmap_bytes(0), 0);
	assert_int_equal(pmm_bitmap_bytes(1), 8);
	assert_int_equal(pmm_bitmap_bytes(64), 8);
	assert_int_equal(pmm_bitmap_bytes(65), 16);

	pmm_init(&p, bm, 100);
	assert_int_equal(pmm_free_pages(&p), 0);
	assert_int_equal(pmm_alloc(&p, 1, 1, &a), -E_NOMEM);
	check_ok(NULL, 0);

	/* partial pages at the edges are not freed */
	pmm_free_range(&p, 0x1001, 3 * PG);
	assert_int_equal(pmm_free_pages(&p), 2);
	assert_true(pmm_is_used(&p, 0x1000));
	assert_false(pmm_is_used(&p, 0x2000));
	assert_false(pmm_is_used(&p, 0x3fff));
	assert_true(pmm_is_used(&p, 0x4000));
	/* freeing again changes nothing */
	pmm_free_range(&p, 0x2000, 2 * PG);
	assert_int_equal(pmm_free_pages(&p), 2);
	/* less than a page: nothing */
	pmm_free_range(&p, 0x10000, PG - 1);
	assert_int_equal(pmm_free_pages(&p), 2);

	/* clipped to npages, even with overflowing lengths */
	pmm_free_range(&p, 90 * PG, UINT64_MAX);
	assert_int_equal(pmm_free_pages(&p), 12);
	assert_true(pmm_is_used(&p, 100 * PG));
	check_ok(NULL, 0);

	/* reserve rounds outward */
	pmm_reserve_range(&p, 0x2fff, 2);
	assert_int_equal(pmm_free_pages(&p), 10);
	assert_true(pmm_is_used(&p, 0x2000));
	assert_true(pmm_is_used(&p, 0x3000));
	pmm_reserve_range(&p, 95 * PG, 0);
	assert_int_equal(pmm_free_pages(&p), 10);
	pmm_reserve_range(&p, 99 * PG, UINT64_MAX);
	assert_int_equal(pmm_free_pages(&p), 9);
	pmm_reserve_range(&p, 1000 * PG, PG);
	assert_int_equal(pmm_free_pages(&p), 9);
	check_ok(NULL, 0);
}

static void test_boot_sequence(void **state)
{
	/* 16 MiB machine: 640 KiB low, hole, RAM from 1 MiB */
	struct pmm_range res[] = {
	    {0, 0x100000},	  /* page 0 and the first 1 MiB */
	    {0x200000, 0x123456}, /* kernel image */
	    {0x400000, 0x800},	  /* a module */
	    {0x9fc00, 0x400},	  /* EBDA inside the low reservation */
	};
	uint64_t a;
	char why[128];
	size_t i;

	pmm_init(&p, bm, 4096);
	pmm_free_range(&p, 0, 0x9fc00);
	pmm_free_range(&p, 0x100000, 0xf00000);
	for (i = 0; i < 4; i++)
		pmm_reserve_range(&p, res[i].base, res[i].len);
	check_ok(res, 4);
	assert_int_equal(pmm_free_pages(&p), 3840 - 0x124 - 1);
	while (pmm_alloc(&p, 1, 1, &a) == 0) {
		for (i = 0; i < 4; i++)
			assert_false(a + PG > res[i].base && a < res[i].base + res[i].len);
		assert_true(a >= 0x100000 && a < 0x1000000);
	}
	assert_int_equal(pmm_free_pages(&p), 0);
	check_ok(res, 4);

	/* a reserved page that was freed is caught */
	pmm_init(&p, bm, 4096);
	pmm_free_range(&p, 0, 0x1000000);
	pmm_reserve_range(&p, 0, 0x100000);
	assert_int_equal(pmm_check(&p, res, 4, why, sizeof(why)), -E_INVAL);
	assert_non_null(strstr(why, "reserved range 1"));
	assert_non_null(strstr(why, "0x200000"));

	/* a free count out of step is caught; so are clear padding bits */
	pmm_init(&p, bm, 4096);
	p.nfree = 3;
	assert_int_equal(pmm_check(&p, NULL, 0, why, sizeof(why)), -E_INVAL);
	assert_non_null(strstr(why, "free count 3"));
	pmm_init(&p, bm, 100);
	bm[1] &= ~(1ULL << 63);
	p.nfree = 1;
	assert_int_equal(pmm_check(&p, NULL, 0, why, sizeof(why)), -E_INVAL);
	assert_non_null(strstr(why, "padding"));
	assert_int_equal(pmm_check(&p, NULL, 0, NULL, 0), -E_INVAL);
}

static void test_alloc_align(void **state)
{
	uint64_t a, b, c;

	pmm_init(&p, bm, 1024);
	pmm_free_range(&p, PG, 1023 * PG); /* page 0 stays used */
	assert_int_equal(pmm_alloc(&p, 0, 1, &a), -E_INVAL);
	assert_int_equal(pmm_alloc(&p, 1, 3, &a), -E_INVAL);
	assert_int_equal(pmm_alloc(&p, 1, 0, &a), 0);
	assert_int_equal(a, PG);
	assert_int_equal(pmm_alloc(&p, 1, 1, &b), 0);
	assert_int_equal(b, 2 * PG);
	/* 2 MiB-aligned run of 512 pages: only frame 512 qualifies */
	assert_int_equal(pmm_alloc(&p, 512, 512, &c), 0);
	assert_int_equal(c, 512 * PG);
	assert_int_equal(pmm_alloc(&p, 512, 512, &c), -E_NOMEM);
	/* 16-page aligned runs of 3 */
	assert_int_equal(pmm_alloc(&p, 3, 16, &c), 0);
	assert_int_equal(c % (16 * PG), 0);
	assert_int_equal(pmm_free(&p, c, 3), 0);
	check_ok(NULL, 0);
	/* more than is free */
	assert_int_equal(pmm_alloc(&p, 1024, 1, &c), -E_NOMEM);
	assert_int_equal(pmm_free(&p, a, 1), 0);
	assert_int_equal(pmm_free(&p, b, 1), 0);
	assert_int_equal(pmm_free(&p, 512 * PG, 512), 0);
	assert_int_equal(pmm_free_pages(&p), 1023);
	/* the largest run: everything but page 0 */
	assert_int_equal(pmm_alloc(&p, 1023, 1, &c), 0);
	assert_int_equal(c, PG);
	assert_int_equal(pmm_free_pages(&p), 0);
	check_ok(NULL, 0);
}

static void test_next_fit_wrap(void **state)
{
	uint64_t a, pages[64];
	int i;

	pmm_init(&p, bm, 64);
	pmm_free_range(&p, 0, 64 * PG);
	for (i = 0; i < 64; i++) {
		assert_int_equal(pmm_alloc(&p, 1, 1, &pages[i]), 0);
		assert_int_equal(pages[i], (uint64_t)i * PG);
	}
	assert_int_equal(pmm_alloc(&p, 1, 1, &a), -E_NOMEM);
	/* free 5 and 40: next-fit wraps and finds 5 first (hint is at 0) */
	assert_int_equal(pmm_free(&p, 40 * PG, 1), 0);
	assert_int_equal(pmm_free(&p, 5 * PG, 1), 0);
	assert_int_equal(pmm_alloc(&p, 1, 1, &a), 0);
	assert_int_equal(a, 5 * PG);
	assert_int_equal(pmm_alloc(&p, 1, 1, &a), 0);
	assert_int_equal(a, 40 * PG);

	/* a run straddling the hint is found after the wrap */
	pmm_init(&p, bm, 64);
	pmm_free_range(&p, 10 * PG, 10 * PG);
	assert_int_equal(pmm_alloc(&p, 2, 1, &a), 0);
	assert_int_equal(a, 10 * PG); /* hint now 12 */
	assert_int_equal(pmm_free(&p, a, 2), 0);
	assert_int_equal(pmm_alloc(&p, 10, 1, &a), 0);
	assert_int_equal(a, 10 * PG);
	check_ok(NULL, 0);
}

/* A free below the hint lowers it: the frames freed are the next handed out
   (a buffer allocated and freed per request keeps its frames). */
static void test_free_reused_first(void **state)
{
	uint64_t a, b, c;

	pmm_init(&p, bm, 1024);
	pmm_free_range(&p, 0, 1024 * PG);
	assert_int_equal(pmm_alloc(&p, 4, 1, &a), 0); /* a long-lived allocation */
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pmm_alloc(&p, 256, 1, &b), 0);
		assert_int_equal(b, 4 * PG); /* the same frames every time */
		assert_int_equal(pmm_free(&p, b, 256), 0);
	}
	/* next-fit still moves on past what stays allocated */
	assert_int_equal(pmm_alloc(&p, 1, 1, &b), 0);
	assert_int_equal(pmm_alloc(&p, 1, 1, &c), 0);
	assert_int_equal(c, b + PG);
	/* a free above the hint leaves it */
	assert_int_equal(pmm_free(&p, 1000 * PG, 1), -E_FAULT); /* not allocated */
	assert_int_equal(pmm_alloc(&p, 1, 1, &a), 0);
	assert_int_equal(a, c + PG);
	check_ok(NULL, 0);
}

static void test_fragmentation(void **state)
{
	uint64_t a;
	int i;

	pmm_init(&p, bm, 4096);
	pmm_free_range(&p, 0, 4096 * PG);
	for (i = 0; i < 4096; i++)
		assert_int_equal(pmm_alloc(&p, 1, 1, &a), 0);
	/* free every other page: 2048 free pages, no run of 2 */
	for (i = 0; i < 4096; i += 2)
		assert_int_equal(pmm_free(&p, (uint64_t)i * PG, 1), 0);
	assert_int_equal(pmm_free_pages(&p), 2048);
	assert_int_equal(pmm_alloc(&p, 2, 1, &a), -E_NOMEM);
	assert_int_equal(pmm_alloc(&p, 1, 2, &a), 0);
	assert_int_equal(a % (2 * PG), 0);
	assert_int_equal(pmm_alloc(&p, 1, 4, &a), 0);
	assert_int_equal(a % (4 * PG), 0);
	/* free a hole of 3 next to a free page: a run of 4 appears */
	assert_int_equal(pmm_free(&p, 1001 * PG, 1), 0);
	assert_int_equal(pmm_free(&p, 1003 * PG, 1), 0);
	assert_int_equal(pmm_alloc(&p, 4, 1, &a), 0);
	assert_int_equal(a, 1000 * PG);
	check_ok(NULL, 0);
}

static void test_bad_free(void **state)
{
	uint64_t a, nf;

	pmm_init(&p, bm, 128);
	pmm_free_range(&p, 0, 128 * PG);
	assert_int_equal(pmm_alloc(&p, 4, 1, &a), 0);
	nf = pmm_free_pages(&p);
	assert_int_equal(pmm_free(&p, a + 1, 1), -E_INVAL);
	assert_int_equal(pmm_free(&p, 128 * PG, 1), -E_INVAL);
	assert_int_equal(pmm_free(&p, 127 * PG, 2), -E_INVAL);
	assert_int_equal(pmm_free(&p, a, 0), -E_INVAL);
	assert_int_equal(pmm_free(&p, 0, UINT64_MAX), -E_INVAL);
	/* run that covers an already free page: refused as a whole */
	assert_int_equal(pmm_free(&p, a, 5), -E_FAULT);
	assert_int_equal(pmm_free_pages(&p), nf);
	assert_int_equal(pmm_free(&p, a, 4), 0);
	assert_int_equal(pmm_free(&p, a, 4), -E_FAULT);
	assert_int_equal(pmm_free(&p, a + PG, 1), -E_FAULT);
	assert_int_equal(p.bad_frees, 8);
	assert_int_equal(pmm_free_pages(&p), 128);
	check_ok(NULL, 0);
}

static void test_random(void **state)
{
	static uint64_t addr[512], cnt[512];
	uint64_t total = 4000;
	int i, n = 0;

	srand(7);
	pmm_init(&p, bm, total);
	pmm_free_range(&p, 0, total * PG);
	for (i = 0; i < 20000; i++) {
		if (n < 512 && rand() % 3) {
			uint64_t np = 1 + (uint64_t)(rand() % 9), al = 1ULL << (rand() % 4);

			if (pmm_alloc(&p, np, al, &addr[n]) == 0) {
				assert_int_equal(addr[n] % (al * PG), 0);
				cnt[n++] = np;
			}
		} else if (n) {
			int k = rand() % n;

			assert_int_equal(pmm_free(&p, addr[k], cnt[k]), 0);
			addr[k] = addr[--n];
			cnt[k] = cnt[n];
		}
	}
	check_ok(NULL, 0);
	while (n--)
		assert_int_equal(pmm_free(&p, addr[n], cnt[n]), 0);
	assert_int_equal(pmm_free_pages(&p), total);
	check_ok(NULL, 0);
}

static void test_mem_helpers(void **state)
{
	struct pmm_mem map[] = {
	    {0, 0x9fc00, PMM_MEM_AVAILABLE},
	    {0x9fc00, 0x400, 2},
	    {0xf0000, 0x10000, 2},
	    {0x100000, 0x7ee0000, PMM_MEM_AVAILABLE},
	    {0x7fe0000, 0x20000, 2},
	    {0xfffc0000, 0x40000, 2},
	    {0x100000000ULL, 0x40000000, PMM_MEM_AVAILABLE},
	    {0x3000000, 0x1000, 4}, /* NVS overlapping available RAM */
	};
	struct pmm_range res[] = {
	    {0, 0x100000},
	    {0x100000, 0x200001}, /* kernel, ends mid-page */
	    {0x400000, 0x1000},
	};
	uint64_t top, avail, base;

	pmm_mem_summary(map, 8, &top, &avail);
	assert_true(top == 0x140000000ULL);
	assert_true(avail == 0x9fc00 + 0x7ee0000 + 0x40000000ULL);
	pmm_mem_summary(map, 0, &top, &avail);
	assert_int_equal(top, 0);
	assert_int_equal(avail, 0);

	assert_int_equal(pmm_find_run(map, 8, res, 3, 0x1000, &base), 0);
	assert_int_equal(base, 0x301000);
	assert_int_equal(pmm_find_run(map, 8, res, 3, 0x100000, &base), 0);
	assert_int_equal(base, 0x401000);
	/* 0x401000 + 0x3000000 would cross the NVS page at 0x3000000 */
	assert_int_equal(pmm_find_run(map, 8, res, 3, 0x3000000, &base), 0);
	assert_int_equal(base, 0x3001000);
	/* too big for low RAM: goes above 4 GiB */
	assert_int_equal(pmm_find_run(map, 8, res, 3, 0x8000000, &base), 0);
	assert_true(base == 0x100000000ULL);
	assert_int_equal(pmm_find_run(map, 8, res, 3, 0x40000001, &base), -E_NOMEM);
	assert_int_equal(pmm_find_run(map, 8, res, 3, 0, &base), -E_INVAL);
	/* an unaligned available range start is rounded up */
	map[0].base = 0x10;
	assert_int_equal(pmm_find_run(map, 1, NULL, 0, 0x1000, &base), 0);
	assert_int_equal(base, 0x1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_ranges),	      cmocka_unit_test(test_boot_sequence),
	    cmocka_unit_test(test_alloc_align),	      cmocka_unit_test(test_next_fit_wrap),
	    cmocka_unit_test(test_free_reused_first), cmocka_unit_test(test_fragmentation),
	    cmocka_unit_test(test_bad_free),	      cmocka_unit_test(test_random),
	    cmocka_unit_test(test_mem_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
