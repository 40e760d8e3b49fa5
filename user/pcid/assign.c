/*
 * assign.c - addresses for the BARs of a hot-added function (docs/pcid.md,
 * "BAR assignment").
 *
 * Firmware assigns BARs at boot; a function that appears later by native
 * hot-plug reads 0 in every BAR, so a driver could map nothing. When a
 * slot's rescan finds a function (main.c's found(), before the `add`
 * line), pcid_assign_bars sizes its BARs and, if a memory BAR reads 0,
 * places every BAR that reads 0 in the windows of the bridge above it
 * (lib/pci/alloc.c: largest first, size-aligned, around the BARs and
 * windows of the other functions on the same bus) and writes the
 * addresses. A BAR that already has one (firmware's) is never rewritten.
 * Nothing is kept between calls: the ranges in use are read from the
 * functions present at that moment, so a removed function's ranges are
 * free again once it is gone from the table.
 *
 * The writes go through access.c like any config write: with the
 * function's decoding off (a hot-added function's COMMAND is 0) they
 * are plain stores; were decoding on they would be made with SYS_HWSTORE
 * (pci_cfg_write_moves_map). A memory BAR that cannot be placed is
 * logged once and marks the function `bars_unplaced`: it is reported
 * `add` all the same, and a claim of it fails with E_NOSPC, so its
 * driver says why it cannot start. An I/O BAR that cannot be placed
 * (no I/O window) is only logged: pcid grants no ports, and a driver
 * that needs them cannot work from any address.
 *
 * Locking: called with tbl_lock held (the table does not change under
 * it); each device's lock is taken around its own config accesses, one
 * at a time, after tbl_lock (the usual order). The allocator is static
 * and used only under tbl_lock.
 */
#include "pci/alloc.h"
#include "pcid.h"
#include "rb/stdio.h"

static struct pci_win_alloc alloc; /* tbl_lock */

/* The bridge whose secondary bus is d's bus, or NULL. */
static struct pcid_dev *parent_bridge(const struct pcid_dev *d)
{
	for (unsigned i = 0; i < pcid_ndev; i++) {
		struct pcid_dev *p = &pcid_devs[i];
		if (p != d && p->present && p->hdr.type == 1 &&
		    p->cfg.addr.seg == d->cfg.addr.seg && p->hdr.secondary == d->cfg.addr.bus)
			return p;
	}
	return NULL;
}

/* Mark what the other functions on d's bus decode: their BARs with an
   address, and a bridge's own windows (sizing them if not yet sized). */
static bool reserve_siblings(const struct pcid_dev *d)
{
	for (unsigned i = 0; i < pcid_ndev; i++) {
		struct pcid_dev *s = &pcid_devs[i];
		if (s == d || !s->present || s->cfg.addr.seg != d->cfg.addr.seg ||
		    s->cfg.addr.bus != d->cfg.addr.bus)
			continue;
		struct pci_window w[PCI_WIN_KINDS] = {0};
		rb_mutex_lock(&s->lock);
		pcid_bars(s);
		struct pci_bar b[PCI_MAX_BARS];
		unsigned n = s->nbars;
		for (unsigned k = 0; k < n; k++)
			b[k] = s->bars[k];
		if (s->hdr.type == 1)
			pci_bridge_windows_read(&s->cfg, w);
		rb_mutex_unlock(&s->lock);
		int r = 0;
		for (unsigned k = 0; k < n && r == 0; k++) {
			if (!b[k].addr)
				continue;
			if (b[k].kind == PCI_BAR_IO) {
				r = pci_win_reserve(&alloc, PCI_WIN_IO, b[k].addr, b[k].size);
			} else {
				r = pci_win_reserve(&alloc, PCI_WIN_MEM, b[k].addr, b[k].size);
				if (r == 0)
					r = pci_win_reserve(&alloc, PCI_WIN_PREF, b[k].addr,
							    b[k].size);
			}
		}
		for (unsigned k = 0; k < PCI_WIN_KINDS && r == 0; k++) {
			if (!w[k].present)
				continue;
			/* base > 0, so the length cannot wrap to 0 */
			uint64_t len = w[k].limit - w[k].base + 1;
			if (k == PCI_WIN_IO) {
				r = pci_win_reserve(&alloc, PCI_WIN_IO, w[k].base, len);
			} else {
				r = pci_win_reserve(&alloc, PCI_WIN_MEM, w[k].base, len);
				if (r == 0)
					r = pci_win_reserve(&alloc, PCI_WIN_PREF, w[k].base, len);
			}
		}
		if (r < 0) {
			rb_printf("pcid: %s: more than %d ranges in use behind the bridge; "
				  "BARs not assigned\n",
				  d->name, PCI_WIN_MAX_USED);
			return false;
		}
	}
	return true;
}

