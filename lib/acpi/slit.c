/*
 * slit.c - parse the SLIT (see slit.h).
 *
 * Layout (ACPI 6.5 5.2.17): header(36), Number of System Localities u64 at
 * 36, then the N*N byte matrix from offset 44, row i holding the distances
 * from locality i to every locality j.
 */
#include <string.h>
#include "acpi/slit.h"
#include "base/bytes.h"
#include "base/err.h"
#include "fmt/fmt.h"

#define SLIT_BODY 44

int slit_parse_body(const void *tbl, size_t len, struct slit_info *out)
{
	const uint8_t *b = tbl;
	uint64_t n, room;

	memset(out, 0, sizeof(*out));
	if (!tbl || len < SLIT_BODY)
		return acpi_diag_fail(&out->diag, -E_INVAL,
				      "SLIT: %zu bytes, too short for the 44-byte fixed part",
				      tbl ? len : 0);
	n = rd64(b + 36);
	room = len - SLIT_BODY;
	if (n == 0)
		return acpi_diag_fail(&out->diag, -E_INVAL, "SLIT: zero localities");
	/* n*n <= room without overflowing: n <= room / n */
	if (n > room / n)
		return acpi_diag_fail(
		    &out->diag, -E_INVAL,
		    "SLIT: %llu localities need %s bytes of matrix, table has %llu",
		    (unsigned long long)n, n > 0xffffffffull ? "too many" : "more",
		    (unsigned long long)room);
	out->localities = n;
	out->matrix = b + SLIT_BODY;
	for (uint64_t i = 0; i < n; i++) {
		if (out->matrix[i * n + i] != 10) {
			acpi_diag_warn(&out->diag,
				       "SLIT: distance from locality %llu to itself is %u, not 10",
				       (unsigned long long)i, out->matrix[i * n + i]);
			break;
		}
	}
	return 0;
}

int slit_parse(const void *tbl, size_t len, struct slit_info *out)
{
	size_t tlen;
	int err;

	memset(out, 0, sizeof(*out));
	err = acpi_sdt_check(tbl, len, "SLIT", &tlen, &out->diag);
	if (err)
		return err;
	return slit_parse_body(tbl, tlen, out);
}

uint8_t slit_distance(const struct slit_info *si, uint64_t i, uint64_t j)
{
	if (!si->matrix || i >= si->localities || j >= si->localities)
		return 255;
	return si->matrix[i * si->localities + j];
}

int slit_summary(const struct slit_info *si, char *buf, size_t n)
{
	return fmt_snprintf(buf, n, "SLIT: %llu localit%s", (unsigned long long)si->localities,
			    si->localities == 1 ? "y" : "ies");
}
