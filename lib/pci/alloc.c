/*
 * alloc.c - decoding a PCI-to-PCI bridge's windows and placing BARs in
 * them (alloc.h; docs/pcid.md, "BAR assignment").
 *
 * Windows (PCI-to-PCI Bridge Architecture spec 1.2): I/O in 4 KiB units
 * (3.2.5.6, 3.2.5.10: bits 15:12 in the 8-bit base/limit, bits 31:16 in
 * the upper registers when the low nibble says 32-bit), memory in 1 MiB
 * units below 4 GiB (3.2.5.8: bits 31:20), prefetchable memory in 1 MiB
 * units, 64-bit when the low nibble says so (3.2.5.9: bits 63:32 in the
 * upper registers). A limit register names the last unit, so the window
 * ends at the unit's last byte.
 *
 * Placement: each window keeps a sorted list of the ranges in use; a BAR
 * of size S (a power of two, PCI Local Bus spec 6.2.5.1: a BAR decodes
 * an aligned block of its size) goes at the lowest multiple of S in the
 * window that no used range overlaps, found in one pass over the list.
 * Largest first keeps the gaps small: every later (smaller) alignment
 * divides the earlier ones. Pure: the caller owns the struct
 * pci_win_alloc and holds whatever lock guards the function.
 */
#include "pci/alloc.h"
#include "base/err.h"

void pci_bridge_windows_decode(const struct pci_bridge_regs *r, struct pci_window w[PCI_WIN_KINDS])
{
	uint64_t base, limit;

	base = (uint64_t)(r->io_base & 0xf0) << 8;
	limit = (uint64_t)(r->io_limit & 0xf0) << 8 | 0xfff;
	if ((r->io_base & PCI_WIN_RANGE_TYPE) == PCI_WIN_RANGE_32_64) {
		base |= (uint64_t)r->io_base_upper << 16;
		limit |= (uint64_t)r->io_limit_upper << 16;
	}
	w[PCI_WIN_IO] = (struct pci_window){.present = base && base <= limit, base, limit};

	base = (uint64_t)(r->mem_base & 0xfff0) << 16;
	limit = (uint64_t)(r->mem_limit & 0xfff0) << 16 | 0xfffff;
	w[PCI_WIN_MEM] = (struct pci_window){.present = base && base <= limit, base, limit};

	base = (uint64_t)(r->pref_base & 0xfff0) << 16;
	limit = (uint64_t)(r->pref_limit & 0xfff0) << 16 | 0xfffff;
	if ((r->pref_base & PCI_WIN_RANGE_TYPE) == PCI_WIN_RANGE_32_64) {
		base |= (uint64_t)r->pref_base_upper << 32;
		limit |= (uint64_t)r->pref_limit_upper << 32;
	}
	w[PCI_WIN_PREF] = (struct pci_window){.present = base && base <= limit, base, limit};
}

void pci_bridge_windows_read(const struct pci_cfg *c, struct pci_window w[PCI_WIN_KINDS])
{
	struct pci_bridge_regs r = {
	    .io_base = pci_read8(c, PCI_IO_BASE),
	    .io_limit = pci_read8(c, PCI_IO_LIMIT),
	    .io_base_upper = pci_read16(c, PCI_IO_BASE_UPPER),
	    .io_limit_upper = pci_read16(c, PCI_IO_LIMIT_UPPER),
	    .mem_base = pci_read16(c, PCI_MEM_BASE),
	    .mem_limit = pci_read16(c, PCI_MEM_LIMIT),
	    .pref_base = pci_read16(c, PCI_PREF_BASE),
	    .pref_limit = pci_read16(c, PCI_PREF_LIMIT),
	    .pref_base_upper = pci_read32(c, PCI_PREF_BASE_UPPER),
	    .pref_limit_upper = pci_read32(c, PCI_PREF_LIMIT_UPPER),
	};
	pci_bridge_windows_decode(&r, w);
}

void pci_win_alloc_init(struct pci_win_alloc *a, const struct pci_window w[PCI_WIN_KINDS])
{
	for (unsigned k = 0; k < PCI_WIN_KINDS; k++) {
		a->win[k] = w[k];
		a->nused[k] = 0;
	}
}

/* Insert [base, last] into window k's sorted list. */
static int used_insert(struct pci_win_alloc *a, enum pci_win_kind k, uint64_t base, uint64_t last)
{
	unsigned n = a->nused[k], i = n;
	if (n == PCI_WIN_MAX_USED)
		return -E_NOSPC;
	struct pci_range *u = a->used[k];
	while (i > 0 && u[i - 1].base > base) {
		u[i] = u[i - 1];
		i--;
	}
	u[i] = (struct pci_range){base, last};
	a->nused[k] = n + 1;
	return 0;
}

int pci_win_reserve(struct pci_win_alloc *a, enum pci_win_kind k, uint64_t base, uint64_t size)
{
	const struct pci_window *w = &a->win[k];
	if (!w->present || size == 0)
		return 0;
	uint64_t last = size - 1 > UINT64_MAX - base ? UINT64_MAX : base + (size - 1);
	if (last < w->base || base > w->limit)
		return 0; /* outside this window */
	if (base < w->base)
		base = w->base;
	if (last > w->limit)
		last = w->limit;
	return used_insert(a, k, base, last);
}

