/*
 * fuzz_part.c - libFuzzer target for the partition-table reader
 * (lib/part/part.c).
 *
 * The input is a disk image: size / 512 blocks of 512 bytes, and also
 * size / 4096 blocks of 4096 bytes when that makes at least 2 blocks. A
 * read outside the image returns -E_IO, but part_scan() must never ask for
 * one, so it also aborts. Each image is scanned with a scratch buffer of
 * exactly PART_SCRATCH_MIN bytes (on the heap: ASan sees an overrun) and
 * with a large one; the scan must succeed, both tables must be equal, and
 * the table must keep part.h's promises: n <= PART_MAX, PART_NONE has no
 * partitions, every partition has at least one block and lies inside the
 * disk, p[] is strictly sorted by num from 1, GPT numbers are at most
 * PART_GPT_ENTRIES_MAX, an MBR partition has no GUID or
 * name, a GPT one no system id and a non-zero type GUID, names and the
 * note are NUL-terminated and names valid UTF-8 without surrogates. Then
 * the scan is repeated with one of its reads failing: it must return that
 * read's error and an empty table.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "part/part.h"

#define BIG_SCRATCH (256 * 1024)

struct image {
	const uint8_t *data;
	uint64_t blocks;
	unsigned bs;
	unsigned reads;
	unsigned fail_at; /* the read that fails with -E_NODATA; UINT32_MAX: none */
};

static int image_read(void *ctx, uint64_t lba, unsigned count, void *buf)
{
	struct image *m = ctx;
	if (count == 0 || lba >= m->blocks || count > m->blocks - lba)
		abort(); /* part_scan reads only blocks of the disk (-E_IO otherwise) */
	if (m->reads++ == m->fail_at)
		return -E_NODATA;
	memcpy(buf, m->data + lba * m->bs, (size_t)count * m->bs);
	return 0;
}

/* Whether s (NUL-terminated within cap) is UTF-8 of BMP characters other than surrogates. */
static bool utf8_bmp(const char *s, size_t cap)
{
	const uint8_t *b = (const uint8_t *)s;
	if (!memchr(s, 0, cap))
		return false;
	while (*b) {
		if (b[0] < 0x80) {
			b++;
		} else if (b[0] >= 0xc2 && b[0] <= 0xdf) {
			if ((b[1] & 0xc0) != 0x80)
				return false;
			b += 2;
		} else if ((b[0] & 0xf0) == 0xe0) {
			if ((b[1] & 0xc0) != 0x80 || (b[2] & 0xc0) != 0x80)
				return false;
			unsigned c = (b[0] & 0x0fu) << 12 | (b[1] & 0x3fu) << 6 | (b[2] & 0x3fu);
			if (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))
				return false;
			b += 3;
		} else {
			return false;
		}
	}
	return true;
}

static void check(const struct part_table *t, uint64_t blocks)
{
	static const uint8_t zero[16];
	if (t->n > PART_MAX || !memchr(t->note, 0, sizeof t->note))
		abort();
	if (t->scheme != PART_NONE && t->scheme != PART_MBR && t->scheme != PART_GPT)
		abort();
	if (t->scheme == PART_NONE && t->n != 0)
		abort();
	for (unsigned i = 0; i < t->n; i++) {
		const struct part *p = &t->p[i];
		if (p->count == 0 || p->first >= blocks || p->count > blocks - p->first)
			abort();
		if (p->num == 0 || (i > 0 && t->p[i - 1].num >= p->num))
			abort();
		if (!utf8_bmp(p->name, sizeof p->name))
			abort();
		if (t->scheme == PART_MBR &&
		    (p->mbr_type == 0 || memcmp(p->type_guid, zero, 16) != 0 || p->name[0]))
			abort();
		if (t->scheme == PART_GPT &&
		    (p->mbr_type != 0 || memcmp(p->type_guid, zero, 16) == 0 ||
		     p->num > PART_GPT_ENTRIES_MAX))
			abort();
	}
}

static bool same(const struct part_table *a, const struct part_table *b)
{
	if (a->scheme != b->scheme || a->n != b->n || strcmp(a->note, b->note) != 0)
		return false;
	for (unsigned i = 0; i < a->n; i++) {
		const struct part *p = &a->p[i], *q = &b->p[i];
		if (p->num != q->num || p->first != q->first || p->count != q->count ||
		    p->mbr_type != q->mbr_type || memcmp(p->type_guid, q->type_guid, 16) != 0 ||
		    strcmp(p->name, q->name) != 0)
			return false;
	}
	return true;
}

static int scan(struct image *m, size_t scratch_len, unsigned fail_at, struct part_table *t)
{
	uint8_t *scratch = malloc(scratch_len);
	if (!scratch)
		abort();
	m->reads = 0;
	m->fail_at = fail_at;
	int r = part_scan(m->blocks, m->bs, image_read, m, scratch, scratch_len, t);
	free(scratch);
	return r;
}

static void run(const uint8_t *data, size_t size, unsigned bs, uint8_t pick)
{
	static struct part_table a, b;
	struct image m = {.data = data, .blocks = size / bs, .bs = bs};

	if (scan(&m, PART_SCRATCH_MIN(bs), UINT32_MAX, &a) != 0)
		abort();
	check(&a, m.blocks);
	unsigned reads = m.reads;
	if (scan(&m, BIG_SCRATCH, UINT32_MAX, &b) != 0 || !same(&a, &b))
		abort();
	if (reads == 0)
		return;
	if (scan(&m, PART_SCRATCH_MIN(bs), pick % reads, &b) != -E_NODATA)
		abort();
	if (b.scheme != PART_NONE || b.n != 0 || b.note[0])
		abort();
}

/* The first bytes as a node name: a split must give a disk name that reads back. */
static void node_name(const uint8_t *data, size_t size)
{
	char node[48], dname[PART_NAME_MAX + 1], again[PART_NAME_MAX + 1];
	size_t n = size < sizeof node - 1 ? size : sizeof node - 1;
	memcpy(node, data, n);
	node[n] = '\0';
	unsigned num = 0, num2 = 1;
	if (part_node_split(node, dname, sizeof dname, &num) != 0)
		return;
	if (!part_disk_name_ok(dname) || strlen(dname) > PART_NAME_MAX)
		abort();
	if (part_node_split(dname, again, sizeof again, &num2) != 0 || strcmp(dname, again) ||
	    num2 != 0)
		abort(); /* a disk name is its own node, partition 0 */
	if (num == 0 && strcmp(node, dname))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t pick = size ? data[size - 1] : 0;
	node_name(data, size);
	run(data, size, 512, pick);
	if (size >= 2 * 4096)
		run(data, size, 4096, pick);
	return 0;
}
