/*
 * test_acpi_devs.c - lib/acpi/devs.c on a small DSDT compiled from the ASL
 * below (iasl -f -oa -of: -f because some ids and a _STA are wrong on
 * purpose): which devices are listed (_STA present, at least one id),
 * whose children are not looked at (neither present nor functioning, or a
 * _STA that fails), EISA and string ids, a _CID package with ids of the
 * wrong type, too long or with odd bytes, ACPICA's repairs (a leading '*'
 * dropped, upper case; a Buffer _HID read as an EISA number, here not a
 * valid one), and more ids than fit.
 *
 * DefinitionBlock ("", "DSDT", 2, "RBOS", "DEVS1", 1)
 * {
 *     Scope (\_SB)
 *     {
 *         Device (PCI0)
 *         {
 *             Name (_HID, EisaId ("PNP0A08"))
 *             Name (_CID, EisaId ("PNP0A03"))
 *             Device (KBD)
 *             {
 *                 Name (_HID, EisaId ("PNP0303"))
 *                 Name (_CID, EisaId ("PNP030B"))
 *                 Method (_STA) { Return (0x0F) }
 *             }
 *             Device (GONE)
 *             {
 *                 Name (_HID, EisaId ("PNP0501"))
 *                 Name (_STA, Zero)
 *                 Device (GCHD) { Name (_HID, EisaId ("PNP0400")) }
 *             }
 *             Device (FUNC)
 *             {
 *                 Name (_HID, EisaId ("PNP0C0F"))
 *                 Method (_STA) { Return (0x08) }
 *                 Device (FCHD) { Name (_HID, EisaId ("PNP0401")) }
 *             }
 *             Device (SLOT) { Name (_ADR, 0x00030000) }
 *             Device (BADS)
 *             {
 *                 Name (_HID, "QEMU0002")
 *                 Method (_STA) { Return ("x") }
 *                 Device (BCHD) { Name (_HID, EisaId ("PNP0402")) }
 *             }
 *             Device (MANY)
 *             {
 *                 Name (_HID, "ACPI0007")
 *                 Name (_CID, Package () { EisaId ("PNP0C0F"), "TOOLONGID1", Buffer () { 1 },
 *                     "*lower_ok", "PNP 0A05", "PNP0A05" })
 *             }
 *             Device (FULL)
 *             {
 *                 Name (_HID, Buffer () { 1, 2 })
 *                 Name (_CID, Package () { "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9",
 * "A10" })
 *             }
 *         }
 *     }
 * }
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "acpi/devs.h"
#include "aml/aml.h"
#include "base/err.h"

static const unsigned char devs_aml[] = {
    0x44, 0x53, 0x44, 0x54, 0x9b, 0x01, 0x00, 0x00, 0x02, 0x5c, 0x52, 0x42, 0x4f, 0x53, 0x00, 0x00,
    0x44, 0x45, 0x56, 0x53, 0x31, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x49, 0x4e, 0x54, 0x4c,
    0x25, 0x09, 0x20, 0x20, 0x10, 0x46, 0x17, 0x5c, 0x5f, 0x53, 0x42, 0x5f, 0x5b, 0x82, 0x4d, 0x16,
    0x50, 0x43, 0x49, 0x30, 0x08, 0x5f, 0x48, 0x49, 0x44, 0x0c, 0x41, 0xd0, 0x0a, 0x08, 0x08, 0x5f,
    0x43, 0x49, 0x44, 0x0c, 0x41, 0xd0, 0x0a, 0x03, 0x5b, 0x82, 0x23, 0x4b, 0x42, 0x44, 0x5f, 0x08,
    0x5f, 0x48, 0x49, 0x44, 0x0c, 0x41, 0xd0, 0x03, 0x03, 0x08, 0x5f, 0x43, 0x49, 0x44, 0x0c, 0x41,
    0xd0, 0x03, 0x0b, 0x14, 0x09, 0x5f, 0x53, 0x54, 0x41, 0x00, 0xa4, 0x0a, 0x0f, 0x5b, 0x82, 0x26,
    0x47, 0x4f, 0x4e, 0x45, 0x08, 0x5f, 0x48, 0x49, 0x44, 0x0c, 0x41, 0xd0, 0x05, 0x01, 0x08, 0x5f,
    0x53, 0x54, 0x41, 0x00, 0x5b, 0x82, 0x0f, 0x47, 0x43, 0x48, 0x44, 0x08, 0x5f, 0x48, 0x49, 0x44,
    0x0c, 0x41, 0xd0, 0x04, 0x00, 0x5b, 0x82, 0x2a, 0x46, 0x55, 0x4e, 0x43, 0x08, 0x5f, 0x48, 0x49,
    0x44, 0x0c, 0x41, 0xd0, 0x0c, 0x0f, 0x14, 0x09, 0x5f, 0x53, 0x54, 0x41, 0x00, 0xa4, 0x0a, 0x08,
    0x5b, 0x82, 0x0f, 0x46, 0x43, 0x48, 0x44, 0x08, 0x5f, 0x48, 0x49, 0x44, 0x0c, 0x41, 0xd0, 0x04,
    0x01, 0x5b, 0x82, 0x0f, 0x53, 0x4c, 0x4f, 0x54, 0x08, 0x5f, 0x41, 0x44, 0x52, 0x0c, 0x00, 0x00,
    0x03, 0x00, 0x5b, 0x82, 0x30, 0x42, 0x41, 0x44, 0x53, 0x08, 0x5f, 0x48, 0x49, 0x44, 0x0d, 0x51,
    0x45, 0x4d, 0x55, 0x30, 0x30, 0x30, 0x32, 0x00, 0x14, 0x0a, 0x5f, 0x53, 0x54, 0x41, 0x00, 0xa4,
    0x0d, 0x78, 0x00, 0x5b, 0x82, 0x0f, 0x42, 0x43, 0x48, 0x44, 0x08, 0x5f, 0x48, 0x49, 0x44, 0x0c,
    0x41, 0xd0, 0x04, 0x02, 0x5b, 0x82, 0x41, 0x05, 0x4d, 0x41, 0x4e, 0x59, 0x08, 0x5f, 0x48, 0x49,
    0x44, 0x0d, 0x41, 0x43, 0x50, 0x49, 0x30, 0x30, 0x30, 0x37, 0x00, 0x08, 0x5f, 0x43, 0x49, 0x44,
    0x12, 0x36, 0x06, 0x0c, 0x41, 0xd0, 0x0c, 0x0f, 0x0d, 0x54, 0x4f, 0x4f, 0x4c, 0x4f, 0x4e, 0x47,
    0x49, 0x44, 0x31, 0x00, 0x11, 0x04, 0x0a, 0x01, 0x01, 0x0d, 0x2a, 0x6c, 0x6f, 0x77, 0x65, 0x72,
    0x5f, 0x6f, 0x6b, 0x00, 0x0d, 0x50, 0x4e, 0x50, 0x20, 0x30, 0x41, 0x30, 0x35, 0x00, 0x0d, 0x50,
    0x4e, 0x50, 0x30, 0x41, 0x30, 0x35, 0x00, 0x5b, 0x82, 0x42, 0x04, 0x46, 0x55, 0x4c, 0x4c, 0x08,
    0x5f, 0x48, 0x49, 0x44, 0x11, 0x05, 0x0a, 0x02, 0x01, 0x02, 0x08, 0x5f, 0x43, 0x49, 0x44, 0x12,
    0x2b, 0x0a, 0x0d, 0x41, 0x31, 0x00, 0x0d, 0x41, 0x32, 0x00, 0x0d, 0x41, 0x33, 0x00, 0x0d, 0x41,
    0x34, 0x00, 0x0d, 0x41, 0x35, 0x00, 0x0d, 0x41, 0x36, 0x00, 0x0d, 0x41, 0x37, 0x00, 0x0d, 0x41,
    0x38, 0x00, 0x0d, 0x41, 0x39, 0x00, 0x0d, 0x41, 0x31, 0x30, 0x00};

static void *t_alloc(void *ctx, size_t n)
{
	return malloc(n);
}

static void t_free(void *ctx, void *p, size_t n)
{
	free(p);
}

static struct aml *load(void)
{
	static const struct aml_host host = {.alloc = t_alloc, .free = t_free};
	struct aml *aml;
	int idx;

	assert_int_equal(aml_create(&host, &aml), 0);
	assert_int_equal(aml_load_table(aml, devs_aml, sizeof(devs_aml), &idx), 0);
	assert_int_equal(aml_initialize(aml), 0);
	return aml;
}

struct listing {
	char text[1024];
	size_t len;
	int stop_after; /* fn fails on this call (1-based), 0: never */
	int calls;
};

