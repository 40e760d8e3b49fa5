/*
 * enum.c - walking one PCI segment's buses and functions (pci.h).
 *
 * Buses are scanned from a queue in caller-independent order: bus_start
 * first, then each secondary bus as its bridge is found (breadth first),
 * then, with all_buses, every bus of the range still unvisited. A bitmap
 * of visited buses (on the stack: 256 bits) refuses a bus seen twice, so
 * a bridge loop in broken firmware ends the walk instead of running it
 * forever. Pure: no allocation; the caller's `found` does the rest.
 */
#include "base/err.h"
#include "pci/pci.h"

struct walk {
	uint8_t queue[256];
	unsigned head, tail;
	uint8_t seen[32]; /* bit b: bus b queued or scanned */
};

static bool seen_test(const struct walk *w, unsigned bus)
{
	return w->seen[bus / 8] & (1u << (bus % 8));
}

static void push(struct walk *w, unsigned bus)
{
	w->seen[bus / 8] |= (uint8_t)(1u << (bus % 8));
	w->queue[w->tail++ % 256] = (uint8_t)bus;
}

static int scan_fn(struct pci_enum *e, struct walk *w, uint8_t bus, uint8_t dev, uint8_t fn,
		   bool *multi)
{
	struct pci_cfg c = {.ops = e->ops,
			    .ctx = e->ctx,
			    .addr = {.seg = e->seg, .bus = bus, .dev = dev, .fn = fn},
			    .size = 256};
	struct pci_hdr h;
	int r = pci_hdr_read(&c, &h);
	if (r == -E_NOENT)
		return 0;
	if (fn == 0)
		*multi = h.multifn;
	if (e->ext && pci_cap_find(&c, PCI_CAP_PCIE, 0))
		c.size = 4096;
	e->functions++;
	if (e->found) {
		int fr = e->found(e->arg, &c, &h);
		if (fr < 0)
			return fr;
	}
	if (r == 0 && (h.type == 1 || h.type == 2) && h.secondary != 0) {
		if (h.secondary <= bus || h.secondary < e->bus_start || h.secondary > e->bus_end ||
		    seen_test(w, h.secondary))
			e->refused++;
		else
			push(w, h.secondary);
	}
	return 0;
}

static int scan_bus(struct pci_enum *e, struct walk *w, uint8_t bus)
{
	e->buses++;
	for (unsigned dev = 0; dev < 32; dev++) {
		bool multi = false;
		for (unsigned fn = 0; fn < 8; fn++) {
			int r = scan_fn(e, w, bus, (uint8_t)dev, (uint8_t)fn, &multi);
			if (r < 0)
				return r;
			if (fn == 0 && !multi)
				break; /* single-function device (or none) */
		}
	}
	return 0;
}

int pci_enum_run(struct pci_enum *e)
{
	struct walk w = {0};
	e->functions = e->buses = e->refused = 0;
	if (e->bus_start > e->bus_end)
		return -E_INVAL;
	push(&w, e->bus_start);
	for (unsigned next = e->bus_start;;) {
		while (w.head != w.tail) {
			int r = scan_bus(e, &w, w.queue[w.head++ % 256]);
			if (r < 0)
				return r;
		}
		if (!e->all_buses)
			break;
		while (next <= e->bus_end && seen_test(&w, next))
			next++;
		if (next > e->bus_end)
			break;
		push(&w, next);
	}
	return 0;
}
