/*
 * test_prt.c - lib/acpi/prt.c on a small DSDT compiled from the ASL below
 * (iasl -f -oa -of; -f because BAD0's _PRT entry of 3 elements is on
 * purpose): reading _PRT (method and name forms, link references by single
 * name and absolute path, direct GSIs), a malformed _PRT, link resolution
 * through _CRS, through _PRS + _SRS for a disabled link, an Extended
 * Interrupt link, the bridge swizzle, and the root-bridge/_ADR searches.
 *
 * DefinitionBlock ("", "DSDT", 2, "RBOS", "PRT1", 1)
 * {
 *     Name (PICM, 0)
 *     Method (\_PIC, 1) { PICM = Arg0 }
 *     Scope (\_SB)
 *     {
 *         Device (LNKA)
 *         {
 *             Name (_HID, EisaId ("PNP0C0F"))
 *             Name (_UID, 1)
 *             Method (_STA) { Return (0x0B) }
 *             Name (_PRS, ResourceTemplate () { IRQ (Level, ActiveLow, Shared) { 5, 10, 11 } })
 *             Name (_CRS, ResourceTemplate () { IRQ (Level, ActiveLow, Shared) { 10 } })
 *             Method (_SRS, 1) { }
 *         }
 *         Device (LNKB)
 *         {
 *             Name (_HID, EisaId ("PNP0C0F"))
 *             Name (_UID, 2)
 *             Name (IRQN, 0)
 *             Method (_STA) { If (IRQN) { Return (0x0B) } Return (0x09) }
 *             Name (_PRS, ResourceTemplate () { IRQ (Level, ActiveLow, Shared) { 11, 5 } })
 *             Method (_CRS, 0, Serialized)
 *             {
 *                 Name (RTL, ResourceTemplate () { IRQ (Level, ActiveLow, Shared, IRQX) {} })
 *                 CreateWordField (RTL, IRQX._INT, IRQW)
 *                 If (IRQN) { IRQW = 1 << IRQN }
 *                 Return (RTL)
 *             }
 *             Method (_SRS, 1)
 *             {
 *                 CreateWordField (Arg0, 1, IRQW)
 *                 FindSetRightBit (IRQW, Local0)
 *                 IRQN = Local0 - 1
 *             }
 *         }
 *         Device (LNKE)
 *         {
 *             Name (_HID, EisaId ("PNP0C0F"))
 *             Name (_UID, 3)
 *             Name (_CRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh,
 * Exclusive) { 20 } })
 *         }
 *         Device (PCI0)
 *         {
 *             Name (_HID, EisaId ("PNP0A08"))
 *             Name (_CID, EisaId ("PNP0A03"))
 *             Name (_BBN, 0)
 *             Method (_PRT)
 *             {
 *                 If (PICM) {
 *                     Return (Package () {
 *                         Package () { 0x0003FFFF, 0, LNKA, 0 },
 *                         Package () { 0x0003FFFF, 1, \_SB.LNKB, 0 },
 *                         Package () { 0x0004FFFF, 0, 0, 22 },
 *                         Package () { 0x0001FFFF, 1, 0, 17 },
 *                         Package () { 0x0001FFFF, 0, LNKE, 0 },
 *                     })
 *                 }
 *                 Return (Package () { Package () { 0x0003FFFF, 0, 0, 9 } })
 *             }
 *             Device (BR1) { Name (_ADR, 0x00010000) }
 *             Device (BR2)
 *             {
 *                 Name (_ADR, 0x00020000)
 *                 Name (_PRT, Package () {
 *                     Package () { 0xFFFF, 0, 0, 40 },
 *                     Package () { 0xFFFF, 1, 0, 41 },
 *                 })
 *             }
 *         }
 *         Device (PCI1)
 *         {
 *             Name (_HID, "PNP0A03")
 *             Name (_BBN, 0x80)
 *             Name (_PRT, Package () { Package () { 0x0002FFFF, 3, 0, 50 } })
 *         }
 *         Device (BAD0)
 *         {
 *             Name (_ADR, 0x00050000)
 *             Name (_PRT, Package () { Package () { 0x0002FFFF, 3, 0 } })
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
#include "acpi/prt.h"
#include "aml/aml.h"
#include "base/err.h"

static const unsigned char prt1_aml[] = {
    0x44, 0x53, 0x44, 0x54, 0x7f, 0x02, 0x00, 0x00, 0x02, 0x86, 0x52, 0x42, 0x4f, 0x53, 0x00, 0x00,
    0x50, 0x52, 0x54, 0x31, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x49, 0x4e, 0x54, 0x4c,
    0x25, 0x09, 0x20, 0x20, 0x08, 0x50, 0x49, 0x43, 0x4d, 0x0a, 0x00, 0x14, 0x0d, 0x5c, 0x5f, 0x50,
    0x49, 0x43, 0x01, 0x70, 0x68, 0x50, 0x49, 0x43, 0x4d, 0x10, 0x45, 0x24, 0x5c, 0x5f, 0x53, 0x42,
    0x5f, 0x5b, 0x82, 0x46, 0x04, 0x4c, 0x4e, 0x4b, 0x41, 0x08, 0x5f, 0x48, 0x49, 0x44, 0x0c, 0x41,
    0xd0, 0x0c, 0x0f, 0x08, 0x5f, 0x55, 0x49, 0x44, 0x0a, 0x01, 0x14, 0x09, 0x5f, 0x53, 0x54, 0x41,
    0x00, 0xa4, 0x0a, 0x0b, 0x08, 0x5f, 0x50, 0x52, 0x53, 0x11, 0x09, 0x0a, 0x06, 0x23, 0x20, 0x0c,
    0x18, 0x79, 0x00, 0x08, 0x5f, 0x43, 0x52, 0x53, 0x11, 0x09, 0x0a, 0x06, 0x23, 0x00, 0x04, 0x18,
    0x79, 0x00, 0x14, 0x06, 0x5f, 0x53, 0x52, 0x53, 0x01, 0x5b, 0x82, 0x44, 0x09, 0x4c, 0x4e, 0x4b,
    0x42, 0x08, 0x5f, 0x48, 0x49, 0x44, 0x0c, 0x41, 0xd0, 0x0c, 0x0f, 0x08, 0x5f, 0x55, 0x49, 0x44,
    0x0a, 0x02, 0x08, 0x49, 0x52, 0x51, 0x4e, 0x0a, 0x00, 0x14, 0x12, 0x5f, 0x53, 0x54, 0x41, 0x00,
    0xa0, 0x08, 0x49, 0x52, 0x51, 0x4e, 0xa4, 0x0a, 0x0b, 0xa4, 0x0a, 0x09, 0x08, 0x5f, 0x50, 0x52,
    0x53, 0x11, 0x09, 0x0a, 0x06, 0x23, 0x20, 0x08, 0x18, 0x79, 0x00, 0x14, 0x36, 0x5f, 0x43, 0x52,
    0x53, 0x08, 0x08, 0x52, 0x54, 0x4c, 0x5f, 0x11, 0x09, 0x0a, 0x06, 0x23, 0x00, 0x00, 0x18, 0x79,
    0x00, 0x8b, 0x52, 0x54, 0x4c, 0x5f, 0x0a, 0x01, 0x49, 0x52, 0x51, 0x57, 0xa0, 0x10, 0x49, 0x52,
    0x51, 0x4e, 0x79, 0x0a, 0x01, 0x49, 0x52, 0x51, 0x4e, 0x49, 0x52, 0x51, 0x57, 0xa4, 0x52, 0x54,
    0x4c, 0x5f, 0x14, 0x1c, 0x5f, 0x53, 0x52, 0x53, 0x01, 0x8b, 0x68, 0x0a, 0x01, 0x49, 0x52, 0x51,
    0x57, 0x82, 0x49, 0x52, 0x51, 0x57, 0x60, 0x74, 0x60, 0x0a, 0x01, 0x49, 0x52, 0x51, 0x4e, 0x5b,
    0x82, 0x2a, 0x4c, 0x4e, 0x4b, 0x45, 0x08, 0x5f, 0x48, 0x49, 0x44, 0x0c, 0x41, 0xd0, 0x0c, 0x0f,
    0x08, 0x5f, 0x55, 0x49, 0x44, 0x0a, 0x03, 0x08, 0x5f, 0x43, 0x52, 0x53, 0x11, 0x0e, 0x0a, 0x0b,
    0x89, 0x06, 0x00, 0x01, 0x01, 0x14, 0x00, 0x00, 0x00, 0x79, 0x00, 0x5b, 0x82, 0x4b, 0x0d, 0x50,
    0x43, 0x49, 0x30, 0x08, 0x5f, 0x48, 0x49, 0x44, 0x0c, 0x41, 0xd0, 0x0a, 0x08, 0x08, 0x5f, 0x43,
    0x49, 0x44, 0x0c, 0x41, 0xd0, 0x0a, 0x03, 0x08, 0x5f, 0x42, 0x42, 0x4e, 0x0a, 0x00, 0x14, 0x47,
    0x07, 0x5f, 0x50, 0x52, 0x54, 0x00, 0xa0, 0x4d, 0x05, 0x50, 0x49, 0x43, 0x4d, 0xa4, 0x12, 0x45,
    0x05, 0x05, 0x12, 0x0f, 0x04, 0x0c, 0xff, 0xff, 0x03, 0x00, 0x0a, 0x00, 0x4c, 0x4e, 0x4b, 0x41,
    0x0a, 0x00, 0x12, 0x15, 0x04, 0x0c, 0xff, 0xff, 0x03, 0x00, 0x0a, 0x01, 0x5c, 0x2e, 0x5f, 0x53,
    0x42, 0x5f, 0x4c, 0x4e, 0x4b, 0x42, 0x0a, 0x00, 0x12, 0x0d, 0x04, 0x0c, 0xff, 0xff, 0x04, 0x00,
    0x0a, 0x00, 0x0a, 0x00, 0x0a, 0x16, 0x12, 0x0d, 0x04, 0x0c, 0xff, 0xff, 0x01, 0x00, 0x0a, 0x01,
    0x0a, 0x00, 0x0a, 0x11, 0x12, 0x0f, 0x04, 0x0c, 0xff, 0xff, 0x01, 0x00, 0x0a, 0x00, 0x4c, 0x4e,
    0x4b, 0x45, 0x0a, 0x00, 0xa4, 0x12, 0x10, 0x01, 0x12, 0x0d, 0x04, 0x0c, 0xff, 0xff, 0x03, 0x00,
    0x0a, 0x00, 0x0a, 0x00, 0x0a, 0x09, 0x5b, 0x82, 0x0f, 0x42, 0x52, 0x31, 0x5f, 0x08, 0x5f, 0x41,
    0x44, 0x52, 0x0c, 0x00, 0x00, 0x01, 0x00, 0x5b, 0x82, 0x2f, 0x42, 0x52, 0x32, 0x5f, 0x08, 0x5f,
    0x41, 0x44, 0x52, 0x0c, 0x00, 0x00, 0x02, 0x00, 0x08, 0x5f, 0x50, 0x52, 0x54, 0x12, 0x1a, 0x02,
    0x12, 0x0b, 0x04, 0x0b, 0xff, 0xff, 0x0a, 0x00, 0x0a, 0x00, 0x0a, 0x28, 0x12, 0x0b, 0x04, 0x0b,
    0xff, 0xff, 0x0a, 0x01, 0x0a, 0x00, 0x0a, 0x29, 0x5b, 0x82, 0x30, 0x50, 0x43, 0x49, 0x31, 0x08,
    0x5f, 0x48, 0x49, 0x44, 0x0d, 0x50, 0x4e, 0x50, 0x30, 0x41, 0x30, 0x33, 0x00, 0x08, 0x5f, 0x42,
    0x42, 0x4e, 0x0a, 0x80, 0x08, 0x5f, 0x50, 0x52, 0x54, 0x12, 0x10, 0x01, 0x12, 0x0d, 0x04, 0x0c,
    0xff, 0xff, 0x02, 0x00, 0x0a, 0x03, 0x0a, 0x00, 0x0a, 0x32, 0x5b, 0x82, 0x23, 0x42, 0x41, 0x44,
    0x30, 0x08, 0x5f, 0x41, 0x44, 0x52, 0x0c, 0x00, 0x00, 0x05, 0x00, 0x08, 0x5f, 0x50, 0x52, 0x54,
    0x12, 0x0e, 0x01, 0x12, 0x0b, 0x03, 0x0c, 0xff, 0xff, 0x02, 0x00, 0x0a, 0x03, 0x0a, 0x00};

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
	struct aml_value one = {.type = AML_INTEGER, .integer = 1}, r;
	struct aml *aml;
	int idx;

	assert_int_equal(aml_create(&host, &aml), 0);
	assert_int_equal(aml_load_table(aml, prt1_aml, sizeof(prt1_aml), &idx), 0);
	assert_int_equal(aml_initialize(aml), 0);
	assert_int_equal(aml_eval(aml, "\\_PIC", &one, 1, &r), 0);
	aml_value_free(aml, &r);
	return aml;
}

static void test_read(void **state)
{
	struct aml *aml = load();
	struct prt_entry e[8];
	size_t n;

	assert_int_equal(prt_read(aml, "\\_SB_.PCI0", e, 8, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(e[0].addr, 0x0003FFFF);
	assert_int_equal(e[0].pin, 0);
	assert_string_equal(e[0].source, "\\_SB_.LNKA");
	assert_string_equal(e[1].source, "\\_SB_.LNKB");
	assert_int_equal(e[1].pin, 1);
	assert_string_equal(e[2].source, "");
	assert_int_equal(e[2].index, 22);
	assert_int_equal(prt_read(aml, "\\_SB_.PCI0", e, 4, &n), -E_NOSPC);
	assert_int_equal(prt_read(aml, "\\_SB_.BAD0", e, 8, &n), -E_BADMSG);
	assert_int_equal(prt_read(aml, "\\_SB_.PCI0.BR1_", e, 8, &n), -E_NOENT);
	assert_int_equal(prt_read(aml, "\\_SB_.PCI0.BR2_", e, 8, &n), 0);
	assert_int_equal(n, 2);
	aml_destroy(aml);
}

static void test_pic_mode_matters(void **state)
{
	static const struct aml_host host = {.alloc = t_alloc, .free = t_free};
	struct prt_entry e[8];
	struct aml *aml;
	size_t n;
	int idx;

	/* without _PIC(1) the firmware gives its PIC-mode table */
	assert_int_equal(aml_create(&host, &aml), 0);
	assert_int_equal(aml_load_table(aml, prt1_aml, sizeof(prt1_aml), &idx), 0);
	assert_int_equal(prt_read(aml, "\\_SB_.PCI0", e, 8, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].index, 9);
	aml_destroy(aml);
}

