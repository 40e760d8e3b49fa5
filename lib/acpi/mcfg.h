/*
 * mcfg.h - the PCI Express memory-mapped configuration table ("MCFG",
 * PCI Firmware Specification 3.x section 4.1.2, listed in ACPI 6.5 5.2.6).
 *
 * Each 16-byte allocation gives the ECAM base address of one PCI segment
 * group and the bus range it decodes. mcfg_parse() rejects a table whose
 * length is not 44 + 16*n (the entries would be cut) and warns about an
 * allocation whose start bus is above its end bus. At most MCFG_MAX_ENTRIES
 * are stored; more are counted in `overflow` with a warning.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "acpi/sdt.h"
#include "base/compiler.h"

#define MCFG_MAX_ENTRIES 64

struct mcfg_entry {
	uint64_t base; /* ECAM base: config space of bus b is at base + (b << 20) */
	uint16_t segment;
	uint8_t bus_start;
	uint8_t bus_end;
};

struct mcfg_info {
	uint32_t nentries;
	uint32_t overflow;
	struct mcfg_entry entries[MCFG_MAX_ENTRIES];
	struct acpi_diag diag;
};

/* Parse the MCFG in tbl[0..len) into *out; 0 or -E_*. */
MUST_CHECK int mcfg_parse(const void *tbl, size_t len, struct mcfg_info *out);

/*
 * As mcfg_parse, but no signature, length-field or checksum check: len is
 * taken as the table length. For fuzzing, and for a caller that chooses to
 * use a table with a bad checksum after logging it (as Linux does).
 */
MUST_CHECK int mcfg_parse_body(const void *tbl, size_t len, struct mcfg_info *out);

/* One log line, e.g. "MCFG: 1 segment, seg 0 bus 0-255 at 0xe0000000". */
int mcfg_summary(const struct mcfg_info *mi, char *buf, size_t n);
