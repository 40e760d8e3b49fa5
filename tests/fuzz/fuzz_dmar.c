/*
 * fuzz_dmar.c - libFuzzer target for dmar_parse().
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
#include "acpi/dmar.h"
#include "acpi/sdt.h"

static struct dmar_info info;

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

/* Walk every structure and every device scope the parser accepted. */
static void fuzz_dmar_walk(const uint8_t *b, size_t size)
{
	struct dmar_ref ref;
	struct dmar_scope sc;
	uint32_t cur = 0, off;

	while (dmar_next(b, size, &cur, &ref) == 0)
		;
	for (uint32_t i = 0; i < info.ndrhds; i++) {
		off = info.drhds[i].scope_off;
		while (dmar_scope_next(b, info.drhds[i].scope_end, &off, &sc) == 0)
			for (unsigned k = 0; k < sc.npath * 2u; k++)
				(void)*(volatile const uint8_t *)&sc.path[k];
	}
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
	(void)!dmar_parse(b, size, &info);
	(void)!dmar_parse_body(b, size, &info);
	free(b);
	b = fuzz_fixup(data, size, "DMAR");
	if (!b)
		return 0;
	if (dmar_parse(b, size, &info) == 0) {
		dmar_summary(&info, line, sizeof(line));
		fuzz_dmar_walk(b, size);
	}
	free(b);
	return 0;
}
