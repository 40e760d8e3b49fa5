/*
 * pmm.c - physical page frame allocator logic.
 *
 * The bitmap holds one bit per 4 KiB frame, 1 = used, stored in u64 words
 * (bit i of word w is frame w*64 + i). Padding bits past npages in the last
 * word are kept set so that word scans never hand them out. Range updates
 * work a word at a time and keep nfree exact by counting the bits that
 * actually flip. pmm_alloc() is next-fit: the search starts at the hint
 * (one past the last allocation) and wraps around once; scans skip whole
 * used words, so single-page allocation is O(1) amortized. A free below
 * the hint lowers it to the freed range, so frames freed are handed out
 * again first: recently used memory is warm in caches, and in a VM a
 * frame the guest never touched costs the host a fault and a zeroed page
 * at its first use (a 1 MiB kernel buffer allocated and freed per request
 * marched through all of RAM otherwise, at about 1 ms per MiB under TCG).
 *
 * Pure code: no locking (the caller holds one), no allocation.
 */
#include <string.h>
#include "base/err.h"
#include "fmt/fmt.h"
#include "mm/pmm.h"

/* Set bits in x: portable (no libgcc call in the kernel). */
static uint64_t pmm_popcount(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (x * 0x0101010101010101ULL) >> 56;
}

/* Mask of bits [lo, hi) within one word, 0 <= lo < hi <= 64. */
static uint64_t pmm_mask(unsigned lo, unsigned hi)
{
	uint64_t m = hi == 64 ? ~0ULL : (1ULL << hi) - 1;

	return m & ~((1ULL << lo) - 1);
}

static bool pmm_test(const struct pmm *p, uint64_t pg)
{
	return p->bitmap[pg / 64] >> (pg % 64) & 1;
}

/* Mark frames [first, end) used (used=true) or free; keeps nfree exact. */
static void pmm_set(struct pmm *p, uint64_t first, uint64_t end, bool used)
{
	while (first < end) {
		uint64_t w = first / 64;
		unsigned lo = (unsigned)(first % 64);
		unsigned hi = end - w * 64 >= 64 ? 64 : (unsigned)(end - w * 64);
		uint64_t m = pmm_mask(lo, hi);
		uint64_t old = p->bitmap[w];

		if (used) {
			p->nfree -= pmm_popcount(~old & m);
			p->bitmap[w] = old | m;
		} else {
			p->nfree += pmm_popcount(old & m);
			p->bitmap[w] = old & ~m;
		}
		first = (w + 1) * 64;
	}
}

/* First frame in [from, limit) whose bit equals used, or limit. */
static uint64_t pmm_scan(const struct pmm *p, uint64_t from, uint64_t limit, bool used)
{
	while (from < limit) {
		uint64_t w = p->bitmap[from / 64];
		uint64_t bits = (used ? w : ~w) >> (from % 64);

		if (bits) {
			uint64_t pg = from + (uint64_t)__builtin_ctzll(bits);

			return pg < limit ? pg : limit;
		}
		from = (from / 64 + 1) * 64;
	}
	return limit;
}

void pmm_init(struct pmm *p, uint64_t *bitmap, uint64_t npages)
{
	p->bitmap = bitmap;
	p->npages = npages;
	p->nfree = 0;
	p->hint = 0;
	p->bad_frees = 0;
	memset(bitmap, 0xff, pmm_bitmap_bytes(npages));
}

/* Clip [base, base+len) to pages [*first, *end) below npages. */
static void pmm_pages(const struct pmm *p, uint64_t base, uint64_t len, bool outward,
		      uint64_t *first, uint64_t *end)
{
	uint64_t top = len > UINT64_MAX - base ? UINT64_MAX : base + len;

	if (outward) {
		*first = base / PMM_PAGE_SIZE;
		*end = top / PMM_PAGE_SIZE + (top % PMM_PAGE_SIZE != 0);
	} else {
		*first = base / PMM_PAGE_SIZE + (base % PMM_PAGE_SIZE != 0);
		*end = top / PMM_PAGE_SIZE;
	}
	if (*end > p->npages)
		*end = p->npages;
	if (*first > *end)
		*first = *end;
}

void pmm_free_range(struct pmm *p, uint64_t base, uint64_t len)
{
	uint64_t first, end;

	pmm_pages(p, base, len, false, &first, &end);
	pmm_set(p, first, end, false);
}

void pmm_reserve_range(struct pmm *p, uint64_t base, uint64_t len)
{
	uint64_t first, end;

	if (!len)
		return;
	pmm_pages(p, base, len, true, &first, &end);
	pmm_set(p, first, end, true);
}

/* Aligned start of a free run of n frames in [from, limit), or limit. */
static uint64_t pmm_search(const struct pmm *p, uint64_t from, uint64_t limit, uint64_t n,
			   uint64_t align)
{
	uint64_t s = from;

	for (;;) {
		uint64_t u;

		s = pmm_scan(p, s, limit, false);
		s = ALIGN_UP(s, align);
		if (s >= limit || limit - s < n)
			return limit;
		u = pmm_scan(p, s, s + n, true);
		if (u == s + n)
			return s;
		s = u + 1;
	}
}

