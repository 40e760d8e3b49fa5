/*
 * test_pci_bar.c - BAR decoding and sizing over a fake config space:
 * every kind, 64-bit pairs, unused and broken BARs, bridges and CardBus,
 * and that sizing leaves every register as it found it and never writes
 * a BAR while the function decodes.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "base/err.h"
#include "test_pci_fake.h"

static struct fake F;

static void test_device_bars(void **state)
{
	memset(&F, 0, sizeof F);
	struct fake_fn *fn = fake_add(&F, 0, 3, 0, 0x8086, 0x10d3, 0x020000, 0);
	fake_bar(fn, 0, 0, 0xfebc0000, 0x20000);	     /* mem32 128K */
	fake_bar(fn, 2, 1, 0xc000, 0x20);		     /* io 32 */
	fake_bar(fn, 3, 0xc, 0x0000000800000000ull, 0x4000); /* mem64 prefetch 16K */
	fake_put16(fn, PCI_COMMAND, PCI_CMD_MEM | PCI_CMD_IO | PCI_CMD_MASTER);
	uint8_t before[4096];
	memcpy(before, fn->b, sizeof before);
	struct pci_cfg c = fake_cfg(&F, fn, 256);
	struct pci_bar b[PCI_MAX_BARS];
	unsigned n = pci_bars_probe(&c, 0, b);
	assert_int_equal(n, 3);
	assert_int_equal(b[0].index, 0);
	assert_int_equal(b[0].kind, PCI_BAR_MEM32);
	assert_int_equal(b[0].addr, 0xfebc0000);
	assert_int_equal(b[0].size, 0x20000);
	assert_false(b[0].prefetch);
	assert_int_equal(b[1].index, 2);
	assert_int_equal(b[1].kind, PCI_BAR_IO);
	assert_int_equal(b[1].addr, 0xc000);
	assert_int_equal(b[1].size, 0x20);
	assert_int_equal(b[2].index, 3);
	assert_int_equal(b[2].kind, PCI_BAR_MEM64);
	assert_int_equal(b[2].addr, 0x800000000ull);
	assert_int_equal(b[2].size, 0x4000);
	assert_true(b[2].prefetch);
	assert_memory_equal(before, fn->b, sizeof before);
	assert_int_equal(F.bar_writes_while_decoding, 0);
	assert_string_equal(pci_bar_kind_name(b[2].kind), "mem64");
}

static void test_big_mem64(void **state)
{
	memset(&F, 0, sizeof F);
	struct fake_fn *fn = fake_add(&F, 0, 4, 0, 0x1b36, 0x0010, 0x010802, 0);
	fake_bar(fn, 0, 4, 0x4000000000ull, 0x100000000ull); /* 4 GiB: only the upper half sizes */
	struct pci_cfg c = fake_cfg(&F, fn, 4096);
	struct pci_bar b[PCI_MAX_BARS];
	assert_int_equal(pci_bars_probe(&c, 0, b), 1);
	assert_int_equal(b[0].size, 0x100000000ull);
	assert_int_equal(b[0].addr, 0x4000000000ull);
}

static void test_unused_and_broken(void **state)
{
	memset(&F, 0, sizeof F);
	struct fake_fn *fn = fake_add(&F, 0, 5, 0, 0x1234, 0x1111, 0x030000, 0);
	/* BAR 0 unused (hard-wired 0), BAR 5 a 64-bit BAR with no pair,
	   BAR 1 a reserved memory type. */
	fake_put32(fn, PCI_BAR0 + 4, 0x6);
	fn->wmask[(PCI_BAR0 + 4) / 4] = 0xfffff000;
	fake_put32(fn, PCI_BAR0 + 20, 0x4);
	fn->wmask[(PCI_BAR0 + 20) / 4] = 0xfffff000;
	struct pci_cfg c = fake_cfg(&F, fn, 256);
	struct pci_bar b[PCI_MAX_BARS];
	assert_int_equal(pci_bars_probe(&c, 0, b), 0);
	assert_int_equal(fake_read(&F, fn->a, PCI_BAR0 + 20, 4), 0x4);
}

static void test_bridge_and_cardbus(void **state)
{
	memset(&F, 0, sizeof F);
	struct fake_fn *br = fake_add(&F, 0, 1, 0, 0x1b36, 0x000c, 0x060400, 1);
	fake_bar(br, 0, 0, 0xfe800000, 0x1000);
	struct pci_cfg c = fake_cfg(&F, br, 256);
	struct pci_bar b[PCI_MAX_BARS];
	assert_int_equal(pci_bars_probe(&c, 1, b), 1);
	assert_int_equal(b[0].addr, 0xfe800000);
	assert_int_equal(pci_bar_count(2), 1);
	assert_int_equal(pci_bar_count(0x80), 6);
	assert_int_equal(pci_bar_count(3), 0);
	assert_int_equal(pci_bars_probe(&c, 3, b), 0);
}

/* The host bridge and the ICH9 LPC bridge (COM1, the PM block, reset
   control 0xCF9) have no BARs but decode what the kernel uses: sizing must
   leave their COMMAND alone. Under QEMU a reset came during pcid's walk
   while every function, these included, had its decoding switched off. */