static int collect(void *ctx, const char *path, const struct acpi_dev *d)
{
	struct listing *l = ctx;
	if (++l->calls == l->stop_after)
		return -E_NOSPC;
	l->len += acpi_dev_line(path, d, l->text + l->len, sizeof l->text - l->len);
	assert_true(l->len < sizeof l->text);
	return 0;
}

static void test_walk(void **state)
{
	struct aml *aml = load();
	struct listing l = {0};
	struct acpi_devs_stats st;

	assert_int_equal(acpi_devs_walk(aml, collect, &l, &st), 0);
	assert_string_equal(l.text, "\\_SB_.PCI0 PNP0A08 PNP0A03\n"
				    "\\_SB_.PCI0.KBD_ PNP0303 PNP030B\n"
				    "\\_SB_.PCI0.FUNC.FCHD PNP0401\n"
				    "\\_SB_.PCI0.MANY ACPI0007 PNP0C0F LOWER_OK PNP0A05\n"
				    "\\_SB_.PCI0.FULL A1 A2 A3 A4 A5 A6 A7 A8 A9\n");
	/* the predefined _SB_ and _SI_ and 9 of the table; GCHD and BCHD are below absent devices
	 */
	assert_int_equal(st.devices, 11);
	assert_int_equal(st.listed, 5);
	assert_int_equal(st.absent, 2); /* GONE, BADS */
	assert_int_equal(st.sta_errors, 1);
	assert_int_equal(st.bad_ids, 5);

	/* fn's error stops the walk and is returned */
	struct listing s = {.stop_after = 2};
	assert_int_equal(acpi_devs_walk(aml, collect, &s, NULL), -E_NOSPC);
	assert_int_equal(s.calls, 2);
	aml_destroy(aml);
}

