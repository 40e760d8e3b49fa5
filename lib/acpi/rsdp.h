/*
 * rsdp.h - the Root System Description Pointer and the root tables it points
 * to (ACPI 6.5 5.2.5, 5.2.7 RSDT, 5.2.8 XSDT).
 *
 * rsdp_validate() checks one candidate: the "RSD PTR " signature, the
 * checksum of its first 20 bytes (ACPI 1.0) and, for revision 2 and later,
 * the extended checksum over its `length` bytes. rsdp_scan() searches a
 * byte buffer on 16-byte boundaries, as firmware places it; the kernel calls
 * it on the first KiB of the EBDA and on the mapped 0xE0000-0xFFFFF area.
 * rsdp_root() says which root table to use: the XSDT when the revision is 2+
 * and its address is non-zero, else the RSDT. acpi_root_entries() lists the
 * table addresses in an RSDT (32-bit entries) or XSDT (64-bit entries).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "acpi/sdt.h"
#include "base/compiler.h"

#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36

struct rsdp_info {
	uint8_t oem_id[6];
	uint8_t revision; /* 0 for ACPI 1.0, 2 for 2.0 and later */
	uint32_t rsdt_address;
	uint32_t length;       /* v2 only, else 20 */
	uint64_t xsdt_address; /* v2 only, else 0 */
	struct acpi_diag diag;
};

/* Check the candidate RSDP at p (len bytes readable); 0 or -E_*. */
MUST_CHECK int rsdp_validate(const void *p, size_t len, struct rsdp_info *out);

/*
 * Find the first valid RSDP at a 16-byte aligned offset of buf[0..len);
 * on success *off is its offset. -E_NOENT when there is none.
 */
MUST_CHECK int rsdp_scan(const void *buf, size_t len, size_t *off, struct rsdp_info *out);

/* Address of the root table to use; *is_xsdt says whether it is an XSDT. */
uint64_t rsdp_root(const struct rsdp_info *ri, bool *is_xsdt);

/*
 * Copy the entry addresses of the RSDT or XSDT in tbl[0..len) (checked:
 * signature, length, checksum, entry area a whole number of entries) into
 * addrs[0..cap). *count gets the number of entries in the table, which may
 * exceed cap (then only cap are copied and -E_OVERFLOW is returned).
 */
MUST_CHECK int acpi_root_entries(const void *tbl, size_t len, uint64_t *addrs, size_t cap,
				 size_t *count, struct acpi_diag *dg);

/* One log line, e.g. "RSDP: rev 2 OEM ALASKA, XSDT at 0x7ffe1000". */
int rsdp_summary(const struct rsdp_info *ri, char *buf, size_t n);
