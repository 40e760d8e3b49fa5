/*
 * msi.c - MSI and MSI-X capability parsing and programming (msi.h).
 *
 * Pure: config space through the caller's struct pci_cfg, the MSI-X table
 * through the caller's struct pci_msix_io; no state, no locks (the caller
 * serialises calls on one function). Register layouts are the PCI Local
 * Bus spec 3.0, 6.8.1 (MSI) and 6.8.2 (MSI-X).
 */
#include "pci/msi.h"
#include "base/err.h"

int pci_msi_compose(uint32_t apic, uint32_t vector, struct pci_msi_msg *out)
{
	if (apic > 255 || vector < 32 || vector > 255)
		return -E_RANGE;
	out->addr = 0xfee00000u | (apic << 12);
	out->data = vector;
	return 0;
}

int pci_msi_parse(const struct pci_cfg *c, struct pci_msi *out)
{
	uint16_t cap = pci_cap_find(c, PCI_CAP_MSI, 0);
	if (cap == 0)
		return -E_NOENT;
	uint16_t ctrl = pci_read16(c, cap + PCI_MSI_CTRL);
	unsigned mmc = (ctrl >> PCI_MSI_CTRL_MMC_SHIFT) & 7;
	out->cap = cap;
	out->is64 = (ctrl & PCI_MSI_CTRL_64BIT) != 0;
	out->maskable = (ctrl & PCI_MSI_CTRL_MASKABLE) != 0;
	/* 6 and 7 are reserved encodings: take them as the largest legal, 32. */
	out->max_vectors = 1u << (mmc > 5 ? 5 : mmc);
	/* 32-bit: address at +4, data at +8, mask at +0xc; 64-bit adds a
	   high address dword at +8 and moves the rest up by 4. */
	out->data_off = cap + (out->is64 ? 0x0c : 0x08);
	out->mask_off = out->maskable ? cap + (out->is64 ? 0x10 : 0x0c) : 0;
	/* The whole structure (mask and pending included) must lie in the
	   standard space, or a broken list would make us write past it. */
	unsigned len = (out->is64 ? 0x10u : 0x0cu) + (out->maskable ? 8u : 0u);
	if (cap + len > 256)
		return -E_INVAL;
	return 0;
}

int pci_msix_parse(const struct pci_cfg *c, struct pci_msix *out)
{
	uint16_t cap = pci_cap_find(c, PCI_CAP_MSIX, 0);
	if (cap == 0)
		return -E_NOENT;
	if (cap + 12u > 256)
		return -E_INVAL;
	uint16_t ctrl = pci_read16(c, cap + PCI_MSIX_CTRL);
	uint32_t table = pci_read32(c, cap + PCI_MSIX_TABLE);
	uint32_t pba = pci_read32(c, cap + PCI_MSIX_PBA);
	out->cap = cap;
	out->table_size = (ctrl & PCI_MSIX_CTRL_SIZE_MASK) + 1u;
	out->table_bir = table & PCI_MSIX_BIR_MASK;
	out->table_off = table & ~(uint32_t)PCI_MSIX_BIR_MASK;
	out->pba_bir = pba & PCI_MSIX_BIR_MASK;
	out->pba_off = pba & ~(uint32_t)PCI_MSIX_BIR_MASK;
	if (out->table_bir > 5 || out->pba_bir > 5)
		return -E_INVAL;
	return 0;
}

int pci_msix_check_bar(const struct pci_msix *x, uint8_t bir, uint64_t bar_size)
{
	uint64_t table_end = (uint64_t)x->table_off + (uint64_t)x->table_size * PCI_MSIX_ENTRY_SIZE;
	/* The PBA: one bit per entry, in whole qwords. */
	uint64_t pba_end = (uint64_t)x->pba_off + ((x->table_size + 63u) / 64u) * 8u;
	if (x->table_bir == bir && table_end > bar_size)
		return -E_INVAL;
	if (x->pba_bir == bir && pba_end > bar_size)
		return -E_INVAL;
	return 0;
}

