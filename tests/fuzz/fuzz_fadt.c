/*
 * fuzz_fadt.c - libFuzzer target for fadt_parse().
 *
 * Each input goes through the full parser as it is (header, length and
 * checksum checks), through the body parser directly, and through the full
 * parser again with its signature, length field and checksum repaired (so
 * the fuzzer reaches the body behind those checks). The copy is
 * exactly as long as the input, so ASan catches any read past its end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "acpi/fadt.h"
#include "acpi/sdt.h"

static struct fadt_info info;

/* Copy data, give it signature sig, length = size and a valid checksum. */
static uint8_t *fuzz_fixup(const uint8_t *data, size_t size, const char *sig)
{
	uint8_t *b = malloc(size ? size : 1);
	uint32_t len = (uint32_t)size;

	if (!b)
		return NULL;
	memcpy(b, data, size);
	if (size >= ACPI_SDT_HDR_LEN) {
		memcpy(b, sig, 4);
		memcpy(b + 4, &len, 4);
		b[9] = 0;
		b[9] = (uint8_t)(0x100 - acpi_checksum(b, size));
	}
	return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[160];
	uint8_t *b;

	if (size > (1u << 20))
		return 0;
	b = malloc(size ? size : 1);
	if (!b)
		return 0;
	memcpy(b, data, size);
	(void)!fadt_parse(b, size, &info);
	(void)!fadt_parse_body(b, size, &info);
	free(b);
	b = fuzz_fixup(data, size, "FACP");
	if (!b)
		return 0;
	if (fadt_parse(b, size, &info) == 0) {
		fadt_summary(&info, line, sizeof(line));
		(void)fadt_dsdt(&info), (void)fadt_facs(&info);
	}
	free(b);
	return 0;
}