int pmm_alloc(struct pmm *p, uint64_t npages, uint64_t align_pages, uint64_t *paddr)
{
	uint64_t s;

	if (!align_pages)
		align_pages = 1;
	if (!npages || align_pages & (align_pages - 1))
		return -E_INVAL;
	if (npages > p->nfree)
		return -E_NOMEM;
	s = pmm_search(p, p->hint, p->npages, npages, align_pages);
	if (s == p->npages) {
		/* wrap: a run may also straddle the old hint */
		uint64_t lim = p->hint + npages + align_pages;

		if (lim > p->npages || lim < p->hint)
			lim = p->npages;
		s = pmm_search(p, 0, lim, npages, align_pages);
		if (s == lim)
			return -E_NOMEM;
	}
	pmm_set(p, s, s + npages, true);
	p->hint = s + npages < p->npages ? s + npages : 0;
	*paddr = s * PMM_PAGE_SIZE;
	return 0;
}

int pmm_free(struct pmm *p, uint64_t paddr, uint64_t npages)
{
	uint64_t first = paddr / PMM_PAGE_SIZE;

	if (paddr % PMM_PAGE_SIZE || !npages || first >= p->npages || npages > p->npages - first) {
		p->bad_frees++;
		return -E_INVAL;
	}
	if (pmm_scan(p, first, first + npages, false) != first + npages) {
		p->bad_frees++;
		return -E_FAULT;
	}
	pmm_set(p, first, first + npages, false);
	if (first < p->hint)
		p->hint = first;
	return 0;
}

uint64_t pmm_free_pages(const struct pmm *p)
{
	return p->nfree;
}

bool pmm_is_used(const struct pmm *p, uint64_t paddr)
{
	uint64_t pg = paddr / PMM_PAGE_SIZE;

	return pg >= p->npages || pmm_test(p, pg);
}

int pmm_check(const struct pmm *p, const struct pmm_range *reserved, size_t n, char *why,
	      size_t whylen)
{
	uint64_t words = pmm_bitmap_bytes(p->npages) / 8, w, count = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t first, end, pg;

		if (!reserved[i].len)
			continue;
		pmm_pages(p, reserved[i].base, reserved[i].len, true, &first, &end);
		pg = pmm_scan(p, first, end, false);
		if (pg != end) {
			if (whylen)
				fmt_snprintf(why, whylen,
					     "reserved range %zu [%#llx+%#llx) has free page %#llx",
					     i, (unsigned long long)reserved[i].base,
					     (unsigned long long)reserved[i].len,
					     (unsigned long long)(pg * PMM_PAGE_SIZE));
			return -E_INVAL;
		}
	}
	for (w = 0; w < words; w++)
		count += 64 - pmm_popcount(p->bitmap[w]);
	if (count != p->nfree) {
		if (whylen)
			fmt_snprintf(why, whylen, "free count %llu but bitmap has %llu",
				     (unsigned long long)p->nfree, (unsigned long long)count);
		return -E_INVAL;
	}
	if (p->npages % 64 && ~p->bitmap[words - 1] & pmm_mask((unsigned)(p->npages % 64), 64)) {
		if (whylen)
			fmt_snprintf(why, whylen, "padding bits past page %llu are clear",
				     (unsigned long long)p->npages);
		return -E_INVAL;
	}
	if (whylen)
		why[0] = 0;
	return 0;
}

void pmm_mem_summary(const struct pmm_mem *map, size_t n, uint64_t *top, uint64_t *avail)
{
	size_t i;

	*top = 0;
	*avail = 0;
	for (i = 0; i < n; i++) {
		uint64_t end;

		if (map[i].type != PMM_MEM_AVAILABLE || !map[i].len)
			continue;
		end = map[i].len > UINT64_MAX - map[i].base ? UINT64_MAX : map[i].base + map[i].len;
		if (end > *top)
			*top = end;
		*avail += end - map[i].base;
	}
}

/* If [s, s+size) overlaps [b, b+len), the first byte past the obstacle. */
static bool pmm_overlap(uint64_t s, uint64_t size, uint64_t b, uint64_t len, uint64_t *past)
{
	uint64_t e = b + len < b ? UINT64_MAX : b + len;

	if (!len || s >= e || s + size <= b)
		return false;
	*past = e;
	return true;
}

int pmm_find_run(const struct pmm_mem *map, size_t n, const struct pmm_range *reserved,
		 size_t nreserved, uint64_t size, uint64_t *base)
{
	size_t i, j;

	if (!size || size > UINT64_MAX - 2 * PMM_PAGE_SIZE)
		return -E_INVAL;
	for (i = 0; i < n; i++) {
		uint64_t end, s;

		if (map[i].type != PMM_MEM_AVAILABLE || !map[i].len)
			continue;
		end = map[i].len > UINT64_MAX - map[i].base ? UINT64_MAX : map[i].base + map[i].len;
		if (map[i].base > UINT64_MAX - PMM_PAGE_SIZE)
			continue;
		s = ALIGN_UP(map[i].base, PMM_PAGE_SIZE);
		while (s < end && end - s >= size) {
			uint64_t past = 0;
			bool hit = false;

			for (j = 0; j < nreserved && !hit; j++)
				hit =
				    pmm_overlap(s, size, reserved[j].base, reserved[j].len, &past);
			for (j = 0; j < n && !hit; j++)
				if (map[j].type != PMM_MEM_AVAILABLE)
					hit = pmm_overlap(s, size, map[j].base, map[j].len, &past);
			if (!hit) {
				*base = s;
				return 0;
			}
			if (past > UINT64_MAX - PMM_PAGE_SIZE)
				break;
			s = ALIGN_UP(past, PMM_PAGE_SIZE);
		}
	}
	return -E_NOMEM;
}