bool pci_intx_disabled(const struct pci_cfg *c)
{
	return (pci_read16(c, PCI_COMMAND) & PCI_CMD_INTX_DISABLE) != 0;
}

void pci_intx_set_disabled(const struct pci_cfg *c, bool disabled)
{
	uint16_t cmd = pci_read16(c, PCI_COMMAND);
	uint16_t want = disabled ? (cmd | PCI_CMD_INTX_DISABLE) : (cmd & ~PCI_CMD_INTX_DISABLE);
	if (want != cmd)
		pci_write16(c, PCI_COMMAND, want);
}

static unsigned log2_exact(unsigned n)
{
	unsigned l = 0;
	while ((1u << l) < n)
		l++;
	return l;
}

static void msi_mask_all(const struct pci_cfg *c, const struct pci_msi *m)
{
	if (m->maskable)
		pci_write32(c, m->mask_off, 0xffffffffu);
}

int pci_msi_enable(const struct pci_cfg *c, const struct pci_msi *m, const struct pci_msi_msg *msg,
		   unsigned count)
{
	if (count == 0 || count > m->max_vectors || (count & (count - 1)) != 0)
		return -E_INVAL;
	if (!m->is64 && (msg->addr >> 32) != 0)
		return -E_INVAL;
	/* Data low bits carry the vector number: the block must be aligned. */
	if ((msg->data & (count - 1)) != 0)
		return -E_INVAL;
	bool intx_was_off = pci_intx_disabled(c);
	uint16_t ctrl = pci_read16(c, m->cap + PCI_MSI_CTRL);

	/* Off while the message is changed: a half-written address must
	   never be used by the device. */
	ctrl &= ~(PCI_MSI_CTRL_ENABLE | PCI_MSI_CTRL_MME_MASK);
	pci_write16(c, m->cap + PCI_MSI_CTRL, ctrl);
	msi_mask_all(c, m);

	pci_write32(c, m->cap + PCI_MSI_ADDR_LO, (uint32_t)msg->addr);
	if (m->is64)
		pci_write32(c, m->cap + PCI_MSI_ADDR_LO + 4, (uint32_t)(msg->addr >> 32));
	pci_write16(c, m->data_off, (uint16_t)msg->data);
	if (pci_read32(c, m->cap + PCI_MSI_ADDR_LO) != (uint32_t)msg->addr ||
	    pci_read16(c, m->data_off) != (uint16_t)msg->data)
		goto out_fail;

	ctrl |= (uint16_t)(log2_exact(count) << PCI_MSI_CTRL_MME_SHIFT);
	pci_write16(c, m->cap + PCI_MSI_CTRL, ctrl);
	if (m->maskable)
		pci_write32(c, m->mask_off, count == 32 ? 0 : ~((1u << count) - 1u));

	/* INTx off before MSI on: the device never has both. */
	pci_intx_set_disabled(c, true);
	pci_write16(c, m->cap + PCI_MSI_CTRL, ctrl | PCI_MSI_CTRL_ENABLE);
	if (!(pci_read16(c, m->cap + PCI_MSI_CTRL) & PCI_MSI_CTRL_ENABLE))
		goto out_fail;
	return 0;

out_fail:
	pci_msi_disable(c, m, false);
	pci_intx_set_disabled(c, intx_was_off);
	return -E_IO;
}

void pci_msi_disable(const struct pci_cfg *c, const struct pci_msi *m, bool intx_off)
{
	uint16_t ctrl = pci_read16(c, m->cap + PCI_MSI_CTRL);
	ctrl &= ~(PCI_MSI_CTRL_ENABLE | PCI_MSI_CTRL_MME_MASK);
	pci_write16(c, m->cap + PCI_MSI_CTRL, ctrl);
	msi_mask_all(c, m);
	if (intx_off)
		pci_intx_set_disabled(c, true);
}