static void test_links(void **state)
{
	struct aml *aml = load();
	struct prt_route r;

	assert_int_equal(prt_link_irq(aml, "\\_SB_.LNKA", false, &r), 0);
	assert_int_equal(r.gsi, 10);
	assert_true(r.level);
	assert_true(r.active_low);
	assert_true(r.shared);
	/* LNKB is disabled: nothing without _SRS, then the first of _PRS
	 * (an IRQ mask has no order: { 11, 5 } offers 5 first) */
	assert_int_equal(prt_link_irq(aml, "\\_SB_.LNKB", false, &r), -E_NOENT);
	assert_int_equal(prt_link_irq(aml, "\\_SB_.LNKB", true, &r), 0);
	assert_int_equal(r.gsi, 5);
	/* _SRS took: _CRS now reports it */
	r.gsi = 0;
	assert_int_equal(prt_link_irq(aml, "\\_SB_.LNKB", false, &r), 0);
	assert_int_equal(r.gsi, 5);
	assert_true(r.level && r.active_low);
	/* Extended Interrupt: level, active high, exclusive */
	assert_int_equal(prt_link_irq(aml, "\\_SB_.LNKE", false, &r), 0);
	assert_int_equal(r.gsi, 20);
	assert_true(r.level);
	assert_false(r.active_low);
	assert_false(r.shared);
	assert_int_equal(prt_link_irq(aml, "\\_SB_.NONE", true, &r), -E_NOENT);
	aml_destroy(aml);
}

