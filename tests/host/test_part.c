/*
 * test_part.c - the partition-table reader (lib/part) on disk images built
 * in memory here.
 *
 * mbr() and ebr() write MBR and EBR entries; gpt_begin(), gpt_ent() and
 * gpt_finish() write a protective MBR, both GPT headers and both entry
 * arrays with their CRCs. Each test then reads the image through
 * disk_read(), which fails the test on any read outside the disk, with a
 * scratch buffer of exactly PART_SCRATCH_MIN bytes (on the heap, so ASan
 * sees an overrun), and checks the table and its note: primaries and
 * logicals with Linux's numbers; entries past the end of the disk; EBR
 * loops and links out of the extended partition; GPT names in UTF-8; a bad
 * primary (header CRC, each header check, entry array CRC) and the backup
 * it falls back to; both bad; entry arrays read in pieces (256 entries,
 * 256-byte entries, 136-byte entries cut between reads); 4096-byte blocks;
 * PART_MAX; overlaps; read errors; bad arguments; CRC-32 check values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "part/part.h"

#define DISK_BYTES (1024 * 1024 + 512 * 1024)

static uint8_t disk[DISK_BYTES];
static uint64_t disk_blocks;
static unsigned disk_bs;
static uint64_t fail_lba = UINT64_MAX; /* a read touching it fails with fail_err */
static int fail_err;
static unsigned reads;
static struct part_table tab;

static int disk_read(void *ctx, uint64_t lba, unsigned count, void *buf)
{
	if (count == 0 || lba >= disk_blocks || count > disk_blocks - lba)
		fail_msg("read of %u blocks at LBA %llu outside the disk of %llu", count,
			 (unsigned long long)lba, (unsigned long long)disk_blocks);
	reads++;
	if (fail_lba >= lba && fail_lba - lba < count)
		return fail_err;
	memcpy(buf, disk + lba * disk_bs, (size_t)count * disk_bs);
	return 0;
}

static void disk_new(uint64_t blocks, unsigned bs)
{
	assert_true(blocks * bs <= DISK_BYTES);
	memset(disk, 0, sizeof disk);
	disk_blocks = blocks;
	disk_bs = bs;
	fail_lba = UINT64_MAX;
	reads = 0;
}

static uint8_t *blk(uint64_t lba)
{
	return disk + lba * disk_bs;
}

static void put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Check what part.h promises of every table, then return part_scan's result. */
static int scan_with(size_t scratch_len)
{
	uint8_t *scratch = malloc(scratch_len);
	assert_non_null(scratch);
	memset(&tab, 0xa5, sizeof tab);
	int r = part_scan(disk_blocks, disk_bs, disk_read, NULL, scratch, scratch_len, &tab);
	free(scratch);
	assert_true(tab.n <= PART_MAX);
	assert_true(memchr(tab.note, 0, sizeof tab.note) != NULL);
	if (tab.scheme == PART_NONE)
		assert_int_equal(tab.n, 0);
	for (unsigned i = 0; i < tab.n; i++) {
		const struct part *p = &tab.p[i];
		assert_true(p->count >= 1 && p->first < disk_blocks &&
			    p->count <= disk_blocks - p->first);
		assert_true(i == 0 || tab.p[i - 1].num < p->num);
		assert_true(memchr(p->name, 0, sizeof p->name) != NULL);
	}
	return r;
}

static int scan(void)
{
	return scan_with(PART_SCRATCH_MIN(disk_bs));
}

static void expect_part(unsigned i, unsigned num, uint64_t first, uint64_t count)
{
	assert_true(i < tab.n);
	assert_int_equal(tab.p[i].num, num);
	assert_int_equal(tab.p[i].first, first);
	assert_int_equal(tab.p[i].count, count);
}

static void expect_note(const char *want)
{
	if (strstr(tab.note, want) == NULL)
		fail_msg("note \"%s\" does not say \"%s\"", tab.note, want);
}

/* ------------------------------------------------------------ MBR */

/* Entry slot (0-3) of the MBR or EBR at lba, and its signature. */
static void mbr(uint64_t lba, unsigned slot, uint8_t boot, uint8_t type, uint32_t first,
		uint32_t count)
{
	uint8_t *e = blk(lba) + 446 + 16 * slot;
	e[0] = boot;
	e[4] = type;
	put(e + 8, first, 4);
	put(e + 12, count, 4);
	blk(lba)[510] = 0x55;
	blk(lba)[511] = 0xaa;
}

/* An EBR at lba: a logical (rel to lba) and a link (rel to the extended partition, 0: none). */
static void ebr(uint64_t lba, uint8_t type, uint32_t rel, uint32_t count, uint32_t link)
{
	mbr(lba, 0, 0, type, rel, count);
	if (link)
		mbr(lba, 1, 0, 0x05, link, 10);
}

