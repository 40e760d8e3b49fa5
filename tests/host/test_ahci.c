/*
 * test_ahci.c - the AHCI and ATA structures (lib/ahci): port signature
 * classification, Register H2D FISes for IDENTIFY, READ/WRITE DMA EXT and
 * READ/WRITE FPDMA QUEUED, FLUSH CACHE (EXT) byte by byte against SATA's FIS layout, the command
 * header's fields (AHCI 1.3.1 §4.2.2), PRDTs for one and several 4 MiB
 * entries and their refusals, and IDENTIFY DEVICE data built here as
 * QEMU's ide-hd gives it (model string byte order, LBA28/LBA48 counts,
 * logical sector size, NCQ depth, flush support) plus bad data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "ahci/ahci.h"
#include "base/err.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put16(uint8_t *id, unsigned w, uint16_t v)
{
	id[2 * w] = (uint8_t)v;
	id[2 * w + 1] = (uint8_t)(v >> 8);
}

/* An ATA string into words [first, first + n), space-padded, first char high. */
static void put_str(uint8_t *id, unsigned first, unsigned n, const char *s)
{
	char buf[64];
	memset(buf, ' ', sizeof buf);
	memcpy(buf, s, strlen(s));
	for (unsigned i = 0; i < n; i++)
		put16(id, first + i,
		      (uint16_t)((uint8_t)buf[2 * i] << 8 | (uint8_t)buf[2 * i + 1]));
}

static void test_port_kind(void **state)
{
	assert_int_equal(ahci_port_kind(0x123, AHCI_SIG_ATA), AHCI_DEV_ATA);
	assert_int_equal(ahci_port_kind(0x113, AHCI_SIG_ATAPI), AHCI_DEV_ATAPI);
	assert_int_equal(ahci_port_kind(0x113, AHCI_SIG_PM), AHCI_DEV_OTHER);
	assert_int_equal(ahci_port_kind(0x113, 0xffffffffu), AHCI_DEV_OTHER);
	assert_int_equal(ahci_port_kind(0x000, AHCI_SIG_ATA), AHCI_DEV_NONE);
	assert_int_equal(ahci_port_kind(0x101, AHCI_SIG_ATA), AHCI_DEV_NONE); /* DET 1: no PHY */
	assert_int_equal(ahci_port_kind(0x613, AHCI_SIG_ATA), AHCI_DEV_NONE); /* slumber */
	assert_string_equal(ahci_kind_name(AHCI_DEV_ATA), "SATA disk");
	assert_string_equal(ahci_kind_name(AHCI_DEV_ATAPI), "ATAPI");
}

