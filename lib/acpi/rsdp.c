/*
 * rsdp.c - validate and find the RSDP; read RSDT/XSDT entries (see rsdp.h).
 *
 * RSDP layout (ACPI 6.5 table 5.3): "RSD PTR " @0, checksum u8 @8 (first 20
 * bytes), OEM id [6] @9, revision u8 @15, RSDT address u32 @16; from
 * revision 2: length u32 @20, XSDT address u64 @24, extended checksum u8 @32
 * (whole structure), 3 reserved bytes.
 */
#include <string.h>
#include "acpi/rsdp.h"
#include "base/bytes.h"
#include "base/err.h"
#include "fmt/fmt.h"

int rsdp_validate(const void *p, size_t len, struct rsdp_info *out)
{
	const uint8_t *b = p;
	uint32_t xlen;

	memset(out, 0, sizeof(*out));
	if (!p || len < RSDP_V1_LEN)
		return acpi_diag_fail(&out->diag, -E_INVAL, "RSDP: only %zu bytes", p ? len : 0);
	if (memcmp(b, "RSD PTR ", 8) != 0)
		return acpi_diag_fail(&out->diag, -E_INVAL, "RSDP: no \"RSD PTR \" signature");
	if (acpi_checksum(b, RSDP_V1_LEN) != 0)
		return acpi_diag_fail(&out->diag, -E_BADMSG,
				      "RSDP: bad checksum over the first 20 bytes");
	memcpy(out->oem_id, b + 9, 6);
	out->revision = b[15];
	out->rsdt_address = rd32(b + 16);
	out->length = RSDP_V1_LEN;
	if (out->revision < 2)
		return 0;
	if (len < RSDP_V2_LEN)
		return acpi_diag_fail(&out->diag, -E_INVAL,
				      "RSDP: revision %u needs 36 bytes, only %zu", out->revision,
				      len);
	xlen = rd32(b + 20);
	if (xlen < RSDP_V2_LEN || xlen > len)
		return acpi_diag_fail(
		    &out->diag, -E_INVAL,
		    "RSDP: length field %u is below 36 or past the %zu bytes given", xlen, len);
	if (acpi_checksum(b, xlen) != 0)
		return acpi_diag_fail(&out->diag, -E_BADMSG, "RSDP: bad extended checksum");
	out->length = xlen;
	out->xsdt_address = rd64(b + 24);
	return 0;
}

int rsdp_scan(const void *buf, size_t len, size_t *off, struct rsdp_info *out)
{
	const uint8_t *b = buf;

	memset(out, 0, sizeof(*out));
	if (!buf)
		return -E_NOENT;
	for (size_t i = 0; i + RSDP_V1_LEN <= len; i += 16) {
		if (memcmp(b + i, "RSD PTR ", 8) != 0)
			continue;
		/* a candidate with a bad checksum is skipped: keep looking */
		if (rsdp_validate(b + i, len - i, out) == 0) {
			*off = i;
			return 0;
		}
	}
	memset(out, 0, sizeof(*out));
	return acpi_diag_fail(&out->diag, -E_NOENT, "RSDP: no valid RSDP in %zu bytes", len);
}

uint64_t rsdp_root(const struct rsdp_info *ri, bool *is_xsdt)
{
	bool x = ri->revision >= 2 && ri->xsdt_address != 0;

	if (is_xsdt)
		*is_xsdt = x;
	return x ? ri->xsdt_address : ri->rsdt_address;
}

int acpi_root_entries(const void *tbl, size_t len, uint64_t *addrs, size_t cap, size_t *count,
		      struct acpi_diag *dg)
{
	const uint8_t *b = tbl;
	size_t tlen, esize, n;
	int err;

	*count = 0;
	if (acpi_sdt_sig_is(tbl, len, "XSDT"))
		esize = 8;
	else if (acpi_sdt_sig_is(tbl, len, "RSDT"))
		esize = 4;
	else
		return acpi_diag_fail(dg, -E_INVAL,
				      "root table: signature is neither RSDT nor XSDT");
	err = acpi_sdt_check(tbl, len, esize == 8 ? "XSDT" : "RSDT", &tlen, dg);
	if (err)
		return err;
	if ((tlen - ACPI_SDT_HDR_LEN) % esize)
		return acpi_diag_fail(dg, -E_INVAL, "%s: length %zu is not 36 + %zu*n",
				      esize == 8 ? "XSDT" : "RSDT", tlen, esize);
	n = (tlen - ACPI_SDT_HDR_LEN) / esize;
	*count = n;
	for (size_t i = 0; i < n && i < cap; i++) {
		const uint8_t *e = b + ACPI_SDT_HDR_LEN + i * esize;

		addrs[i] = esize == 8 ? rd64(e) : rd32(e);
	}
	if (n > cap)
		return acpi_diag_fail(dg, -E_OVERFLOW, "%s: %zu entries, room for %zu",
				      esize == 8 ? "XSDT" : "RSDT", n, cap);
	return 0;
}

int rsdp_summary(const struct rsdp_info *ri, char *buf, size_t n)
{
	char oem[7];
	bool x;
	uint64_t root = rsdp_root(ri, &x);

	return fmt_snprintf(buf, n, "RSDP: rev %u OEM \"%s\", %s at 0x%llx", ri->revision,
			    acpi_sdt_str(ri->oem_id, 6, oem), x ? "XSDT" : "RSDT",
			    (unsigned long long)root);
}