static void test_crc32(void **state)
{
	assert_int_equal(part_crc32(0, "123456789", 9), 0xcbf43926);
	assert_int_equal(part_crc32(part_crc32(0, "1234", 4), "56789", 5), 0xcbf43926);
	assert_int_equal(part_crc32(0, "", 0), 0);
	assert_int_equal(part_crc32(0, "a", 1), 0xe8b7be43);
	static const uint8_t zeros[32];
	assert_int_equal(part_crc32(0, zeros, 32), 0x190a55ad);
}

static void test_mbr_logicals(void **state)
{
	disk_new(2048, 512);
	mbr(0, 0, 0x00, 0x83, 63, 100);
	mbr(0, 1, 0x80, 0x07, 200, 100);
	mbr(0, 2, 0x00, 0x05, 400, 1000);
	ebr(400, 0x83, 1, 50, 100); /* logical 5 at 401, next EBR at 500 */
	ebr(500, 0x82, 2, 60, 300); /* logical 6 at 502, next EBR at 700 */
	ebr(700, 0x0c, 1, 99, 0);   /* logical 7 at 701, the end */
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_MBR);
	assert_int_equal(tab.n, 5);
	expect_part(0, 1, 63, 100);
	expect_part(1, 2, 200, 100);
	expect_part(2, 5, 401, 50);
	expect_part(3, 6, 502, 60);
	expect_part(4, 7, 701, 99);
	assert_int_equal(tab.p[0].mbr_type, 0x83);
	assert_int_equal(tab.p[1].mbr_type, 0x07);
	assert_int_equal(tab.p[4].mbr_type, 0x0c);
	static const uint8_t zero[16];
	assert_memory_equal(tab.p[2].type_guid, zero, 16);
	assert_string_equal(tab.p[2].name, "");
	assert_string_equal(tab.note, "");
	assert_int_equal(reads, 4);

	/* the other extended types, in slot 4; an empty EBR entry uses no number */
	disk_new(2048, 512);
	mbr(0, 3, 0, 0x0f, 1000, 500);
	ebr(1000, 0x00, 0, 0, 100);
	ebr(1100, 0x83, 1, 10, 0);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 1);
	expect_part(0, 5, 1101, 10);
	mbr(0, 3, 0, 0x85, 1000, 500);
	assert_int_equal(scan(), 0);
	expect_part(0, 5, 1101, 10);

	/* a valid MBR with no partitions is an empty MBR table */
	disk_new(2048, 512);
	disk[510] = 0x55;
	disk[511] = 0xaa;
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_MBR);
	assert_int_equal(tab.n, 0);
	assert_string_equal(tab.note, "");
}

static void test_mbr_past_end(void **state)
{
	disk_new(2048, 512);
	mbr(0, 0, 0, 0x83, 1, 2047); /* exactly to the end */
	mbr(0, 1, 0, 0x83, 2000, 49);
	mbr(0, 2, 0, 0x83, 3000, 1);
	mbr(0, 3, 0, 0x83, 100, 0); /* count 0: skipped */
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_MBR);
	assert_int_equal(tab.n, 1);
	expect_part(0, 1, 1, 2047);
	assert_string_equal(tab.note, "MBR partition 2 (LBA 2000, 49 blocks) runs past the end of "
				      "the disk (2048 blocks), dropped");

	/* type 0 is empty whatever its count; a dropped logical keeps its number */
	disk_new(2048, 512);
	mbr(0, 0, 0, 0x00, 10, 10);
	mbr(0, 1, 0, 0x05, 100, 1000);
	ebr(100, 0x83, 1947, 2, 100); /* 2047..2048: one block too many */
	ebr(200, 0x83, 1, 10, 0);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 1);
	expect_part(0, 6, 201, 10);
	expect_note("MBR partition 5 (LBA 2047, 2 blocks) runs past the end");

	/* an extended partition past the end: noted, its chain read inside the disk */
	disk_new(2048, 512);
	mbr(0, 0, 0, 0x05, 1000, 2000);
	ebr(1000, 0x83, 1, 10, 1100); /* next EBR at 2100: past the disk */
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 1);
	expect_part(0, 5, 1001, 10);
	assert_string_equal(tab.note, "extended partition 1 (LBA 1000, 2000 blocks) runs past the "
				      "end of the disk (2048 blocks)");
	mbr(0, 0, 0, 0x05, 3000, 20);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 0);
	expect_note("extended partition 1 (LBA 3000");
}

