/*
 * hdr.c - decoding a function's configuration header, types 0 (device),
 * 1 (PCI-to-PCI bridge) and 2 (CardBus bridge) (PCI Local Bus spec 3.0
 * 6.1, PCI-to-PCI Bridge spec 1.2 3.2). Pure: reads through the caller's
 * struct pci_cfg.
 */
#include "base/err.h"
#include "pci/pci.h"

int pci_hdr_read(const struct pci_cfg *c, struct pci_hdr *h)
{
	*h = (struct pci_hdr){0};
	uint32_t id = pci_read32(c, PCI_VENDOR_ID);
	h->vendor = id & 0xffff;
	h->device = id >> 16;
	if (h->vendor == 0xffff || h->vendor == 0)
		return -E_NOENT; /* no function: the read was master-aborted */
	uint32_t cr = pci_read32(c, PCI_CLASS_REV);
	h->revision = cr & 0xff;
	h->prog_if = (cr >> 8) & 0xff;
	h->subclass = (cr >> 16) & 0xff;
	h->class_code = cr >> 24;
	uint8_t ht = pci_read8(c, PCI_HEADER_TYPE);
	h->type = ht & PCI_HDR_TYPE_MASK;
	h->multifn = ht & PCI_HDR_MULTIFN;
	h->int_line = pci_read8(c, PCI_INT_LINE);
	h->int_pin = pci_read8(c, PCI_INT_PIN);
	if (h->int_pin > 4)
		h->int_pin = 0; /* only A-D exist */
	switch (h->type) {
	case 0: {
		uint32_t ss = pci_read32(c, PCI_SUBSYS_VENDOR);
		h->subsys_vendor = ss & 0xffff;
		h->subsys_device = ss >> 16;
		return 0;
	}
	case 1:
	case 2: {
		uint32_t b = pci_read32(c, PCI_PRIMARY_BUS);
		h->primary = b & 0xff;
		h->secondary = (b >> 8) & 0xff;
		h->subordinate = (b >> 16) & 0xff;
		if (h->type == 2) {
			uint32_t ss = pci_read32(c, PCI_CB_SUBSYS_VENDOR);
			h->subsys_vendor = ss & 0xffff;
			h->subsys_device = ss >> 16;
		}
		return 0;
	}
	default:
		return -E_INVAL;
	}
}

bool pci_cfg_write_moves_map(uint16_t off, unsigned width, uint32_t v, uint16_t cmd)
{
	unsigned end = (unsigned)off + width;
	if (off >= 0x40 || end <= 0x04)
		return false;
	if (off <= 0x04 && end > 0x04) { /* the write holds COMMAND's low byte */
		uint8_t low = (uint8_t)(v >> (8 * (0x04 - off)));
		if ((low ^ cmd) & (PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_MASTER))
			return true;
	}
	if (end <= 0x10)
		return false; /* COMMAND's high byte, STATUS, class, BIST... */
	return (cmd & (PCI_CMD_IO | PCI_CMD_MEM)) != 0;
}
