/*
 * madt.c - parse the MADT into struct madt_info (see madt.h for the rules).
 *
 * Layout (ACPI 6.5 5.2.12): header(36), Local Interrupt Controller Address
 * u32 at 36, Flags u32 at 40, then subtables from offset 44, each starting
 * with type:u8 length:u8. Minimum lengths per type come from the spec tables
 * 5.22 (type 0, 8 bytes) through 5.33 (type 10, 12 bytes).
 */
#include <string.h>
#include "acpi/madt.h"
#include "base/bytes.h"
#include "base/err.h"
#include "fmt/fmt.h"

#define MADT_BODY 44

/* Bytes a subtable of this type needs; 2 (just the header) for other types. */
static size_t madt_min_len(uint8_t type)
{
	switch (type) {
	case MADT_T_LAPIC:
		return 8;
	case MADT_T_IOAPIC:
		return 12;
	case MADT_T_ISO:
		return 10;
	case MADT_T_NMI_SOURCE:
		return 8;
	case MADT_T_LAPIC_NMI:
		return 6;
	case MADT_T_LAPIC_OVERRIDE:
		return 12;
	case MADT_T_X2APIC:
		return 16;
	case MADT_T_X2APIC_NMI:
		return 12;
	default:
		return 2;
	}
}

static void madt_add_cpu(struct madt_info *mi, uint32_t apic_id, uint32_t uid, uint32_t flags,
			 bool x2apic, size_t off)
{
	/* neither enabled nor online capable: the OS must not use it */
	if (!(flags & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE)))
		return;
	for (uint32_t i = 0; i < mi->ncpus; i++) {
		if (mi->cpus[i].apic_id == apic_id) {
			mi->dup_apic_ids++;
			acpi_diag_warn(
			    &mi->diag,
			    "MADT: duplicate APIC id 0x%x at offset 0x%zx, first entry kept",
			    apic_id, off);
			return;
		}
	}
	if (mi->ncpus >= MADT_MAX_CPUS) {
		mi->overflow++;
		acpi_diag_warn(&mi->diag, "MADT: more than %d processors, APIC id 0x%x dropped",
			       MADT_MAX_CPUS, apic_id);
		return;
	}
	mi->cpus[mi->ncpus++] = (struct madt_cpu){apic_id, uid, flags, x2apic};
	if (flags & MADT_CPU_ENABLED)
		mi->enabled_count++;
	else
		mi->online_capable_count++;
}

/* true when there is room; otherwise counts and warns about the overflow */
static bool madt_room(struct madt_info *mi, uint32_t n, uint32_t max, const char *what)
{
	if (n < max)
		return true;
	mi->overflow++;
	acpi_diag_warn(&mi->diag, "MADT: more than %u %s entries, extra ones dropped", max, what);
	return false;
}

static void madt_entry(struct madt_info *mi, const uint8_t *e, uint8_t type, size_t off)
{
	switch (type) {
	case MADT_T_LAPIC:
		mi->lapic_entries++;
		madt_add_cpu(mi, e[3], e[2], rd32(e + 4), false, off);
		break;
	case MADT_T_X2APIC:
		mi->x2apic_entries++;
		madt_add_cpu(mi, rd32(e + 4), rd32(e + 12), rd32(e + 8), true, off);
		break;
	case MADT_T_IOAPIC:
		if (madt_room(mi, mi->nioapics, MADT_MAX_IOAPICS, "IOAPIC"))
			mi->ioapics[mi->nioapics++] =
			    (struct madt_ioapic){e[2], rd32(e + 4), rd32(e + 8)};
		break;
	case MADT_T_ISO:
		if (madt_room(mi, mi->nisos, MADT_MAX_ISOS, "interrupt source override"))
			mi->isos[mi->nisos++] =
			    (struct madt_iso){e[2], e[3], rd32(e + 4), rd16(e + 8)};
		break;
	case MADT_T_NMI_SOURCE:
		if (madt_room(mi, mi->nnmi_sources, MADT_MAX_NMI_SOURCES, "NMI source"))
			mi->nmi_sources[mi->nnmi_sources++] =
			    (struct madt_nmi_source){rd32(e + 4), rd16(e + 2)};
		break;
	case MADT_T_LAPIC_NMI:
		mi->lapic_nmi_entries++;
		if (madt_room(mi, mi->nlapic_nmis, MADT_MAX_LAPIC_NMIS, "local APIC NMI"))
			mi->lapic_nmis[mi->nlapic_nmis++] =
			    (struct madt_lapic_nmi){e[2], rd16(e + 3), e[5], false};
		break;
	case MADT_T_X2APIC_NMI:
		mi->x2apic_nmi_entries++;
		if (madt_room(mi, mi->nlapic_nmis, MADT_MAX_LAPIC_NMIS, "local APIC NMI"))
			mi->lapic_nmis[mi->nlapic_nmis++] =
			    (struct madt_lapic_nmi){rd32(e + 4), rd16(e + 2), e[8], true};
		break;
	case MADT_T_LAPIC_OVERRIDE:
		/* ACPI 6.5 5.2.12.8: when present, the OS must use this address */
		if (mi->has_lapic_override)
			acpi_diag_warn(&mi->diag,
				       "MADT: more than one local APIC address override");
		mi->has_lapic_override = true;
		mi->lapic_address = rd64(e + 4);
		break;
	default:
		if (mi->unknown_count[type]++ == 0)
			mi->unknown_types++;
		break;
	}
}

