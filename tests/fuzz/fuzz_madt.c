/*
 * fuzz_madt.c - libFuzzer target for madt_parse() (see acpi_fuzz.h).
 */
#include "acpi/madt.h"
#include "acpi_fuzz.h"

ACPI_FUZZ_TARGET(madt, "APIC", (void)madt_isa_irq_to_gsi(&info, 9, NULL))
