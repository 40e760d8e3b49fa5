/*
 * test_pci_cap.c - the capability and extended capability walkers over a
 * fake config space: order, find-after, CardBus's pointer, and broken
 * lists (loops, pointers into the header or past the space, a 256-byte
 * space with no extended list).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "test_pci_fake.h"

static struct fake F;

static void ecap(struct fake_fn *fn, uint16_t off, uint16_t id, uint16_t next)
{
	fake_put32(fn, off, (uint32_t)next << 20 | 1u << 16 | id);
}

static void test_list_and_find(void **state)
{
	memset(&F, 0, sizeof F);
	struct fake_fn *fn = fake_add(&F, 1, 0, 0, 0x1af4, 0x1042, 0x010000, 0);
	fake_cap(fn, 0, 0x98, 0x11);	/* MSI-X */
	fake_cap(fn, 0x98, 0x84, 0x09); /* vendor */
	fake_cap(fn, 0x84, 0x70, 0x09); /* vendor again */
	fake_cap(fn, 0x70, 0x40, 0x10); /* Express */
	struct pci_cfg c = fake_cfg(&F, fn, 4096);
	struct pci_cap_ent e[8];
	assert_int_equal(pci_cap_list(&c, e, 8), 4);
	assert_int_equal(e[0].off, 0x98);
	assert_int_equal(e[0].id, 0x11);
	assert_int_equal(e[3].off, 0x40);
	assert_int_equal(pci_cap_list(&c, e, 2), 4); /* counts past max */
	assert_int_equal(pci_cap_find(&c, 0x09, 0), 0x84);
	assert_int_equal(pci_cap_find(&c, 0x09, 0x84), 0x70);
	assert_int_equal(pci_cap_find(&c, 0x09, 0x70), 0);
	assert_int_equal(pci_cap_find(&c, 0x05, 0), 0);
	assert_string_equal(pci_cap_name(0x11), "MSI-X");
	assert_null(pci_cap_name(0xee));

	ecap(fn, 0x100, 0x0001, 0x148);
	ecap(fn, 0x148, 0x000e, 0x200);
	ecap(fn, 0x200, 0x0003, 0);
	assert_int_equal(pci_ecap_list(&c, e, 8), 3);
	assert_int_equal(e[1].off, 0x148);
	assert_int_equal(e[1].id, 0x000e);
	assert_int_equal(e[1].ver, 1);
	assert_int_equal(pci_ecap_find(&c, 0x0003, 0), 0x200);
	assert_int_equal(pci_ecap_find(&c, 0x0001, 0x100), 0);
	assert_string_equal(pci_ecap_name(0x000e), "Alternative Routing-ID Interpretation");
	c.size = 256;
	assert_int_equal(pci_ecap_list(&c, e, 8), 0);
	assert_int_equal(pci_ecap_find(&c, 0x0003, 0), 0);
}

static void test_broken_lists(void **state)
{
	memset(&F, 0, sizeof F);
	struct fake_fn *fn = fake_add(&F, 1, 0, 0, 0x1af4, 0x1042, 0x010000, 0);
	fake_cap(fn, 0, 0x50, 0x01);
	fake_cap(fn, 0x50, 0x60, 0x05);
	fn->b[0x61] = 0x50; /* loop back */
	struct pci_cfg c = fake_cfg(&F, fn, 4096);
	struct pci_cap_ent e[64];
	assert_int_equal(pci_cap_list(&c, e, 64), 48); /* bounded */
	assert_int_equal(pci_cap_find(&c, 0x11, 0), 0);
	fn->b[0x61] = 0x20; /* into the header: ends */
	assert_int_equal(pci_cap_list(&c, e, 64), 2);
	/* Status says no list: nothing, whatever the pointer. */
	fake_put16(fn, PCI_STATUS, 0);
	assert_int_equal(pci_cap_list(&c, e, 64), 0);

	ecap(fn, 0x100, 0x0001, 0x100); /* points at itself */
	assert_int_equal(pci_ecap_list(&c, e, 64), 960);
	assert_int_equal(pci_ecap_find(&c, 0x0002, 0), 0);
	ecap(fn, 0x100, 0x0001, 0x080); /* below 0x100: ends */
	assert_int_equal(pci_ecap_list(&c, e, 64), 1);
	ecap(fn, 0x100, 0x0001, 0xffc); /* last dword: valid, then all ones ends */
	fake_put32(fn, 0xffc, 0xffffffff);
	assert_int_equal(pci_ecap_list(&c, e, 64), 1);
	fake_put32(fn, 0x100, 0);
	assert_int_equal(pci_ecap_list(&c, e, 64), 0);
}

static void test_cardbus_pointer(void **state)
{
	memset(&F, 0, sizeof F);
	struct fake_fn *fn = fake_add(&F, 0, 9, 0, 0x1217, 0x7113, 0x060700, 2);
	fake_cap(fn, 0, 0xa0, 0x01);
	struct pci_cfg c = fake_cfg(&F, fn, 256);
	assert_int_equal(fn->b[PCI_CB_CAP_PTR], 0xa0);
	assert_int_equal(pci_cap_find(&c, 0x01, 0), 0xa0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list_and_find),
	    cmocka_unit_test(test_broken_lists),
	    cmocka_unit_test(test_cardbus_pointer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
