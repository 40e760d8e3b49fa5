/*
 * fwtables.h - the firmware tables the kernel found at boot, as a list
 * for SYS_FWTABLES (docs/hwaccess.md): acpid and pcid find the tables
 * through the kernel, not through an environment variable that may be
 * missing, and the hardware grants' "acpi" class is exactly these
 * tables' bytes.
 *
 * The ACPI walk (kernel/boot/acpi.c) adds entries on the boot CPU before
 * any other CPU starts; afterwards the list is read-only and any CPU
 * reads it without a lock.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/syscall_nr.h"

#define FWTABLES_MAX 160 /* the RSDP, 128 listed tables, the DSDT and FACS, room to spare */

/* Record one table (boot CPU, during acpi_init): sig is 4 bytes. Past FWTABLES_MAX: logged,
 * dropped. */
void fwtables_add(const char *sig, uint32_t len, uint64_t phys);
/* Record the root table (RSDT/XSDT): not listed, but part of the "acpi" class. */
void fwtables_set_root(uint32_t len, uint64_t phys);
/* The number of tables recorded. */
size_t fwtables_count(void);
/* Entry i (< fwtables_count()). */
const struct rb_fwtable *fwtables_get(size_t i);
/* The root table's range (len 0: none). */
void fwtables_root(uint64_t *phys, uint32_t *len);
