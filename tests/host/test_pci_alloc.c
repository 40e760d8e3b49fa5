/*
 * test_pci_alloc.c - lib/pci/alloc.c: decoding a bridge's windows (closed,
 * reset, 16/32-bit I/O, 32/64-bit prefetchable) and placing BARs in them
 * (alignment, largest first, around ranges in use, the fall-back from
 * the prefetchable to the memory window, BARs that do not fit), then
 * writing the addresses into a fake function and sizing it back.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "base/err.h"
#include "pci/alloc.h"
#include "test_pci_fake.h"

static struct fake F;

static void test_decode(void **state)
{
	struct pci_window w[PCI_WIN_KINDS];
	/* QEMU pcie-root-port under SeaBIOS: 4K I/O, 2M memory, 64-bit
	   prefetchable above 4 GiB */
	struct pci_bridge_regs r = {.io_base = 0x10,
				    .io_limit = 0x10,
				    .mem_base = 0xfe80,
				    .mem_limit = 0xfe90,
				    .pref_base = 0x0001,
				    .pref_limit = 0x0011,
				    .pref_base_upper = 0x8,
				    .pref_limit_upper = 0x8};
	pci_bridge_windows_decode(&r, w);
	assert_true(w[PCI_WIN_IO].present);
	assert_int_equal(w[PCI_WIN_IO].base, 0x1000);
	assert_int_equal(w[PCI_WIN_IO].limit, 0x1fff);
	assert_true(w[PCI_WIN_MEM].present);
	assert_int_equal(w[PCI_WIN_MEM].base, 0xfe800000);
	assert_int_equal(w[PCI_WIN_MEM].limit, 0xfe9fffff);
	assert_true(w[PCI_WIN_PREF].present);
	assert_int_equal(w[PCI_WIN_PREF].base, 0x800000000ull);
	assert_int_equal(w[PCI_WIN_PREF].limit, 0x8001fffffull);

	/* closed windows (base above limit), and the reset value 0 */
	r = (struct pci_bridge_regs){.io_base = 0xf0,
				     .io_limit = 0x00,
				     .mem_base = 0xfff0,
				     .mem_limit = 0x0000,
				     .pref_base = 0x0000,
				     .pref_limit = 0x0000};
	pci_bridge_windows_decode(&r, w);
	assert_false(w[PCI_WIN_IO].present);
	assert_false(w[PCI_WIN_MEM].present);
	assert_false(w[PCI_WIN_PREF].present);

	/* 32-bit I/O uses the upper halves; 16-bit ignores them; a 32-bit
	   prefetchable window ignores its upper registers */
	r = (struct pci_bridge_regs){.io_base = 0x21,
				     .io_limit = 0x31,
				     .io_base_upper = 0x1,
				     .io_limit_upper = 0x1,
				     .pref_base = 0xc000,
				     .pref_limit = 0xc0f0,
				     .pref_base_upper = 0x5,
				     .pref_limit_upper = 0x5};
	pci_bridge_windows_decode(&r, w);
	assert_int_equal(w[PCI_WIN_IO].base, 0x12000);
	assert_int_equal(w[PCI_WIN_IO].limit, 0x13fff);
	assert_int_equal(w[PCI_WIN_PREF].base, 0xc0000000);
	assert_int_equal(w[PCI_WIN_PREF].limit, 0xc0ffffff);
	r.io_base = 0x20;
	r.io_limit = 0x30;
	pci_bridge_windows_decode(&r, w);
	assert_int_equal(w[PCI_WIN_IO].base, 0x2000);
	assert_int_equal(w[PCI_WIN_IO].limit, 0x3fff);

	/* a 64-bit window whose limit is the top of the address space */
	r = (struct pci_bridge_regs){.pref_base = 0xfff1,
				     .pref_limit = 0xfff1,
				     .pref_base_upper = 0xffffffff,
				     .pref_limit_upper = 0xffffffff};
	pci_bridge_windows_decode(&r, w);
	assert_true(w[PCI_WIN_PREF].present);
	assert_int_equal(w[PCI_WIN_PREF].limit, UINT64_MAX);
}

/* A bridge's window registers in a fake function, read back. */
static void test_read_from_config(void **state)
{
	memset(&F, 0, sizeof F);
	struct fake_fn *br = fake_add(&F, 0, 2, 0, 0x1b36, 0x000c, 0x060400, 1);
	br->b[PCI_IO_BASE] = 0x10;
	br->b[PCI_IO_LIMIT] = 0x10;
	fake_put16(br, PCI_MEM_BASE, 0xfe80);
	fake_put16(br, PCI_MEM_LIMIT, 0xfe80);
	fake_put16(br, PCI_PREF_BASE, 0xfff1);
	fake_put16(br, PCI_PREF_LIMIT, 0x0001); /* closed */
	struct pci_cfg c = fake_cfg(&F, br, 256);
	struct pci_window w[PCI_WIN_KINDS];
	pci_bridge_windows_read(&c, w);
	assert_true(w[PCI_WIN_IO].present);
	assert_int_equal(w[PCI_WIN_MEM].base, 0xfe800000);
	assert_int_equal(w[PCI_WIN_MEM].limit, 0xfe8fffff);
	assert_false(w[PCI_WIN_PREF].present);
}

