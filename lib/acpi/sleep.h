/*
 * sleep.h - entering an ACPI sleep state through the fixed PM1 control
 * registers (ACPI 6.5 section 4.8.3.2.1 and 7.4.2): the values of the
 * \_Sx package and the word written to PM1a/PM1b_CNT.
 *
 * Pure functions over plain integers: the caller evaluates \_S5_ with the
 * AML interpreter and does the port or memory access. No state, no locks.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP_MASK (7u << ACPI_PM1_SLP_TYP_SHIFT)
#define ACPI_PM1_SLP_EN (1u << 13)
#define ACPI_PM1_SCI_EN 1u

/*
 * SLP_TYPa and SLP_TYPb from the integers of a \_Sx package: elems[0..n)
 * (n = the package's element count, is_int[i] = element i is an Integer).
 * One element packs a in bits 0-7 and b in bits 8-15 (old firmware); two or
 * more give a and b in their low 3 bits. 0, or -E_INVAL (empty, or not
 * integers).
 */
MUST_CHECK int acpi_sleep_types(const uint64_t *elems, const bool *is_int, size_t n, uint8_t *a,
				uint8_t *b);

/* The PM1 control word that enters sleep type typ, keeping old's other bits. */
uint16_t acpi_pm1_sleep_value(uint16_t old, uint8_t typ);