static void test_ebr_chain_stops(void **state)
{
	/* a loop back to the first EBR */
	disk_new(2048, 512);
	mbr(0, 0, 0, 0x05, 400, 1000);
	ebr(400, 0x83, 1, 50, 100);
	ebr(500, 0x83, 1, 50, 0);
	mbr(500, 1, 0, 0x05, 0, 10); /* link to offset 0: EBR 400 again */
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 2);
	expect_part(0, 5, 401, 50);
	expect_part(1, 6, 501, 50);
	assert_string_equal(tab.note, "EBR chain of partition 1 loops back to LBA 400, stopped");
	assert_int_equal(reads, 3);

	/* an EBR linking to itself */
	disk_new(2048, 512);
	mbr(0, 0, 0, 0x05, 400, 1000);
	ebr(400, 0x83, 1, 50, 0);
	ebr(500, 0x83, 1, 50, 100);
	mbr(400, 1, 0, 0x05, 100, 10);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 2);
	expect_note("loops back to LBA 500");

	/* a link outside the extended partition (but inside the disk) */
	disk_new(2048, 512);
	mbr(0, 0, 0, 0x05, 400, 1000);
	ebr(400, 0x83, 1, 50, 1000);
	ebr(1400, 0x83, 1, 50, 0);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 1);
	assert_string_equal(tab.note, "EBR at LBA 400 links to LBA 1400, outside extended "
				      "partition 1, chain stopped");

	/* an EBR without its signature */
	disk_new(2048, 512);
	mbr(0, 0, 0, 0x05, 400, 1000);
	ebr(400, 0x83, 1, 50, 100);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 1);
	assert_string_equal(tab.note, "EBR at LBA 500 has no signature, chain stopped");

	/* a link of another type, or of count 0, is the end of the chain */
	disk_new(2048, 512);
	mbr(0, 0, 0, 0x05, 400, 1000);
	ebr(400, 0x83, 1, 50, 0);
	mbr(400, 1, 0, 0x83, 100, 10);
	ebr(500, 0x83, 1, 50, 0);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 1);
	assert_string_equal(tab.note, "");
	mbr(400, 1, 0, 0x05, 100, 0);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 1);
}

static void test_mbr_limits(void **state)
{
	/* 130 EBRs each with a logical: 128 followed, all kept */
	disk_new(2048, 512);
	mbr(0, 0, 0, 0x05, 100, 1000);
	for (unsigned i = 0; i < 130; i++)
		ebr(100 + 2 * i, 0x83, 1, 1, i < 129 ? 2 * (i + 1) : 0);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, PART_MAX);
	expect_part(0, 5, 101, 1);
	expect_part(PART_MAX - 1, 4 + PART_MAX, 101 + 2 * (PART_MAX - 1), 1);
	assert_string_equal(tab.note,
			    "more than 128 EBRs in extended partition 1, the rest ignored");

	/* 3 primaries + 127 logicals: the table fills first */
	mbr(0, 1, 0, 0x83, 1, 1);
	mbr(0, 2, 0, 0x83, 2, 1);
	mbr(0, 3, 0, 0x83, 3, 1);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, PART_MAX);
	expect_part(2, 4, 3, 1);
	expect_part(PART_MAX - 1, 4 + PART_MAX - 3, 101 + 2 * (PART_MAX - 4), 1);
	assert_string_equal(tab.note, "more than 128 partitions, the rest ignored");
}

static void test_mbr_overlap_and_boot_sector(void **state)
{
	disk_new(2048, 512);
	mbr(0, 0, 0, 0x83, 10, 100);
	mbr(0, 1, 0, 0x83, 109, 10);
	mbr(0, 2, 0, 0x83, 119, 10); /* touches 2, no overlap */
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 3);
	assert_string_equal(tab.note, "partitions 1 and 2 overlap");

	/* 55 AA after boot code: not a table */
	disk_new(2048, 512);
	mbr(0, 0, 0, 0x83, 10, 100);
	disk[446 + 16] = 0x12;
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_NONE);
	assert_int_equal(tab.n, 0);
	assert_string_equal(tab.note, "MBR entry 2 has boot flag 0x12: a boot sector, not a table");
}

static void test_no_table(void **state)
{
	disk_new(2048, 512);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_NONE);
	assert_int_equal(tab.n, 0);
	assert_string_equal(tab.note, "");
	assert_int_equal(reads, 1);

	/* entries but no signature */
	mbr(0, 0, 0, 0x83, 10, 100);
	disk[511] = 0;
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_NONE);
	assert_string_equal(tab.note, "");

	/* a one-block disk; a disk of no blocks reads nothing */
	disk_new(1, 512);
	mbr(0, 0, 0, 0x83, 0, 1);
	assert_int_equal(scan(), 0);
	expect_part(0, 1, 0, 1);
	mbr(0, 1, 0, 0xee, 1, 1);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_NONE);
	assert_string_equal(tab.note, "no valid GPT: primary header past the end of the disk; "
				      "backup at LBA 0 header has no signature");
	disk_new(0, 512);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_NONE);
	assert_int_equal(reads, 0);
}

/* ------------------------------------------------------------ GPT */

static uint8_t ents[64 * 1024]; /* the entry array both copies are written from */
static struct {
	uint32_t n, size;
	uint64_t array_blocks, first_usable, last_usable;
} g;