static struct pci_win_alloc A;

static void win_set(struct pci_window *w, enum pci_win_kind k, uint64_t base, uint64_t limit)
{
	w[k] = (struct pci_window){true, base, limit};
}

static void test_alloc_alignment_and_used(void **state)
{
	struct pci_window w[PCI_WIN_KINDS] = {0};
	win_set(w, PCI_WIN_MEM, 0xfe800000, 0xfe9fffff);
	pci_win_alloc_init(&A, w);
	uint64_t a;
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_MEM, 0x1000, &a), 0);
	assert_int_equal(a, 0xfe800000);
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_MEM, 0x4000, &a), 0);
	assert_int_equal(a, 0xfe804000); /* size-aligned, past the 4K one */
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_MEM, 0x1000, &a), 0);
	assert_int_equal(a, 0xfe801000); /* the gap below */
	/* a range in use in the middle: 1 MiB no longer fits anywhere */
	assert_int_equal(pci_win_reserve(&A, PCI_WIN_MEM, 0xfe900000, 0x80000), 0);
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_MEM, 0x100000, &a), -E_NOSPC);
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_MEM, 0x80000, &a), 0);
	assert_int_equal(a, 0xfe880000); /* exactly up to the used range */
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_MEM, 0x80000, &a), 0);
	assert_int_equal(a, 0xfe980000); /* the last 512K of the window */
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_MEM, 0x80000, &a), -E_NOSPC);
	/* bad sizes, absent windows */
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_MEM, 0, &a), -E_INVAL);
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_MEM, 0x3000, &a), -E_INVAL);
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_IO, 0x100, &a), -E_NOENT);
	/* a reservation outside the window is ignored, one across its edge
	   is clipped */
	assert_int_equal(pci_win_reserve(&A, PCI_WIN_MEM, 0x1000, 0x1000), 0);
	assert_int_equal(pci_win_reserve(&A, PCI_WIN_MEM, 0xfe7ff000, 0x2000), 0);
	assert_int_equal(A.used[PCI_WIN_MEM][0].base, 0xfe800000);
	assert_int_equal(A.used[PCI_WIN_MEM][0].last, 0xfe800fff);
	assert_int_equal(pci_win_reserve(&A, PCI_WIN_MEM, UINT64_MAX - 10, 100), 0);
}

/* A window that ends at the top of the address space; a full list. */
static void test_alloc_edges(void **state)
{
	struct pci_window w[PCI_WIN_KINDS] = {0};
	win_set(w, PCI_WIN_PREF, 0xfffffffffff00000ull, UINT64_MAX);
	pci_win_alloc_init(&A, w);
	uint64_t a;
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_PREF, 0x80000, &a), 0);
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_PREF, 0x80000, &a), 0);
	assert_int_equal(a, 0xfffffffffff80000ull);
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_PREF, 0x1000, &a), -E_NOSPC);
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_PREF, 1ull << 63, &a), -E_NOSPC);

	win_set(w, PCI_WIN_MEM, 0x80000000, 0x8fffffff);
	pci_win_alloc_init(&A, w);
	for (unsigned i = 0; i < PCI_WIN_MAX_USED; i++)
		assert_int_equal(pci_win_alloc(&A, PCI_WIN_MEM, 0x1000, &a), 0);
	assert_int_equal(a, 0x80000000 + 0x1000 * (PCI_WIN_MAX_USED - 1));
	assert_int_equal(pci_win_alloc(&A, PCI_WIN_MEM, 0x1000, &a), -E_NOSPC);
	assert_int_equal(pci_win_reserve(&A, PCI_WIN_MEM, 0x8f000000, 0x1000), -E_NOSPC);
}

/* virtio-blk behind a pcie-root-port: BAR1 mem32 4K (MSI-X), BAR4 mem64
   prefetchable 16K; with an I/O BAR0 as a transitional device has. */
