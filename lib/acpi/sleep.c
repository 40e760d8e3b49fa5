/*
 * sleep.c - \_Sx sleep types and the PM1 control word (see sleep.h).
 * Pure: no state, no locks.
 */
#include "acpi/sleep.h"
#include "base/err.h"

int acpi_sleep_types(const uint64_t *elems, const bool *is_int, size_t n, uint8_t *a, uint8_t *b)
{
	if (n == 0 || !is_int[0])
		return -E_INVAL;
	if (n == 1) {
		*a = (uint8_t)(elems[0] & 7);
		*b = (uint8_t)(elems[0] >> 8 & 7);
		return 0;
	}
	if (!is_int[1])
		return -E_INVAL;
	*a = (uint8_t)(elems[0] & 7);
	*b = (uint8_t)(elems[1] & 7);
	return 0;
}

uint16_t acpi_pm1_sleep_value(uint16_t old, uint8_t typ)
{
	uint16_t v = (uint16_t)(old & ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN));
	return (uint16_t)(v | (uint16_t)((typ & 7u) << ACPI_PM1_SLP_TYP_SHIFT) | ACPI_PM1_SLP_EN);
}