/* x rounded up to a multiple of align (a power of two); false on overflow. */
static bool align_up(uint64_t x, uint64_t align, uint64_t *out)
{
	if (x > UINT64_MAX - (align - 1))
		return false;
	*out = (x + (align - 1)) & ~(align - 1);
	return true;
}

int pci_win_alloc(struct pci_win_alloc *a, enum pci_win_kind k, uint64_t size, uint64_t *addr)
{
	const struct pci_window *w = &a->win[k];
	if (size == 0 || (size & (size - 1)))
		return -E_INVAL;
	if (!w->present)
		return -E_NOENT;
	if (a->nused[k] == PCI_WIN_MAX_USED)
		return -E_NOSPC;
	uint64_t cand;
	if (!align_up(w->base, size, &cand))
		return -E_NOSPC;
	/* The list is sorted by base: once a range starts past the
	   candidate's end, so do all that follow. */
	for (unsigned i = 0; i < a->nused[k]; i++) {
		const struct pci_range *u = &a->used[k][i];
		if (u->last < cand)
			continue;
		if (u->base > cand && u->base - cand >= size)
			break;
		if (u->last == UINT64_MAX || !align_up(u->last + 1, size, &cand))
			return -E_NOSPC;
	}
	if (cand > w->limit || size - 1 > w->limit - cand)
		return -E_NOSPC;
	*addr = cand;
	return used_insert(a, k, cand, cand + (size - 1));
}

/* Reserve a BAR that already has an address wherever it lies. */
static int reserve_kept(struct pci_win_alloc *a, const struct pci_bar *b)
{
	if (b->kind == PCI_BAR_IO)
		return pci_win_reserve(a, PCI_WIN_IO, b->addr, b->size);
	int r = pci_win_reserve(a, PCI_WIN_MEM, b->addr, b->size);
	if (r == 0)
		r = pci_win_reserve(a, PCI_WIN_PREF, b->addr, b->size);
	return r;
}

/* Place one BAR; its result in *res. */
static void place_one(struct pci_win_alloc *a, struct pci_bar *b, struct pci_place_res *res)
{
	enum pci_win_kind order[2];
	unsigned n = 0;
	if (b->kind == PCI_BAR_IO) {
		order[n++] = PCI_WIN_IO;
	} else if (b->kind == PCI_BAR_MEM64 && b->prefetch) {
		order[n++] = PCI_WIN_PREF;
		order[n++] = PCI_WIN_MEM; /* below 4 GiB: the memory window is */
	} else {
		order[n++] = PCI_WIN_MEM;
	}
	bool any = false;
	for (unsigned i = 0; i < n; i++) {
		if (!a->win[order[i]].present)
			continue;
		any = true;
		uint64_t addr;
		if (pci_win_alloc(a, order[i], b->size, &addr) == 0) {
			b->addr = addr;
			*res = (struct pci_place_res){PCI_PLACE_DONE, (uint8_t)order[i]};
			return;
		}
	}
	*res = (struct pci_place_res){any ? PCI_PLACE_NO_ROOM : PCI_PLACE_NO_WINDOW, 0};
}

unsigned pci_bars_place(struct pci_win_alloc *a, struct pci_bar *bars, unsigned n,
			struct pci_place_res *res)
{
	unsigned failed = 0, m = 0;
	uint8_t order[PCI_MAX_BARS];
	bool full = false; /* a kept BAR could not be recorded: place nothing */
	for (unsigned i = 0; i < n; i++) {
		res[i] = (struct pci_place_res){PCI_PLACE_KEPT, 0};
		if (bars[i].addr)
			full |= reserve_kept(a, &bars[i]) < 0;
		else if (m < PCI_MAX_BARS && bars[i].size)
			order[m++] = (uint8_t)i;
	}
	/* Largest first (insertion sort, stable: equal sizes by index). */
	for (unsigned i = 1; i < m; i++)
		for (unsigned j = i; j > 0 && bars[order[j - 1]].size < bars[order[j]].size; j--) {
			uint8_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (unsigned i = 0; i < m; i++) {
		struct pci_bar *b = &bars[order[i]];
		if (full)
			res[order[i]] = (struct pci_place_res){PCI_PLACE_NO_ROOM, 0};
		else
			place_one(a, b, &res[order[i]]);
		failed += res[order[i]].how != PCI_PLACE_DONE;
	}
	return failed;
}

void pci_bar_set(const struct pci_cfg *c, const struct pci_bar *b)
{
	uint16_t off = (uint16_t)(PCI_BAR0 + 4 * b->index);
	if (b->kind == PCI_BAR_IO) {
		pci_write32(c, off, (uint32_t)b->addr & ~3u);
		return;
	}
	pci_write32(c, off, (uint32_t)b->addr & ~0xfu);
	if (b->kind == PCI_BAR_MEM64)
		pci_write32(c, (uint16_t)(off + 4), (uint32_t)(b->addr >> 32));
}

const char *pci_win_name(enum pci_win_kind k)
{
	switch (k) {
	case PCI_WIN_IO:
		return "io";
	case PCI_WIN_MEM:
		return "mem";
	case PCI_WIN_PREF:
		return "prefetchable";
	default:
		return "?";
	}
}
