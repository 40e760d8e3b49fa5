/*
 * msi.h - MSI and MSI-X capabilities: parsing and programming, as pure
 * logic over a function's config space (pci.h) and, for MSI-X, over the
 * caller's accessor of the vector table in its BAR (docs/pcid.md).
 *
 * The order of every sequence is the one the PCI Local Bus spec (6.8)
 * asks for: vectors are allocated by the caller first, then the message
 * registers are written with the capability disabled (MSI-X: with every
 * entry and the function masked), then INTx is disabled, and the enable
 * bit comes last. A sequence that fails (a register that does not keep
 * what was written, a bad argument) disables what it enabled and puts
 * the INTx disable bit back as it was, so the device is never left
 * half-enabled. The caller owns the structs and serialises calls on one
 * function (pcid holds the device's lock); nothing here keeps state.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "base/compiler.h"
#include "pci/pci.h"

/* MSI capability registers (offsets from the capability). */
#define PCI_MSI_CTRL 0x02
#define PCI_MSI_ADDR_LO 0x04
#define PCI_MSI_CTRL_ENABLE 0x0001
#define PCI_MSI_CTRL_MMC_SHIFT 1 /* bits 3:1, log2 of the vectors the device can use */
#define PCI_MSI_CTRL_MME_SHIFT 4 /* bits 6:4, log2 of the vectors enabled */
#define PCI_MSI_CTRL_MME_MASK 0x0070
#define PCI_MSI_CTRL_64BIT 0x0080
#define PCI_MSI_CTRL_MASKABLE 0x0100 /* per-vector mask and pending registers */

/* MSI-X capability registers and the 16-byte table entry. */
#define PCI_MSIX_CTRL 0x02
#define PCI_MSIX_TABLE 0x04
#define PCI_MSIX_PBA 0x08
#define PCI_MSIX_CTRL_SIZE_MASK 0x07ff /* table size - 1 */
#define PCI_MSIX_CTRL_MASKALL 0x4000
#define PCI_MSIX_CTRL_ENABLE 0x8000
#define PCI_MSIX_BIR_MASK 0x7
#define PCI_MSIX_ENTRY_SIZE 16
#define PCI_MSIX_ENTRY_ADDR_LO 0x0
#define PCI_MSIX_ENTRY_ADDR_HI 0x4
#define PCI_MSIX_ENTRY_DATA 0x8
#define PCI_MSIX_ENTRY_CTRL 0xc
#define PCI_MSIX_ENTRY_MASKED 0x1

#define PCI_MSI_MAX_VECTORS 32
#define PCI_MSIX_MAX_VECTORS 2048

/* One message: the address the device writes and the data it writes. */
struct pci_msi_msg {
	uint64_t addr;
	uint32_t data;
};

/* What a function's MSI capability offers. */
struct pci_msi {
	uint16_t cap;	      /* capability offset */
	bool is64;	      /* 64-bit message address */
	bool maskable;	      /* per-vector mask bits */
	unsigned max_vectors; /* 1..32, from Multiple Message Capable */
	uint16_t data_off;    /* register offsets in config space */
	uint16_t mask_off;    /* 0 when not maskable */
};

/* What a function's MSI-X capability offers. */
struct pci_msix {
	uint16_t cap;
	unsigned table_size; /* entries, 1..2048 */
	uint8_t table_bir;   /* BAR index 0..5 */
	uint32_t table_off;  /* byte offset in that BAR, 8-aligned */
	uint8_t pba_bir;
	uint32_t pba_off;
};

/* The caller's access to the MSI-X table: off is a byte offset from the
   table's start, 4-byte accesses only (MMIO, uncached, in pcid). */
struct pci_msix_io {
	uint32_t (*read)(void *ctx, uint32_t off);
	void (*write)(void *ctx, uint32_t off, uint32_t v);
	void *ctx;
};

/* The x86 message for vector on the CPU whose local APIC id is apic
   (Intel SDM vol. 3, 11.11: address 0xFEE00000 | id << 12, physical
   destination; data = vector, edge, fixed delivery). 0, or -E_RANGE for
   an id above 255 (needs x2APIC remapping) or a vector below 32. */
int pci_msi_compose(uint32_t apic, uint32_t vector, struct pci_msi_msg *out) MUST_CHECK;

/* Parse the MSI capability into *out: 0, -E_NOENT when there is none,
   -E_INVAL when it runs past the standard 256 bytes. */
int pci_msi_parse(const struct pci_cfg *c, struct pci_msi *out) MUST_CHECK;

/* Parse the MSI-X capability into *out: 0, -E_NOENT when there is none,
   -E_INVAL when a BIR names no BAR (5 is the last) or the capability
   runs past the standard 256 bytes. */
int pci_msix_parse(const struct pci_cfg *c, struct pci_msix *out) MUST_CHECK;

/* 0 when the table (and the PBA, when in the same BAR) fits in a BAR of
   bar_size bytes; -E_INVAL otherwise. */
int pci_msix_check_bar(const struct pci_msix *x, uint8_t bir, uint64_t bar_size) MUST_CHECK;

/* The Command register's INTx disable bit now. */
bool pci_intx_disabled(const struct pci_cfg *c);
/* Set (true) or clear the Command register's INTx disable bit; other bits kept. */
void pci_intx_set_disabled(const struct pci_cfg *c, bool disabled);

/*
 * Program and enable MSI with count vectors (a power of two, at most
 * max_vectors): message address and data (the device ORs the vector's
 * number into the low log2(count) bits of data), Multiple Message Enable,
 * the mask bits (the first count clear, the rest set), INTx disabled,
 * then Enable. 0; -E_INVAL for a bad count or an address the capability
 * cannot hold; -E_IO when the device does not keep a register's value
 * (then MSI is off and INTx disable is as it was).
 */
int pci_msi_enable(const struct pci_cfg *c, const struct pci_msi *m, const struct pci_msi_msg *msg,
		   unsigned count) MUST_CHECK;

/* Disable MSI: Enable and MME cleared, every vector masked when it can be.
   INTx disable is set when intx_off, else left as it is. */
void pci_msi_disable(const struct pci_cfg *c, const struct pci_msi *m, bool intx_off);

/* Write one table entry: mask it, address and data, then unmask. 0, or
   -E_IO when the entry did not keep the data (it is left masked). */
int pci_msix_set_entry(const struct pci_msix_io *io, unsigned index,
		       const struct pci_msi_msg *msg) MUST_CHECK;

/*
 * Program and enable MSI-X with n vectors (entries 0..n-1 get msgs[0..n-1]):
 * function masked and MSI-X off, every entry masked, the n entries
 * written and unmasked, INTx disabled, Enable with the function still
 * masked, then the function mask cleared last. 0; -E_INVAL for a bad n;
 * -E_IO when an entry or the enable bit does not stick (then MSI-X is
 * off, every entry masked, INTx disable as it was).
 */
int pci_msix_enable(const struct pci_cfg *c, const struct pci_msix *x, const struct pci_msix_io *io,
		    const struct pci_msi_msg *msgs, unsigned n) MUST_CHECK;

/* Disable MSI-X: function masked, every entry masked, then Enable and
   the function mask cleared. INTx disable set when intx_off. */
void pci_msix_disable(const struct pci_cfg *c, const struct pci_msix *x,
		      const struct pci_msix_io *io, bool intx_off);
