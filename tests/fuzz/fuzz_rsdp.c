/*
 * fuzz_rsdp.c - libFuzzer target for rsdp_validate(), rsdp_scan(),
 * rsdp_root() and acpi_root_entries().
 *
 * The input is validated as an RSDP as it is and with its signature and
 * checksums repaired, scanned as a BIOS area, and read as an RSDT and as an
 * XSDT (with signature, length and checksum repaired so the entry loop is
 * reached). Copies are exactly as long as the input, so ASan sees overreads.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "acpi/rsdp.h"
#include "acpi/sdt.h"

static uint64_t addrs[64];

static void fuzz_rsdp_fixed(const uint8_t *data, size_t size)
{
	struct rsdp_info ri;
	uint8_t *b = malloc(size ? size : 1);
	char line[128];

	if (!b)
		return;
	memcpy(b, data, size);
	if (size >= RSDP_V1_LEN) {
		memcpy(b, "RSD PTR ", 8);
		b[8] = 0;
		b[8] = (uint8_t)(0x100 - acpi_checksum(b, RSDP_V1_LEN));
	}
	if (size >= RSDP_V2_LEN) {
		uint32_t xlen;

		memcpy(&xlen, b + 20, 4);
		if (xlen >= RSDP_V2_LEN && xlen <= size) {
			b[32] = 0;
			b[32] = (uint8_t)(0x100 - acpi_checksum(b, xlen));
		}
	}
	if (rsdp_validate(b, size, &ri) == 0) {
		bool x;

		(void)rsdp_root(&ri, &x);
		rsdp_summary(&ri, line, sizeof(line));
	}
	free(b);
}

static void fuzz_root(const uint8_t *data, size_t size, const char *sig)
{
	uint8_t *b = malloc(size ? size : 1);
	uint32_t len = (uint32_t)size;
	struct acpi_diag dg;
	size_t n;

	if (!b)
		return;
	memcpy(b, data, size);
	acpi_diag_clear(&dg);
	(void)!acpi_root_entries(b, size, addrs, 64, &n, &dg);
	if (size >= ACPI_SDT_HDR_LEN) {
		memcpy(b, sig, 4);
		memcpy(b + 4, &len, 4);
		b[9] = 0;
		b[9] = (uint8_t)(0x100 - acpi_checksum(b, size));
		(void)!acpi_root_entries(b, size, addrs, data[0] & 1 ? 64 : 3, &n, &dg);
	}
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rsdp_info ri;
	size_t off;
	uint8_t *b;

	if (size > (1u << 20))
		return 0;
	b = malloc(size ? size : 1);
	if (!b)
		return 0;
	memcpy(b, data, size);
	(void)!rsdp_validate(b, size, &ri);
	(void)!rsdp_scan(b, size, &off, &ri);
	free(b);
	fuzz_rsdp_fixed(data, size);
	fuzz_root(data, size, "RSDT");
	fuzz_root(data, size, "XSDT");
	return 0;
}
