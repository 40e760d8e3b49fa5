/*
 * test_pci_msi.c - lib/pci/msi.c on a fake config space and a fake MSI-X
 * table: the capabilities parse, and the programming sequences write the
 * exact register values in the order the spec asks (message registers
 * while disabled, INTx disabled before the enable, the enable last), and
 * a register that does not keep its value leaves the device disabled with
 * its INTx state as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "pci/msi.h"

/* One recorded write: to config space (table false) or to the MSI-X table. */
struct wr {
	bool table;
	uint32_t off;
	unsigned width;
	uint32_t v;
};

struct fake {
	uint8_t cfg[256];
	uint8_t ro[256]; /* 1: the byte ignores writes */
	uint32_t tab[64 * 4];
	int tab_stuck_entry; /* this entry's data ignores writes (-1: none) */
	struct wr log[1024];
	unsigned nlog;
};

static uint32_t cfg_read(void *ctx, struct pci_addr a, uint16_t off, unsigned width)
{
	struct fake *f = ctx;
	uint32_t v = 0;
	assert_true(off % width == 0 && off + width <= 256);
	for (unsigned i = 0; i < width; i++)
		v |= (uint32_t)f->cfg[off + i] << (8 * i);
	return v;
}

static void cfg_write(void *ctx, struct pci_addr a, uint16_t off, unsigned width, uint32_t v)
{
	struct fake *f = ctx;
	assert_true(off % width == 0 && off + width <= 256);
	assert_true(f->nlog < 1024);
	f->log[f->nlog++] = (struct wr){false, off, width, v};
	for (unsigned i = 0; i < width; i++)
		if (!f->ro[off + i])
			f->cfg[off + i] = (uint8_t)(v >> (8 * i));
}

static const struct pci_cfg_ops fake_ops = {cfg_read, cfg_write};

static uint32_t tab_read(void *ctx, uint32_t off)
{
	struct fake *f = ctx;
	assert_true(off % 4 == 0 && off / 4 < 64 * 4);
	return f->tab[off / 4];
}

static void tab_write(void *ctx, uint32_t off, uint32_t v)
{
	struct fake *f = ctx;
	assert_true(off % 4 == 0 && off / 4 < 64 * 4);
	assert_true(f->nlog < 1024);
	f->log[f->nlog++] = (struct wr){true, off, 4, v};
	if ((int)(off / 16) == f->tab_stuck_entry && off % 16 == PCI_MSIX_ENTRY_DATA)
		return;
	f->tab[off / 4] = v;
}

static struct fake F;
static struct pci_cfg C = {&fake_ops, &F, {0, 0, 3, 0}, 256};
static const struct pci_msix_io IO = {tab_read, tab_write, &F};