static void msix_mask_entry(const struct pci_msix_io *io, unsigned i)
{
	uint32_t off = i * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_CTRL;
	uint32_t v = io->read(io->ctx, off);
	if (!(v & PCI_MSIX_ENTRY_MASKED))
		io->write(io->ctx, off, v | PCI_MSIX_ENTRY_MASKED);
}

int pci_msix_set_entry(const struct pci_msix_io *io, unsigned index, const struct pci_msi_msg *msg)
{
	uint32_t e = index * PCI_MSIX_ENTRY_SIZE;
	/* Masked while it changes (6.8.2.9): the device must not send a
	   message built from the old address and the new data. */
	msix_mask_entry(io, index);
	io->write(io->ctx, e + PCI_MSIX_ENTRY_ADDR_LO, (uint32_t)msg->addr);
	io->write(io->ctx, e + PCI_MSIX_ENTRY_ADDR_HI, (uint32_t)(msg->addr >> 32));
	io->write(io->ctx, e + PCI_MSIX_ENTRY_DATA, msg->data);
	if (io->read(io->ctx, e + PCI_MSIX_ENTRY_DATA) != msg->data ||
	    io->read(io->ctx, e + PCI_MSIX_ENTRY_ADDR_LO) != (uint32_t)msg->addr)
		return -E_IO;
	uint32_t vc = io->read(io->ctx, e + PCI_MSIX_ENTRY_CTRL);
	io->write(io->ctx, e + PCI_MSIX_ENTRY_CTRL, vc & ~(uint32_t)PCI_MSIX_ENTRY_MASKED);
	return 0;
}

int pci_msix_enable(const struct pci_cfg *c, const struct pci_msix *x, const struct pci_msix_io *io,
		    const struct pci_msi_msg *msgs, unsigned n)
{
	if (n == 0 || n > x->table_size)
		return -E_INVAL;
	bool intx_was_off = pci_intx_disabled(c);
	uint16_t ctrl = pci_read16(c, x->cap + PCI_MSIX_CTRL);
	ctrl &= ~PCI_MSIX_CTRL_ENABLE;
	pci_write16(c, x->cap + PCI_MSIX_CTRL, ctrl | PCI_MSIX_CTRL_MASKALL);
	for (unsigned i = 0; i < x->table_size; i++)
		msix_mask_entry(io, i);
	for (unsigned i = 0; i < n; i++)
		if (pci_msix_set_entry(io, i, &msgs[i]) < 0)
			goto out_fail;

	pci_intx_set_disabled(c, true);
	/* Enable with the function still masked, then unmask it: the
	   device sees a complete table the moment it may send. */
	pci_write16(c, x->cap + PCI_MSIX_CTRL, ctrl | PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_MASKALL);
	if (!(pci_read16(c, x->cap + PCI_MSIX_CTRL) & PCI_MSIX_CTRL_ENABLE))
		goto out_fail;
	pci_write16(c, x->cap + PCI_MSIX_CTRL, ctrl | PCI_MSIX_CTRL_ENABLE);
	return 0;

out_fail:
	pci_msix_disable(c, x, io, false);
	pci_intx_set_disabled(c, intx_was_off);
	return -E_IO;
}

void pci_msix_disable(const struct pci_cfg *c, const struct pci_msix *x,
		      const struct pci_msix_io *io, bool intx_off)
{
	uint16_t ctrl = pci_read16(c, x->cap + PCI_MSIX_CTRL);
	pci_write16(c, x->cap + PCI_MSIX_CTRL, ctrl | PCI_MSIX_CTRL_MASKALL);
	for (unsigned i = 0; i < x->table_size; i++)
		msix_mask_entry(io, i);
	pci_write16(c, x->cap + PCI_MSIX_CTRL,
		    ctrl & ~(PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_MASKALL));
	if (intx_off)
		pci_intx_set_disabled(c, true);
}
