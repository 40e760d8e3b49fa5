/*
 * hpet.h - the HPET description table ("HPET", IA-PC HPET Specification 1.0a
 * section 3.2.4).
 *
 * Gives the timer block's base address (a Generic Address Structure, always
 * system memory in practice), its Event Timer Block ID (a copy of the
 * General Capabilities register's low 32 bits), the HPET number, the minimum
 * clock tick for periodic mode and the page-protection flags. The accessors
 * below decode the block id. A table shorter than 56 bytes is rejected.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "acpi/sdt.h"
#include "base/compiler.h"

struct hpet_info {
	uint32_t block_id;
	struct acpi_gas base;
	uint8_t number;	   /* HPET sequence number */
	uint16_t min_tick; /* minimum clock ticks in periodic mode */
	uint8_t flags;	   /* bits 3:0 page protection, 7:4 OEM */
	struct acpi_diag diag;
};

/* Parse the HPET table in tbl[0..len) into *out; 0 or -E_*. */
MUST_CHECK int hpet_parse(const void *tbl, size_t len, struct hpet_info *out);

/*
 * As hpet_parse, but no signature, length-field or checksum check: len is
 * taken as the table length. For fuzzing, and for a caller that chooses to
 * use a table with a bad checksum after logging it (as Linux does).
 */
MUST_CHECK int hpet_parse_body(const void *tbl, size_t len, struct hpet_info *out);

/* Number of comparators (block id bits 12:8, plus one). */
static inline unsigned hpet_comparators(const struct hpet_info *hi)
{
	return ((hi->block_id >> 8) & 0x1f) + 1;
}

/* Main counter is 64 bits wide (block id bit 13). */
static inline bool hpet_counter_64bit(const struct hpet_info *hi)
{
	return hi->block_id & (1u << 13);
}

/* Legacy replacement IRQ routing capable (block id bit 15). */
static inline bool hpet_legacy_capable(const struct hpet_info *hi)
{
	return hi->block_id & (1u << 15);
}

/* PCI vendor id of the block (block id bits 31:16). */
static inline uint16_t hpet_vendor(const struct hpet_info *hi)
{
	return (uint16_t)(hi->block_id >> 16);
}

/* One log line, e.g. "HPET: 3 comparators at 0xfed00000, min tick 128". */
int hpet_summary(const struct hpet_info *hi, char *buf, size_t n);
