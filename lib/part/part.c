/*
 * part.c - the partition-table reader (see part.h for what it accepts).
 *
 * part_scan() reads block 0 and picks the scheme; the MBR half walks the
 * 4 primary entries, then each extended partition's EBR chain; the GPT half
 * checks a header (gpt_header), then streams its entry array through the
 * scratch buffer in as few reads as fit (gpt_array): each piece is added to
 * the array's CRC and its entries are added to the table as they come. If
 * the CRC then fails, the entries are taken back (and any note they made)
 * and the backup is tried; so an array of any size needs no more memory
 * than the scratch. An entry cut between two pieces is put together in a
 * 128-byte buffer on the stack (only its first 128 bytes are read).
 *
 * Layouts (all fields little-endian, read with rd16/rd32/rd64):
 *   MBR/EBR entry (16 bytes at 446 + 16 * i): 0 boot flag, 4 system id,
 *   8 first LBA (32 bits), 12 block count (32 bits); signature 55 AA at 510.
 *   GPT header (UEFI 2.x table 5-5): 0 "EFI PART", 8 revision, 12 header
 *   size, 16 header CRC32, 24 MyLBA, 32 AlternateLBA, 40 FirstUsableLBA,
 *   48 LastUsableLBA, 72 PartitionEntryLBA, 80 NumberOfPartitionEntries,
 *   84 SizeOfPartitionEntry, 88 PartitionEntryArrayCRC32.
 *   GPT entry (table 5-6): 0 type GUID, 32 StartingLBA, 40 EndingLBA
 *   (inclusive), 56 name (36 UTF-16LE code units).
 *
 * Every LBA is checked against the disk before it is read, so the caller's
 * read function only sees blocks that exist.
 *
 * Locking: none; pure over the caller's scratch and table.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include "base/bytes.h"
#include "base/compiler.h"
#include "base/err.h"
#include "fmt/fmt.h"
#include "part/part.h"

#define MBR_ENTRIES_OFF 446
#define MBR_ENTRY_SIZE 16
#define MBR_SIG_OFF 510
#define MBR_TYPE_GPT 0xee

#define GPT_HDR_MIN 92
#define GPT_ENTRY_USED 128 /* the bytes of an entry that are read */
#define GPT_NAME_OFF 56
#define GPT_NAME_UNITS 36

struct scan {
	uint64_t blocks;
	unsigned bs;
	part_read_fn read;
	void *ctx;
	uint8_t *buf; /* the caller's scratch */
	size_t buf_len;
	struct part_table *out;
};

struct mbr_entry {
	uint8_t boot, type;
	uint32_t first, count;
};

struct gpt_hdr {
	uint64_t alt, first_usable, last_usable, array_lba;
	uint32_t entries, entry_size, array_crc;
};

/* ------------------------------------------------------------ common */