/* A disk with a protective MBR and room for n entries of size bytes at each end. */
static void gpt_begin(uint64_t blocks, unsigned bs, uint32_t n, uint32_t size)
{
	disk_new(blocks, bs);
	mbr(0, 0, 0, 0xee, 1, (uint32_t)(blocks - 1));
	g.n = n;
	g.size = size;
	assert_true((size_t)n * size <= sizeof ents);
	memset(ents, 0, sizeof ents);
	g.array_blocks = ((uint64_t)n * size + bs - 1) / bs;
	g.first_usable = 2 + g.array_blocks;
	g.last_usable = blocks - 2 - g.array_blocks;
}

/* Entry i: type GUID of 16 bytes `type`, blocks first..last, a UTF-16 name (may be NULL). */
static void gpt_ent(unsigned i, uint8_t type, uint64_t first, uint64_t last, const uint16_t *name)
{
	uint8_t *e = ents + (size_t)i * g.size;
	memset(e, type, 16);
	memset(e + 16, 0x11, 16); /* unique GUID */
	put(e + 32, first, 8);
	put(e + 40, last, 8);
	for (unsigned k = 0; name && k < 36 && name[k]; k++)
		put(e + 56 + 2 * k, name[k], 2);
}

/* Recompute the CRC of the header at lba. */
static void gpt_hdr_crc(uint64_t lba)
{
	uint8_t *h = blk(lba);
	uint32_t size = (uint32_t)h[12] | (uint32_t)h[13] << 8;
	put(h + 16, 0, 4);
	put(h + 16, part_crc32(0, h, size), 4);
}

static void gpt_hdr(uint64_t lba, uint64_t alt, uint64_t array_lba)
{
	uint8_t *h = blk(lba);
	memcpy(h, "EFI PART", 8);
	put(h + 8, 0x00010000, 4);
	put(h + 12, 92, 4);
	put(h + 24, lba, 8);
	put(h + 32, alt, 8);
	put(h + 40, g.first_usable, 8);
	put(h + 48, g.last_usable, 8);
	memset(h + 56, 0x22, 16); /* disk GUID */
	put(h + 72, array_lba, 8);
	put(h + 80, g.n, 4);
	put(h + 84, g.size, 4);
	put(h + 88, part_crc32(0, ents, (size_t)g.n * g.size), 4);
	gpt_hdr_crc(lba);
}

/* Write both arrays and both headers (the backup at `end`, the disk's last block). */
static void gpt_finish_at(uint64_t end)
{
	size_t bytes = (size_t)g.n * g.size;
	memcpy(blk(2), ents, bytes);
	memcpy(blk(end - g.array_blocks), ents, bytes);
	gpt_hdr(1, end, 2);
	gpt_hdr(end, 1, end - g.array_blocks);
}

static void gpt_finish(void)
{
	gpt_finish_at(disk_blocks - 1);
}

/* Set the width-byte field at off of the header at lba and fix its CRC. */
static void gpt_hdr_set(uint64_t lba, unsigned off, uint64_t v, int width)
{
	put(blk(lba) + off, v, width);
	gpt_hdr_crc(lba);
}

/* The 3-entry GPT of test_gpt_basic on a disk of 2048 512-byte blocks. */
static void gpt_three(void)
{
	gpt_begin(2048, 512, 128, 128);
	gpt_ent(0, 0xa1, 34, 133, u"EFI system");
	gpt_ent(1, 0xb2, 134, 1133, u"Donn\u00e9es \u65e5\u672c \U0001F600!");
	gpt_ent(4, 0xc3, 1134, 2014, u"linux");
	gpt_finish();
}

static void expect_three(void)
{
	uint8_t guid[16];
	assert_int_equal(tab.scheme, PART_GPT);
	assert_int_equal(tab.n, 3);
	expect_part(0, 1, 34, 100);
	expect_part(1, 2, 134, 1000);
	expect_part(2, 5, 1134, 881);
	memset(guid, 0xb2, 16);
	assert_memory_equal(tab.p[1].type_guid, guid, 16);
	assert_int_equal(tab.p[1].mbr_type, 0);
	assert_string_equal(tab.p[0].name, "EFI system");
	assert_string_equal(tab.p[1].name, "Donn\xc3\xa9"
					   "es \xe6\x97\xa5\xe6\x9c\xac ?!");
	assert_string_equal(tab.p[2].name, "linux");
}

static void test_gpt_basic(void **state)
{
	gpt_three();
	assert_int_equal(scan(), 0);
	expect_three();
	assert_string_equal(tab.note, "");
	/* the MBR, the header, then the 32-block array in one read (33 blocks fit) */
	assert_int_equal(reads, 3);
	assert_int_equal(scan_with(1 << 20), 0);
	expect_three();
	assert_int_equal(reads, 3 + 3);

	/* a hybrid MBR: the GPT wins, its other entries are not partitions */
	mbr(0, 1, 0x80, 0x83, 34, 100);
	assert_int_equal(scan(), 0);
	expect_three();
	/* revision 1.1 and a header of a whole block are fine */
	gpt_hdr_set(1, 8, 0x00010001, 4);
	gpt_hdr_set(1, 12, 512, 4);
	assert_int_equal(scan(), 0);
	expect_three();
	assert_string_equal(tab.note, "");
}