static void test_place_virtio(void **state)
{
	struct pci_window w[PCI_WIN_KINDS] = {0};
	win_set(w, PCI_WIN_MEM, 0xfe800000, 0xfe9fffff);
	win_set(w, PCI_WIN_PREF, 0x800000000ull, 0x8001fffffull);
	pci_win_alloc_init(&A, w);
	struct pci_bar b[3] = {
	    {.index = 0, .kind = PCI_BAR_IO, .size = 0x80},
	    {.index = 1, .kind = PCI_BAR_MEM32, .size = 0x1000},
	    {.index = 4, .kind = PCI_BAR_MEM64, .prefetch = true, .size = 0x4000},
	};
	struct pci_place_res res[3];
	assert_int_equal(pci_bars_place(&A, b, 3, res), 1);
	assert_int_equal(res[0].how, PCI_PLACE_NO_WINDOW); /* no I/O window */
	assert_int_equal(b[0].addr, 0);
	assert_int_equal(res[1].how, PCI_PLACE_DONE);
	assert_int_equal(res[1].win, PCI_WIN_MEM);
	assert_int_equal(b[1].addr, 0xfe800000);
	assert_int_equal(res[2].how, PCI_PLACE_DONE);
	assert_int_equal(res[2].win, PCI_WIN_PREF);
	assert_int_equal(b[2].addr, 0x800000000ull);

	/* no prefetchable window: the 64-bit BAR goes below 4 GiB, and
	   largest first puts it at the window's base */
	w[PCI_WIN_PREF].present = false;
	win_set(w, PCI_WIN_IO, 0x1000, 0x1fff);
	pci_win_alloc_init(&A, w);
	b[0].addr = b[1].addr = b[2].addr = 0;
	assert_int_equal(pci_bars_place(&A, b, 3, res), 0);
	assert_int_equal(b[2].addr, 0xfe800000);
	assert_int_equal(res[2].win, PCI_WIN_MEM);
	assert_int_equal(b[1].addr, 0xfe804000);
	assert_int_equal(b[0].addr, 0x1000);
	assert_int_equal(res[0].win, PCI_WIN_IO);
}

/* BARs that already have addresses stay and are avoided; one too big
   for the window is reported. */
static void test_place_kept_and_too_big(void **state)
{
	struct pci_window w[PCI_WIN_KINDS] = {0};
	win_set(w, PCI_WIN_MEM, 0xfe800000, 0xfe8fffff);
	pci_win_alloc_init(&A, w);
	/* a sibling's BAR at the window's base */
	assert_int_equal(pci_win_reserve(&A, PCI_WIN_MEM, 0xfe800000, 0x2000), 0);
	struct pci_bar b[3] = {
	    {.index = 0, .kind = PCI_BAR_MEM32, .addr = 0xfe804000, .size = 0x4000},
	    {.index = 1, .kind = PCI_BAR_MEM32, .size = 0x4000},
	    {.index = 2, .kind = PCI_BAR_MEM64, .size = 0x200000},
	};
	struct pci_place_res res[3];
	assert_int_equal(pci_bars_place(&A, b, 3, res), 1);
	assert_int_equal(res[0].how, PCI_PLACE_KEPT);
	assert_int_equal(b[0].addr, 0xfe804000);
	assert_int_equal(res[1].how, PCI_PLACE_DONE);
	assert_int_equal(b[1].addr, 0xfe808000);
	assert_int_equal(res[2].how, PCI_PLACE_NO_ROOM);
	assert_int_equal(b[2].addr, 0);
}

/* Placed addresses written into a function read back when it is sized. */
static void test_set_and_probe(void **state)
{
	memset(&F, 0, sizeof F);
	struct fake_fn *fn = fake_add(&F, 1, 0, 0, 0x1af4, 0x1042, 0x010000, 0);
	fake_bar(fn, 1, 0, 0, 0x1000);
	fake_bar(fn, 4, 0xc, 0, 0x4000);
	struct pci_cfg c = fake_cfg(&F, fn, 4096);
	struct pci_bar b[PCI_MAX_BARS];
	unsigned n = pci_bars_probe(&c, 0, b);
	assert_int_equal(n, 2);
	struct pci_window w[PCI_WIN_KINDS] = {0};
	win_set(w, PCI_WIN_MEM, 0xfe800000, 0xfe9fffff);
	win_set(w, PCI_WIN_PREF, 0x800000000ull, 0x8001fffffull);
	pci_win_alloc_init(&A, w);
	struct pci_place_res res[PCI_MAX_BARS];
	assert_int_equal(pci_bars_place(&A, b, n, res), 0);
	for (unsigned i = 0; i < n; i++)
		pci_bar_set(&c, &b[i]);
	assert_int_equal(F.bar_writes_while_decoding, 0);
	struct pci_bar again[PCI_MAX_BARS];
	assert_int_equal(pci_bars_probe(&c, 0, again), 2);
	assert_int_equal(again[0].addr, 0xfe800000);
	assert_int_equal(again[0].size, 0x1000);
	assert_int_equal(again[1].addr, 0x800000000ull);
	assert_int_equal(again[1].kind, PCI_BAR_MEM64);
	assert_true(again[1].prefetch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode),
	    cmocka_unit_test(test_read_from_config),
	    cmocka_unit_test(test_alloc_alignment_and_used),
	    cmocka_unit_test(test_alloc_edges),
	    cmocka_unit_test(test_place_virtio),
	    cmocka_unit_test(test_place_kept_and_too_big),
	    cmocka_unit_test(test_set_and_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