static void test_read(void **state)
{
	struct aml *aml = load();
	struct acpi_dev d;

	assert_int_equal(acpi_dev_read(aml, "\\_SB_.PCI0.KBD_", &d), 0);
	assert_int_equal(d.sta, 0x0f);
	assert_int_equal(d.nids, 2);
	assert_string_equal(d.ids[0], "PNP0303");
	assert_int_equal(acpi_dev_read(aml, "\\_SB_.PCI0.SLOT", &d), 0);
	assert_int_equal(d.sta, ACPI_STA_DEFAULT);
	assert_int_equal(d.nids, 0);
	assert_int_equal(acpi_dev_read(aml, "\\_SB_.PCI0.BADS", &d), -E_IO);
	assert_int_equal(d.sta, 0);
	assert_string_equal(d.ids[0], "QEMU0002");
	assert_int_equal(acpi_dev_read(aml, "\\_SB_.PCI0.FULL", &d), 0);
	assert_int_equal(d.nids, ACPI_DEV_IDS_MAX);
	assert_int_equal(d.bad_ids, 2);
	/* a path too long for a child's name */
	char longp[600];
	memset(longp, 'A', sizeof longp - 1);
	longp[sizeof longp - 1] = '\0';
	assert_int_equal(acpi_dev_read(aml, longp, &d), -E_INVAL);
	aml_destroy(aml);
}

static void test_line(void **state)
{
	struct acpi_dev d = {.nids = 2, .ids = {"PNP0303", "PNP030B"}};
	char buf[64];
	assert_int_equal(acpi_dev_line("\\_SB_.KBD_", &d, buf, sizeof buf), 27);
	assert_string_equal(buf, "\\_SB_.KBD_ PNP0303 PNP030B\n");
	/* cut short: the length it needs, a NUL-terminated prefix */
	assert_int_equal(acpi_dev_line("\\_SB_.KBD_", &d, buf, 12), 27);
	assert_string_equal(buf, "\\_SB_.KBD_ ");
	assert_int_equal(acpi_dev_line("\\_SB_.KBD_", &d, buf, 0), 27);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walk),
	    cmocka_unit_test(test_read),
	    cmocka_unit_test(test_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
