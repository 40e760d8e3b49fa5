/*
 * fuzz_ahci.c - libFuzzer target for the IDENTIFY DEVICE parser and the
 * PRDT builder (lib/ahci/ahci.c). The input, padded with zeros to 512
 * bytes (or cut), is parsed as IDENTIFY data: accepted data must have
 * sectors > 0 (< 2^48), a sector size that is a power of two in
 * 512..4096, a queue depth of 1..32 only with NCQ, and strings that are
 * NUL-terminated printable ASCII without leading or trailing spaces. Its
 * first 12 bytes are then a bus address and a length for the PRDT
 * builder, which must refuse or describe exactly that many bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ahci/ahci.h"

static void check_str(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	if (n == cap)
		abort();
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f)
			abort();
	if (n && (s[n - 1] == ' ' || s[0] == ' '))
		abort();
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[ATA_ID_LEN];
	memset(buf, 0, sizeof buf);
	memcpy(buf, data, size < sizeof buf ? size : sizeof buf);
	struct ata_id a;
	int r = ata_id_parse(buf, &a);
	check_str(a.model, sizeof a.model);
	check_str(a.serial, sizeof a.serial);
	check_str(a.firmware, sizeof a.firmware);
	if (r == 0) {
		if (a.sectors == 0 || a.sectors >> 48)
			abort();
		if (a.sector_size < 512 || a.sector_size > 4096 ||
		    (a.sector_size & (a.sector_size - 1)))
			abort();
		if (a.ncq ? a.queue_depth < 1 || a.queue_depth > 32 : a.queue_depth != 0)
			abort();
	}
	uint64_t bus = le32(buf) | (uint64_t)le32(buf + 4) << 32;
	uint32_t len = le32(buf + 8) & 0x3ffffff; /* up to 64 MiB */
	static uint8_t prdt[8 * AHCI_PRD_LEN];
	int n = ahci_prdt_build(prdt, 8, bus, len);
	if (n > 8)
		abort();
	if (n > 0) {
		uint64_t total = 0;
		for (int i = 0; i < n; i++) {
			uint32_t dbc = le32(prdt + i * AHCI_PRD_LEN + 12);
			if (!(dbc & 1) || dbc + 1 > AHCI_PRD_MAX)
				abort();
			total += dbc + 1;
		}
		if (total != len)
			abort();
	}
	return 0;
}
