/*
 * test_drv.c - the driver runtime's parsers (lib/drv/drv.c): pcid's bars
 * lines (every kind, prefetch, bad index, bad numbers, overflow, trailing
 * junk, duplicate BARs, blank lines) and irq answers (every mode, the
 * vector bounds, the intx trigger and polarity words, junk, a trailing
 * newline), and the answer's text form round-tripping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "drv/drv.h"

static int bar(const char *s, unsigned *idx, struct drv_bar *b)
{
	return drv_bar_parse(s, strlen(s), idx, b);
}

static int irq(const char *s, struct drv_irq_mode *m)
{
	return drv_irq_parse(s, strlen(s), m);
}

static void test_bar_lines(void **state)
{
	unsigned i;
	struct drv_bar b;
	assert_int_equal(bar("0 mem32 0xfebd1000 0x1000", &i, &b), 0);
	assert_int_equal(i, 0);
	assert_int_equal(b.kind, DRV_BAR_MEM32);
	assert_int_equal(b.addr, 0xfebd1000);
	assert_int_equal(b.size, 0x1000);
	assert_false(b.prefetch);
	assert_int_equal(bar("4 mem64 0xfe000000 0x4000 prefetch\n", &i, &b), 0);
	assert_int_equal(i, 4);
	assert_int_equal(b.kind, DRV_BAR_MEM64);
	assert_true(b.prefetch);
	assert_int_equal(b.size, 0x4000);
	assert_int_equal(bar("1 io 0xc040 0x40", &i, &b), 0);
	assert_int_equal(b.kind, DRV_BAR_IO);
	assert_int_equal(bar("5 mem64 0x800000000 0x100000000", &i, &b), 0);
	assert_int_equal(b.addr, 0x800000000ull);
}

static void test_bar_bad(void **state)
{
	unsigned i;
	struct drv_bar b;
	const char *bad[] = {
	    "",
	    "6 mem32 0x1000 0x1000",		/* index past the BARs */
	    "0 mem16 0x1000 0x1000",		/* kind */
	    "0 mem32 1000 0x1000",		/* no 0x */
	    "0 mem32 0x 0x1000",		/* no digits */
	    "0 mem32 0x1000 0x0",		/* size 0 */
	    "0 mem32 0xffffffffffffffff 0x10",	/* wraps */
	    "0 mem32 0x10000000000000000 0x10", /* overflows */
	    "0 mem32 0x1000 0x1000 junk",
	    "0 mem32 0x1000 0x1000 prefetch x",
	    "0 mem32 0x1000 0x1000 ",
	    "0  mem32 0x1000 0x1000",
	    "x mem32 0x1000 0x1000",
	    "0 mem32x 0x1000 0x1000",
	    "0 mem32 0x1g00 0x1000",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		if (bar(bad[k], &i, &b) != -E_INVAL)
			fail_msg("accepted '%s'", bad[k]);
}

static void test_bars_file(void **state)
{
	struct drv_bar t[DRV_BARS];
	const char *f = "1 mem32 0xfebd1000 0x1000\n\n4 mem64 0xfe000000 0x4000 prefetch\n";
	assert_int_equal(drv_bars_parse(f, strlen(f), t), 0);
	assert_int_equal(t[0].kind, DRV_BAR_NONE);
	assert_int_equal(t[1].kind, DRV_BAR_MEM32);
	assert_int_equal(t[4].kind, DRV_BAR_MEM64);
	assert_int_equal(t[4].addr, 0xfe000000);
	assert_int_equal(drv_bars_parse("", 0, t), 0);
	const char *dup = "1 io 0xc000 0x20\n1 io 0xc000 0x20\n";
	assert_int_equal(drv_bars_parse(dup, strlen(dup), t), -E_INVAL);
	const char *junk = "1 io 0xc000 0x20\nhello\n";
	assert_int_equal(drv_bars_parse(junk, strlen(junk), t), -E_INVAL);
	/* Only len bytes are read: a line cut short is malformed. */
	assert_int_equal(drv_bars_parse(f, 10, t), -E_INVAL);
}

static void test_irq_answers(void **state)
{
	struct drv_irq_mode m;
	char buf[64];
	assert_int_equal(irq("msix 2\n", &m), 0);
	assert_int_equal(m.kind, DRV_IRQ_MSIX);
	assert_int_equal(m.vectors, 2);
	assert_int_equal(irq("msi 1", &m), 0);
	assert_int_equal(m.kind, DRV_IRQ_MSI);
	assert_int_equal(m.vectors, 1);
	assert_int_equal(irq("intx 11 level low\n", &m), 0);
	assert_int_equal(m.kind, DRV_IRQ_INTX);
	assert_int_equal(m.vectors, 1);
	assert_int_equal(m.gsi, 11);
	assert_true(m.level);
	assert_true(m.active_low);
	drv_irq_fmt(&m, buf, sizeof buf);
	assert_string_equal(buf, "intx 11 level low");
	assert_int_equal(irq("intx 5 edge high", &m), 0);
	assert_false(m.level);
	assert_false(m.active_low);
	assert_int_equal(irq("poll\n", &m), 0);
	assert_int_equal(m.kind, DRV_IRQ_POLL);
	assert_int_equal(m.vectors, 0);
	drv_irq_fmt(&m, buf, sizeof buf);
	assert_string_equal(buf, "poll");
	assert_int_equal(irq("msix 32", &m), 0);
	drv_irq_fmt(&m, buf, sizeof buf);
	assert_string_equal(buf, "msix 32");
}

static void test_irq_bad(void **state)
{
	struct drv_irq_mode m;
	const char *bad[] = {"",
			     "msix",
			     "msix 0",
			     "msix 33",
			     "msi -1",
			     "msix 2 ",
			     "msix 2\n\n",
			     "msixx 2",
			     "intx 11 level",
			     "intx 11 level middle",
			     "intx level low",
			     "intx 11 flat low",
			     "poll 1",
			     "Poll",
			     "none",
			     "intx 99999999999 edge high"};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		if (irq(bad[k], &m) != -E_INVAL)
			fail_msg("accepted '%s'", bad[k]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bar_lines), cmocka_unit_test(test_bar_bad),
	    cmocka_unit_test(test_bars_file), cmocka_unit_test(test_irq_answers),
	    cmocka_unit_test(test_irq_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
