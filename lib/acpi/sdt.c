/*
 * sdt.c - the ACPI table header, checksum, Generic Address Structure and
 * diagnostic helpers shared by the table parsers (see sdt.h).
 *
 * Header layout (ACPI 6.5 table 5.4): signature[4] length:u32 revision:u8
 * checksum:u8 oem_id[6] oem_table_id[8] oem_revision:u32 creator_id[4]
 * creator_revision:u32, 36 bytes, little-endian.
 */
#include <stdarg.h>
#include <string.h>
#include "acpi/sdt.h"
#include "base/bytes.h"
#include "base/err.h"
#include "fmt/fmt.h"

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + b[i]);
	return sum;
}

int acpi_sdt_parse(const void *tbl, size_t len, struct acpi_sdt_hdr *out)
{
	const uint8_t *b = tbl;

	if (!tbl || len < ACPI_SDT_HDR_LEN)
		return -E_INVAL;
	memcpy(out->signature, b, 4);
	out->length = rd32(b + 4);
	out->revision = rd8(b + 8);
	out->checksum = rd8(b + 9);
	memcpy(out->oem_id, b + 10, 6);
	memcpy(out->oem_table_id, b + 16, 8);
	out->oem_revision = rd32(b + 24);
	memcpy(out->creator_id, b + 28, 4);
	out->creator_revision = rd32(b + 32);
	return 0;
}

bool acpi_sdt_sig_is(const void *tbl, size_t len, const char *sig)
{
	return tbl && len >= 4 && memcmp(tbl, sig, 4) == 0;
}

int acpi_sdt_check(const void *tbl, size_t len, const char *sig, size_t *tlen, struct acpi_diag *dg)
{
	const char *tag = sig ? sig : "table";
	uint32_t length;

	if (!tbl || len < ACPI_SDT_HDR_LEN)
		return acpi_diag_fail(dg, -E_INVAL,
				      "%s: %zu bytes, shorter than the 36-byte header", tag,
				      tbl ? len : 0);
	if (sig && !acpi_sdt_sig_is(tbl, len, sig))
		return acpi_diag_fail(dg, -E_INVAL, "%s: wrong signature", tag);
	length = rd32((const uint8_t *)tbl + 4);
	if (length < ACPI_SDT_HDR_LEN)
		return acpi_diag_fail(dg, -E_INVAL, "%s: length field %u is below the header size",
				      tag, length);
	if (length > len)
		return acpi_diag_fail(dg, -E_INVAL,
				      "%s: truncated: length field says %u, only %zu bytes", tag,
				      length, len);
	if (acpi_checksum(tbl, length) != 0)
		return acpi_diag_fail(dg, -E_BADMSG,
				      "%s: bad checksum (bytes sum to 0x%02x, not 0)", tag,
				      acpi_checksum(tbl, length));
	*tlen = length;
	return 0;
}

void acpi_gas_read(const void *p, struct acpi_gas *out)
{
	const uint8_t *b = p;

	out->space_id = b[0];
	out->bit_width = b[1];
	out->bit_offset = b[2];
	out->access_size = b[3];
	out->address = rd64(b + 4);
}

char *acpi_sdt_str(const uint8_t *raw, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n && raw[i]; i++)
		out[i] = (raw[i] >= 0x20 && raw[i] < 0x7f) ? (char)raw[i] : ' ';
	out[i] = '\0';
	return out;
}

void acpi_diag_clear(struct acpi_diag *dg)
{
	if (!dg)
		return;
	dg->err = 0;
	dg->warnings = 0;
	dg->msg[0] = '\0';
}

int acpi_diag_fail(struct acpi_diag *dg, int err, const char *fmt, ...)
{
	va_list ap;

	if (!dg)
		return err;
	/* the first error wins: later ones are usually its consequences */
	if (dg->err == 0) {
		dg->err = err;
		va_start(ap, fmt);
		fmt_vsnprintf(dg->msg, sizeof(dg->msg), fmt, ap);
		va_end(ap);
	}
	return err;
}

void acpi_diag_warn(struct acpi_diag *dg, const char *fmt, ...)
{
	va_list ap;

	if (!dg)
		return;
	if (dg->warnings++ == 0 && dg->err == 0) {
		va_start(ap, fmt);
		fmt_vsnprintf(dg->msg, sizeof(dg->msg), fmt, ap);
		va_end(ap);
	}
}
