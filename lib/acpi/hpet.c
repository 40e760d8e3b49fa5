/*
 * hpet.c - parse the HPET description table (see hpet.h).
 *
 * Layout (IA-PC HPET 1.0a table 3): header(36), Event Timer Block ID u32 at
 * 36, Base Address GAS (12 bytes) at 40, HPET Number u8 at 52, Main Counter
 * Minimum Clock Tick u16 at 53, Page Protection and OEM attribute u8 at 55.
 */
#include <string.h>
#include "acpi/hpet.h"
#include "base/bytes.h"
#include "base/err.h"
#include "fmt/fmt.h"

#define HPET_LEN 56

int hpet_parse_body(const void *tbl, size_t len, struct hpet_info *out)
{
	const uint8_t *b = tbl;

	memset(out, 0, sizeof(*out));
	if (!tbl || len < HPET_LEN)
		return acpi_diag_fail(&out->diag, -E_INVAL, "HPET: %zu bytes, needs %d",
				      tbl ? len : 0, HPET_LEN);
	out->block_id = rd32(b + 36);
	acpi_gas_read(b + 40, &out->base);
	out->number = b[52];
	out->min_tick = rd16(b + 53);
	out->flags = b[55];
	if (out->base.space_id != ACPI_GAS_MEMORY)
		acpi_diag_warn(&out->diag, "HPET: base address is in space %u, not memory",
			       out->base.space_id);
	return 0;
}

int hpet_parse(const void *tbl, size_t len, struct hpet_info *out)
{
	size_t tlen;
	int err;

	memset(out, 0, sizeof(*out));
	err = acpi_sdt_check(tbl, len, "HPET", &tlen, &out->diag);
	if (err)
		return err;
	return hpet_parse_body(tbl, tlen, out);
}

int hpet_summary(const struct hpet_info *hi, char *buf, size_t n)
{
	return fmt_snprintf(buf, n, "HPET: %u comparators at 0x%llx, min tick %u, %s counter",
			    hpet_comparators(hi), (unsigned long long)hi->base.address,
			    hi->min_tick, hpet_counter_64bit(hi) ? "64-bit" : "32-bit");
}
