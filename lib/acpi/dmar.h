/*
 * dmar.h - the DMA Remapping Reporting table ("DMAR", Intel VT-d
 * specification rev 4.x chapter 8).
 *
 * dmar_parse() reads the host address width and flags, and walks the
 * remapping structures: DRHD (type 0, one per remapping hardware unit),
 * RMRR (1, reserved memory regions), ATSR (2), RHSA (3), ANDD (4) and SATC
 * (5); other types are counted. DRHDs and RMRRs are stored (fixed maxima,
 * overflow counted) with the position of their device-scope list inside the
 * table; dmar_scope_next() walks such a list in the caller's bytes.
 *
 * Errors: a structure whose length is under 4, runs past the table or is
 * shorter than its type needs, or a device scope that is shorter than 6
 * bytes or runs past its structure, stops the walk with -E_INVAL and a
 * message in diag; what was parsed before is kept.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "acpi/sdt.h"
#include "base/compiler.h"

#define DMAR_MAX_DRHDS 64
#define DMAR_MAX_RMRRS 64
#define DMAR_NTYPES 6
#define DMAR_MAX_OTHER_TYPES 16

enum dmar_type {
	DMAR_T_DRHD = 0,
	DMAR_T_RMRR = 1,
	DMAR_T_ATSR = 2,
	DMAR_T_RHSA = 3,
	DMAR_T_ANDD = 4,
	DMAR_T_SATC = 5,
};

#define DMAR_F_INTR_REMAP (1u << 0)
#define DMAR_F_X2APIC_OPT_OUT (1u << 1)
#define DMAR_F_DMA_CTRL_OPT_IN (1u << 2)
#define DMAR_DRHD_INCLUDE_PCI_ALL (1u << 0)

struct dmar_drhd {
	uint8_t flags; /* DMAR_DRHD_INCLUDE_PCI_ALL */
	uint8_t size;  /* register set size: 2^size 4 KiB pages (VT-d 3.x+) */
	uint16_t segment;
	uint64_t base;
	uint32_t nscopes;
	uint32_t scope_off; /* device scopes: table bytes [scope_off, scope_end) */
	uint32_t scope_end;
};

struct dmar_rmrr {
	uint16_t segment;
	uint64_t base;
	uint64_t limit; /* last byte, inclusive */
	uint32_t nscopes;
	uint32_t scope_off;
	uint32_t scope_end;
};

struct dmar_scope {
	uint8_t type; /* 1 PCI endpoint, 2 PCI bridge, 3 IOAPIC, 4 HPET, 5 ACPI namespace */
	uint8_t enum_id;
	uint8_t start_bus;
	uint8_t npath;	     /* (device, function) pairs in the path */
	const uint8_t *path; /* npath * 2 bytes inside the caller's table */
};

struct dmar_info {
	uint8_t host_address_width;  /* the real width in bits: field + 1 */
	uint8_t flags;		     /* DMAR_F_* */
	uint32_t count[DMAR_NTYPES]; /* structures per known type */
	uint32_t other_count;	     /* structures of unknown types */
	uint32_t nother_types;	     /* distinct unknown types in other_type[] */
	uint16_t other_type[DMAR_MAX_OTHER_TYPES];
	uint32_t other_type_count[DMAR_MAX_OTHER_TYPES];
	uint32_t overflow;
	uint32_t ndrhds;
	struct dmar_drhd drhds[DMAR_MAX_DRHDS];
	uint32_t nrmrrs;
	struct dmar_rmrr rmrrs[DMAR_MAX_RMRRS];
	struct acpi_diag diag;
};

/* Parse the DMAR in tbl[0..len) into *out; 0 or -E_*, partial data kept. */
MUST_CHECK int dmar_parse(const void *tbl, size_t len, struct dmar_info *out);

/*
 * As dmar_parse, but no signature, length-field or checksum check: len is
 * taken as the table length. For fuzzing, and for a caller that chooses to
 * use a table with a bad checksum after logging it (as Linux does).
 */
MUST_CHECK int dmar_parse_body(const void *tbl, size_t len, struct dmar_info *out);

/* One remapping structure header, as dmar_next() returns it. */
struct dmar_ref {
	uint32_t off;  /* offset of the structure in the table */
	uint16_t type; /* enum dmar_type or another value */
	uint16_t len;
};

/*
 * Step through the remapping structures of tbl[0..len) (len: the table's
 * own length). *cursor starts at 0 and is advanced. Returns 0 with the next
 * structure in *ref, -E_NOENT after the last, -E_INVAL for a header whose
 * length is under 4 or runs past the table.
 */
MUST_CHECK int dmar_next(const void *tbl, size_t len, uint32_t *cursor, struct dmar_ref *ref);

/*
 * Decode the device scope at *off in tbl (bounded by end, a scope_end from
 * dmar_info) and advance *off past it. Returns 0, -E_NOENT at the end of the
 * list, or -E_INVAL for a malformed scope.
 */
MUST_CHECK int dmar_scope_next(const void *tbl, uint32_t end, uint32_t *off,
			       struct dmar_scope *out);

/* One log line, e.g. "DMAR: 39-bit, 2 DRHDs, 1 RMRR, interrupt remapping". */
int dmar_summary(const struct dmar_info *di, char *buf, size_t n);
