/*
 * dmar.c - parse the DMAR (see dmar.h).
 *
 * Layout (VT-d 4.x section 8.1): header(36), Host Address Width u8 at 36
 * (width - 1), Flags u8 at 37, 10 reserved bytes, then remapping structures
 * from 48, each type:u16 length:u16.
 *   DRHD (8.3, 16 + scopes): flags u8 @4, size u8 @5, segment u16 @6, base u64 @8
 *   RMRR (8.4, 24 + scopes): segment u16 @6, base u64 @8, limit u64 @16
 *   ATSR (8.5, 8 + scopes), RHSA (8.6, 20), ANDD (8.7, 8 + name), SATC (8.8, 8 + scopes)
 * Device scope (8.3.1): type u8, length u8, flags u8, reserved u8,
 * enumeration id u8, start bus u8, then 2-byte path entries.
 */
#include <string.h>
#include "acpi/dmar.h"
#include "base/bytes.h"
#include "base/err.h"
#include "fmt/fmt.h"

#define DMAR_BODY 48
#define DMAR_SCOPE_HDR 6

static const uint8_t dmar_min_len[DMAR_NTYPES] = {16, 24, 8, 20, 8, 8};
/* where the device-scope list starts, 0 for types that have none */
static const uint8_t dmar_scope_start[DMAR_NTYPES] = {16, 24, 8, 0, 0, 8};

int dmar_scope_next(const void *tbl, uint32_t end, uint32_t *off, struct dmar_scope *out)
{
	const uint8_t *s = (const uint8_t *)tbl + *off;
	uint8_t slen;

	if (*off >= end)
		return -E_NOENT;
	if (end - *off < 2)
		return -E_INVAL;
	slen = s[1];
	if (slen < DMAR_SCOPE_HDR || slen > end - *off || (slen - DMAR_SCOPE_HDR) % 2)
		return -E_INVAL;
	out->type = s[0];
	out->enum_id = s[4];
	out->start_bus = s[5];
	out->npath = (uint8_t)((slen - DMAR_SCOPE_HDR) / 2);
	out->path = s + DMAR_SCOPE_HDR;
	*off += slen;
	return 0;
}

/* Count the device scopes in [off, end); -E_INVAL (with diag) if one is bad. */
static int dmar_count_scopes(const uint8_t *b, uint32_t off, uint32_t end, uint32_t *n,
			     struct acpi_diag *dg)
{
	struct dmar_scope sc;
	uint32_t at = off;
	int err;

	*n = 0;
	while ((err = dmar_scope_next(b, end, &at, &sc)) == 0)
		(*n)++;
	if (err == -E_NOENT)
		return 0;
	return acpi_diag_fail(
	    dg, -E_INVAL,
	    "DMAR: device scope at offset 0x%x is malformed (length %u, structure ends at 0x%x)",
	    at, end - at >= 2 ? b[at + 1] : 0, end);
}

static int dmar_struct(struct dmar_info *di, const uint8_t *b, uint32_t off, uint16_t type,
		       uint16_t slen)
{
	const uint8_t *e = b + off;
	uint32_t nscopes = 0, sstart, send = off + slen;
	int err;

	di->count[type]++;
	if (dmar_scope_start[type] == 0)
		return 0;
	sstart = off + dmar_scope_start[type];
	err = dmar_count_scopes(b, sstart, send, &nscopes, &di->diag);
	if (err)
		return err;
	if (type == DMAR_T_DRHD) {
		if (di->ndrhds >= DMAR_MAX_DRHDS) {
			di->overflow++;
			acpi_diag_warn(&di->diag, "DMAR: more than %d DRHDs, extra dropped",
				       DMAR_MAX_DRHDS);
			return 0;
		}
		di->drhds[di->ndrhds++] = (struct dmar_drhd){
		    .flags = e[4],
		    .size = e[5],
		    .segment = rd16(e + 6),
		    .base = rd64(e + 8),
		    .nscopes = nscopes,
		    .scope_off = sstart,
		    .scope_end = send,
		};
	} else if (type == DMAR_T_RMRR) {
		if (di->nrmrrs >= DMAR_MAX_RMRRS) {
			di->overflow++;
			acpi_diag_warn(&di->diag, "DMAR: more than %d RMRRs, extra dropped",
				       DMAR_MAX_RMRRS);
			return 0;
		}
		di->rmrrs[di->nrmrrs++] = (struct dmar_rmrr){
		    .segment = rd16(e + 6),
		    .base = rd64(e + 8),
		    .limit = rd64(e + 16),
		    .nscopes = nscopes,
		    .scope_off = sstart,
		    .scope_end = send,
		};
		if (rd64(e + 16) < rd64(e + 8))
			acpi_diag_warn(&di->diag, "DMAR: RMRR at offset 0x%x ends below its base",
				       off);
	}
	return 0;
}