static void put16(uint16_t off, uint16_t v)
{
	F.cfg[off] = (uint8_t)v;
	F.cfg[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint16_t off, uint32_t v)
{
	put16(off, (uint16_t)v);
	put16(off + 2, (uint16_t)(v >> 16));
}

static uint16_t get16(uint16_t off)
{
	return (uint16_t)cfg_read(&F, C.addr, off, 2);
}

static uint32_t get32(uint16_t off)
{
	return cfg_read(&F, C.addr, off, 4);
}

/* A function with a capability list: MSI at 0x50 (ctrl given), then
   MSI-X at 0x70 when msix_ctrl is not 0, ids and status set. */
static void reset(uint16_t msi_ctrl, uint16_t msix_ctrl)
{
	memset(&F, 0, sizeof F);
	F.tab_stuck_entry = -1;
	put16(PCI_VENDOR_ID, 0x1234);
	put16(PCI_COMMAND, PCI_CMD_MEM);
	put16(PCI_STATUS, PCI_STATUS_CAPS);
	F.cfg[PCI_CAP_PTR] = 0x50;
	F.cfg[0x50] = PCI_CAP_MSI;
	F.cfg[0x51] = msix_ctrl ? 0x70 : 0;
	put16(0x52, msi_ctrl);
	if (msix_ctrl) {
		F.cfg[0x70] = PCI_CAP_MSIX;
		F.cfg[0x71] = 0;
		put16(0x72, msix_ctrl);
		put32(0x74, 0x2000 | 2); /* table at BAR2 + 0x2000 */
		put32(0x78, 0x3000 | 2); /* PBA at BAR2 + 0x3000 */
	}
	/* Every table entry starts masked, as after reset. */
	for (unsigned i = 0; i < 64; i++)
		F.tab[i * 4 + 3] = PCI_MSIX_ENTRY_MASKED;
}

/* Index of the first logged config write to off, from index from; -1 none. */
static int find_cfg_write(uint32_t off, unsigned from)
{
	for (unsigned i = from; i < F.nlog; i++)
		if (!F.log[i].table && F.log[i].off == off)
			return (int)i;
	return -1;
}

static void test_msi_parse(void **state)
{
	struct pci_msi m;
	reset(0x0000 | (2 << 1), 0); /* 32-bit, 4 vectors capable, no mask */
	assert_int_equal(pci_msi_parse(&C, &m), 0);
	assert_int_equal(m.cap, 0x50);
	assert_false(m.is64);
	assert_false(m.maskable);
	assert_int_equal(m.max_vectors, 4);
	assert_int_equal(m.data_off, 0x58);
	assert_int_equal(m.mask_off, 0);

	reset(PCI_MSI_CTRL_64BIT | PCI_MSI_CTRL_MASKABLE | (5 << 1), 0);
	assert_int_equal(pci_msi_parse(&C, &m), 0);
	assert_true(m.is64);
	assert_true(m.maskable);
	assert_int_equal(m.max_vectors, 32);
	assert_int_equal(m.data_off, 0x5c);
	assert_int_equal(m.mask_off, 0x60);

	reset(PCI_MSI_CTRL_MASKABLE | (7 << 1), 0); /* reserved MMC: 32 */
	assert_int_equal(pci_msi_parse(&C, &m), 0);
	assert_int_equal(m.max_vectors, 32);
	assert_int_equal(m.mask_off, 0x5c);

	/* A capability too near the end for its registers: refused. */
	reset(0, 0);
	F.cfg[PCI_CAP_PTR] = 0xf0;
	F.cfg[0xf0] = PCI_CAP_MSI;
	put16(0xf2, PCI_MSI_CTRL_64BIT | PCI_MSI_CTRL_MASKABLE);
	assert_int_equal(pci_msi_parse(&C, &m), -E_INVAL);
	put16(0xf2, PCI_MSI_CTRL_64BIT); /* 0xf0 + 0x10 fits exactly */
	assert_int_equal(pci_msi_parse(&C, &m), 0);
	F.cfg[PCI_CAP_PTR] = 0xf8;
	F.cfg[0xf8] = PCI_CAP_MSIX;
	F.cfg[0xf9] = 0;
	struct pci_msix xe;
	assert_int_equal(pci_msix_parse(&C, &xe), -E_INVAL);

	reset(0, 0);
	put16(PCI_STATUS, 0); /* no capability list at all */
	assert_int_equal(pci_msi_parse(&C, &m), -E_NOENT);
	struct pci_msix x;
	reset(0, 0);
	assert_int_equal(pci_msix_parse(&C, &x), -E_NOENT);
}

static void test_msi_enable_64_maskable(void **state)
{
	struct pci_msi m;
	reset(PCI_MSI_CTRL_64BIT | PCI_MSI_CTRL_MASKABLE | (3 << 1), 0);
	assert_int_equal(pci_msi_parse(&C, &m), 0);
	struct pci_msi_msg msg = {0xfee03000u, 0x44};
	assert_int_equal(pci_msi_enable(&C, &m, &msg, 4), 0);
	assert_int_equal(get32(0x54), 0xfee03000u);
	assert_int_equal(get32(0x58), 0);
	assert_int_equal(get16(0x5c), 0x44);
	assert_int_equal(get32(0x60), 0xfffffff0u); /* vectors 0..3 unmasked */
	uint16_t ctrl = get16(0x52);
	assert_int_equal(ctrl & PCI_MSI_CTRL_MME_MASK, 2 << PCI_MSI_CTRL_MME_SHIFT);
	assert_true(ctrl & PCI_MSI_CTRL_ENABLE);
	assert_true(get16(PCI_COMMAND) & PCI_CMD_INTX_DISABLE);
	assert_true(get16(PCI_COMMAND) & PCI_CMD_MEM); /* other bits kept */

	/* Order: the first control write clears Enable; address, data and
	   mask are written after it; INTx off before the final Enable,
	   which is the very last write. */
	int first_ctrl = find_cfg_write(0x52, 0);
	assert_true(first_ctrl >= 0);
	assert_false(F.log[first_ctrl].v & PCI_MSI_CTRL_ENABLE);
	int addr = find_cfg_write(0x54, 0), data = find_cfg_write(0x5c, 0);
	assert_true(addr > first_ctrl && data > first_ctrl);
	int intx = find_cfg_write(PCI_COMMAND, 0);
	struct wr *last = &F.log[F.nlog - 1];
	assert_false(last->table);
	assert_int_equal(last->off, 0x52);
	assert_true(last->v & PCI_MSI_CTRL_ENABLE);
	assert_true(intx >= 0 && intx < (int)F.nlog - 1);
	for (unsigned i = 0; i + 1 < F.nlog; i++)
		if (F.log[i].off == 0x52)
			assert_false(F.log[i].v & PCI_MSI_CTRL_ENABLE);

	pci_msi_disable(&C, &m, true);
	assert_false(get16(0x52) & (PCI_MSI_CTRL_ENABLE | PCI_MSI_CTRL_MME_MASK));
	assert_int_equal(get32(0x60), 0xffffffffu);
	assert_true(get16(PCI_COMMAND) & PCI_CMD_INTX_DISABLE);
}

static void test_msi_enable_32_one(void **state)
{
	struct pci_msi m;
	reset(0, 0); /* 32-bit, one vector, no mask */
	assert_int_equal(pci_msi_parse(&C, &m), 0);
	struct pci_msi_msg msg = {0xfee00000u, 0x31};
	assert_int_equal(pci_msi_enable(&C, &m, &msg, 1), 0);
	assert_int_equal(get32(0x54), 0xfee00000u);
	assert_int_equal(get16(0x58), 0x31);
	assert_int_equal(get16(0x52), PCI_MSI_CTRL_ENABLE);
	assert_int_equal(get32(0x5c), 0); /* nothing written past the data */
}

static void test_msi_enable_bad_args(void **state)
{
	struct pci_msi m;
	reset(2 << 1, 0); /* 4 capable, 32-bit */
	assert_int_equal(pci_msi_parse(&C, &m), 0);
	struct pci_msi_msg msg = {0xfee00000u, 0x40};
	assert_int_equal(pci_msi_enable(&C, &m, &msg, 0), -E_INVAL);
	assert_int_equal(pci_msi_enable(&C, &m, &msg, 3), -E_INVAL);
	assert_int_equal(pci_msi_enable(&C, &m, &msg, 8), -E_INVAL);
	struct pci_msi_msg high = {0x1fee00000ull, 0x40};
	assert_int_equal(pci_msi_enable(&C, &m, &high, 1), -E_INVAL);
	struct pci_msi_msg unaligned = {0xfee00000u, 0x41};
	assert_int_equal(pci_msi_enable(&C, &m, &unaligned, 4), -E_INVAL);
	assert_int_equal(F.nlog, 0); /* refused before touching the device */
}

/* The address register ignores writes: -E_IO, MSI off, INTx as before. */
static void test_msi_enable_not_kept(void **state)
{
	for (int intx_was_off = 0; intx_was_off < 2; intx_was_off++) {
		struct pci_msi m;
		reset(PCI_MSI_CTRL_MASKABLE, 0);
		if (intx_was_off)
			put16(PCI_COMMAND, PCI_CMD_MEM | PCI_CMD_INTX_DISABLE);
		memset(F.ro + 0x54, 1, 4);
		assert_int_equal(pci_msi_parse(&C, &m), 0);
		struct pci_msi_msg msg = {0xfee00000u, 0x50};
		assert_int_equal(pci_msi_enable(&C, &m, &msg, 1), -E_IO);
		assert_false(get16(0x52) & PCI_MSI_CTRL_ENABLE);
		assert_int_equal(get32(0x5c), 0xffffffffu); /* masked */
		assert_int_equal(!!(get16(PCI_COMMAND) & PCI_CMD_INTX_DISABLE), intx_was_off);
	}
	/* Enable does not stick (a device that refuses MSI): same outcome. */
	struct pci_msi m;
	reset(0, 0);
	assert_int_equal(pci_msi_parse(&C, &m), 0);
	F.ro[0x52] = 1;
	struct pci_msi_msg msg = {0xfee00000u, 0x50};
	assert_int_equal(pci_msi_enable(&C, &m, &msg, 1), -E_IO);
	assert_false(get16(0x52) & PCI_MSI_CTRL_ENABLE);
	assert_false(get16(PCI_COMMAND) & PCI_CMD_INTX_DISABLE);
}

static void test_compose(void **state)
{
	struct pci_msi_msg m;
	assert_int_equal(pci_msi_compose(3, 0x41, &m), 0);
	assert_int_equal(m.addr, 0xfee03000u);
	assert_int_equal(m.data, 0x41);
	assert_int_equal(pci_msi_compose(255, 255, &m), 0);
	assert_int_equal(m.addr, 0xfeeff000u);
	assert_int_equal(pci_msi_compose(256, 0x41, &m), -E_RANGE);
	assert_int_equal(pci_msi_compose(0, 31, &m), -E_RANGE);
	assert_int_equal(pci_msi_compose(0, 256, &m), -E_RANGE);
}

static void test_msix_parse(void **state)
{
	struct pci_msix x;
	reset(0, 7); /* 8 entries */
	assert_int_equal(pci_msix_parse(&C, &x), 0);
	assert_int_equal(x.cap, 0x70);
	assert_int_equal(x.table_size, 8);
	assert_int_equal(x.table_bir, 2);
	assert_int_equal(x.table_off, 0x2000);
	assert_int_equal(x.pba_bir, 2);
	assert_int_equal(x.pba_off, 0x3000);
	assert_int_equal(pci_msix_check_bar(&x, 2, 0x4000), 0);
	assert_int_equal(pci_msix_check_bar(&x, 2, 0x3004), -E_INVAL); /* PBA cut */
	assert_int_equal(pci_msix_check_bar(&x, 2, 0x2070), -E_INVAL); /* table cut */
	assert_int_equal(pci_msix_check_bar(&x, 0, 0x10), 0);	       /* not in BAR0 */

	reset(0, 0x7ff);
	put32(0x74, 0x6); /* BIR 6: no such BAR */
	assert_int_equal(pci_msix_parse(&C, &x), -E_INVAL);
	assert_int_equal(x.table_size, 2048);
}

static void test_msix_enable(void **state)
{
	struct pci_msix x;
	reset(0, 7);
	assert_int_equal(pci_msix_parse(&C, &x), 0);
	struct pci_msi_msg msgs[3] = {
	    {0xfee00000u, 0x40}, {0xfee01000u, 0x41}, {0xfee02000u, 0x42}};
	assert_int_equal(pci_msix_enable(&C, &x, &IO, msgs, 3), 0);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(F.tab[i * 4 + 0], msgs[i].addr);
		assert_int_equal(F.tab[i * 4 + 1], 0);
		assert_int_equal(F.tab[i * 4 + 2], msgs[i].data);
		assert_int_equal(F.tab[i * 4 + 3], 0);
	}
	for (unsigned i = 3; i < 8; i++)
		assert_int_equal(F.tab[i * 4 + 3], PCI_MSIX_ENTRY_MASKED);
	uint16_t ctrl = get16(0x72);
	assert_int_equal(ctrl & (PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_MASKALL),
			 PCI_MSIX_CTRL_ENABLE);
	assert_true(get16(PCI_COMMAND) & PCI_CMD_INTX_DISABLE);

	/* Order: function masked before any table write; each entry's
	   unmask after its address and data; INTx off, Enable with the
	   mask, then the mask cleared as the last write of all. */
	int first = find_cfg_write(0x72, 0);
	assert_true(first >= 0);
	assert_int_equal(F.log[first].v & (PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_MASKALL),
			 PCI_MSIX_CTRL_MASKALL);
	for (unsigned i = 0; i < (unsigned)first; i++)
		assert_false(F.log[i].table);
	for (unsigned e = 0; e < 3; e++) {
		int data = -1, unmask = -1;
		for (unsigned i = 0; i < F.nlog; i++) {
			if (!F.log[i].table || F.log[i].off / 16 != e)
				continue;
			if (F.log[i].off % 16 == PCI_MSIX_ENTRY_DATA)
				data = (int)i;
			if (F.log[i].off % 16 == PCI_MSIX_ENTRY_CTRL && F.log[i].v == 0)
				unmask = (int)i;
		}
		assert_true(data >= 0 && unmask > data);
	}
	int intx = find_cfg_write(PCI_COMMAND, 0);
	int en = find_cfg_write(0x72, (unsigned)first + 1);
	assert_true(intx > first && en > intx);
	assert_int_equal(F.log[en].v & (PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_MASKALL),
			 PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_MASKALL);
	assert_int_equal((int)F.nlog - 1, find_cfg_write(0x72, (unsigned)en + 1));
	for (unsigned i = (unsigned)en; i < F.nlog; i++)
		assert_false(F.log[i].table);

	pci_msix_disable(&C, &x, &IO, true);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(F.tab[i * 4 + 3], PCI_MSIX_ENTRY_MASKED);
	assert_false(get16(0x72) & (PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_MASKALL));
	assert_true(get16(PCI_COMMAND) & PCI_CMD_INTX_DISABLE);
}

