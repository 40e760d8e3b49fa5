/*
 * bar.c - decoding and sizing a function's base address registers (PCI
 * Local Bus spec 3.0 6.2.5.1). Sizing writes all ones to a BAR and reads
 * back which address bits stick; to keep a device in use from decoding a
 * half-written address meanwhile, the decoding a BAR uses (memory or I/O)
 * is switched off in COMMAND first, and every BAR and COMMAND are written
 * back as they were.
 *
 * Only the decoding some BAR uses is switched off, and COMMAND is not
 * written at all when no BAR holds an address: a BAR that reads 0 (an
 * unimplemented slot; an I/O BAR always reads bit 0 set) decodes nothing
 * that writing it could move. So the host bridge and the LPC bridge, which
 * have no BARs but decode what the kernel uses (COM1, the PM block, reset
 * control 0xCF9, everything behind the host bridge), are never switched
 * off, and a display controller keeps its legacy VGA I/O ports while its
 * memory BARs are sized. (Under QEMU's TCG every decode change also
 * rebuilds the memory map, which other running vCPUs see: the fewer, the
 * better.) Pure: the caller holds the device's lock for the sequence.
 */
#include "pci/pci.h"

#define BAR_IO 0x1
#define BAR_MEM_TYPE 0x6 /* bits 2:1: 00 32-bit, 01 below 1 MiB (old), 10 64-bit */
#define BAR_MEM_64 0x4
#define BAR_PREFETCH 0x8

unsigned pci_bar_count(uint8_t hdr_type)
{
	switch (hdr_type & PCI_HDR_TYPE_MASK) {
	case 0:
		return 6;
	case 1:
		return 2;
	case 2:
		return 1;
	default:
		return 0;
	}
}

const char *pci_bar_kind_name(unsigned kind)
{
	switch (kind) {
	case PCI_BAR_MEM32:
		return "mem32";
	case PCI_BAR_MEM64:
		return "mem64";
	case PCI_BAR_IO:
		return "io";
	default:
		return "none";
	}
}

/* Write all ones to the register at off, read what sticks, put v back. */
static uint32_t bar_mask(const struct pci_cfg *c, uint16_t off, uint32_t v)
{
	pci_write32(c, off, 0xffffffff);
	uint32_t m = pci_read32(c, off);
	pci_write32(c, off, v);
	return m;
}

/* The COMMAND decode bits the BARs holding an address use (the upper half
   of a 64-bit BAR is not a BAR of its own). */
static uint16_t bars_decoding(const struct pci_cfg *c, unsigned nbars)
{
	uint16_t bits = 0;
	for (unsigned i = 0; i < nbars; i++) {
		uint32_t v = pci_read32(c, PCI_BAR0 + 4 * i);
		if (v & BAR_IO)
			bits |= PCI_CMD_IO;
		else if (v)
			bits |= PCI_CMD_MEM;
		if (!(v & BAR_IO) && (v & BAR_MEM_TYPE) == BAR_MEM_64)
			i++;
	}
	return bits;
}

unsigned pci_bars_probe(const struct pci_cfg *c, uint8_t hdr_type, struct pci_bar *out)
{
	unsigned nbars = pci_bar_count(hdr_type), n = 0;
	if (nbars == 0)
		return 0;
	uint16_t cmd = pci_read16(c, PCI_COMMAND);
	uint16_t off_bits = bars_decoding(c, nbars) & cmd;
	if (off_bits)
		pci_write16(c, PCI_COMMAND, cmd & ~off_bits);
	for (unsigned i = 0; i < nbars; i++) {
		uint16_t off = PCI_BAR0 + 4 * i;
		uint32_t v = pci_read32(c, off);
		struct pci_bar b = {.index = (uint8_t)i};
		if (v & BAR_IO) {
			uint32_t m = bar_mask(c, off, v) & ~3u;
			if (m == 0)
				continue;
			/* The upper 16 bits of an I/O BAR may read back 0. */
			b.kind = PCI_BAR_IO;
			b.addr = v & ~3u;
			b.size = m & -m;
		} else if ((v & BAR_MEM_TYPE) == BAR_MEM_64) {
			if (i + 1 >= nbars)
				continue; /* no upper half: broken device */
			uint32_t hi = pci_read32(c, off + 4);
			uint32_t ml = bar_mask(c, off, v) & ~0xfu;
			uint32_t mh = bar_mask(c, off + 4, hi);
			uint64_t m = (uint64_t)mh << 32 | ml;
			i++; /* the upper half is not a BAR of its own */
			if (m == 0)
				continue;
			b.kind = PCI_BAR_MEM64;
			b.addr = (uint64_t)hi << 32 | (v & ~0xfu);
			b.size = m & -m;
			b.prefetch = v & BAR_PREFETCH;
		} else if ((v & BAR_MEM_TYPE) == 0 || (v & BAR_MEM_TYPE) == 2) {
			uint32_t m = bar_mask(c, off, v) & ~0xfu;
			if (m == 0)
				continue;
			b.kind = PCI_BAR_MEM32;
			b.addr = v & ~0xfu;
			b.size = m & -m;
			b.prefetch = v & BAR_PREFETCH;
		} else {
			continue; /* reserved memory type */
		}
		out[n++] = b;
	}
	if (off_bits)
		pci_write16(c, PCI_COMMAND, cmd);
	return n;
}