static void test_gpt_names(void **state)
{
	uint16_t name[36];
	gpt_begin(2048, 512, 128, 128);
	for (unsigned i = 0; i < 36; i++)
		name[i] = (uint16_t)('a' + i % 26);
	gpt_ent(0, 1, 100, 100, name); /* 36 units, no NUL */
	for (unsigned i = 0; i < 36; i++)
		name[i] = 0x65e5;
	gpt_ent(1, 1, 101, 101, name); /* 108 bytes of UTF-8: cut to 24 characters */
	name[0] = 0x00e9;
	gpt_ent(2, 1, 102, 102, name); /* 2 + 23 * 3 = 71 bytes, then one that does not fit */
	static const uint16_t odd[] = {0xdc00, 'a', 0xd800, 0xd800, 0xdc01, 'b', 0xd83d, 0};
	gpt_ent(3, 1, 103, 103, odd); /* a lone low, a lone high, a pair, a high at the end */
	static const uint16_t two_byte[] = {0x7f, 0x80, 0x7ff, 0x800, 0xffff, 0};
	gpt_ent(4, 1, 104, 104, two_byte);
	gpt_ent(5, 1, 105, 105, NULL);
	gpt_finish();
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 6);
	assert_string_equal(tab.p[0].name, "abcdefghijklmnopqrstuvwxyzabcdefghij");
	char want[73] = "";
	for (unsigned i = 0; i < 24; i++)
		strcat(want, "\xe6\x97\xa5");
	assert_string_equal(tab.p[1].name, want);
	assert_memory_equal(tab.p[2].name, "\xc3\xa9\xe6\x97\xa5", 5);
	assert_int_equal(strlen(tab.p[2].name), 71);
	assert_string_equal(tab.p[3].name, "?a??b?");
	assert_string_equal(tab.p[4].name, "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf");
	assert_string_equal(tab.p[5].name, "");
}

static void test_gpt_primary_bad(void **state)
{
	gpt_three();
	blk(1)[48] ^= 1; /* LastUsableLBA changed, CRC not */
	assert_int_equal(scan(), 0);
	expect_three();
	assert_string_equal(tab.note, "GPT primary header bad CRC, using the backup at LBA 2047");

	/* the primary header read fine, its array did not: the backup at its AlternateLBA */
	gpt_three();
	blk(2)[128 + 41] = 0; /* entry 2 ends before it starts; the CRC no longer matches */
	disk_blocks = 3000;   /* the disk grew: the backup is not at the last block */
	assert_int_equal(scan(), 0);
	expect_three();
	assert_string_equal(tab.note,
			    "GPT primary entry array bad CRC, using the backup at LBA 2047");

	/* a bad primary header says nothing of AlternateLBA: the last block */
	gpt_three();
	blk(1)[0] = 'X';
	disk_blocks = 3000;
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_NONE);
	assert_string_equal(tab.note, "no valid GPT: primary header has no signature; backup at "
				      "LBA 2999 header has no signature");

	/* so a backup written at the last block of the grown disk is found */
	gpt_three();
	disk_blocks = 3000;
	gpt_finish_at(2999);
	blk(1)[0] = 'X';
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_GPT);
	assert_string_equal(tab.note, "GPT primary header has no signature, using the backup at "
				      "LBA 2999");

	/* an AlternateLBA outside the disk: the last block instead */
	gpt_three();
	gpt_hdr_set(1, 32, 5000, 8);
	blk(2)[0] ^= 1;
	assert_int_equal(scan(), 0);
	expect_three();
	expect_note("using the backup at LBA 2047");
}

static void test_gpt_header_checks(void **state)
{
	static const struct {
		unsigned off;
		int width;
		uint64_t v;
		const char *why;
	} cases[] = {
	    {8, 4, 0x00020000, "header revision is not 1.x"},
	    {8, 4, 0x00000001, "header revision is not 1.x"},
	    {12, 4, 91, "header size bad"},
	    {12, 4, 513, "header size bad"},
	    {24, 8, 2, "header MyLBA wrong"},
	    {40, 8, 2015, "header usable blocks bad"},
	    {48, 8, 2048, "header usable blocks bad"},
	    {72, 8, 1, "header entry array LBA bad"},
	    {72, 8, 2047, "entry array past the end of the disk"},
	    {72, 8, 5000, "entry array past the end of the disk"},
	    {80, 4, 1025, "header has too many entries"},
	    {80, 4, 0xffffffff, "header has too many entries"},
	    {84, 4, 120, "header entry size bad"},
	    {84, 4, 132, "header entry size bad"},
	    {84, 4, 4104, "header entry size bad"},
	    {88, 4, 0, "entry array bad CRC"},
	};
	char want[128];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		gpt_three();
		gpt_hdr_set(1, cases[i].off, cases[i].v, cases[i].width);
		assert_int_equal(scan(), 0);
		expect_three();
		snprintf(want, sizeof want, "GPT primary %s, using the backup at LBA 2047",
			 cases[i].why);
		if (strcmp(tab.note, want) != 0)
			fail_msg("case %zu: note \"%s\", want \"%s\"", i, tab.note, want);
	}
	/* the same checks apply to the backup, and its MyLBA must be where it is */
	gpt_three();
	blk(1)[16] ^= 1;
	gpt_hdr_set(2047, 24, 1, 8);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_NONE);
	assert_string_equal(tab.note, "no valid GPT: primary header bad CRC; backup at LBA 2047 "
				      "header MyLBA wrong");
}

