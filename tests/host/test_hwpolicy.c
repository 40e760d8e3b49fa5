/*
 * test_hwpolicy.c - the hardware grant policy and its helpers (lib/hw/):
 * a good file parses into the rules it says and hwpol_collect unions what
 * the matching ones grant; each kind of malformed line is skipped and
 * reported with its number and reason; the rule cap; the I/O bitmap never
 * opens the kernel's ports and reports the bytes it used; physical range
 * containment, overlap and page rounding at the edges (wrap, 2^64).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "hw/hwio.h"
#include "hw/hwpolicy.h"
#include "hw/hwrange.h"
#include "test_reports.h"

static struct hwpol_rule rules[HWPOL_MAX_RULES];
static struct reports rep;

static size_t parse(const char *s)
{
	memset(&rep, 0, sizeof rep);
	memset(rules, 0xa5, sizeof rules);
	return hwpol_parse(s, strlen(s), rules, HWPOL_MAX_RULES, reports_record, &rep);
}

static void bad(const char *line, const char *why)
{
	assert_int_equal(parse(line), 0);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.line[0], 1);
	assert_string_equal(rep.why[0], why);
}

static void test_good_file(void **state)
{
	const char *text = "# kind arg program uid\n"
			   "irq - initfs:/bin/pcid 0\n"
			   "\n"
			   "port\t0xcf8-0xcff\tinitfs:/bin/pcid\t0   # config ports\n"
			   "port 80 * *\r\n"
			   "port * initfs:/bin/acpid 0\n"
			   "phys acpi initfs:/bin/acpid 0\n"
			   "phys mcfg initfs:/bin/pcid 0\n"
			   "phys mmio initfs:/bin/pcid 1000\n"
			   "port 0X70-71 initfs:/bin/pcid 0";
	assert_int_equal(parse(text), 8);
	assert_int_equal(rep.n, 0);
	assert_int_equal(rules[0].kind, HWPOL_IRQ);
	assert_string_equal(rules[0].program, "initfs:/bin/pcid");
	assert_int_equal(rules[0].uid, 0);
	assert_int_equal(rules[1].kind, HWPOL_PORT);
	assert_false(rules[1].all_ports);
	assert_int_equal(rules[1].first, 0xcf8);
	assert_int_equal(rules[1].last, 0xcff);
	assert_int_equal(rules[2].first, 0x80);
	assert_int_equal(rules[2].last, 0x80);
	assert_string_equal(rules[2].program, "*");
	assert_int_equal(rules[2].uid, HWPOL_ANY_UID);
	assert_true(rules[3].all_ports);
	assert_int_equal(rules[4].kind, HWPOL_PHYS);
	assert_int_equal(rules[4].phys, HWPOL_PHYS_ACPI);
	assert_int_equal(rules[5].phys, HWPOL_PHYS_MCFG);
	assert_int_equal(rules[6].phys, HWPOL_PHYS_MMIO);
	assert_int_equal(rules[6].uid, 1000);
	assert_int_equal(rules[7].first, 0x70);
	assert_int_equal(rules[7].last, 0x71);

	struct hwpol_grant g;
	hwpol_collect(rules, 8, "initfs:/bin/pcid", 0, &g);
	assert_true(g.irq);
	assert_false(g.all_ports);
	assert_int_equal(g.phys, HWPOL_PHYS_MCFG);
	assert_int_equal(g.nports, 3); /* cf8-cff, the '*' program's 80, 70-71 */
	assert_int_equal(g.ports[0].first, 0xcf8);
	assert_int_equal(g.ports[1].first, 0x80);
	assert_int_equal(g.ports[2].last, 0x71);
	hwpol_collect(rules, 8, "initfs:/bin/pcid", 1000, &g);
	assert_false(g.irq);
	assert_int_equal(g.phys, HWPOL_PHYS_MMIO);
	assert_int_equal(g.nports, 1);
	hwpol_collect(rules, 8, "initfs:/bin/acpid", 0, &g);
	assert_true(g.all_ports);
	assert_int_equal(g.phys, HWPOL_PHYS_ACPI);
	hwpol_collect(rules, 8, "initfs:/bin/pcidx", 5, &g);
	assert_int_equal(g.nports, 1);
	assert_false(hwpol_grant_empty(&g));
	hwpol_collect(rules, 2, "initfs:/bin/sh", 0, &g);
	assert_true(hwpol_grant_empty(&g));
}

static void test_bad_lines(void **state)
{
	bad("irq - x", "missing field");
	bad("irq - x 0 extra", "extra field");
	bad("irq 1 x 0", "irq takes '-'");
	bad("ports 1 x 0", "unknown kind");
	bad("port 10000 x 0", "bad port");
	bad("port 0x x 0", "bad port");
	bad("port 1- x 0", "bad port");
	bad("port -1 x 0", "bad port");
	bad("port 1g x 0", "bad port");
	bad("port 20-10 x 0", "port range backwards");
	bad("phys ram x 0", "unknown phys class");
	bad("phys acpi x -1", "bad uid");
	bad("phys acpi x 2147483648", "bad uid");
	bad("phys acpi x 1a", "bad uid");
	char nul[] = "irq - x\0 0";
	memset(&rep, 0, sizeof rep);
	assert_int_equal(
	    hwpol_parse(nul, sizeof nul - 1, rules, HWPOL_MAX_RULES, reports_record, &rep), 0);
	assert_string_equal(rep.why[0], "NUL byte");
	char longprog[400];
	memset(longprog, 'a', sizeof longprog);
	memcpy(longprog, "irq - ", 6);
	strcpy(longprog + 6 + HWPOL_PROGRAM_MAX + 1, " 0");
	bad(longprog, "program too long");
	/* one bad line between good ones: only it is lost, numbered right */
	assert_int_equal(parse("irq - a 0\nport zz b 0\nirq - c 0\n"), 2);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.line[0], 2);
	assert_string_equal(rules[1].program, "c");
}

