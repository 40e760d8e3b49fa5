/*
 * srat.c - parse the SRAT (see srat.h).
 *
 * Layout (ACPI 6.5 5.2.16): header(36), Table Revision u32 at 36, 8 reserved
 * bytes, subtables from 48 with type:u8 length:u8.
 *   type 0 (16 bytes): domain[7:0] u8 @2, APIC id u8 @3, flags u32 @4,
 *                      SAPIC EID u8 @8, domain[31:8] 3 bytes @9, clock u32 @12
 *   type 1 (40 bytes): domain u32 @2, base u64 @8, length u64 @16, flags u32 @28
 *   type 2 (24 bytes): domain u32 @4, x2APIC id u32 @8, flags u32 @12, clock u32 @16
 */
#include <string.h>
#include "acpi/srat.h"
#include "base/bytes.h"
#include "base/err.h"
#include "fmt/fmt.h"

#define SRAT_BODY 48

static size_t srat_min_len(uint8_t type)
{
	switch (type) {
	case 0:
		return 16;
	case 1:
		return 40;
	case 2:
		return 24;
	default:
		return 2;
	}
}

static void srat_add_cpu(struct srat_info *si, const struct srat_cpu *c)
{
	if (!(c->flags & SRAT_ENABLED)) {
		si->disabled_entries++;
		return;
	}
	if (si->ncpus >= SRAT_MAX_CPUS) {
		si->overflow++;
		acpi_diag_warn(&si->diag, "SRAT: more than %d processor entries, extra dropped",
			       SRAT_MAX_CPUS);
		return;
	}
	si->cpus[si->ncpus++] = *c;
}

static void srat_add_mem(struct srat_info *si, const struct srat_mem *m)
{
	if (!(m->flags & SRAT_ENABLED)) {
		si->disabled_entries++;
		return;
	}
	if (si->nmems >= SRAT_MAX_MEMS) {
		si->overflow++;
		acpi_diag_warn(&si->diag, "SRAT: more than %d memory ranges, extra dropped",
			       SRAT_MAX_MEMS);
		return;
	}
	si->mems[si->nmems++] = *m;
}

static void srat_entry(struct srat_info *si, const uint8_t *e, uint8_t type)
{
	struct srat_cpu c;
	struct srat_mem m;

	switch (type) {
	case 0:
		c = (struct srat_cpu){
		    .domain =
			e[2] | (uint32_t)e[9] << 8 | (uint32_t)e[10] << 16 | (uint32_t)e[11] << 24,
		    .apic_id = e[3],
		    .flags = rd32(e + 4),
		    .clock_domain = rd32(e + 12),
		    .x2apic = false,
		};
		srat_add_cpu(si, &c);
		break;
	case 1:
		m = (struct srat_mem){
		    .domain = rd32(e + 2),
		    .base = rd64(e + 8),
		    .length = rd64(e + 16),
		    .flags = rd32(e + 28),
		};
		srat_add_mem(si, &m);
		break;
	case 2:
		c = (struct srat_cpu){
		    .domain = rd32(e + 4),
		    .apic_id = rd32(e + 8),
		    .flags = rd32(e + 12),
		    .clock_domain = rd32(e + 16),
		    .x2apic = true,
		};
		srat_add_cpu(si, &c);
		break;
	default:
		si->unknown_count[type]++;
		break;
	}
}

int srat_parse_body(const void *tbl, size_t len, struct srat_info *out)
{
	const uint8_t *b = tbl;
	size_t off;

	memset(out, 0, sizeof(*out));
	if (!tbl || len < SRAT_BODY)
		return acpi_diag_fail(&out->diag, -E_INVAL,
				      "SRAT: %zu bytes, too short for the 48-byte fixed part",
				      tbl ? len : 0);
	out->table_revision = rd32(b + 36);
	for (off = SRAT_BODY; off < len;) {
		uint8_t type, elen;

		if (len - off < 2)
			return acpi_diag_fail(&out->diag, -E_INVAL,
					      "SRAT: %zu stray byte(s) at offset 0x%zx", len - off,
					      off);
		type = b[off];
		elen = b[off + 1];
		if (elen < 2)
			return acpi_diag_fail(&out->diag, -E_INVAL,
					      "SRAT: entry type %u at offset 0x%zx has length %u; "
					      "rest of table ignored",
					      type, off, elen);
		if (elen > len - off)
			return acpi_diag_fail(&out->diag, -E_INVAL,
					      "SRAT: entry type %u at offset 0x%zx (length %u) "
					      "runs past the table end 0x%zx",
					      type, off, elen, len);
		if (elen < srat_min_len(type))
			return acpi_diag_fail(
			    &out->diag, -E_INVAL,
			    "SRAT: entry type %u at offset 0x%zx has length %u, needs %zu", type,
			    off, elen, srat_min_len(type));
		srat_entry(out, b + off, type);
		off += elen;
	}
	return 0;
}

int srat_parse(const void *tbl, size_t len, struct srat_info *out)
{
	size_t tlen;
	int err;

	memset(out, 0, sizeof(*out));
	err = acpi_sdt_check(tbl, len, "SRAT", &tlen, &out->diag);
	if (err)
		return err;
	return srat_parse_body(tbl, tlen, out);
}

int srat_summary(const struct srat_info *si, char *buf, size_t n)
{
	return fmt_snprintf(buf, n, "SRAT: %u CPU%s, %u memory range%s, %u disabled entr%s",
			    si->ncpus, si->ncpus == 1 ? "" : "s", si->nmems,
			    si->nmems == 1 ? "" : "s", si->disabled_entries,
			    si->disabled_entries == 1 ? "y" : "ies");
}
