/*
 * fuzz_pci_alloc.c - libFuzzer target for lib/pci/alloc.c: a bridge's
 * window registers (from the device) decoded from the first 20 input
 * bytes, then reservations (a sibling's BARs, device-controlled) and
 * BAR placements driven by the rest. Every address placed must be
 * aligned to its size, inside the window it was placed in, and overlap
 * no reservation and no other placed range; a present window must have
 * base <= limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pci/alloc.h"

static struct pci_win_alloc A;

struct placed {
	uint64_t base, last;
	unsigned kind;
};

static struct placed got[4096];
static unsigned ngot;

static uint64_t take64(const uint8_t **p, size_t *n)
{
	uint64_t v = 0;
	size_t k = *n < 8 ? *n : 8;
	memcpy(&v, *p, k);
	*p += k;
	*n -= k;
	return v;
}

static void check_new(uint64_t base, uint64_t size, unsigned kind)
{
	const struct pci_window *w = &A.win[kind];
	uint64_t last = base + (size - 1);
	if ((base & (size - 1)) || base < w->base || last > w->limit || last < base)
		abort();
	for (unsigned i = 0; i < ngot; i++)
		if (got[i].kind == kind && !(last < got[i].base || base > got[i].last))
			abort();
	if (ngot < 4096)
		got[ngot++] = (struct placed){base, last, kind};
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pci_bridge_regs r;
	if (size < 20)
		return 0;
	r.io_base = data[0];
	r.io_limit = data[1];
	memcpy(&r.io_base_upper, data + 2, 2);
	memcpy(&r.io_limit_upper, data + 4, 2);
	memcpy(&r.mem_base, data + 6, 2);
	memcpy(&r.mem_limit, data + 8, 2);
	memcpy(&r.pref_base, data + 10, 2);
	memcpy(&r.pref_limit, data + 12, 2);
	memcpy(&r.pref_base_upper, data + 14, 4);
	r.pref_limit_upper = (uint32_t)data[18] << 24 | data[19];
	data += 20;
	size -= 20;
	struct pci_window w[PCI_WIN_KINDS];
	pci_bridge_windows_decode(&r, w);
	for (unsigned k = 0; k < PCI_WIN_KINDS; k++)
		if (w[k].present && (w[k].base > w[k].limit || w[k].base == 0))
			abort();
	pci_win_alloc_init(&A, w);
	ngot = 0;
	/* reservations first (kind 0xff in got: they conflict with every
	   window they were clipped into) */
	while (size >= 9 && data[0] & 1) {
		unsigned kind = (data[0] >> 1) % PCI_WIN_KINDS;
		data++;
		size--;
		uint64_t base = take64(&data, &size),
			 len = size ? (uint64_t)1 << (data[0] & 63) : 1;
		if (size) {
			data++;
			size--;
		}
		if (pci_win_reserve(&A, (enum pci_win_kind)kind, base, len) == 0 && ngot < 4096) {
			uint64_t last = len - 1 > UINT64_MAX - base ? UINT64_MAX : base + (len - 1);
			got[ngot++] = (struct placed){base, last, kind};
		}
	}
	if (size)
		data++, size--;
	/* then BARs placed by pci_bars_place, PCI_MAX_BARS at a time */
	while (size >= 2) {
		struct pci_bar b[PCI_MAX_BARS];
		struct pci_place_res res[PCI_MAX_BARS];
		unsigned n = 0;
		for (; n < PCI_MAX_BARS && size >= 2; n++) {
			b[n] = (struct pci_bar){.index = (uint8_t)n,
						.kind = (uint8_t)(1 + data[0] % 3),
						.prefetch = data[0] & 4,
						.size = (uint64_t)1 << (data[1] & 63)};
			data += 2;
			size -= 2;
		}
		unsigned failed = pci_bars_place(&A, b, n, res);
		unsigned nf = 0;
		for (unsigned i = 0; i < n; i++) {
			if (res[i].how == PCI_PLACE_DONE) {
				if (res[i].win >= PCI_WIN_KINDS)
					abort();
				if (b[i].kind != PCI_BAR_IO && res[i].win == PCI_WIN_IO)
					abort();
				if (b[i].kind == PCI_BAR_MEM32 && res[i].win == PCI_WIN_PREF)
					abort();
				check_new(b[i].addr, b[i].size, res[i].win);
			} else if (res[i].how != PCI_PLACE_KEPT) {
				nf++;
				if (b[i].addr)
					abort();
			}
		}
		if (nf != failed)
			abort();
	}
	return 0;
}