static void test_msix_enable_failures(void **state)
{
	struct pci_msix x;
	struct pci_msi_msg msgs[4] = {
	    {0xfee00000u, 0x40}, {0xfee00000u, 0x41}, {0xfee00000u, 0x42}, {0xfee00000u, 0x43}};
	reset(0, 3);
	assert_int_equal(pci_msix_parse(&C, &x), 0);
	assert_int_equal(pci_msix_enable(&C, &x, &IO, msgs, 0), -E_INVAL);
	assert_int_equal(pci_msix_enable(&C, &x, &IO, msgs, 5), -E_INVAL);
	assert_int_equal(F.nlog, 0);

	/* Entry 1 does not keep its data: every entry ends masked, MSI-X
	   off and INTx as it was (enabled, here). */
	F.tab_stuck_entry = 1;
	assert_int_equal(pci_msix_enable(&C, &x, &IO, msgs, 4), -E_IO);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(F.tab[i * 4 + 3], PCI_MSIX_ENTRY_MASKED);
	assert_false(get16(0x72) & PCI_MSIX_CTRL_ENABLE);
	assert_false(get16(PCI_COMMAND) & PCI_CMD_INTX_DISABLE);

	/* The enable bit does not stick: the same, INTx disable restored. */
	reset(0, 3);
	put16(PCI_COMMAND, PCI_CMD_MEM | PCI_CMD_INTX_DISABLE);
	assert_int_equal(pci_msix_parse(&C, &x), 0);
	F.ro[0x73] = 1;
	assert_int_equal(pci_msix_enable(&C, &x, &IO, msgs, 2), -E_IO);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(F.tab[i * 4 + 3], PCI_MSIX_ENTRY_MASKED);
	assert_false(get16(0x72) & PCI_MSIX_CTRL_ENABLE);
	assert_true(get16(PCI_COMMAND) & PCI_CMD_INTX_DISABLE);
}

