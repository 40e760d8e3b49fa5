/*
 * slit.h - the System Locality Information Table ("SLIT", ACPI 6.5 5.2.17).
 *
 * The SLIT is an N x N matrix of relative memory distances between
 * proximity domains (localities). slit_parse() checks that N*N bytes fit in
 * the table and records N and where the matrix starts; the matrix itself is
 * read from the caller's bytes with slit_distance(), so the caller must keep
 * the table mapped while it uses the result. Distances: 10 means local, 255
 * unreachable, 0-9 are invalid; a diagonal that is not 10 raises a warning.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "acpi/sdt.h"
#include "base/compiler.h"

struct slit_info {
	uint64_t localities;   /* N */
	const uint8_t *matrix; /* N*N bytes, row-major, inside the caller's table */
	struct acpi_diag diag;
};

/* Parse the SLIT in tbl[0..len); 0 or -E_* (e.g. N*N past the table end). */
MUST_CHECK int slit_parse(const void *tbl, size_t len, struct slit_info *out);

/*
 * As slit_parse, but no signature, length-field or checksum check: len is
 * taken as the table length. For fuzzing, and for a caller that chooses to
 * use a table with a bad checksum after logging it (as Linux does).
 */
MUST_CHECK int slit_parse_body(const void *tbl, size_t len, struct slit_info *out);

/* Distance from locality i to j; 255 (unreachable) when i or j is out of range. */
uint8_t slit_distance(const struct slit_info *si, uint64_t i, uint64_t j);

/* One log line, e.g. "SLIT: 4 localities". */
int slit_summary(const struct slit_info *si, char *buf, size_t n);
