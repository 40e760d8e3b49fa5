/*
 * vmregion.c - the sorted region list of an address space (see vmregion.h).
 * Lookups are binary searches; changes shift the array (lists are short).
 */
#include <string.h>
#include "base/err.h"
#include "mm/vmregion.h"

static uint64_t end_of(const struct vm_region *r)
{
	return r->start + r->len;
}

/* Whether paddr follows the region's start (a physical address or a file offset). */
static bool has_offset(const struct vm_region *r)
{
	return r->kind == VM_PHYS || r->kind == VM_FILE;
}

void vmr_init(struct vm_regions *l, struct vm_region *r, size_t cap)
{
	l->r = r;
	l->n = 0;
	l->cap = cap;
}

void vmr_move(struct vm_regions *l, struct vm_region *r, size_t cap)
{
	if (l->n)
		memcpy(r, l->r, l->n * sizeof *r);
	l->r = r;
	l->cap = cap;
}

/* Index of the first region ending above va (l->n if none). */
static size_t first_ending_above(const struct vm_regions *l, uint64_t va)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (end_of(&l->r[mid]) <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct vm_region *vmr_find(const struct vm_regions *l, uint64_t va)
{
	size_t i = first_ending_above(l, va);
	return i < l->n && l->r[i].start <= va ? &l->r[i] : NULL;
}

bool vmr_overlaps(const struct vm_regions *l, uint64_t start, uint64_t len)
{
	size_t i = first_ending_above(l, start);
	return i < l->n && l->r[i].start < start + len;
}

int vmr_find_gap(const struct vm_regions *l, uint64_t base, uint64_t limit, uint64_t len,
		 uint64_t guard, uint64_t *out)
{
	uint64_t a = base;
	for (size_t i = first_ending_above(l, base > guard ? base - guard : 0);; i++) {
		if (a > limit || len > limit - a)
			return -E_NOMEM;
		if (i >= l->n || a + len + guard <= l->r[i].start) {
			*out = a;
			return 0;
		}
		a = end_of(&l->r[i]) + guard;
		if (a < base)
			a = base;
	}
}

/* Open a slot at index i. */
static void open_slot(struct vm_regions *l, size_t i)
{
	memmove(&l->r[i + 1], &l->r[i], (l->n - i) * sizeof l->r[0]);
	l->n++;
}

static void close_slot(struct vm_regions *l, size_t i)
{
	memmove(&l->r[i], &l->r[i + 1], (l->n - i - 1) * sizeof l->r[0]);
	l->n--;
}

/* Cut region i in two at va (strictly inside it); needs a free slot. */
static void split(struct vm_regions *l, size_t i, uint64_t va)
{
	open_slot(l, i);
	struct vm_region *lo = &l->r[i], *hi = &l->r[i + 1];
	uint64_t off = va - lo->start;
	hi->start = va;
	hi->len = lo->len - off;
	if (has_offset(hi))
		hi->paddr = lo->paddr + off;
	lo->len = off;
}

int vmr_insert(struct vm_regions *l, const struct vm_region *r)
{
	if (r->len == 0 || (r->start | r->len) & (VMR_PAGE - 1) || r->start + r->len < r->start)
		return -E_INVAL;
	if (vmr_overlaps(l, r->start, r->len))
		return -E_INVAL;
	if (l->n == l->cap)
		return -E_NOMEM;
	size_t i = first_ending_above(l, r->start);
	open_slot(l, i);
	l->r[i] = *r;
	return 0;
}

/* Make [start, end) a union of whole regions by cutting at its edges. */
static int cut_edges(struct vm_regions *l, uint64_t start, uint64_t end)
{
	if (l->cap - l->n < 2)
		return -E_NOMEM;
	size_t i = first_ending_above(l, start);
	if (i < l->n && l->r[i].start < start)
		split(l, i, start);
	i = first_ending_above(l, end);
	if (i < l->n && l->r[i].start < end)
		split(l, i, end);
	return 0;
}

int vmr_remove(struct vm_regions *l, uint64_t start, uint64_t len)
{
	uint64_t end = start + len;
	size_t i = first_ending_above(l, start);
	if (i < l->n && l->r[i].start < start && end_of(&l->r[i]) > end) {
		/* A hole inside one region: the only case that adds one. */
		if (l->n == l->cap)
			return -E_NOMEM;
		split(l, i, end);
		l->r[i].len = start - l->r[i].start;
		return 0;
	}
	if (i < l->n && l->r[i].start < start) { /* keep the head of the left one */
		l->r[i].len = start - l->r[i].start;
		i++;
	}
	while (i < l->n && end_of(&l->r[i]) <= end)
		close_slot(l, i);
	if (i < l->n && l->r[i].start < end) { /* keep the tail of the right one */
		uint64_t off = end - l->r[i].start;
		l->r[i].start = end;
		l->r[i].len -= off;
		if (has_offset(&l->r[i]))
			l->r[i].paddr += off;
	}
	return 0;
}

int vmr_replace(struct vm_regions *l, const struct vm_region *r)
{
	uint64_t end = r->start + r->len;
	if (r->len == 0 || (r->start | r->len) & (VMR_PAGE - 1) || end < r->start)
		return -E_INVAL;
	/* Room needed: r's slot, plus one for the far part of a region that
	   r splits in two, less the regions r swallows whole. */
	size_t i = first_ending_above(l, r->start), whole = 0;
	bool hole = i < l->n && l->r[i].start < r->start && end_of(&l->r[i]) > end;
	for (size_t j = i; j < l->n && end_of(&l->r[j]) <= end; j++)
		whole += l->r[j].start >= r->start;
	if (l->cap - l->n < (hole ? 2u : whole ? 0u : 1u))
		return -E_NOMEM;
	int err = vmr_remove(l, r->start, r->len);
	return err < 0 ? err : vmr_insert(l, r);
}

int vmr_protect(struct vm_regions *l, uint64_t start, uint64_t len, uint32_t prot)
{
	uint64_t end = start + len;
	int err = cut_edges(l, start, end);
	if (err < 0)
		return err;
	for (size_t i = first_ending_above(l, start); i < l->n && l->r[i].start < end; i++)
		l->r[i].prot = prot;
	return 0;
}