static void test_intx_bit(void **state)
{
	reset(0, 0);
	put16(PCI_COMMAND, PCI_CMD_MEM | PCI_CMD_MASTER);
	assert_false(pci_intx_disabled(&C));
	pci_intx_set_disabled(&C, true);
	assert_int_equal(get16(PCI_COMMAND), PCI_CMD_MEM | PCI_CMD_MASTER | PCI_CMD_INTX_DISABLE);
	assert_true(pci_intx_disabled(&C));
	unsigned n = F.nlog;
	pci_intx_set_disabled(&C, true); /* already so: no write */
	assert_int_equal(F.nlog, n);
	pci_intx_set_disabled(&C, false);
	assert_int_equal(get16(PCI_COMMAND), PCI_CMD_MEM | PCI_CMD_MASTER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_msi_parse),
	    cmocka_unit_test(test_msi_enable_64_maskable),
	    cmocka_unit_test(test_msi_enable_32_one),
	    cmocka_unit_test(test_msi_enable_bad_args),
	    cmocka_unit_test(test_msi_enable_not_kept),
	    cmocka_unit_test(test_compose),
	    cmocka_unit_test(test_msix_parse),
	    cmocka_unit_test(test_msix_enable),
	    cmocka_unit_test(test_msix_enable_failures),
	    cmocka_unit_test(test_intx_bit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
