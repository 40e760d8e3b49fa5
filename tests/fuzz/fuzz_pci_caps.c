/*
 * fuzz_pci_caps.c - libFuzzer target for lib/pci's config-space walkers:
 * the capability list, the extended capability list, header decoding and
 * BAR sizing, over a config space made of the input bytes (the first
 * byte picks a 256- or 4096-byte space; missing bytes read as all ones).
 * Every walk must end within its bound, every offset it reports must lie
 * inside the space and be dword aligned, find must agree with list, and
 * BAR sizing must leave the space exactly as it found it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pci/hotplug.h"
#include "pci/pci.h"

static uint8_t space[4096], before[4096];

static uint32_t rd(void *ctx, struct pci_addr a, uint16_t off, unsigned width)
{
	if (off + width > 4096)
		abort();
	uint32_t v = 0;
	memcpy(&v, space + off, width);
	return v;
}

/* A register that keeps what is written: sizing reads back all ones,
   which exercises the largest sizes, and must then restore. */
static void wr(void *ctx, struct pci_addr a, uint16_t off, unsigned width, uint32_t v)
{
	if (off + width > 4096)
		abort();
	memcpy(space + off, &v, width);
}

static const struct pci_cfg_ops ops = {.read = rd, .write = wr};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct pci_cfg c = {.ops = &ops, .size = (data[0] & 1) ? 4096 : 256};
	memset(space, 0xff, sizeof space);
	size_t n = size - 1 < c.size ? size - 1 : c.size;
	memcpy(space, data + 1, n);

	struct pci_cap_ent e[64];
	unsigned k = pci_cap_list(&c, e, 64);
	if (k > 48)
		abort();
	for (unsigned i = 0; i < k; i++) {
		if (e[i].off < 0x40 || e[i].off >= 256 || (e[i].off & 3))
			abort();
		unsigned j = 0; /* find gives the first with that id in list order */
		while (e[j].id != e[i].id)
			j++;
		if (pci_cap_find(&c, (uint8_t)e[i].id, 0) != e[j].off)
			abort();
		(void)pci_cap_name((uint8_t)e[i].id);
	}
	k = pci_ecap_list(&c, e, 64);
	if (k > 960 || (c.size == 256 && k))
		abort();
	for (unsigned i = 0; i < k && i < 64; i++) {
		if (e[i].off < 0x100 || e[i].off + 4u > c.size || (e[i].off & 3))
			abort();
		unsigned j = 0;
		while (e[j].id != e[i].id)
			j++;
		if (pci_ecap_find(&c, e[i].id, 0) != e[j].off)
			abort();
		(void)pci_ecap_name(e[i].id);
	}

	struct pci_hdr h;
	(void)!pci_hdr_read(&c, &h);
	memcpy(before, space, sizeof space);
	struct pci_bar b[PCI_MAX_BARS];
	unsigned nb = pci_bars_probe(&c, space[PCI_HEADER_TYPE], b);
	if (nb > PCI_MAX_BARS || memcmp(before, space, sizeof space) != 0)
		abort();
	for (unsigned i = 0; i < nb; i++)
		if (b[i].size == 0 || (b[i].size & (b[i].size - 1)))
			abort();
	/* the hot-plug slot parser reads only, inside the space; the pure
	   decisions on whatever registers the space holds stay consistent */
	struct pci_hp_slot hs;
	if (pci_hp_slot_parse(&c, &hs) == 0) {
		if (hs.cap < 0x40 || hs.cap + PCI_EXP_SLTSTA + 2u > c.size ||
		    memcmp(before, space, sizeof space) != 0 || pci_hp_vectors(&hs) > 32)
			abort();
		uint16_t r[4];
		memcpy(r, space + hs.cap + PCI_EXP_LNKSTA, 2);
		memcpy(r + 1, space + hs.cap + PCI_EXP_SLTCTL, 4);
		struct pci_hp_in in = {r[2] & PCI_EXP_SLTSTA_EVENTS, r[2], r[1], r[0],
				       space[0] & 1};
		unsigned a = pci_hp_decide(&hs, &in);
		if ((a & PCI_HP_POWER_ON) && (a & PCI_HP_POWER_OFF))
			abort();
		if (pci_hp_start(&hs, &in) & (PCI_HP_REMOVE | PCI_HP_POWER_OFF))
			abort();
	}
	char line[160];
	struct pci_names nm = {.cls = pci_class_name(h.class_code, h.subclass)};
	pci_fmt_line(line, sizeof line, c.addr, &h, &nm, false);
	return 0;
}
