/*
 * fuzz_srat.c - libFuzzer target for srat_parse() (see acpi_fuzz.h).
 */
#include "acpi/srat.h"
#include "acpi_fuzz.h"

ACPI_FUZZ_TARGET(srat, "SRAT", (void)0)
