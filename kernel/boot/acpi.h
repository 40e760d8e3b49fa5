/*
 * acpi.h - the static ACPI tables as the kernel found them at boot.
 *
 * acpi_init() (boot/acpi.c) fills struct acpi_tables once on the boot CPU;
 * afterwards it is read-only and any CPU may read it without locking.
 * A table that is absent or failed its checks has its have_* flag false.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "acpi/dmar.h"
#include "acpi/fadt.h"
#include "acpi/hpet.h"
#include "acpi/madt.h"
#include "acpi/mcfg.h"
#include "acpi/slit.h"
#include "acpi/srat.h"

struct acpi_tables {
	bool have_madt, have_srat, have_slit, have_mcfg, have_hpet, have_fadt, have_dmar;
	struct madt_info madt;
	struct srat_info srat;
	struct slit_info slit;
	struct mcfg_info mcfg;
	struct hpet_info hpet;
	struct fadt_info fadt;
	struct dmar_info dmar;
	uint64_t dsdt_phys; /* for acpid, later */
};

extern struct acpi_tables acpi;
