/*
 * mcfg.c - parse the MCFG (see mcfg.h).
 *
 * Layout: header(36), 8 reserved bytes, then n allocations of 16 bytes from
 * offset 44: base address u64 @0, segment group u16 @8, start bus u8 @10,
 * end bus u8 @11, 4 reserved bytes.
 */
#include <string.h>
#include "acpi/mcfg.h"
#include "base/bytes.h"
#include "base/err.h"
#include "fmt/fmt.h"

#define MCFG_BODY 44
#define MCFG_ENTRY_LEN 16

int mcfg_parse_body(const void *tbl, size_t len, struct mcfg_info *out)
{
	const uint8_t *b = tbl;

	memset(out, 0, sizeof(*out));
	if (!tbl || len < MCFG_BODY)
		return acpi_diag_fail(&out->diag, -E_INVAL,
				      "MCFG: %zu bytes, too short for the 44-byte fixed part",
				      tbl ? len : 0);
	if ((len - MCFG_BODY) % MCFG_ENTRY_LEN != 0)
		return acpi_diag_fail(&out->diag, -E_INVAL,
				      "MCFG: length %zu is not 44 + 16*n: last allocation is cut",
				      len);
	for (size_t off = MCFG_BODY; off < len; off += MCFG_ENTRY_LEN) {
		struct mcfg_entry e = {
		    .base = rd64(b + off),
		    .segment = rd16(b + off + 8),
		    .bus_start = b[off + 10],
		    .bus_end = b[off + 11],
		};

		if (e.bus_start > e.bus_end)
			acpi_diag_warn(&out->diag,
				       "MCFG: segment %u start bus %u is above end bus %u",
				       e.segment, e.bus_start, e.bus_end);
		if (out->nentries >= MCFG_MAX_ENTRIES) {
			out->overflow++;
			acpi_diag_warn(&out->diag, "MCFG: more than %d allocations, extra dropped",
				       MCFG_MAX_ENTRIES);
			continue;
		}
		out->entries[out->nentries++] = e;
	}
	return 0;
}

int mcfg_parse(const void *tbl, size_t len, struct mcfg_info *out)
{
	size_t tlen;
	int err;

	memset(out, 0, sizeof(*out));
	err = acpi_sdt_check(tbl, len, "MCFG", &tlen, &out->diag);
	if (err)
		return err;
	return mcfg_parse_body(tbl, tlen, out);
}

int mcfg_summary(const struct mcfg_info *mi, char *buf, size_t n)
{
	if (mi->nentries == 0)
		return fmt_snprintf(buf, n, "MCFG: no allocations");
	return fmt_snprintf(buf, n, "MCFG: %u allocation%s, first seg %u bus %u-%u at 0x%llx",
			    mi->nentries, mi->nentries == 1 ? "" : "s", mi->entries[0].segment,
			    mi->entries[0].bus_start, mi->entries[0].bus_end,
			    (unsigned long long)mi->entries[0].base);
}
