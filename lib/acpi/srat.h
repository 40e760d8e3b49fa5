/*
 * srat.h - the System Resource Affinity Table ("SRAT", ACPI 6.5 5.2.16).
 *
 * srat_parse() records which proximity domain each processor and memory
 * range belongs to. Decoded subtables: processor local APIC affinity
 * (type 0; domain = low 8 bits | high 24 bits << 8), memory affinity
 * (type 1) and processor x2APIC affinity (type 2). Only entries with the
 * Enabled flag are stored; disabled ones are counted. Other types (GICC,
 * generic initiator, ...) are skipped by length and counted per type.
 *
 * Capacity: fixed maxima; entries beyond them are counted in `overflow` with
 * a warning. Errors (bad header, checksum, subtable length 0/1, past the end
 * or shorter than its type needs) stop the walk with the error in diag; what
 * was parsed before is kept. The struct is large: give it static storage.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "acpi/sdt.h"
#include "base/compiler.h"

#define SRAT_MAX_CPUS 4096
#define SRAT_MAX_MEMS 512

#define SRAT_ENABLED (1u << 0)
#define SRAT_MEM_HOTPLUG (1u << 1)
#define SRAT_MEM_NONVOLATILE (1u << 2)

struct srat_cpu {
	uint32_t domain;
	uint32_t apic_id; /* 8-bit for type 0, 32-bit for type 2 */
	uint32_t flags;
	uint32_t clock_domain;
	bool x2apic;
};

struct srat_mem {
	uint32_t domain;
	uint64_t base;
	uint64_t length;
	uint32_t flags; /* SRAT_ENABLED, SRAT_MEM_HOTPLUG, SRAT_MEM_NONVOLATILE */
};

struct srat_info {
	uint32_t table_revision;   /* the u32 at offset 36, 1 for current tables */
	uint32_t disabled_entries; /* type 0/1/2 entries without SRAT_ENABLED */
	uint32_t overflow;
	uint32_t ncpus;
	struct srat_cpu cpus[SRAT_MAX_CPUS];
	uint32_t nmems;
	struct srat_mem mems[SRAT_MAX_MEMS];
	uint32_t unknown_count[256];
	struct acpi_diag diag;
};

/* Parse the SRAT in tbl[0..len) into *out; 0 or -E_*, partial data kept. */
MUST_CHECK int srat_parse(const void *tbl, size_t len, struct srat_info *out);

/*
 * As srat_parse, but no signature, length-field or checksum check: len is
 * taken as the table length. For fuzzing, and for a caller that chooses to
 * use a table with a bad checksum after logging it (as Linux does).
 */
MUST_CHECK int srat_parse_body(const void *tbl, size_t len, struct srat_info *out);

/* One log line, e.g. "SRAT: 16 CPUs, 2 memory ranges, 1 domain". */
int srat_summary(const struct srat_info *si, char *buf, size_t n);
