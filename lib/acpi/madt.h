/*
 * madt.h - the Multiple APIC Description Table ("APIC", ACPI 6.5 5.2.12).
 *
 * madt_parse() walks the interrupt-controller subtables and fills a
 * struct madt_info that the caller owns (it is large: put it in static
 * storage, not on a kernel stack). Decoded: processor local APIC (type 0),
 * I/O APIC (1), interrupt source override (2), NMI source (3), local APIC
 * NMI (4), local APIC address override (5), processor local x2APIC (9),
 * local x2APIC NMI (10). Any other type is skipped by its length and counted
 * in unknown_count[type].
 *
 * Capacity: fixed maxima (MADT_MAX_*), at least 1024 processors. An entry
 * that does not fit is counted in `overflow` and raises a warning; nothing is
 * dropped silently. cpus[] holds only usable processors (Enabled, or Online
 * Capable) in table order; the raw per-type entry counts are kept apart.
 * A second usable processor with an APIC id already seen is a firmware bug:
 * it is counted in dup_apic_ids, warned about, and not stored.
 *
 * Errors: a bad header or checksum fails at once. A subtable whose length is
 * 0 or 1, runs past the table, or is shorter than its type needs stops the
 * walk: madt_parse returns the error, info->diag says where, and everything
 * parsed before that entry is kept.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "acpi/sdt.h"
#include "base/compiler.h"

#define MADT_MAX_CPUS 2048
#define MADT_MAX_IOAPICS 128
#define MADT_MAX_ISOS 64
#define MADT_MAX_NMI_SOURCES 32
#define MADT_MAX_LAPIC_NMIS 256

/* MADT header flags */
#define MADT_PCAT_COMPAT (1u << 0) /* dual 8259s present: mask them */

/* Processor flags (types 0 and 9) */
#define MADT_CPU_ENABLED (1u << 0)
#define MADT_CPU_ONLINE_CAPABLE (1u << 1)

/* Subtable types */
enum madt_type {
	MADT_T_LAPIC = 0,
	MADT_T_IOAPIC = 1,
	MADT_T_ISO = 2,
	MADT_T_NMI_SOURCE = 3,
	MADT_T_LAPIC_NMI = 4,
	MADT_T_LAPIC_OVERRIDE = 5,
	MADT_T_X2APIC = 9,
	MADT_T_X2APIC_NMI = 10,
};

struct madt_cpu {
	uint32_t apic_id; /* 8-bit for type 0, 32-bit for x2APIC */
	uint32_t uid;	  /* ACPI processor uid (type 0: the 8-bit Processor ID) */
	uint32_t flags;	  /* MADT_CPU_* */
	bool x2apic;	  /* came from a type 9 entry */
};

struct madt_ioapic {
	uint8_t id;
	uint32_t address;
	uint32_t gsi_base;
};

/* MPS INTI flags, used by ISOs and NMI entries */
enum madt_polarity {
	MADT_POL_CONFORM = 0,
	MADT_POL_HIGH = 1,
	MADT_POL_RESERVED = 2,
	MADT_POL_LOW = 3
};
enum madt_trigger {
	MADT_TRIG_CONFORM = 0,
	MADT_TRIG_EDGE = 1,
	MADT_TRIG_RESERVED = 2,
	MADT_TRIG_LEVEL = 3
};

struct madt_iso {
	uint8_t bus; /* always 0 (ISA) */
	uint8_t irq; /* bus-relative (ISA) IRQ */
	uint32_t gsi;
	uint16_t flags; /* MPS INTI flags: see madt_inti_polarity/trigger */
};

struct madt_nmi_source {
	uint32_t gsi;
	uint16_t flags;
};

struct madt_lapic_nmi {
	uint32_t uid; /* 0xFF (type 4) or 0xFFFFFFFF (type 10): all processors */
	uint16_t flags;
	uint8_t lint; /* LINT0 or LINT1 */
	bool x2apic;
};

struct madt_info {
	uint32_t lapic_address32; /* the header's 32-bit Local APIC Address */
	uint32_t flags;		  /* MADT_PCAT_COMPAT */
	bool has_lapic_override;
	uint64_t lapic_address; /* what to use: override (type 5) if any, else 32-bit */

	uint32_t lapic_entries;	       /* type 0 entries, any flags */
	uint32_t x2apic_entries;       /* type 9 entries, any flags */
	uint32_t lapic_nmi_entries;    /* type 4 entries */
	uint32_t x2apic_nmi_entries;   /* type 10 entries */
	uint32_t enabled_count;	       /* usable cpus with MADT_CPU_ENABLED */
	uint32_t online_capable_count; /* usable cpus without ENABLED but ONLINE_CAPABLE */
	uint32_t dup_apic_ids;	       /* usable entries dropped as duplicates */
	uint32_t overflow;	       /* entries dropped because an array was full */

	uint32_t ncpus;
	struct madt_cpu cpus[MADT_MAX_CPUS];
	uint32_t nioapics;
	struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
	uint32_t nisos;
	struct madt_iso isos[MADT_MAX_ISOS];
	uint32_t nnmi_sources;
	struct madt_nmi_source nmi_sources[MADT_MAX_NMI_SOURCES];
	uint32_t nlapic_nmis;
	struct madt_lapic_nmi lapic_nmis[MADT_MAX_LAPIC_NMIS];

	uint32_t unknown_types; /* number of distinct unknown types seen */
	uint32_t unknown_count[256];

	struct acpi_diag diag;
};

/* Parse the MADT in tbl[0..len) into *out; 0 or -E_*, partial data kept. */
MUST_CHECK int madt_parse(const void *tbl, size_t len, struct madt_info *out);

/*
 * As madt_parse, but no signature, length-field or checksum check: len is
 * taken as the table length. For fuzzing, and for a caller that chooses to
 * use a table with a bad checksum after logging it (as Linux does).
 */
MUST_CHECK int madt_parse_body(const void *tbl, size_t len, struct madt_info *out);

/* Polarity bits (1:0) of MPS INTI flags. */
static inline enum madt_polarity madt_inti_polarity(uint16_t flags)
{
	return (enum madt_polarity)(flags & 3);
}

/* Trigger-mode bits (3:2) of MPS INTI flags. */
static inline enum madt_trigger madt_inti_trigger(uint16_t flags)
{
	return (enum madt_trigger)((flags >> 2) & 3);
}

/* The GSI that ISA irq is wired to: its override if any, else irq itself. */
uint32_t madt_isa_irq_to_gsi(const struct madt_info *mi, uint8_t irq, uint16_t *flags);

/* One log line, e.g. "MADT: 4 CPUs (4 enabled), 1 IOAPIC, 2 ISOs, LAPIC 0xfee00000". */
int madt_summary(const struct madt_info *mi, char *buf, size_t n);
