/*
 * acpi_fuzz.h - the shape every static-table fuzz target shares.
 *
 * ACPI_FUZZ_TARGET(prefix, "SIG", checks) defines LLVMFuzzerTestOneInput for
 * prefix_parse()/prefix_parse_body(). Each input goes through the full
 * parser as it is (header, length and checksum checks), through the body
 * parser directly, and through the full parser again with signature,
 * length field and checksum repaired, so the fuzzer reaches the body behind
 * those checks. Every copy is exactly as long as the input, so ASan catches
 * any read past its end. `checks` runs on a successful parse with `info`
 * in scope (summaries, accessors).
 */
#pragma once
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "acpi/sdt.h"

/* Copy data; with fix, give it signature sig, length = size, a valid checksum. */
static inline uint8_t *acpi_fuzz_copy(const uint8_t *data, size_t size, const char *sig)
{
	uint8_t *b = malloc(size ? size : 1);
	uint32_t len = (uint32_t)size;

	if (!b)
		return NULL;
	memcpy(b, data, size);
	if (sig && size >= ACPI_SDT_HDR_LEN) {
		memcpy(b, sig, 4);
		memcpy(b + 4, &len, 4);
		b[9] = 0;
		b[9] = (uint8_t)(0x100 - acpi_checksum(b, size));
	}
	return b;
}

#define ACPI_FUZZ_TARGET(prefix, sig, checks)                                                      \
	static struct prefix##_info info;                                                          \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                               \
	{                                                                                          \
		char line[160];                                                                    \
		uint8_t *b;                                                                        \
		if (size > (1u << 20))                                                             \
			return 0;                                                                  \
		if (!(b = acpi_fuzz_copy(data, size, NULL)))                                       \
			return 0;                                                                  \
		(void)!prefix##_parse(b, size, &info);                                             \
		(void)!prefix##_parse_body(b, size, &info);                                        \
		free(b);                                                                           \
		if (!(b = acpi_fuzz_copy(data, size, sig)))                                        \
			return 0;                                                                  \
		if (prefix##_parse(b, size, &info) == 0) {                                         \
			prefix##_summary(&info, line, sizeof(line));                               \
			checks;                                                                    \
		}                                                                                  \
		free(b);                                                                           \
		return 0;                                                                          \
	}
