/*
 * fuzz_fadt.c - libFuzzer target for fadt_parse() (see acpi_fuzz.h).
 */
#include "acpi/fadt.h"
#include "acpi_fuzz.h"

ACPI_FUZZ_TARGET(fadt, "FACP", (void)(fadt_dsdt(&info) + fadt_facs(&info)))