int madt_parse_body(const void *tbl, size_t len, struct madt_info *out)
{
	const uint8_t *b = tbl;
	size_t off;

	memset(out, 0, sizeof(*out));
	if (!tbl || len < MADT_BODY)
		return acpi_diag_fail(&out->diag, -E_INVAL,
				      "MADT: %zu bytes, too short for the 44-byte fixed part",
				      tbl ? len : 0);
	out->lapic_address32 = rd32(b + 36);
	out->lapic_address = out->lapic_address32;
	out->flags = rd32(b + 40);

	for (off = MADT_BODY; off < len;) {
		uint8_t type, elen;

		if (len - off < 2)
			return acpi_diag_fail(
			    &out->diag, -E_INVAL,
			    "MADT: %zu stray byte(s) at offset 0x%zx after the last entry",
			    len - off, off);
		type = b[off];
		elen = b[off + 1];
		if (elen < 2)
			return acpi_diag_fail(&out->diag, -E_INVAL,
					      "MADT: entry type %u at offset 0x%zx has length %u; "
					      "rest of table ignored",
					      type, off, elen);
		if (elen > len - off)
			return acpi_diag_fail(&out->diag, -E_INVAL,
					      "MADT: entry type %u at offset 0x%zx (length %u) "
					      "runs past the table end 0x%zx",
					      type, off, elen, len);
		if (elen < madt_min_len(type))
			return acpi_diag_fail(
			    &out->diag, -E_INVAL,
			    "MADT: entry type %u at offset 0x%zx has length %u, needs %zu", type,
			    off, elen, madt_min_len(type));
		madt_entry(out, b + off, type, off);
		off += elen;
	}
	return 0;
}

int madt_parse(const void *tbl, size_t len, struct madt_info *out)
{
	size_t tlen;
	int err;

	memset(out, 0, sizeof(*out));
	err = acpi_sdt_check(tbl, len, "APIC", &tlen, &out->diag);
	if (err)
		return err;
	return madt_parse_body(tbl, tlen, out);
}

uint32_t madt_isa_irq_to_gsi(const struct madt_info *mi, uint8_t irq, uint16_t *flags)
{
	for (uint32_t i = 0; i < mi->nisos; i++) {
		if (mi->isos[i].bus == 0 && mi->isos[i].irq == irq) {
			if (flags)
				*flags = mi->isos[i].flags;
			return mi->isos[i].gsi;
		}
	}
	/* ISA default: edge triggered, active high, identity mapped */
	if (flags)
		*flags = 0;
	return irq;
}

int madt_summary(const struct madt_info *mi, char *buf, size_t n)
{
	return fmt_snprintf(
	    buf, n, "MADT: %u CPU%s (%u enabled), %u IOAPIC%s, %u ISO%s, LAPIC 0x%llx%s", mi->ncpus,
	    mi->ncpus == 1 ? "" : "s", mi->enabled_count, mi->nioapics,
	    mi->nioapics == 1 ? "" : "s", mi->nisos, mi->nisos == 1 ? "" : "s",
	    (unsigned long long)mi->lapic_address, mi->has_lapic_override ? " (override)" : "");
}