static void test_fis(void **state)
{
	uint8_t f[AHCI_FIS_H2D_LEN];
	ahci_fis_identify(f);
	const uint8_t id[AHCI_FIS_H2D_LEN] = {0x27, 0x80, 0xec};
	assert_memory_equal(f, id, sizeof f);

	assert_int_equal(ahci_fis_rw(f, false, 0x0000123456789abcull, 8), 0);
	const uint8_t rd[AHCI_FIS_H2D_LEN] = {0x27, 0x80, 0x25, 0,    0xbc, 0x9a, 0x78,
					      0x40, 0x56, 0x34, 0x12, 0,    8,	  0};
	assert_memory_equal(f, rd, sizeof f);
	assert_int_equal(ahci_fis_rw(f, true, 5, 65536), 0);
	assert_int_equal(f[2], 0x35);
	assert_int_equal(f[4], 5);
	assert_int_equal(f[12], 0);
	assert_int_equal(f[13], 0);
	assert_int_equal(ahci_fis_rw(f, true, 5, 256), 0);
	assert_int_equal(f[12], 0);
	assert_int_equal(f[13], 1);
	assert_int_equal(ahci_fis_rw(f, false, 0, 0), -E_INVAL);
	assert_int_equal(ahci_fis_rw(f, false, 0, 65537), -E_INVAL);
	assert_int_equal(ahci_fis_rw(f, false, 1ull << 48, 1), -E_INVAL);
	assert_int_equal(ahci_fis_rw(f, false, (1ull << 48) - 1, 2), -E_INVAL);
	assert_int_equal(ahci_fis_rw(f, false, (1ull << 48) - 1, 1), 0);

	assert_int_equal(ahci_fis_fpdma(f, false, 0x0000123456789abcull, 0x1234, 5), 0);
	const uint8_t q[AHCI_FIS_H2D_LEN] = {0x27, 0x80, 0x60, 0x34, 0xbc, 0x9a,   0x78,
					     0x40, 0x56, 0x34, 0x12, 0x12, 5 << 3, 0};
	assert_memory_equal(f, q, sizeof f);
	assert_int_equal(ahci_fis_fpdma(f, true, 7, 65536, 31), 0);
	assert_int_equal(f[2], 0x61);
	assert_int_equal(f[3], 0);
	assert_int_equal(f[11], 0);
	assert_int_equal(f[12], 31 << 3);
	assert_int_equal(ahci_fis_fpdma(f, true, 7, 8, 32), -E_INVAL);
	assert_int_equal(ahci_fis_fpdma(f, true, 7, 0, 1), -E_INVAL);

	ahci_fis_flush(f, true);
	assert_int_equal(f[2], 0xea);
	ahci_fis_flush(f, false);
	assert_int_equal(f[2], 0xe7);
	assert_int_equal(f[0], 0x27);
	assert_int_equal(f[1], 0x80);
}

static void test_cmd_hdr(void **state)
{
	uint8_t h[AHCI_CMD_HDR_LEN];
	memset(h, 0xff, sizeof h);
	ahci_cmd_hdr(h, true, 3, 0x123456780ull);
	assert_int_equal(le32(h), 5u | 1u << 6 | 3u << 16);
	assert_int_equal(le32(h + 4), 0); /* PRDBC */
	assert_int_equal(le32(h + 8), 0x23456780u);
	assert_int_equal(le32(h + 12), 1);
	for (unsigned i = 16; i < 32; i++)
		assert_int_equal(h[i], 0);
	ahci_cmd_hdr(h, false, 1, 0x1000);
	assert_int_equal(le32(h), 5u | 1u << 16);
}

static void test_prdt(void **state)
{
	uint8_t p[4 * AHCI_PRD_LEN];
	assert_int_equal(ahci_prdt_build(p, 4, 0x100000200ull, 4096), 1);
	assert_int_equal(le32(p), 0x200);
	assert_int_equal(le32(p + 4), 1);
	assert_int_equal(le32(p + 12), 4095);
	/* 9 MiB: two full entries and 1 MiB. */
	assert_int_equal(ahci_prdt_build(p, 4, 0x400000, 9u << 20), 3);
	assert_int_equal(le32(p + 12), (4u << 20) - 1);
	assert_int_equal(le32(p + 16), 0x800000);
	assert_int_equal(le32(p + 28), (4u << 20) - 1);
	assert_int_equal(le32(p + 32), 0xc00000);
	assert_int_equal(le32(p + 44), (1u << 20) - 1);
	assert_int_equal(ahci_prdt_build(p, 2, 0x400000, 9u << 20), -E_NOSPC);
	assert_int_equal(ahci_prdt_build(p, 4, 0x1000, 0), -E_INVAL);
	assert_int_equal(ahci_prdt_build(p, 4, 0x1000, 513), -E_INVAL);
	assert_int_equal(ahci_prdt_build(p, 4, 0x1001, 512), -E_INVAL);
}

