/*
 * fuzz_hpet.c - libFuzzer target for hpet_parse() (see acpi_fuzz.h).
 */
#include "acpi/hpet.h"
#include "acpi_fuzz.h"

ACPI_FUZZ_TARGET(hpet, "HPET", (void)hpet_comparators(&info))