static void test_gpt_both_bad(void **state)
{
	gpt_three();
	blk(1)[16] ^= 1;
	blk(2047)[16] ^= 1;
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_NONE);
	assert_int_equal(tab.n, 0);
	assert_string_equal(tab.note, "no valid GPT: primary header bad CRC; backup at LBA 2047 "
				      "header bad CRC");

	/* both arrays bad: nothing of either is kept, not even a note of an entry */
	gpt_three();
	blk(2)[128 + 40] = 0;
	blk(2047 - 32)[128 + 40] = 0;
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_NONE);
	assert_int_equal(tab.n, 0);
	assert_string_equal(tab.note, "no valid GPT: primary entry array bad CRC; backup at LBA "
				      "2047 entry array bad CRC");

	/* a protective MBR and no GPT at all: not the 0xEE entry as a partition */
	disk_new(2048, 512);
	mbr(0, 0, 0, 0xee, 1, 2047);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_NONE);
	assert_int_equal(tab.n, 0);
	assert_string_equal(tab.note, "no valid GPT: primary header has no signature; backup at "
				      "LBA 2047 header has no signature");
}

static void test_gpt_entries_dropped(void **state)
{
	gpt_begin(2048, 512, 128, 128);
	gpt_ent(0, 1, 34, 34, NULL);
	gpt_ent(1, 1, 200, 199, NULL);
	gpt_ent(2, 1, 33, 40, NULL);
	gpt_ent(3, 1, 2000, 2015, NULL);
	gpt_ent(4, 1, 2014, 2014, NULL);
	gpt_ent(5, 1, 100, 100, NULL);
	gpt_ent(6, 1, 50, 150, NULL); /* overlaps 6 */
	gpt_finish();
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_GPT);
	assert_int_equal(tab.n, 4);
	expect_part(0, 1, 34, 1);
	expect_part(1, 5, 2014, 1);
	expect_part(2, 6, 100, 1);
	expect_part(3, 7, 50, 101);
	assert_string_equal(tab.note,
			    "GPT partition 2 starts at LBA 200 after its end 199, dropped");

	gpt_begin(2048, 512, 128, 128);
	gpt_ent(0, 1, 34, 34, NULL);
	gpt_ent(3, 1, 2000, 2015, NULL);
	gpt_ent(6, 1, 30, 40, NULL);
	gpt_finish();
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 1);
	assert_string_equal(tab.note,
			    "GPT partition 4 (LBA 2000-2015) is outside the usable blocks "
			    "34-2014, dropped");

	gpt_begin(2048, 512, 128, 128);
	gpt_ent(0, 1, 34, 100, NULL);
	gpt_ent(1, 1, 100, 200, NULL);
	gpt_finish();
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 2);
	assert_string_equal(tab.note, "partitions 1 and 2 overlap");
}

static void test_gpt_arrays_in_pieces(void **state)
{
	/* 128 entries of 256 bytes: 64 blocks, more than the scratch holds */
	gpt_begin(2048, 512, 128, 256);
	gpt_ent(0, 1, 66, 99, u"first");
	gpt_ent(64, 2, 100, 199, u"middle");
	gpt_ent(127, 3, 200, 1981, u"last");
	gpt_finish();
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_GPT);
	assert_int_equal(tab.n, 3);
	expect_part(0, 1, 66, 34);
	expect_part(1, 65, 100, 100);
	expect_part(2, 128, 200, 1782);
	assert_string_equal(tab.p[2].name, "last");
	assert_string_equal(tab.note, "");
	assert_int_equal(reads, 1 + 1 + 2);

	/* 256 entries of 128 bytes */
	gpt_begin(2048, 512, 256, 128);
	gpt_ent(200, 1, 100, 199, u"two hundred and one");
	gpt_ent(255, 1, 200, 299, NULL);
	gpt_finish();
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 2);
	expect_part(0, 201, 100, 100);
	expect_part(1, 256, 200, 100);
	assert_string_equal(tab.p[0].name, "two hundred and one");

	/* 136-byte entries: entry 124 (bytes 16864..16991) is cut by the read at 16896 */
	gpt_begin(2048, 512, 128, 136);
	gpt_ent(123, 1, 100, 199, u"before");
	gpt_ent(124, 2, 200, 299, u"cut in two");
	gpt_ent(125, 3, 300, 399, u"after");
	gpt_finish();
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 3);
	expect_part(1, 125, 200, 100);
	assert_int_equal(tab.p[1].type_guid[15], 2);
	assert_string_equal(tab.p[1].name, "cut in two");
	assert_string_equal(tab.p[2].name, "after");
	assert_string_equal(tab.note, "");
	/* and a bad CRC is still found when the array comes in pieces */
	blk(2)[16000] ^= 1;
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 3);
	expect_note("GPT primary entry array bad CRC");

	/* 232-byte entries: the read at 16896 starts in the unread tail of entry 72 */
	gpt_begin(2048, 512, 128, 232);
	gpt_ent(72, 1, 100, 199, u"seventy-three");
	gpt_ent(73, 1, 200, 299, u"seventy-four");
	gpt_finish();
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 2);
	expect_part(0, 73, 100, 100);
	expect_part(1, 74, 200, 100);
	assert_string_equal(tab.p[1].name, "seventy-four");
	assert_string_equal(tab.note, "");

	/* no entries at all is a valid, empty GPT */
	gpt_begin(2048, 512, 0, 128);
	gpt_finish();
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_GPT);
	assert_int_equal(tab.n, 0);
	assert_string_equal(tab.note, "");
}

