/*
 * fuzz_mcfg.c - libFuzzer target for mcfg_parse() (see acpi_fuzz.h).
 */
#include "acpi/mcfg.h"
#include "acpi_fuzz.h"

ACPI_FUZZ_TARGET(mcfg, "MCFG", (void)0)
