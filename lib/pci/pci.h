/*
 * pci.h - PCI configuration space, as pure logic over an access callback
 * (docs/pcid.md).
 *
 * Everything in lib/pci reads and writes a function's configuration space
 * only through struct pci_cfg, so the same code runs on ECAM, on the
 * legacy 0xCF8/0xCFC ports and on the fake config spaces of the host
 * tests. A struct pci_cfg belongs to its caller; lib/pci keeps no state
 * and takes no locks (pcid holds the device's own lock around a sequence
 * that must not interleave, such as BAR sizing).
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/* A function's address: segment (MCFG group), bus, device, function. */
struct pci_addr {
	uint16_t seg;
	uint8_t bus, dev, fn;
};

/* Config space access: off is in bytes, width 1, 2 or 4, naturally aligned. */
struct pci_cfg_ops {
	uint32_t (*read)(void *ctx, struct pci_addr a, uint16_t off, unsigned width);
	void (*write)(void *ctx, struct pci_addr a, uint16_t off, unsigned width, uint32_t v);
};

/* One function's configuration space: the ops, their context and its size
   (256 bytes, or 4096 with PCIe extended space). */
struct pci_cfg {
	const struct pci_cfg_ops *ops;
	void *ctx;
	struct pci_addr addr;
	uint16_t size;
};

/* Standard header offsets and capability ids used across lib/pci. */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CLASS_REV 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_CAP_PTR 0x34
#define PCI_INT_LINE 0x3c
#define PCI_INT_PIN 0x3d

#define PCI_CMD_IO 0x0001
#define PCI_CMD_MEM 0x0002
#define PCI_CMD_MASTER 0x0004
#define PCI_CMD_INTX_DISABLE 0x0400
#define PCI_STATUS_CAPS 0x0010

#define PCI_CAP_MSI 0x05
#define PCI_CAP_PCIE 0x10
#define PCI_CAP_MSIX 0x11

static inline uint32_t pci_read32(const struct pci_cfg *c, uint16_t off)
{
	return c->ops->read(c->ctx, c->addr, off, 4);
}

static inline uint16_t pci_read16(const struct pci_cfg *c, uint16_t off)
{
	return (uint16_t)c->ops->read(c->ctx, c->addr, off, 2);
}

static inline uint8_t pci_read8(const struct pci_cfg *c, uint16_t off)
{
	return (uint8_t)c->ops->read(c->ctx, c->addr, off, 1);
}

static inline void pci_write32(const struct pci_cfg *c, uint16_t off, uint32_t v)
{
	c->ops->write(c->ctx, c->addr, off, 4, v);
}

static inline void pci_write16(const struct pci_cfg *c, uint16_t off, uint16_t v)
{
	c->ops->write(c->ctx, c->addr, off, 2, v);
}

static inline void pci_write8(const struct pci_cfg *c, uint16_t off, uint8_t v)
{
	c->ops->write(c->ctx, c->addr, off, 1, v);
}

/*
 * Offset of the first capability with id after offset `after` (0: from
 * the start of the list), or 0 when there is none. The walk stops at 48
 * entries, at a pointer below 0x40 or past the space, and at a loop, so a
 * broken list ends it instead of spinning.
 */
uint16_t pci_cap_find(const struct pci_cfg *c, uint8_t id, uint16_t after);