static void test_no_bars_keeps_decoding(void **state)
{
	memset(&F, 0, sizeof F);
	struct fake_fn *hb = fake_add(&F, 0, 0, 0, 0x8086, 0x29c0, 0x060000, 0);
	struct fake_fn *lpc = fake_add(&F, 0, 31, 0, 0x8086, 0x2918, 0x060100, 0x80);
	struct fake_fn *fns[] = {hb, lpc};
	for (unsigned i = 0; i < 2; i++) {
		fake_put16(fns[i], PCI_COMMAND, PCI_CMD_MEM | PCI_CMD_IO | PCI_CMD_MASTER);
		struct pci_cfg c = fake_cfg(&F, fns[i], 256);
		struct pci_bar b[PCI_MAX_BARS];
		assert_int_equal(pci_bars_probe(&c, fns[i]->b[PCI_HEADER_TYPE], b), 0);
		assert_int_equal(fake_read(&F, fns[i]->a, PCI_COMMAND, 2),
				 PCI_CMD_MEM | PCI_CMD_IO | PCI_CMD_MASTER);
	}
	assert_int_equal(F.cmd_writes, 0);
	assert_int_equal(F.cmd_cleared, 0);
}

/* Only the decoding the BARs use goes off: a VGA function with memory
   BARs keeps its I/O decoding (the legacy VGA ports), and no BAR holding
   an address is written while it decodes. */
static void test_only_used_decoding_off(void **state)
{
	memset(&F, 0, sizeof F);
	struct fake_fn *vga = fake_add(&F, 0, 1, 0, 0x1234, 0x1111, 0x030000, 0);
	fake_bar(vga, 0, 0x8, 0xfd000000, 0x1000000); /* framebuffer, prefetch */
	fake_bar(vga, 2, 0, 0xfebf0000, 0x1000);
	fake_put16(vga, PCI_COMMAND, PCI_CMD_MEM | PCI_CMD_IO);
	struct fake_fn *io = fake_add(&F, 0, 31, 3, 0x8086, 0x2930, 0x0c0500, 0);
	fake_bar(io, 4, 1, 0x700, 0x40);
	fake_put16(io, PCI_COMMAND, PCI_CMD_MEM | PCI_CMD_IO);
	struct pci_bar b[PCI_MAX_BARS];
	struct pci_cfg c = fake_cfg(&F, vga, 256);
	assert_int_equal(pci_bars_probe(&c, 0, b), 2);
	assert_int_equal(b[0].size, 0x1000000);
	assert_int_equal(b[1].addr, 0xfebf0000);
	assert_int_equal(F.cmd_cleared, PCI_CMD_MEM);
	assert_int_equal(F.cmd_writes, 2);
	F.cmd_cleared = 0;
	c = fake_cfg(&F, io, 256);
	assert_int_equal(pci_bars_probe(&c, 0, b), 1);
	assert_int_equal(b[0].addr, 0x700);
	assert_int_equal(b[0].size, 0x40);
	assert_int_equal(F.cmd_cleared, PCI_CMD_IO);
	assert_int_equal(fake_read(&F, vga->a, PCI_COMMAND, 2), PCI_CMD_MEM | PCI_CMD_IO);
	assert_int_equal(fake_read(&F, io->a, PCI_COMMAND, 2), PCI_CMD_MEM | PCI_CMD_IO);
}

/* Which config writes may move the memory map (and so go through SYS_HWSTORE). */
static void test_writes_that_move_the_map(void **state)
{
	const uint16_t on = PCI_CMD_MEM | PCI_CMD_MASTER, off = 0;
	assert_true(pci_cfg_write_moves_map(0x04, 2, 0x0000, on));     /* decoding off */
	assert_true(pci_cfg_write_moves_map(0x04, 2, 0x0006, off));    /* and on */
	assert_true(pci_cfg_write_moves_map(0x04, 4, 0x00100002, on)); /* Bus Master off */
	assert_true(pci_cfg_write_moves_map(0x04, 1, 0x07, on));       /* I/O on */
	assert_false(pci_cfg_write_moves_map(0x04, 2, 0x0406, on));    /* INTx disable only */
	assert_false(pci_cfg_write_moves_map(0x05, 1, 0x04, on));      /* COMMAND's high byte */
	assert_false(pci_cfg_write_moves_map(0x06, 2, 0xffff, on));    /* STATUS */
	assert_false(pci_cfg_write_moves_map(0x0c, 4, 0, on));	       /* cache line, latency */
	assert_true(pci_cfg_write_moves_map(0x10, 4, ~0u, on));	       /* a BAR while decoding */
	assert_false(pci_cfg_write_moves_map(0x10, 4, ~0u, off));      /* sizing: decoding off */
	assert_false(pci_cfg_write_moves_map(0x10, 4, ~0u, PCI_CMD_MASTER));
	assert_true(pci_cfg_write_moves_map(0x3e, 2, 0x08, PCI_CMD_IO)); /* Bridge Control */
	assert_false(pci_cfg_write_moves_map(0x40, 4, 0, on));		 /* capabilities */
	assert_false(pci_cfg_write_moves_map(0x100, 4, 0, on));
	assert_false(pci_cfg_write_moves_map(0x00, 4, 0, on)); /* ids: read-only */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_device_bars),
	    cmocka_unit_test(test_big_mem64),
	    cmocka_unit_test(test_unused_and_broken),
	    cmocka_unit_test(test_bridge_and_cardbus),
	    cmocka_unit_test(test_no_bars_keeps_decoding),
	    cmocka_unit_test(test_only_used_decoding_off),
	    cmocka_unit_test(test_writes_that_move_the_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
