/*
 * sdt.h - pieces every ACPI table parser shares.
 *
 * The 36-byte System Description Table header (ACPI 6.5 section 5.2.6), the
 * byte checksum, the Generic Address Structure (5.2.3.2) and the diagnostic
 * record that every parser fills in when it meets bad firmware data.
 *
 * Parsers in lib/acpi take the table as bytes (tbl, len), never as an
 * address; len is how many bytes the caller has mapped. A table whose own
 * length field is smaller than 36 or larger than len is rejected. Nothing
 * here prints or allocates: errors come back as a negative code from
 * base/err.h and a human-readable line in struct acpi_diag, which the caller
 * logs.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define ACPI_SDT_HDR_LEN 36
#define ACPI_DIAG_MSG_LEN 128

/* What went wrong (err) or looked wrong (warnings) while parsing a table. */
struct acpi_diag {
	int err;		     /* 0, or the negative code that stopped parsing */
	uint32_t warnings;	     /* non-fatal firmware problems seen */
	char msg[ACPI_DIAG_MSG_LEN]; /* the error; else the first warning; else "" */
};

/* The common table header, decoded. Strings are raw bytes, not terminated. */
struct acpi_sdt_hdr {
	uint8_t signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	uint8_t oem_id[6];
	uint8_t oem_table_id[8];
	uint32_t oem_revision;
	uint8_t creator_id[4];
	uint32_t creator_revision;
};

/* Generic Address Structure: where a register lives. */
struct acpi_gas {
	uint8_t space_id; /* ACPI_GAS_MEMORY, ACPI_GAS_IO, ... */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size; /* 0 undefined, 1 byte, 2 word, 3 dword, 4 qword */
	uint64_t address;
};

#define ACPI_GAS_LEN 12
#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO 1
#define ACPI_GAS_PCI_CONFIG 2

/* Sum of len bytes modulo 256; a valid table sums to 0. */
uint8_t acpi_checksum(const void *p, size_t len);

/* Decode the 36-byte header at tbl; -E_INVAL if len < 36. No other checks. */
MUST_CHECK int acpi_sdt_parse(const void *tbl, size_t len, struct acpi_sdt_hdr *out);

/* True when the table's first four bytes are sig (e.g. "APIC"). */
bool acpi_sdt_sig_is(const void *tbl, size_t len, const char *sig);

/*
 * Check a table before its body is parsed: header present, signature is sig
 * (NULL skips this), 36 <= length field <= len, checksum over length is 0.
 * On success *tlen is the table's own length (the bytes the body may use).
 * On failure the error is also recorded in dg (which may be NULL).
 */
MUST_CHECK int acpi_sdt_check(const void *tbl, size_t len, const char *sig, size_t *tlen,
			      struct acpi_diag *dg);

/* Decode a 12-byte Generic Address Structure at p (caller checked bounds). */
void acpi_gas_read(const void *p, struct acpi_gas *out);

/*
 * Copy a fixed-width header string (n raw bytes) into out (n + 1 bytes) the
 * way ACPICA shows it: stop at the first NUL, show non-printable bytes as a
 * space. Returns out.
 */
char *acpi_sdt_str(const uint8_t *raw, size_t n, char *out);

/* Reset dg to "no problem". */
void acpi_diag_clear(struct acpi_diag *dg);

/* Record a fatal problem ("MADT: ..."), return err so callers can `return`. */
int acpi_diag_fail(struct acpi_diag *dg, int err, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Record a non-fatal problem; only the first warning's text is kept. */
void acpi_diag_warn(struct acpi_diag *dg, const char *fmt, ...) PRINTF_LIKE(2, 3);