int dmar_next(const void *tbl, size_t len, uint32_t *cursor, struct dmar_ref *ref)
{
	const uint8_t *b = tbl;
	uint32_t off = *cursor ? *cursor : DMAR_BODY;

	if (!tbl || len > UINT32_MAX || off >= len)
		return -E_NOENT;
	if (len - off < 4)
		return -E_INVAL;
	ref->off = off;
	ref->type = rd16(b + off);
	ref->len = rd16(b + off + 2);
	if (ref->len < 4 || ref->len > len - off)
		return -E_INVAL;
	*cursor = off + ref->len;
	return 0;
}

/* Count a structure of a type this code does not know, per type. */
static void dmar_other(struct dmar_info *di, uint16_t type)
{
	uint32_t i;

	di->other_count++;
	for (i = 0; i < di->nother_types; i++)
		if (di->other_type[i] == type)
			break;
	if (i == di->nother_types) {
		if (i >= DMAR_MAX_OTHER_TYPES) {
			di->overflow++;
			return;
		}
		di->other_type[di->nother_types++] = type;
	}
	di->other_type_count[i]++;
}

int dmar_parse_body(const void *tbl, size_t len, struct dmar_info *out)
{
	const uint8_t *b = tbl;
	size_t off;
	int err;

	memset(out, 0, sizeof(*out));
	if (!tbl || len < DMAR_BODY)
		return acpi_diag_fail(&out->diag, -E_INVAL,
				      "DMAR: %zu bytes, too short for the 48-byte fixed part",
				      tbl ? len : 0);
	if (len > UINT32_MAX)
		return acpi_diag_fail(&out->diag, -E_INVAL, "DMAR: table larger than 4 GiB");
	out->host_address_width = (uint8_t)(b[36] + 1);
	out->flags = b[37];
	for (off = DMAR_BODY; off < len;) {
		uint16_t type, slen;

		if (len - off < 4)
			return acpi_diag_fail(&out->diag, -E_INVAL,
					      "DMAR: %zu stray byte(s) at offset 0x%zx", len - off,
					      off);
		type = rd16(b + off);
		slen = rd16(b + off + 2);
		if (slen < 4)
			return acpi_diag_fail(&out->diag, -E_INVAL,
					      "DMAR: structure type %u at offset 0x%zx has length "
					      "%u; rest of table ignored",
					      type, off, slen);
		if (slen > len - off)
			return acpi_diag_fail(&out->diag, -E_INVAL,
					      "DMAR: structure type %u at offset 0x%zx (length %u) "
					      "runs past the table end 0x%zx",
					      type, off, slen, len);
		if (type < DMAR_NTYPES && slen < dmar_min_len[type])
			return acpi_diag_fail(
			    &out->diag, -E_INVAL,
			    "DMAR: structure type %u at offset 0x%zx has length %u, needs %u", type,
			    off, slen, dmar_min_len[type]);
		if (type < DMAR_NTYPES) {
			err = dmar_struct(out, b, (uint32_t)off, type, slen);
			if (err)
				return err;
		} else {
			dmar_other(out, type);
		}
		off += slen;
	}
	return 0;
}

int dmar_parse(const void *tbl, size_t len, struct dmar_info *out)
{
	size_t tlen;
	int err;

	memset(out, 0, sizeof(*out));
	err = acpi_sdt_check(tbl, len, "DMAR", &tlen, &out->diag);
	if (err)
		return err;
	return dmar_parse_body(tbl, tlen, out);
}

int dmar_summary(const struct dmar_info *di, char *buf, size_t n)
{
	return fmt_snprintf(buf, n, "DMAR: %u-bit, %u DRHD%s, %u RMRR%s%s", di->host_address_width,
			    di->count[DMAR_T_DRHD], di->count[DMAR_T_DRHD] == 1 ? "" : "s",
			    di->count[DMAR_T_RMRR], di->count[DMAR_T_RMRR] == 1 ? "" : "s",
			    (di->flags & DMAR_F_INTR_REMAP) ? ", interrupt remapping" : "");
}
