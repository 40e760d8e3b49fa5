/*
 * test_fwaddr.c - fwaddr_check: every verdict, the order they are tried
 * in, windows that touch a range only at its edge, and wrap-around.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "acpi/fwaddr.h"

static const struct fwaddr_range ram[] = {
    {0, 0x9fc00},
    {0x100000, 0x1ff00000},
};

static const struct fwaddr_facts facts = {
    .ram = ram,
    .nram = 2,
    .start_page = 0x8000,
    .lapic_base = 0xfee00000,
    .phys_bits = 40,
};

static void test_verdicts(void **state)
{
	assert_int_equal(fwaddr_check(0xfec00000, 0x20, &facts), FWADDR_OK);
	assert_int_equal(fwaddr_check(0xfed00000, 0x400, &facts), FWADDR_OK);
	assert_int_equal(fwaddr_check(0, 0x20, &facts), FWADDR_ZERO);
	assert_int_equal(fwaddr_check(0x8000, 0x20, &facts), FWADDR_START_PAGE);
	assert_int_equal(fwaddr_check(0x8ff0, 0x20, &facts), FWADDR_START_PAGE);
	assert_int_equal(fwaddr_check(0x200000, 0x20, &facts), FWADDR_RAM);
	assert_int_equal(fwaddr_check(0xfee00000, 0x400, &facts), FWADDR_IN_LAPIC);
	assert_int_equal(fwaddr_check(0xfee00ff0, 0x400, &facts), FWADDR_IN_LAPIC);
	assert_int_equal(fwaddr_check(1ull << 40, 0x20, &facts), FWADDR_TOO_HIGH);
	assert_int_equal(fwaddr_check(UINT64_MAX - 8, 0x20, &facts), FWADDR_TOO_HIGH);
	assert_string_equal(fwaddr_reason(FWADDR_RAM), "RAM in the memory map");
	assert_string_equal(fwaddr_reason(FWADDR_IN_LAPIC), "inside the local APIC page");
}

static void test_edges(void **state)
{
	/* ends exactly where RAM starts, starts exactly where it ends */
	assert_int_equal(fwaddr_check(0xff000, 0x1000, &facts), FWADDR_OK);
	assert_int_equal(fwaddr_check(0x20000000, 0x1000, &facts), FWADDR_OK);
	assert_int_equal(fwaddr_check(0x1fffffff, 1, &facts), FWADDR_RAM);
	/* the page after the LAPIC page, and a zero length counts as one byte */
	assert_int_equal(fwaddr_check(0xfee01000, 0x1000, &facts), FWADDR_OK);
	assert_int_equal(fwaddr_check(0xfee00000, 0, &facts), FWADDR_IN_LAPIC);
	/* with no width known and no LAPIC page, only RAM and 0 count */
	struct fwaddr_facts f = facts;
	f.phys_bits = 0;
	f.lapic_base = 0;
	assert_int_equal(fwaddr_check(1ull << 50, 0x20, &f), FWADDR_OK);
	assert_int_equal(fwaddr_check(0xfee00000, 0x20, &f), FWADDR_OK);
	assert_int_equal(fwaddr_check(UINT64_MAX - 8, 0x20, &f), FWADDR_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_verdicts),
	    cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