static void test_entry_route(void **state)
{
	struct aml *aml = load();
	struct prt_entry e[8];
	struct prt_route r;
	size_t n;

	assert_int_equal(prt_read(aml, "\\_SB_.PCI0", e, 8, &n), 0);
	assert_int_equal(prt_entry_route(aml, &e[2], false, &r), 0);
	assert_int_equal(r.gsi, 22);
	assert_true(r.level && r.active_low);
	assert_int_equal(prt_entry_route(aml, &e[0], false, &r), 0);
	assert_int_equal(r.gsi, 10);
	aml_destroy(aml);
}

static void test_chain(void **state)
{
	static const struct prt_entry root[] = {
	    {.addr = 0x0001FFFF, .pin = 0, .index = 16},
	    {.addr = 0x0001FFFF, .pin = 1, .index = 17},
	    {.addr = 0x0001FFFF, .pin = 2, .index = 18},
	    {.addr = 0x0001FFFF, .pin = 3, .index = 19},
	    {.addr = 0x0002FFFF, .pin = 0, .index = 20},
	};
	static const struct prt_entry br2[] = {{.addr = 0xFFFF, .pin = 1, .index = 41}};
	struct prt_hop hops[3] = {{root, 5, 0}, {NULL, 0, 1}, {NULL, 0, 3}};
	const struct prt_entry *hit;

	/* direct on the root bus */
	assert_int_equal(prt_route_chain(hops, 1, 1, 2, &hit), 0);
	assert_int_equal(hit->index, 18);
	assert_int_equal(prt_route_chain(hops, 1, 5, 0, &hit), -E_NOENT);
	/* one bridge at 00:01 without _PRT: device 2 pin B -> (1 + 2) % 4 = D */
	assert_int_equal(prt_route_chain(hops, 2, 2, 1, &hit), 0);
	assert_int_equal(hit->index, 19);
	/* two bridges: dev 1 pin A -> pin B at bridge 3 -> (1 + 3) % 4 = A at 01 */
	assert_int_equal(prt_route_chain(hops, 3, 1, 0, &hit), 0);
	assert_int_equal(hit->index, 16);
	/* the nearest _PRT wins */
	hops[1] = (struct prt_hop){br2, 1, 2};
	assert_int_equal(prt_route_chain(hops, 2, 0, 1, &hit), 0);
	assert_int_equal(hit->index, 41);
	/* and a miss in it is a miss, not a swizzle */
	assert_int_equal(prt_route_chain(hops, 2, 0, 0, &hit), -E_NOENT);
	assert_int_equal(prt_swizzle(3, 1), 0);
}

