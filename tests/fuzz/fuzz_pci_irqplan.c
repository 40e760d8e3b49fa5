/*
 * fuzz_pci_irqplan.c - libFuzzer target for the outside input of pcid's
 * irq node: a driver's request and acpid's route line (irqplan.h), and a
 * device's config space as seen by the MSI/MSI-X code (msi.h).
 *
 * The input is given, in an exact-size copy (ASan catches reads past it),
 * to irqplan_parse_req, irqplan_parse_route and irqplan_parse_vector_path;
 * a route that parses must format and parse back to itself. Then the first 256 bytes (zero-padded)
 * become a fake config space: MSI and MSI-X are parsed and, when found,
 * enabled and disabled against it and a fake table, checking the results
 * stay in the documented ranges and nothing reads outside either space.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "pci/irqplan.h"
#include "pci/msi.h"

static uint8_t cfg[256];
static uint32_t tab[PCI_MSIX_MAX_VECTORS * 4];

static uint32_t cfg_read(void *ctx, struct pci_addr a, uint16_t off, unsigned width)
{
	assert(off % width == 0 && off + width <= sizeof cfg);
	uint32_t v = 0;
	for (unsigned i = 0; i < width; i++)
		v |= (uint32_t)cfg[off + i] << (8 * i);
	return v;
}

static void cfg_write(void *ctx, struct pci_addr a, uint16_t off, unsigned width, uint32_t v)
{
	assert(off % width == 0 && off + width <= sizeof cfg);
	for (unsigned i = 0; i < width; i++)
		cfg[off + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t tab_read(void *ctx, uint32_t off)
{
	assert(off % 4 == 0 && off / 4 < sizeof tab / 4);
	return tab[off / 4];
}

static void tab_write(void *ctx, uint32_t off, uint32_t v)
{
	assert(off % 4 == 0 && off / 4 < sizeof tab / 4);
	tab[off / 4] = v;
}

static const struct pci_cfg_ops ops = {cfg_read, cfg_write};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	struct irqplan_req req;
	if (irqplan_parse_req(s, size, &req) == 0)
		assert(req.n >= 1 && req.n <= IRQPLAN_MAX_VECTORS && req.first <= IRQPLAN_POLL);
	struct irqplan_route rt, back;
	if (irqplan_parse_route(s, size, &rt) == 0) {
		struct irqplan_result r = {.mode = IRQPLAN_INTX, .n = 1, .route = rt};
		char line[64];
		int n = irqplan_format(&r, line, sizeof line);
		assert(n > 5);
		assert(irqplan_parse_route(line + 5, (size_t)n - 5, &back) == 0);
		assert(back.gsi == rt.gsi && back.level == rt.level && back.low == rt.low);
	}
	uint32_t apic, vec;
	if (irqplan_parse_vector_path(s, size, &apic, &vec) == 0)
		assert(vec <= 255);
	free(s);

	memset(cfg, 0, sizeof cfg);
	memcpy(cfg, data, size < sizeof cfg ? size : sizeof cfg);
	struct pci_cfg c = {&ops, NULL, {0, 0, 0, 0}, 256};
	struct pci_msi m;
	if (pci_msi_parse(&c, &m) == 0) {
		assert(m.max_vectors >= 1 && m.max_vectors <= 32);
		struct pci_msi_msg msg = {0xfee00000u, 0x40};
		if (pci_msi_enable(&c, &m, &msg, 1) == 0)
			pci_msi_disable(&c, &m, true);
	}
	struct pci_msix x;
	if (pci_msix_parse(&c, &x) == 0) {
		assert(x.table_size >= 1 && x.table_size <= PCI_MSIX_MAX_VECTORS);
		assert(x.table_bir <= 5 && x.pba_bir <= 5);
		const struct pci_msix_io io = {tab_read, tab_write, NULL};
		struct pci_msi_msg msgs[2] = {{0xfee00000u, 0x40}, {0xfee00000u, 0x41}};
		unsigned n = x.table_size < 2 ? x.table_size : 2;
		if (pci_msix_enable(&c, &x, &io, msgs, n) == 0)
			pci_msix_disable(&c, &x, &io, true);
	}
	return 0;
}
