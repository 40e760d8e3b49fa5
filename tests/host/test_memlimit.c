/*
 * test_memlimit.c - the reserve (1/32 of the free pages, 4 MiB floor,
 * 256 MiB cap), the default per-uid total (half of the rest) and the
 * overflow-safe fit test with limits lowered below use.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "mm/memlimit.h"

static void reserve_scales_with_floor_and_cap(void **state)
{
	assert_int_equal(memlimit_reserve(0), MEMLIMIT_RESERVE_MIN);
	assert_int_equal(memlimit_reserve(1000), MEMLIMIT_RESERVE_MIN);
	assert_int_equal(memlimit_reserve(126000), 126000 / 32); /* a 512 MiB guest */
	assert_int_equal(memlimit_reserve(1ull << 30), MEMLIMIT_RESERVE_MAX);
}

static void uid_default_is_half_the_rest(void **state)
{
	assert_int_equal(memlimit_uid_default(126000), (126000 - 126000 / 32) / 2);
	assert_int_equal(memlimit_uid_default(500), 0); /* less than the reserve */
	assert_int_equal(memlimit_uid_default(MEMLIMIT_RESERVE_MIN), 0);
}

static void fits_without_overflow(void **state)
{
	assert_true(memlimit_fits(0, 10, 10));
	assert_false(memlimit_fits(0, 10, 11));
	assert_true(memlimit_fits(9, 10, 1));
	assert_false(memlimit_fits(10, 10, 1));
	assert_true(memlimit_fits(10, 10, 0));
	assert_false(memlimit_fits(12, 10, 0)); /* a limit lowered below use */
	assert_false(memlimit_fits(12, 10, 1));
	assert_false(memlimit_fits(5, UINT64_MAX - 2, UINT64_MAX - 4));
	assert_true(memlimit_fits(5, UINT64_MAX, UINT64_MAX - 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reserve_scales_with_floor_and_cap),
	    cmocka_unit_test(uid_default_is_half_the_rest),
	    cmocka_unit_test(fits_without_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