static void note(struct part_table *t, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* Set t's note, unless it already has one: the first finding wins. */
static void note(struct part_table *t, const char *fmt, ...)
{
	va_list ap;
	if (t->note[0])
		return;
	va_start(ap, fmt);
	fmt_vsnprintf(t->note, sizeof t->note, fmt, ap);
	va_end(ap);
}

static void empty(struct part_table *t)
{
	t->scheme = PART_NONE;
	t->n = 0;
	t->note[0] = '\0';
}

/* Keep p in t; past PART_MAX partitions, only note that some were left out. */
static void add(struct part_table *t, const struct part *p)
{
	if (t->n == PART_MAX) {
		note(t, "more than %d partitions, the rest ignored", PART_MAX);
		return;
	}
	t->p[t->n++] = *p;
}

/* Note the first pair of kept partitions that share a block. */
static void note_overlap(struct part_table *t)
{
	for (unsigned i = 0; i < t->n; i++)
		for (unsigned j = i + 1; j < t->n; j++) {
			const struct part *a = &t->p[i], *b = &t->p[j];
			if (a->first < b->first + b->count && b->first < a->first + a->count) {
				note(t, "partitions %u and %u overlap", a->num, b->num);
				return;
			}
		}
}

/* Read count blocks at lba (inside the disk: callers check) into buf. */
static int read_blocks(const struct scan *s, uint64_t lba, unsigned count, void *buf)
{
	int r = s->read(s->ctx, lba, count, buf);
	return r > 0 ? -E_IO : r;
}

/* ------------------------------------------------------------ MBR */

static bool mbr_signed(const uint8_t *blk)
{
	return blk[MBR_SIG_OFF] == 0x55 && blk[MBR_SIG_OFF + 1] == 0xaa;
}

static struct mbr_entry mbr_entry(const uint8_t *blk, unsigned i)
{
	const uint8_t *e = blk + MBR_ENTRIES_OFF + MBR_ENTRY_SIZE * i;
	struct mbr_entry m = {
	    .boot = e[0], .type = e[4], .first = rd32(e + 8), .count = rd32(e + 12)};
	return m;
}

static bool mbr_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

/* Keep partition num at [first, first + count) unless it runs past the disk. */
static void mbr_add(struct scan *s, unsigned num, uint64_t first, uint64_t count, uint8_t type)
{
	if (first >= s->blocks || count > s->blocks - first) {
		note(s->out,
		     "MBR partition %u (LBA %llu, %llu blocks) runs past the end of the disk "
		     "(%llu blocks), dropped",
		     num, (unsigned long long)first, (unsigned long long)count,
		     (unsigned long long)s->blocks);
		return;
	}
	struct part p = {.num = num, .first = first, .count = count, .mbr_type = type};
	add(s->out, &p);
}

/* Whether lba is among the seen[0..n) LBAs (8 bytes each, unaligned). */
static bool ebr_seen(const uint8_t *seen, unsigned n, uint64_t lba)
{
	for (unsigned i = 0; i < n; i++)
		if (rd64(seen + 8 * i) == lba)
			return true;
	return false;
}

/*
 * Follow the EBR chain of the extended partition in slot `slot` covering
 * [start, end) (end already cut to the disk); logicals get *num, *num + 1...
 * The LBAs visited are kept in scratch after the block buffer.
 */
static int ebr_chain(struct scan *s, unsigned slot, uint64_t start, uint64_t end, unsigned *num)
{
	uint8_t *blk = s->buf, *seen = s->buf + s->bs;
	uint64_t ebr = start;
	for (unsigned n = 0;; n++) {
		if (n == PART_MAX) {
			note(s->out, "more than %d EBRs in extended partition %u, the rest ignored",
			     PART_MAX, slot);
			return 0;
		}
		if (ebr_seen(seen, n, ebr)) {
			note(s->out, "EBR chain of partition %u loops back to LBA %llu, stopped",
			     slot, (unsigned long long)ebr);
			return 0;
		}
		for (unsigned i = 0; i < 8; i++)
			seen[8 * n + i] = (uint8_t)(ebr >> 8 * i);
		int r = read_blocks(s, ebr, 1, blk);
		if (r)
			return r;
		if (!mbr_signed(blk)) {
			note(s->out, "EBR at LBA %llu has no signature, chain stopped",
			     (unsigned long long)ebr);
			return 0;
		}
		struct mbr_entry data = mbr_entry(blk, 0), link = mbr_entry(blk, 1);
		if (data.type && data.count && !mbr_extended(data.type))
			mbr_add(s, (*num)++, ebr + data.first, data.count, data.type);
		if (!mbr_extended(link.type) || !link.count)
			return 0;
		uint64_t next = start + link.first;
		if (next >= end) {
			note(s->out,
			     "EBR at LBA %llu links to LBA %llu, outside extended partition %u, "
			     "chain stopped",
			     (unsigned long long)ebr, (unsigned long long)next, slot);
			return 0;
		}
		ebr = next;
	}
}

/* The MBR whose entries are e[0..3]: primaries, then each extended chain. */
static int mbr_scan(struct scan *s, const struct mbr_entry *e)
{
	unsigned num = 5;
	s->out->scheme = PART_MBR;
	for (unsigned i = 0; i < 4; i++)
		if (e[i].type && e[i].count && !mbr_extended(e[i].type))
			mbr_add(s, i + 1, e[i].first, e[i].count, e[i].type);
	for (unsigned i = 0; i < 4; i++) {
		if (!e[i].count || !mbr_extended(e[i].type))
			continue;
		uint64_t start = e[i].first, end = start + e[i].count;
		if (end > s->blocks) {
			note(s->out,
			     "extended partition %u (LBA %llu, %u blocks) runs past the end of the "
			     "disk (%llu blocks)",
			     i + 1, (unsigned long long)start, e[i].count,
			     (unsigned long long)s->blocks);
			end = s->blocks;
			if (start >= end)
				continue;
		}
		int r = ebr_chain(s, i + 1, start, end, &num);
		if (r)
			return r;
	}
	note_overlap(s->out);
	return 0;
}

/* ------------------------------------------------------------ GPT */

/* dst (73 bytes) = the UTF-16LE name at src in UTF-8; see part.h. */
static void gpt_name(char *dst, size_t cap, const uint8_t *src)
{
	size_t n = 0;
	for (unsigned i = 0; i < GPT_NAME_UNITS; i++) {
		uint32_t c = rd16(src + 2 * i);
		if (c == 0)
			break;
		if (c >= 0xd800 && c <= 0xdfff) {
			/* a pair (high, low) is one character outside the BMP */
			if (c < 0xdc00 && i + 1 < GPT_NAME_UNITS) {
				uint32_t lo = rd16(src + 2 * (i + 1));
				if (lo >= 0xdc00 && lo <= 0xdfff)
					i++;
			}
			c = '?';
		}
		size_t len = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
		if (n + len > cap - 1)
			break;
		if (len == 1) {
			dst[n++] = (char)c;
		} else if (len == 2) {
			dst[n++] = (char)(0xc0 | c >> 6);
			dst[n++] = (char)(0x80 | (c & 0x3f));
		} else {
			dst[n++] = (char)(0xe0 | c >> 12);
			dst[n++] = (char)(0x80 | (c >> 6 & 0x3f));
			dst[n++] = (char)(0x80 | (c & 0x3f));
		}
	}
	dst[n] = '\0';
}

/* Blocks holding h's entry array. */
static uint64_t gpt_array_blocks(const struct scan *s, const struct gpt_hdr *h)
{
	uint64_t bytes = (uint64_t)h->entries * h->entry_size;
	return (bytes + s->bs - 1) / s->bs;
}

/* Check the header in blk, read from lba: NULL and *h filled, or what is wrong. */
static const char *gpt_header(const struct scan *s, const uint8_t *blk, uint64_t lba,
			      struct gpt_hdr *h)
{
	static const uint8_t zero[4];
	if (memcmp(blk, "EFI PART", 8) != 0)
		return "header has no signature";
	if (rd32(blk + 8) >> 16 != 1)
		return "header revision is not 1.x";
	uint32_t size = rd32(blk + 12);
	if (size < GPT_HDR_MIN || size > s->bs)
		return "header size bad";
	/* the CRC covers the header with its own CRC field taken as zero */
	uint32_t crc = part_crc32(0, blk, 16);
	crc = part_crc32(crc, zero, 4);
	crc = part_crc32(crc, blk + 20, size - 20);
	if (crc != rd32(blk + 16))
		return "header bad CRC";
	if (rd64(blk + 24) != lba)
		return "header MyLBA wrong";
	h->alt = rd64(blk + 32);
	h->first_usable = rd64(blk + 40);
	h->last_usable = rd64(blk + 48);
	h->array_lba = rd64(blk + 72);
	h->entries = rd32(blk + 80);
	h->entry_size = rd32(blk + 84);
	h->array_crc = rd32(blk + 88);
	if (h->first_usable > h->last_usable || h->last_usable >= s->blocks)
		return "header usable blocks bad";
	if (h->array_lba < 2)
		return "header entry array LBA bad";
	if (h->entries > PART_GPT_ENTRIES_MAX)
		return "header has too many entries";
	if (h->entry_size % 8 || h->entry_size < GPT_ENTRY_USED ||
	    h->entry_size > PART_GPT_ENTRY_SIZE_MAX)
		return "header entry size bad";
	if (h->array_lba >= s->blocks || gpt_array_blocks(s, h) > s->blocks - h->array_lba)
		return "entry array past the end of the disk";
	return NULL;
}

/* Keep entry i (its first 128 bytes at e) if it is in use and inside the usable blocks. */
static void gpt_entry(struct scan *s, const struct gpt_hdr *h, uint32_t i, const uint8_t *e)
{
	static const uint8_t unused[16];
	if (memcmp(e, unused, 16) == 0)
		return;
	uint64_t first = rd64(e + 32), last = rd64(e + 40);
	unsigned num = i + 1;
	if (first > last) {
		note(s->out, "GPT partition %u starts at LBA %llu after its end %llu, dropped", num,
		     (unsigned long long)first, (unsigned long long)last);
		return;
	}
	if (first < h->first_usable || last > h->last_usable) {
		note(s->out,
		     "GPT partition %u (LBA %llu-%llu) is outside the usable blocks %llu-%llu, "
		     "dropped",
		     num, (unsigned long long)first, (unsigned long long)last,
		     (unsigned long long)h->first_usable, (unsigned long long)h->last_usable);
		return;
	}
	struct part p = {.num = num, .first = first, .count = last - first + 1};
	memcpy(p.type_guid, e, 16);
	gpt_name(p.name, sizeof p.name, e + GPT_NAME_OFF);
	add(s->out, &p);
}

/*
 * Take the entries in data, bytes [off, end) of the array: each entry
 * whose first 128 bytes end in this piece is kept; acc gathers one that
 * began in the piece before.
 */
static void gpt_piece(struct scan *s, const struct gpt_hdr *h, const uint8_t *data, uint64_t off,
		      uint64_t end, uint8_t *acc)
{
	for (uint64_t i = off / h->entry_size; i < h->entries; i++) {
		uint64_t es = i * h->entry_size, ee = es + GPT_ENTRY_USED;
		if (es >= end)
			break;
		uint64_t a = MAX(es, off), b = MIN(ee, end);
		if (a >= b)
			continue; /* only the unread tail of the entry is here */
		memcpy(acc + (a - es), data + (a - off), (size_t)(b - a));
		if (ee <= end)
			gpt_entry(s, h, (uint32_t)i, acc);
	}
}

/*
 * Read h's entry array in pieces of the scratch, adding entries to the
 * table: NULL if its CRC matched, else what is wrong (the entries and any
 * note they made are taken back); or a read error in *err.
 */
static const char *gpt_array(struct scan *s, const struct gpt_hdr *h, int *err)
{
	struct part_table *t = s->out;
	bool had_note = t->note[0] != '\0';
	uint64_t bytes = (uint64_t)h->entries * h->entry_size;
	uint64_t total = gpt_array_blocks(s, h);
	uint64_t per_read = s->buf_len / s->bs;
	uint8_t acc[GPT_ENTRY_USED];
	uint32_t crc = 0;

	*err = 0;
	for (uint64_t done = 0; done < total;) {
		unsigned count = (unsigned)MIN(per_read, total - done);
		uint64_t off = done * s->bs, end = MIN(off + (uint64_t)count * s->bs, bytes);
		*err = read_blocks(s, h->array_lba + done, count, s->buf);
		if (*err)
			return "entry array unreadable";
		crc = part_crc32(crc, s->buf, (size_t)(end - off));
		gpt_piece(s, h, s->buf, off, end, acc);
		done += count;
	}
	if (crc == h->array_crc)
		return NULL;
	t->n = 0;
	if (!had_note)
		t->note[0] = '\0';
	return "entry array bad CRC";
}

/*
 * Try the GPT header at lba and its array: NULL if good (the table then
 * holds its entries), else what is wrong; *hdr_ok says whether the header
 * itself passed (then *h is filled). A read error goes to *err.
 */
static const char *gpt_try(struct scan *s, uint64_t lba, struct gpt_hdr *h, bool *hdr_ok, int *err)
{
	const char *why;
	*err = 0;
	*hdr_ok = false;
	if (lba >= s->blocks)
		return "header past the end of the disk";
	*err = read_blocks(s, lba, 1, s->buf);
	if (*err)
		return "header unreadable";
	why = gpt_header(s, s->buf, lba, h);
	if (why)
		return why;
	*hdr_ok = true;
	return gpt_array(s, h, err);
}

/* The GPT of a disk with a protective MBR: primary, else backup, else none. */
static int gpt_scan(struct scan *s)
{
	struct part_table *t = s->out;
	struct gpt_hdr h;
	bool hdr_ok;
	int err;

	const char *why = gpt_try(s, 1, &h, &hdr_ok, &err);
	if (err)
		return err;
	if (!why) {
		t->scheme = PART_GPT;
		note_overlap(t);
		return 0;
	}
	uint64_t alt = s->blocks - 1;
	if (hdr_ok && h.alt > 1 && h.alt < s->blocks)
		alt = h.alt;
	note(t, "GPT primary %s, using the backup at LBA %llu", why, (unsigned long long)alt);
	const char *why2 = gpt_try(s, alt, &h, &hdr_ok, &err);
	if (err)
		return err;
	if (!why2) {
		t->scheme = PART_GPT;
		note_overlap(t);
		return 0;
	}
	t->note[0] = '\0';
	note(t, "no valid GPT: primary %s; backup at LBA %llu %s", why, (unsigned long long)alt,
	     why2);
	return 0;
}

/* ------------------------------------------------------------ both */

static int scan(struct scan *s)
{
	struct mbr_entry e[4];
	int r = read_blocks(s, 0, 1, s->buf);
	if (r)
		return r;
	if (!mbr_signed(s->buf))
		return 0;
	for (unsigned i = 0; i < 4; i++)
		e[i] = mbr_entry(s->buf, i);
	for (unsigned i = 0; i < 4; i++)
		if (e[i].type == MBR_TYPE_GPT)
			return gpt_scan(s);
	/* a FAT or NTFS boot sector also ends in 55 AA; its code is no table */
	for (unsigned i = 0; i < 4; i++)
		if (e[i].boot != 0 && e[i].boot != 0x80) {
			note(s->out,
			     "MBR entry %u has boot flag 0x%02x: a boot sector, not a table", i + 1,
			     e[i].boot);
			return 0;
		}
	return mbr_scan(s, e);
}

int part_scan(uint64_t blocks, unsigned block_size, part_read_fn read, void *ctx, void *scratch,
	      size_t scratch_len, struct part_table *out)
{
	if (!out)
		return -E_INVAL;
	empty(out);
	if (!read || !scratch || block_size < 512 || block_size > 65536 ||
	    (block_size & (block_size - 1)) || scratch_len < PART_SCRATCH_MIN(block_size))
		return -E_INVAL;
	if (blocks == 0)
		return 0;
	struct scan s = {.blocks = blocks,
			 .bs = block_size,
			 .read = read,
			 .ctx = ctx,
			 .buf = scratch,
			 .buf_len = scratch_len,
			 .out = out};
	int r = scan(&s);
	if (r)
		empty(out);
	return r;
}