static void test_gpt_part_max(void **state)
{
	gpt_begin(2048, 512, 256, 128);
	for (unsigned i = 0; i < 200; i++)
		gpt_ent(i + 10, 1, 100 + i, 100 + i, NULL);
	gpt_finish();
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, PART_MAX);
	expect_part(0, 11, 100, 1);
	expect_part(PART_MAX - 1, 10 + PART_MAX, 100 + PART_MAX - 1, 1);
	assert_string_equal(tab.note, "more than 128 partitions, the rest ignored");
}

static void test_4096_blocks(void **state)
{
	/* 128 x 128-byte entries: 4 blocks at each end; usable 6..250 */
	gpt_begin(256, 4096, 128, 128);
	gpt_ent(0, 1, 6, 9, u"boot");
	gpt_ent(1, 2, 10, 250, u"root");
	gpt_finish();
	assert_int_equal(g.first_usable, 6);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_GPT);
	assert_int_equal(tab.n, 2);
	expect_part(0, 1, 6, 4);
	expect_part(1, 2, 10, 241);
	assert_string_equal(tab.p[1].name, "root");
	assert_string_equal(tab.note, "");
	/* the header is at LBA 1, byte 4096; a 512-byte reader finds nothing there */
	assert_memory_equal(disk + 4096, "EFI PART", 8);
	blk(1)[88] ^= 1;
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.n, 2);
	assert_string_equal(tab.note, "GPT primary header bad CRC, using the backup at LBA 255");
	/* a header size up to the block size */
	gpt_finish();
	gpt_hdr_set(1, 12, 4096, 4);
	assert_int_equal(scan(), 0);
	assert_string_equal(tab.note, "");
	gpt_hdr_set(1, 12, 4097, 4);
	assert_int_equal(scan(), 0);
	expect_note("GPT primary header size bad");

	/* an MBR counts 4096-byte blocks too */
	disk_new(256, 4096);
	mbr(0, 0, 0, 0x83, 1, 100);
	mbr(0, 1, 0, 0x05, 101, 155);
	ebr(101, 0x83, 1, 154, 0);
	assert_int_equal(scan(), 0);
	assert_int_equal(tab.scheme, PART_MBR);
	assert_int_equal(tab.n, 2);
	expect_part(0, 1, 1, 100);
	expect_part(1, 5, 102, 154);
	assert_string_equal(tab.note, "");
}

static void test_read_errors(void **state)
{
	static const struct {
		uint64_t lba;
		int err;
		int bad_primary; /* so the backup is read */
	} gpt_cases[] = {{0, -E_IO, 0},	   {1, -E_NODEV, 0},	   {2, -E_IO, 0},   {20, -E_IO, 0},
			 {2015, -E_IO, 1}, {2030, -E_TIMEDOUT, 1}, {2047, -E_IO, 1}};
	for (size_t i = 0; i < sizeof gpt_cases / sizeof gpt_cases[0]; i++) {
		gpt_three();
		if (gpt_cases[i].bad_primary)
			blk(1)[16] ^= 1;
		fail_lba = gpt_cases[i].lba;
		fail_err = gpt_cases[i].err;
		assert_int_equal(scan(), gpt_cases[i].err);
		assert_int_equal(tab.scheme, PART_NONE);
		assert_int_equal(tab.n, 0);
		assert_string_equal(tab.note, "");
	}
	/* a good primary: the backup is never read */
	gpt_three();
	fail_lba = 2047;
	fail_err = -E_IO;
	assert_int_equal(scan(), 0);
	expect_three();
	/* an EBR */
	disk_new(2048, 512);
	mbr(0, 0, 0, 0x83, 10, 10);
	mbr(0, 1, 0, 0x05, 400, 1000);
	ebr(400, 0x83, 1, 50, 100);
	ebr(500, 0x83, 1, 50, 0);
	fail_lba = 500;
	fail_err = -E_AGAIN;
	assert_int_equal(scan(), -E_AGAIN);
	assert_int_equal(tab.n, 0);
	/* a positive return is no success */
	fail_err = 1;
	assert_int_equal(scan(), -E_IO);
}

