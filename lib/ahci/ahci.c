/*
 * ahci.c - AHCI command structures, ATA command FISes, PRDTs, IDENTIFY
 * data and port signatures (ahci/ahci.h). Section numbers are AHCI
 * 1.3.1's; IDENTIFY words are ATA8-ACS's. Everything is little-endian
 * bytes in caller-owned buffers. Locking: none.
 */
#include <string.h>
#include "ahci/ahci.h"
#include "base/err.h"

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t word(const uint8_t *id, unsigned w)
{
	return (uint16_t)(id[2 * w] | id[2 * w + 1] << 8);
}

enum ahci_dev_kind ahci_port_kind(uint32_t ssts, uint32_t sig)
{
	if (AHCI_SSTS_DET(ssts) != AHCI_DET_PRESENT || AHCI_SSTS_IPM(ssts) != AHCI_IPM_ACTIVE)
		return AHCI_DEV_NONE;
	if (sig == AHCI_SIG_ATA)
		return AHCI_DEV_ATA;
	if (sig == AHCI_SIG_ATAPI)
		return AHCI_DEV_ATAPI;
	return AHCI_DEV_OTHER;
}

const char *ahci_kind_name(enum ahci_dev_kind k)
{
	switch (k) {
	case AHCI_DEV_ATA:
		return "SATA disk";
	case AHCI_DEV_ATAPI:
		return "ATAPI";
	case AHCI_DEV_NONE:
		return "none";
	default:
		return "other";
	}
}

/* A Register H2D FIS with the C bit (a command, not a control update). */
static void fis_h2d(uint8_t cfis[AHCI_FIS_H2D_LEN], uint8_t cmd)
{
	memset(cfis, 0, AHCI_FIS_H2D_LEN);
	cfis[0] = AHCI_FIS_TYPE_H2D;
	cfis[1] = 0x80; /* C = 1, port multiplier port 0 */
	cfis[2] = cmd;
}

void ahci_fis_identify(uint8_t cfis[AHCI_FIS_H2D_LEN])
{
	fis_h2d(cfis, ATA_CMD_IDENTIFY);
}

int ahci_fis_rw(uint8_t cfis[AHCI_FIS_H2D_LEN], bool write, uint64_t lba, uint32_t count)
{
	if (count == 0 || count > 65536 || lba >> 48 || (lba + count - 1) >> 48)
		return -E_INVAL;
	fis_h2d(cfis, write ? ATA_CMD_WRITE_DMA_EXT : ATA_CMD_READ_DMA_EXT);
	cfis[4] = (uint8_t)lba;
	cfis[5] = (uint8_t)(lba >> 8);
	cfis[6] = (uint8_t)(lba >> 16);
	cfis[7] = 0x40; /* Device: LBA addressing */
	cfis[8] = (uint8_t)(lba >> 24);
	cfis[9] = (uint8_t)(lba >> 32);
	cfis[10] = (uint8_t)(lba >> 40);
	cfis[12] = (uint8_t)count; /* 65536 is written as 0 */
	cfis[13] = (uint8_t)(count >> 8);
	return 0;
}

int ahci_fis_fpdma(uint8_t cfis[AHCI_FIS_H2D_LEN], bool write, uint64_t lba, uint32_t count,
		   unsigned tag)
{
	if (tag > 31)
		return -E_INVAL;
	int r = ahci_fis_rw(cfis, write, lba, count); /* the LBA, the Device byte, the checks */
	if (r < 0)
		return r;
	cfis[2] = write ? ATA_CMD_WRITE_FPDMA : ATA_CMD_READ_FPDMA;
	cfis[3] = (uint8_t)count; /* FEATURE 7:0 and 15:8: the sector count */
	cfis[11] = (uint8_t)(count >> 8);
	cfis[12] = (uint8_t)(tag << 3); /* COUNT 7:3: the tag */
	cfis[13] = 0;			/* COUNT 15:8: priority 0 */
	return 0;
}

void ahci_fis_flush(uint8_t cfis[AHCI_FIS_H2D_LEN], bool lba48)
{
	fis_h2d(cfis, lba48 ? ATA_CMD_FLUSH_CACHE_EXT : ATA_CMD_FLUSH_CACHE);
	cfis[7] = 0x40;
}

