/*
 * ksyms.c - binary search over the generated kernel symbol table.
 *
 * ksyms_lookup() checks the header (count fits in table_len), binary
 * searches the sorted entries for the last address <= addr, then checks
 * that entry's name offset and that the name ends inside the table. It
 * does not verify the sort order (that would make it linear); an unsorted
 * table gives a wrong name, not a fault. ksyms_check() verifies everything
 * once, e.g. at boot. Layout in ksyms.h. No locking, no allocation.
 */
#include "base/bytes.h"
#include "base/err.h"
#include "base/ksyms.h"

/* Number of entries if the header and entry array fit, else -E_INVAL. */
static int ksyms_count(const uint8_t *t, size_t len, uint64_t *count)
{
	if (!t || len < KSYMS_HDR)
		return -E_INVAL;
	*count = rd64(t);
	if (*count > (len - KSYMS_HDR) / KSYMS_ENTRY)
		return -E_INVAL;
	return 0;
}

/* Name at offset off: must start after the entries and end before len. */
static const char *ksyms_name(const uint8_t *t, size_t len, uint64_t count, uint32_t off)
{
	size_t i;

	if (off < KSYMS_HDR + count * KSYMS_ENTRY || off >= len)
		return NULL;
	for (i = off; i < len; i++)
		if (!t[i])
			return (const char *)t + off;
	return NULL;
}

int ksyms_lookup(const void *table, size_t table_len, uint64_t addr, const char **name,
		 uint64_t *offset)
{
	const uint8_t *t = table, *e;
	uint64_t count, lo = 0, hi, sym, size;
	const char *n;
	int r;

	r = ksyms_count(t, table_len, &count);
	if (r)
		return r;
	/* invariant: entries [0, lo) are <= addr, entries [hi, count) above */
	hi = count;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (rd64(t + KSYMS_HDR + mid * KSYMS_ENTRY) <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -E_NOENT;
	e = t + KSYMS_HDR + (lo - 1) * KSYMS_ENTRY;
	sym = rd64(e);
	size = rd32(e + 12);
	n = ksyms_name(t, table_len, count, rd32(e + 8));
	if (!n)
		return -E_INVAL;
	if (size && addr - sym >= size)
		return -E_NOENT;
	*name = n;
	*offset = addr - sym;
	return 0;
}

int ksyms_check(const void *table, size_t table_len)
{
	const uint8_t *t = table;
	uint64_t count, i, prev = 0;
	int r;

	r = ksyms_count(t, table_len, &count);
	if (r)
		return r;
	for (i = 0; i < count; i++) {
		const uint8_t *e = t + KSYMS_HDR + i * KSYMS_ENTRY;

		if (i && rd64(e) < prev)
			return -E_INVAL;
		prev = rd64(e);
		if (!ksyms_name(t, table_len, count, rd32(e + 8)))
			return -E_INVAL;
	}
	return 0;
}