static void test_too_many(void **state)
{
	static char text[HWPOL_MAX_RULES * 2 * 16];
	size_t n = 0;
	for (int i = 0; i < HWPOL_MAX_RULES + 3; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "irq - p%d 0\n", i);
	assert_int_equal(parse(text), HWPOL_MAX_RULES);
	assert_int_equal(rep.n, 3);
	assert_int_equal(rep.line[0], HWPOL_MAX_RULES + 1);
	assert_string_equal(rep.why[0], "too many rules");
}

static void test_iobitmap(void **state)
{
	static uint8_t bm[HWIO_BYTES];
	hwio_init(bm);
	assert_false(hwio_allowed(bm, 0x70, 1));
	assert_int_equal(hwio_open(bm, 0x70, 0x71, 0), 0x71 / 8 + 1);
	assert_true(hwio_allowed(bm, 0x70, 2));
	assert_false(hwio_allowed(bm, 0x6f, 2));
	assert_false(hwio_allowed(bm, 0x71, 2));
	assert_false(hwio_allowed(bm, 0x70, 0));
	/* used never shrinks */
	assert_int_equal(hwio_open(bm, 0x10, 0x10, 0x71 / 8 + 1), 0x71 / 8 + 1);
	/* everything: the kernel's ports stay closed, used is the whole map */
	assert_int_equal(hwio_open(bm, 0, 0xffff, 0), HWIO_BYTES);
	assert_true(hwio_allowed(bm, 0xcf8, 8));
	assert_true(hwio_allowed(bm, 0xfffc, 4));
	assert_false(hwio_allowed(bm, 0xfffc, 5)); /* past the last port */
	assert_false(hwio_allowed(bm, 0x10000, 1));
	const uint32_t kernel[] = {0x20, 0x21, 0x40, 0x43, 0xa0, 0xa1, 0x3f8, 0x3ff};
	for (size_t i = 0; i < sizeof kernel / sizeof kernel[0]; i++) {
		assert_true(hwio_port_kernel(kernel[i]));
		assert_false(hwio_allowed(bm, kernel[i], 1));
	}
	assert_false(hwio_port_kernel(0x22));
	assert_false(hwio_port_kernel(0x3f7));
	assert_true(hwio_allowed(bm, 0x22, 0x1e)); /* 0x22-0x3f */
	/* a range ending past 0xffff is cut */
	hwio_init(bm);
	assert_int_equal(hwio_open(bm, 0xfff0, 0x1ffff, 0), HWIO_BYTES);
	assert_true(hwio_allowed(bm, 0xfff0, 16));
}

static void test_ranges(void **state)
{
	const struct hw_range r[] = {
	    {0x1000, 0x2000}, {0xfee00000, 0x1000}, {~0ull - 0xfff, 0x1000}};
	assert_int_equal(hwrange_find(r, 3, 0x1000, 0x2000), 0);
	assert_int_equal(hwrange_find(r, 3, 0x2000, 0x1000), 0);
	assert_int_equal(hwrange_find(r, 3, 0x2000, 0x1001), -1); /* one byte past */
	assert_int_equal(hwrange_find(r, 3, 0xfff, 2), -1);
	assert_int_equal(hwrange_find(r, 3, 0xfee00000, 0x1000), 1);
	assert_int_equal(hwrange_find(r, 3, 0x1000, 0), -1);
	assert_int_equal(hwrange_find(r, 3, ~0ull, 2), -1);		/* wraps */
	assert_int_equal(hwrange_find(r, 3, ~0ull - 0xfff, 0xfff), -1); /* r[2] wraps: never */
	assert_true(hwrange_overlaps(r, 3, 0xfff, 2));
	assert_true(hwrange_overlaps(r, 3, 0x2fff, 1));
	assert_false(hwrange_overlaps(r, 3, 0x3000, 0x1000));
	assert_false(hwrange_overlaps(r, 3, 0, 0x1000));
	assert_false(hwrange_overlaps(r, 3, 0x1000, 0));
	struct hw_range o;
	assert_true(hwrange_page_round(0x1234, 0x10, 0x1000, &o));
	assert_int_equal(o.base, 0x1000);
	assert_int_equal(o.len, 0x1000);
	assert_true(hwrange_page_round(0x1ff0, 0x20, 0x1000, &o));
	assert_int_equal(o.len, 0x2000);
	assert_false(hwrange_page_round(0x1000, 0, 0x1000, &o));
	assert_false(hwrange_page_round(~0ull - 0x10, 0x8, 0x1000, &o)); /* rounds up to 2^64 */
	assert_false(hwrange_page_round(~0ull, 2, 0x1000, &o));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_file), cmocka_unit_test(test_bad_lines),
	    cmocka_unit_test(test_too_many),  cmocka_unit_test(test_iobitmap),
	    cmocka_unit_test(test_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
