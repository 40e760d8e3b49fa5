/*
 * test_irq_count.c - per-CPU interrupt counts from a table in text
 * (lib/irq/count.c): Red Bear's irq:/stats with "-" cells, Linux's
 * /proc/interrupts with its one-count rows (ERR, MIS), a match in several
 * rows summed, a table wider than the caller's array, counts that would
 * overflow, and no header at all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "irq/count.h"

static const char redbear[] = "VEC         CPU0       CPU1  KIND    OWNER\n"
			      "*:24          12          0  ioapic  serial (COM1, kernel)\n"
			      "*:f0       10234      10101  timer   kernel\n"
			      "0:30           5          -  msix    virtio-blkd[12]\n"
			      "0:31           7          -  msix    nvme[14]\n"
			      "1:32           -          9  msix    nvme[14]\n"
			      "free         191        191  -       free vectors of 0x30-0xef\n"
			      "stray 0\n"
			      "unclaimed 0\n";

static const char linux_tab[] =
    "           CPU0       CPU1       \n"
    "  0:         44          0   IO-APIC   2-edge      timer\n"
    " 24:          0          0   PCI-MSIX-0000:00:03.0   0-edge      virtio0-config\n"
    " 25:        100          3   PCI-MSIX-0000:00:03.0   1-edge      virtio0-req.0\n"
    " 26:          1          0   PCI-MSIX-0000:00:04.0   0-edge      nvme0q0\n"
    " 27:         50          0   PCI-MSIX-0000:00:04.0   1-edge      nvme0q1\n"
    " 28:          0         60   PCI-MSIX-0000:00:04.0   2-edge      nvme0q2\n"
    "NMI:          0          0   Non-maskable interrupts\n"
    "ERR:          0\n"
    "MIS:          0\n";

static void test_redbear(void **state)
{
	uint64_t c[4];
	assert_int_equal(irqcount_sum(redbear, strlen(redbear), "nvme", c, 4), 2);
	assert_int_equal(c[0], 7);
	assert_int_equal(c[1], 9);
	assert_int_equal(irqcount_sum(redbear, strlen(redbear), "virtio-blkd", c, 4), 2);
	assert_int_equal(c[0], 5);
	assert_int_equal(c[1], 0);
	assert_int_equal(irqcount_sum(redbear, strlen(redbear), "e1000", c, 4), 2);
	assert_int_equal(c[0] + c[1], 0);
}

static void test_linux(void **state)
{
	uint64_t c[2];
	assert_int_equal(irqcount_sum(linux_tab, strlen(linux_tab), "nvme", c, 2), 2);
	assert_int_equal(c[0], 51);
	assert_int_equal(c[1], 60);
	assert_int_equal(irqcount_sum(linux_tab, strlen(linux_tab), "virtio", c, 2), 2);
	assert_int_equal(c[0], 100);
	assert_int_equal(c[1], 3);
	/* the rows with one count: "ERR" is a label, never free text */
	assert_int_equal(irqcount_sum(linux_tab, strlen(linux_tab), "ERR", c, 2), 2);
	assert_int_equal(c[0] + c[1], 0);
}

static void test_narrow_array(void **state)
{
	uint64_t c[1] = {99};
	assert_int_equal(irqcount_sum(linux_tab, strlen(linux_tab), "nvme", c, 1), 1);
	assert_int_equal(c[0], 51);
	/* the table cut in the middle of a row still counts the whole rows */
	assert_int_equal(irqcount_sum(linux_tab, 120, "timer", c, 1), 1);
	assert_int_equal(c[0], 44);
}

static void test_saturates(void **state)
{
	static const char t[] = "CPU0\n"
				"a: 18446744073709551615 dev\n"
				"b: 99999999999999999999999 dev\n";
	uint64_t c[1];
	assert_int_equal(irqcount_sum(t, strlen(t), "dev", c, 1), 1);
	assert_true(c[0] == UINT64_MAX);
}

static void test_bad(void **state)
{
	uint64_t c[2];
	static const char t[] = "no header here\n1: 2 3 x\n";
	assert_int_equal(irqcount_sum(t, strlen(t), "x", c, 2), -E_INVAL);
	assert_int_equal(irqcount_sum("", 0, "x", c, 2), -E_INVAL);
	assert_int_equal(irqcount_sum(redbear, strlen(redbear), "", c, 2), -E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_redbear),	 cmocka_unit_test(test_linux),
	    cmocka_unit_test(test_narrow_array), cmocka_unit_test(test_saturates),
	    cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
