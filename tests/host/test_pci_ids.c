/*
 * test_pci_ids.c - name lookups in pci.ids text (lib/pci/ids.c): vendors,
 * devices (not a subsystem line, not another vendor's device), classes
 * and subclasses, comments, a file cut in the middle of a line; and, when
 * the Debian package is installed, a few names from the real file.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "pci/pci.h"

static const char db[] = "# comment\n"
			 "1234  Technical Corp.\n"
			 "\t1111  Emulated VGA\n"
			 "\t\t1af4 1100  QEMU Virtual Machine\n"
			 "8086  Intel Corporation\n"
			 "# a comment inside\n"
			 "\t100e  82540EM Gigabit Ethernet Controller\n"
			 "\t10d3  82574L Gigabit Network Connection\n"
			 "\t\t8086 1111  Not the device\n"
			 "C 02  Network controller\n"
			 "\t00  Ethernet controller\n"
			 "C 0c  Serial bus controller\n"
			 "\t03  USB controller\n"
			 "\t\t30  XHCI\n"
			 "C 0d  Wireless";

static void expect(const char *got, const size_t *lenp, const char *want)
{
	size_t len = *lenp;
	assert_non_null(got);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(got, want, len);
}

static void test_lookups(void **state)
{
	size_t n = sizeof db - 1, len;
	expect(pci_ids_vendor(db, n, 0x1234, &len), &len, "Technical Corp.");
	expect(pci_ids_vendor(db, n, 0x8086, &len), &len, "Intel Corporation");
	assert_null(pci_ids_vendor(db, n, 0x1af4, &len)); /* only a subsystem id */
	expect(pci_ids_device(db, n, 0x8086, 0x10d3, &len), &len,
	       "82574L Gigabit Network Connection");
	expect(pci_ids_device(db, n, 0x1234, 0x1111, &len), &len, "Emulated VGA");
	assert_null(pci_ids_device(db, n, 0x1234, 0x100e, &len)); /* another vendor's */
	assert_null(pci_ids_device(db, n, 0x8086, 0x1111, &len)); /* a subsystem line */
	expect(pci_ids_class(db, n, 0x02, 0x00, &len), &len, "Ethernet controller");
	expect(pci_ids_class(db, n, 0x02, 0x80, &len), &len, "Network controller");
	expect(pci_ids_class(db, n, 0x0c, 0x03, &len), &len, "USB controller");
	expect(pci_ids_class(db, n, 0x0d, 0x00, &len), &len, "Wireless");
	assert_null(pci_ids_class(db, n, 0x30, 0x00, &len));
	/* cut short: no read past the end, the partial line is not a name */
	assert_null(pci_ids_device(db, 30, 0x1234, 0x1111, &len));
	assert_null(pci_ids_vendor(db, 3, 0x1234, &len));
	assert_null(pci_ids_vendor(db, 0, 0x1234, &len));
}

static void test_real_file(void **state)
{
	FILE *f = fopen("/usr/share/misc/pci.ids", "r");
	if (!f)
		skip(); /* the pci.ids package is not installed */
	static char buf[4 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	size_t len;
	expect(pci_ids_vendor(buf, n, 0x8086, &len), &len, "Intel Corporation");
	expect(pci_ids_vendor(buf, n, 0x1af4, &len), &len, "Red Hat, Inc.");
	expect(pci_ids_class(buf, n, 0x03, 0x00, &len), &len, "VGA compatible controller");
	expect(pci_ids_class(buf, n, 0x06, 0x04, &len), &len, "PCI bridge");
	assert_non_null(pci_ids_device(buf, n, 0x8086, 0x10d3, &len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lookups),
	    cmocka_unit_test(test_real_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