void ahci_cmd_hdr(uint8_t hdr[AHCI_CMD_HDR_LEN], bool write, unsigned prdtl, uint64_t ctba)
{
	memset(hdr, 0, AHCI_CMD_HDR_LEN);
	/* DW0: CFL (FIS length in dwords) 4:0, W bit 6, PRDTL 31:16 (§4.2.2). */
	uint32_t dw0 =
	    AHCI_FIS_H2D_LEN / 4 | (write ? 1u << 6 : 0) | (uint32_t)(prdtl & 0xffff) << 16;
	put32(hdr, dw0);
	put32(hdr + 8, (uint32_t)ctba & ~0x7fu);
	put32(hdr + 12, (uint32_t)(ctba >> 32));
}

int ahci_prdt_build(uint8_t *prdt, unsigned max, uint64_t bus, uint32_t len)
{
	if (len == 0 || (len & 1) || (bus & 1))
		return -E_INVAL;
	unsigned n = 0;
	while (len) {
		if (n == max)
			return -E_NOSPC;
		uint32_t part = len < AHCI_PRD_MAX ? len : AHCI_PRD_MAX;
		uint8_t *e = prdt + (size_t)n * AHCI_PRD_LEN;
		put32(e, (uint32_t)bus);
		put32(e + 4, (uint32_t)(bus >> 32));
		put32(e + 8, 0);
		put32(e + 12, part - 1); /* DBC: bytes minus one, bit 0 always 1 (§4.2.3.3) */
		bus += part;
		len -= part;
		n++;
	}
	return (int)n;
}

/*
 * An ATA string of words [first, first + n): two characters per word,
 * the first in the high byte. Unprintable bytes become '?'; leading and
 * trailing spaces go.
 */
static void ata_string(const uint8_t *id, unsigned first, unsigned n, char *out)
{
	size_t len = 0;
	for (unsigned w = first; w < first + n; w++) {
		uint16_t v = word(id, w);
		out[len++] = (char)(v >> 8);
		out[len++] = (char)(v & 0xff);
	}
	for (size_t i = 0; i < len; i++)
		if (out[i] < 0x20 || out[i] >= 0x7f)
			out[i] = out[i] ? '?' : ' ';
	while (len && out[len - 1] == ' ')
		len--;
	size_t lead = 0;
	while (lead < len && out[lead] == ' ')
		lead++;
	memmove(out, out + lead, len - lead);
	out[len - lead] = '\0';
}

/* Is a feature word valid (bits 15:14 == 01, ATA8-ACS's convention)? */
static bool valid_word(uint16_t v)
{
	return (v & 0xc000) == 0x4000;
}

int ata_id_parse(const uint8_t id[ATA_ID_LEN], struct ata_id *out)
{
	memset(out, 0, sizeof *out);
	ata_string(id, 10, 10, out->serial);
	ata_string(id, 23, 4, out->firmware);
	ata_string(id, 27, 20, out->model);
	if (word(id, 0) & 0x8000)
		return -E_INVAL; /* word 0 bit 15: not an ATA device */
	if (!(word(id, 49) & (1u << 9)))
		return -E_INVAL; /* no LBA: CHS only */
	uint16_t w83 = word(id, 83);
	if (valid_word(w83)) {
		out->lba48 = (w83 & (1u << 10)) != 0;
		out->flush = (w83 & (1u << 12)) != 0;
		out->flush_ext = (w83 & (1u << 13)) != 0;
	}
	uint64_t lba28 = (uint64_t)word(id, 60) | (uint64_t)word(id, 61) << 16;
	uint64_t lba48 = 0;
	for (unsigned i = 0; i < 4; i++)
		lba48 |= (uint64_t)word(id, 100 + i) << (16 * i);
	lba48 &= (1ull << 48) - 1;
	out->sectors = out->lba48 && lba48 ? lba48 : lba28;
	if (!out->lba48)
		out->flush_ext = false;
	if (out->sectors == 0)
		return -E_INVAL;
	out->sector_size = 512;
	uint16_t w106 = word(id, 106);
	if (valid_word(w106) && (w106 & (1u << 12))) {
		/* words 117-118: the logical sector size in words */
		uint32_t words = (uint32_t)word(id, 117) | (uint32_t)word(id, 118) << 16;
		if (words < 256 || words > 2048 || (words & (words - 1)))
			return -E_INVAL;
		out->sector_size = words * 2;
	}
	uint16_t w76 = word(id, 76);
	if (w76 != 0 && w76 != 0xffff && (w76 & (1u << 8))) {
		out->ncq = true;
		out->queue_depth = (word(id, 75) & 0x1f) + 1u;
	}
	return 0;
}