/* IDENTIFY data shaped like QEMU's ide-hd (hw/ide/core.c's fields, our values). */
static void qemu_like_id(uint8_t *id, uint64_t sectors)
{
	memset(id, 0, ATA_ID_LEN);
	put16(id, 0, 0x0040);
	put_str(id, 10, 10, "QM00003");
	put_str(id, 23, 4, "2.5+");
	put_str(id, 27, 20, "QEMU HARDDISK");
	put16(id, 49, 1u << 9 | 1u << 8);
	put16(id, 60, (uint16_t)(sectors > 0x0fffffff ? 0xffff : sectors));
	put16(id, 61, (uint16_t)(sectors > 0x0fffffff ? 0x0fff : sectors >> 16));
	put16(id, 75, 31);
	put16(id, 76, 1u << 8 | 1u << 1 | 1u << 2);
	put16(id, 83, 1u << 14 | 1u << 13 | 1u << 12 | 1u << 10);
	for (unsigned i = 0; i < 4; i++)
		put16(id, 100 + i, (uint16_t)(sectors >> (16 * i)));
}

static void test_identify(void **state)
{
	uint8_t id[ATA_ID_LEN];
	struct ata_id a;
	qemu_like_id(id, 131072);
	assert_int_equal(ata_id_parse(id, &a), 0);
	assert_int_equal(a.sectors, 131072);
	assert_int_equal(a.sector_size, 512);
	assert_true(a.lba48);
	assert_true(a.ncq);
	assert_int_equal(a.queue_depth, 32);
	assert_true(a.flush && a.flush_ext);
	assert_string_equal(a.model, "QEMU HARDDISK");
	assert_string_equal(a.serial, "QM00003");
	assert_string_equal(a.firmware, "2.5+");

	/* Over LBA28's reach: the LBA48 count. */
	qemu_like_id(id, 0x123456789ull);
	assert_int_equal(ata_id_parse(id, &a), 0);
	assert_int_equal(a.sectors, 0x123456789ull);

	/* No LBA48: words 60-61; no FLUSH CACHE EXT either. */
	qemu_like_id(id, 1000);
	put16(id, 83, 1u << 14 | 1u << 12);
	put16(id, 76, 0);
	assert_int_equal(ata_id_parse(id, &a), 0);
	assert_int_equal(a.sectors, 1000);
	assert_false(a.lba48);
	assert_true(a.flush);
	assert_false(a.flush_ext);
	assert_false(a.ncq);
	/* Word 83 not valid (bits 15:14 != 01): nothing from it. */
	put16(id, 83, 0xffff);
	assert_int_equal(ata_id_parse(id, &a), 0);
	assert_false(a.lba48 || a.flush);

	/* 4096-byte logical sectors (words 117-118 count words). */
	qemu_like_id(id, 4096);
	put16(id, 106, 1u << 14 | 1u << 12);
	put16(id, 117, 2048);
	assert_int_equal(ata_id_parse(id, &a), 0);
	assert_int_equal(a.sector_size, 4096);
	put16(id, 117, 3000);
	assert_int_equal(ata_id_parse(id, &a), -E_INVAL);
	put16(id, 117, 0);
	put16(id, 118, 1);
	assert_int_equal(ata_id_parse(id, &a), -E_INVAL);

	/* Strings: unprintable bytes and leading spaces. */
	qemu_like_id(id, 8);
	put_str(id, 27, 20, "  Disk\x01X");
	assert_int_equal(ata_id_parse(id, &a), 0);
	assert_string_equal(a.model, "Disk?X");

	/* ATAPI data, CHS only, zero sectors. */
	qemu_like_id(id, 8);
	put16(id, 0, 0x85c0);
	assert_int_equal(ata_id_parse(id, &a), -E_INVAL);
	qemu_like_id(id, 8);
	put16(id, 49, 0);
	assert_int_equal(ata_id_parse(id, &a), -E_INVAL);
	qemu_like_id(id, 0);
	assert_int_equal(ata_id_parse(id, &a), -E_INVAL);
	memset(id, 0xff, sizeof id);
	assert_int_equal(ata_id_parse(id, &a), -E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_port_kind), cmocka_unit_test(test_fis),
	    cmocka_unit_test(test_cmd_hdr),   cmocka_unit_test(test_prdt),
	    cmocka_unit_test(test_identify),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