static void test_find(void **state)
{
	struct aml *aml = load();
	char p[PRT_PATH_MAX];

	assert_int_equal(prt_find_root(aml, 0, 0, p, sizeof(p)), 0);
	assert_string_equal(p, "\\_SB_.PCI0");
	assert_int_equal(prt_find_root(aml, 0, 0x80, p, sizeof(p)), 0);
	assert_string_equal(p, "\\_SB_.PCI1");
	assert_int_equal(prt_find_root(aml, 0, 0x40, p, sizeof(p)), -E_NOENT);
	assert_int_equal(prt_find_root(aml, 1, 0, p, sizeof(p)), -E_NOENT);
	assert_int_equal(prt_find_child(aml, "\\_SB_.PCI0", 0x00020000, p, sizeof(p)), 0);
	assert_string_equal(p, "\\_SB_.PCI0.BR2_");
	assert_int_equal(prt_find_child(aml, "\\_SB_.PCI0", 0x00050000, p, sizeof(p)), -E_NOENT);
	assert_int_equal(prt_find_child(aml, "\\_SB_.PCI0", 0x00010000, p, 8), -E_NAMETOOLONG);
	aml_destroy(aml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read),  cmocka_unit_test(test_pic_mode_matters),
	    cmocka_unit_test(test_links), cmocka_unit_test(test_entry_route),
	    cmocka_unit_test(test_chain), cmocka_unit_test(test_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