/* Make sure the bridge forwards the kinds of window a BAR went into
   (COMMAND's Memory / I/O enable; this write moves the memory map, so
   access.c makes it with SYS_HWSTORE). */
static void bridge_decode(struct pcid_dev *br, uint16_t bits)
{
	rb_mutex_lock(&br->lock);
	uint16_t cmd = pci_read16(&br->cfg, PCI_COMMAND);
	if (cmd != 0xffff && (cmd & bits) != bits) {
		pci_write16(&br->cfg, PCI_COMMAND, (uint16_t)(cmd | bits));
		rb_printf("pcid: %s: bridge decoding turned on (command %#x)\n", br->name,
			  (unsigned)(cmd | bits));
	}
	rb_mutex_unlock(&br->lock);
}

void pcid_assign_bars(struct pcid_dev *d)
{
	rb_mutex_lock(&d->lock);
	d->bars_sized = false;
	d->bars_unplaced = false;
	pcid_bars(d);
	bool need = false;
	for (unsigned i = 0; i < d->nbars; i++)
		need |= d->bars[i].kind != PCI_BAR_IO && d->bars[i].addr == 0;
	rb_mutex_unlock(&d->lock);
	if (!need)
		return; /* every memory BAR has an address: never rewritten */
	struct pcid_dev *br = parent_bridge(d);
	if (!br) {
		rb_printf("pcid: %s: BARs unassigned and no bridge above it; claims refused\n",
			  d->name);
		rb_mutex_lock(&d->lock);
		d->bars_unplaced = true;
		rb_mutex_unlock(&d->lock);
		return;
	}
	struct pci_window w[PCI_WIN_KINDS];
	rb_mutex_lock(&br->lock);
	pci_bridge_windows_read(&br->cfg, w);
	rb_mutex_unlock(&br->lock);
	pci_win_alloc_init(&alloc, w);
	bool ok = reserve_siblings(d);

	rb_mutex_lock(&d->lock);
	struct pci_bar b[PCI_MAX_BARS];
	struct pci_place_res res[PCI_MAX_BARS];
	unsigned n = d->nbars;
	for (unsigned i = 0; i < n; i++)
		b[i] = d->bars[i];
	if (ok)
		(void)pci_bars_place(&alloc, b, n, res);
	uint16_t decode = 0;
	char line[160];
	int used = 0;
	for (unsigned i = 0; i < n; i++) {
		if (b[i].addr && !d->bars[i].addr) {
			pci_bar_set(&d->cfg, &b[i]);
			d->bars[i].addr = b[i].addr;
			decode |= b[i].kind == PCI_BAR_IO ? PCI_CMD_IO : PCI_CMD_MEM;
			if (used >= 0 && (size_t)used < sizeof line)
				used += rb_snprintf(line + used, sizeof line - (size_t)used,
						    " %u:%#llx", b[i].index,
						    (unsigned long long)b[i].addr);
			continue;
		}
		if (d->bars[i].addr)
			continue;
		bool mem = b[i].kind != PCI_BAR_IO;
		d->bars_unplaced |= mem;
		const char *why = !ok				      ? "not assigned"
				  : res[i].how == PCI_PLACE_NO_WINDOW ? "no window of its kind"
								      : "does not fit";
		rb_printf("pcid: %s: BAR %u (%s, %#llx bytes) behind %s: %s%s\n", d->name,
			  b[i].index, pci_bar_kind_name(b[i].kind), (unsigned long long)b[i].size,
			  br->name, why, mem ? "; claims refused" : "; left unassigned");
	}
	rb_mutex_unlock(&d->lock);
	if (used > 0)
		rb_printf("pcid: %s: BARs assigned behind %s:%s\n", d->name, br->name, line);
	if (decode)
		bridge_decode(br, decode);
}
