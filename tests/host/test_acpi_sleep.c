/*
 * test_acpi_sleep.c - acpi_sleep_types over \_S5_ packages of one, two and
 * four integers, packages with no integers, and the PM1 control word
 * (other bits kept, old SLP_TYP and SLP_EN replaced).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "acpi/sleep.h"
#include "base/err.h"

static void test_types(void **state)
{
	uint8_t a = 9, b = 9;
	uint64_t qemu[4] = {5, 0, 0, 0};
	bool ints[4] = {true, true, true, true};
	assert_int_equal(acpi_sleep_types(qemu, ints, 4, &a, &b), 0);
	assert_int_equal(a, 5);
	assert_int_equal(b, 0);
	uint64_t packed[1] = {0x0607};
	assert_int_equal(acpi_sleep_types(packed, ints, 1, &a, &b), 0);
	assert_int_equal(a, 7);
	assert_int_equal(b, 6);
	uint64_t two[2] = {0xff, 0x13};
	assert_int_equal(acpi_sleep_types(two, ints, 2, &a, &b), 0);
	assert_int_equal(a, 7);
	assert_int_equal(b, 3);
	bool notint[2] = {true, false};
	assert_int_equal(acpi_sleep_types(two, notint, 2, &a, &b), -E_INVAL);
	assert_int_equal(acpi_sleep_types(two, ints, 0, &a, &b), -E_INVAL);
	assert_int_equal(acpi_sleep_types(two, notint + 1, 1, &a, &b), -E_INVAL);
}

static void test_pm1(void **state)
{
	assert_int_equal(acpi_pm1_sleep_value(0x0001, 5), 0x0001 | 5 << 10 | 1 << 13);
	assert_int_equal(acpi_pm1_sleep_value(0xffff, 0), 0xffff & ~(7 << 10));
	assert_int_equal(acpi_pm1_sleep_value(0x1c00, 2), 2 << 10 | 1 << 13);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_types),
	    cmocka_unit_test(test_pm1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
