/*
 * part.h - reading a disk's partition table: an MBR with its chain of
 * extended boot records, or a GPT (UEFI 2.x, section 5.3).
 *
 * part_scan() reads block 0 through the caller's read function. No 0x55AA
 * signature: no table (PART_NONE, no note). A partition of type 0xEE (a
 * protective or hybrid MBR): the GPT is read, never the MBR's entries.
 * Otherwise the MBR is the table, unless an entry's boot flag is neither
 * 0x00 nor 0x80 (then block 0 is a boot sector, not a table: PART_NONE).
 *
 * MBR: the 4 entries at byte 446 are partitions 1-4 by slot; type 0 or a
 * count of 0 is an empty slot. Types 0x05, 0x0F and 0x85 are extended
 * partitions: they are not listed themselves; their chain of EBRs is
 * followed, each EBR's first entry being a logical partition (relative to
 * the EBR) numbered 5, 6, ... in chain order, its second entry the link to
 * the next EBR (relative to the extended partition). A logical that is
 * dropped still uses its number, as in Linux. The chain stops, with a note,
 * at an EBR without a signature, at a link outside the extended partition
 * or the disk, at an EBR seen before (a loop) and after PART_MAX EBRs.
 *
 * GPT: the header at LBA 1 (whatever the block size) and its entry array
 * are checked: signature "EFI PART", revision 1.x, header size 92 up to a
 * block, header CRC32, MyLBA, FirstUsableLBA <= LastUsableLBA < blocks,
 * PartitionEntryLBA >= 2 with the array inside the disk, at most
 * PART_GPT_ENTRIES_MAX entries of a size that is a multiple of 8 in
 * 128..PART_GPT_ENTRY_SIZE_MAX, and the array's CRC32. If the primary
 * fails, the backup is used with a note: at the primary's AlternateLBA when
 * the primary header itself passed (only its array was bad) and that LBA
 * is inside the disk, else at the last block; its MyLBA must be that LBA.
 * Both bad: PART_NONE with a note. Entries with an all-zero type GUID are
 * unused; partition i is entry i - 1. The name is the entry's UTF-16LE
 * name up to its first NUL, as UTF-8: surrogate pairs and lone surrogates
 * become '?', and a name whose UTF-8 form passes 72 bytes is cut at the
 * last whole character that fits.
 *
 * Both schemes: a partition that runs past the end of the disk (MBR) or
 * outside the usable blocks (GPT), or whose start is past its end (GPT),
 * is dropped with a note; only the first PART_MAX partitions are kept (a
 * note says so); overlapping partitions are kept, with a note. note holds
 * the first such finding only. Every partition kept lies inside the disk
 * and has count >= 1; p[] is sorted by num.
 *
 * Reads: part_scan() asks only for blocks inside [0, blocks). The scratch
 * buffer holds at least PART_SCRATCH_MIN(block_size) bytes (one block and
 * a 128 x 128-byte entry array); a larger entry array is read and checked
 * in pieces, so scratch never limits the entries that can be read. Worst
 * case, a GPT costs 2 headers and 2 arrays of 4 MiB; an MBR costs 1 read
 * plus 1 per EBR.
 *
 * Locking: none; a pure function of the disk's bytes over the caller's
 * scratch and table.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define PART_MAX 128		     /* partitions kept; more are ignored with a note */
#define PART_GPT_ENTRIES_MAX 1024    /* NumberOfPartitionEntries accepted (Linux: no bound) */
#define PART_GPT_ENTRY_SIZE_MAX 4096 /* SizeOfPartitionEntry accepted (the spec: 128 x 2^n) */
#define PART_SCRATCH_MIN(block_size) ((size_t)(block_size) + 16384)

enum part_scheme { PART_NONE, PART_MBR, PART_GPT };

struct part {
	unsigned num;	       /* Linux's number: MBR slot 1-4, logicals 5, 6, ...; GPT entry + 1 */
	uint64_t first;	       /* first block (LBA) */
	uint64_t count;	       /* blocks, at least 1 */
	uint8_t mbr_type;      /* MBR system id, 0 for GPT */
	uint8_t type_guid[16]; /* GPT partition type GUID as stored on disk, zero for MBR */
	char name[73];	       /* GPT name in UTF-8, NUL-terminated; "" for MBR */
};

struct part_table {
	enum part_scheme scheme;
	unsigned n; /* entries in p, sorted by num */
	struct part p[PART_MAX];
	char note[128]; /* the first thing wrong but survivable, or ""; NUL-terminated */
};

/* Read count blocks from lba into buf (count*block_size bytes): 0 or a negative error. */
typedef int (*part_read_fn)(void *ctx, uint64_t lba, unsigned count, void *buf);

/*
 * Read the table of a disk of `blocks` blocks of block_size bytes (a power
 * of two, 512..65536) into *out, using scratch[0..scratch_len) (at least
 * PART_SCRATCH_MIN(block_size) bytes, any alignment) for the blocks read.
 * 0: *out filled (PART_NONE and n == 0 when there is no valid table, with a
 * note when something looked like one). Negative: bad arguments (-E_INVAL)
 * or the error of a failed read (a positive return from read is -E_IO);
 * *out is then empty (PART_NONE, n == 0, note "").
 */
MUST_CHECK int part_scan(uint64_t blocks, unsigned block_size, part_read_fn read, void *ctx,
			 void *scratch, size_t scratch_len, struct part_table *out);

/* CRC-32 (IEEE 802.3, as zlib's crc32()) of p[0..n) continuing crc; start with 0. */
uint32_t part_crc32(uint32_t crc, const void *p, size_t n);

/* ---------------------------------------------------------------- node names (name.c) */

#define PART_NAME_MAX 31 /* bytes of a disk name ("virtio0", "nvme0n1") */

/* Whether name is a disk name: 1..PART_NAME_MAX of [a-z0-9], a letter first, a digit last. */
bool part_disk_name_ok(const char *name);

/*
 * Split a node name: "virtio0p1" is disk "virtio0" and partition 1,
 * "virtio0" the whole disk (partition 0). The disk part goes to
 * disk[len], the number to *num (may be NULL): 0, or -E_INVAL for a name
 * that is neither (or does not fit).
 */
MUST_CHECK int part_node_split(const char *node, char *disk, size_t len, unsigned *num);