static void test_bad_arguments(void **state)
{
	uint8_t *scratch = malloc(PART_SCRATCH_MIN(65536));
	assert_non_null(scratch);
	disk_new(100, 512);
	static const unsigned bad_bs[] = {0, 256, 511, 513, 1000, 3072, 131072};
	for (size_t i = 0; i < sizeof bad_bs / sizeof bad_bs[0]; i++)
		assert_int_equal(part_scan(100, bad_bs[i], disk_read, NULL, scratch,
					   PART_SCRATCH_MIN(65536), &tab),
				 -E_INVAL);
	assert_int_equal(
	    part_scan(100, 512, disk_read, NULL, scratch, PART_SCRATCH_MIN(512) - 1, &tab),
	    -E_INVAL);
	assert_int_equal(
	    part_scan(100, 4096, disk_read, NULL, scratch, PART_SCRATCH_MIN(4096) - 1, &tab),
	    -E_INVAL);
	assert_int_equal(part_scan(100, 512, NULL, NULL, scratch, PART_SCRATCH_MIN(512), &tab),
			 -E_INVAL);
	assert_int_equal(part_scan(100, 512, disk_read, NULL, NULL, PART_SCRATCH_MIN(512), &tab),
			 -E_INVAL);
	assert_int_equal(part_scan(100, 512, disk_read, NULL, scratch, PART_SCRATCH_MIN(512), NULL),
			 -E_INVAL);
	assert_int_equal(reads, 0);
	/* every power of two from 512 to 65536 is a block size */
	for (unsigned bs = 512; bs <= 65536; bs *= 2) {
		disk_new(DISK_BYTES / bs, bs);
		mbr(0, 0, 0, 0x83, 1, 1);
		assert_int_equal(part_scan(disk_blocks, bs, disk_read, NULL, scratch,
					   PART_SCRATCH_MIN(bs), &tab),
				 0);
		assert_int_equal(tab.n, 1);
	}
	free(scratch);
}

/* Node names: disks end in a digit, "pN" is a partition, anything else is refused. */
static void test_node_names(void **state)
{
	static const struct {
		const char *node, *disk;
		unsigned num;
	} good[] = {
	    {"virtio0", "virtio0", 0},	   {"virtio0p1", "virtio0", 1},	  {"nvme0n1", "nvme0n1", 0},
	    {"nvme0n1p12", "nvme0n1", 12}, {"ahci3p9999", "ahci3", 9999}, {"a1", "a1", 0},
	};
	static const char *const bad[] = {"",
					  "virtio",
					  "Virtio0",
					  "0virtio",
					  "virtio0p",
					  "virtio0p0",
					  "virtio0p01",
					  "virtio0p12345",
					  "vir-tio0",
					  "virtio0/x",
					  "1p1",
					  "virtio0P1",
					  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa12"};
	char dname[PART_NAME_MAX + 1];
	unsigned num;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		num = 77;
		assert_int_equal(part_node_split(good[i].node, dname, sizeof dname, &num), 0);
		assert_string_equal(dname, good[i].disk);
		assert_int_equal(num, good[i].num);
		assert_true(part_disk_name_ok(good[i].disk));
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (part_node_split(bad[i], dname, sizeof dname, &num) == 0)
			fail_msg("\"%s\" accepted as disk \"%s\" part %u", bad[i], dname, num);
	assert_int_equal(part_node_split("virtio0p1", dname, 7, NULL), -E_INVAL); /* no room */
	assert_int_equal(part_node_split("virtio0p1", dname, 8, NULL), 0);
	assert_false(part_disk_name_ok("virtio0p"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crc32),
	    cmocka_unit_test(test_mbr_logicals),
	    cmocka_unit_test(test_mbr_past_end),
	    cmocka_unit_test(test_ebr_chain_stops),
	    cmocka_unit_test(test_mbr_limits),
	    cmocka_unit_test(test_mbr_overlap_and_boot_sector),
	    cmocka_unit_test(test_no_table),
	    cmocka_unit_test(test_gpt_basic),
	    cmocka_unit_test(test_gpt_names),
	    cmocka_unit_test(test_gpt_primary_bad),
	    cmocka_unit_test(test_gpt_header_checks),
	    cmocka_unit_test(test_gpt_both_bad),
	    cmocka_unit_test(test_gpt_entries_dropped),
	    cmocka_unit_test(test_gpt_arrays_in_pieces),
	    cmocka_unit_test(test_gpt_part_max),
	    cmocka_unit_test(test_4096_blocks),
	    cmocka_unit_test(test_read_errors),
	    cmocka_unit_test(test_bad_arguments),
	    cmocka_unit_test(test_node_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
