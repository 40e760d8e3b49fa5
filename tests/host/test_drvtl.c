/*
 * test_drvtl.c - driver events for init's boot timeline (lib/svc/drvtl.c):
 * the event forms, bad ones (a missing or doubled space, a bad byte, a
 * word too long, an unknown event, a NUL inside), and the table: start,
 * ready, exit, a restart, the reason a probe ended, a full table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "svc/drvtl.h"

static int parse(const char *s, struct drvtl_ev *ev)
{
	return drvtl_parse(s, strlen(s), ev);
}

static void test_parse_good(void **state)
{
	struct drvtl_ev ev;
	assert_int_equal(parse("driver 0000:00:04.0 virtio-blk start", &ev), 0);
	assert_int_equal(ev.event, DRVTL_START);
	assert_string_equal(ev.addr, "0000:00:04.0");
	assert_string_equal(ev.name, "virtio-blk");
	assert_int_equal(parse("driver 0000:00:1f.2 ahci ready\n", &ev), 0);
	assert_int_equal(ev.event, DRVTL_READY);
	assert_int_equal(parse("driver \\_SB_.PCI0.SF8_.KBD_ ps2 ready", &ev), 0);
	assert_string_equal(ev.addr, "\\_SB_.PCI0.SF8_.KBD_"); /* an ACPI device */
	assert_int_equal(parse("driver a n defer", &ev), 0);
	assert_int_equal(ev.event, DRVTL_DEFER);
	assert_int_equal(parse("driver a N_1.x unsupported", &ev), 0);
	assert_int_equal(ev.event, DRVTL_UNSUPPORTED);
	assert_int_equal(parse("driver a n fatal", &ev), 0);
	assert_int_equal(ev.event, DRVTL_FATAL);
	assert_int_equal(parse("driver a n exit", &ev), 0);
	assert_int_equal(ev.event, DRVTL_EXIT);
	/* the longest words */
	assert_int_equal(parse("driver 0000000000000000000000000000000 "
			       "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn exit",
			       &ev),
			 0);
	assert_int_equal(strlen(ev.addr), DRVTL_ADDR_MAX);
	assert_int_equal(strlen(ev.name), DRVTL_NAME_MAX);
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
	    "",
	    "driver",
	    "driver ",
	    "driver 0000:00:04.0",
	    "driver 0000:00:04.0 virtio-blk",
	    "driver 0000:00:04.0 virtio-blk ",
	    "driver 0000:00:04.0  virtio-blk start",
	    " driver 0000:00:04.0 virtio-blk start",
	    "driver 0000:00:04.0 virtio-blk start ",
	    "driver 0000:00:04.0 virtio-blk start\n\n",
	    "driver 0000:00:04.0 virtio-blk started",
	    "driver 0000:00:04.0 virtio-blk Start",
	    "driver 0000:00:04.0 virtio-blk start extra",
	    "driver 0000:00:0g.0 virtio-blk start",
	    "driver \\_SB_.KBD-1 ps2 start",
	    "driver \\_sb_.kbd ps2 start",
	    "driver 0000:00:04.0 virtio/blk start",
	    "driver 0000:00:04.0 virtio-blk\tstart",
	    "Driver 0000:00:04.0 virtio-blk start",
	    "service 0000:00:04.0 virtio-blk start",
	    "driver 00000000000000000000000000000000 n start",
	    "driver a nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn start",
	    "driver a n unsupportedxxxxxxxx",
	};
	struct drvtl_ev ev;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(parse(bad[i], &ev), -E_INVAL);
	assert_int_equal(drvtl_parse("driver a n start\0", 17, &ev), -E_INVAL);
	assert_int_equal(drvtl_parse("driver a\0 n start", 17, &ev), -E_INVAL);
	/* a length short of the terminator is what counts */
	assert_int_equal(drvtl_parse("driver a n startX", 16, &ev), 0);
}

static void apply(struct drvtl *t, const char *s, uint64_t now)
{
	struct drvtl_ev ev;
	assert_int_equal(parse(s, &ev), 0);
	drvtl_apply(t, &ev, now);
}

static void test_table(void **state)
{
	static struct drvtl t;
	memset(&t, 0, sizeof t);
	apply(&t, "driver 0000:00:04.0 virtio-blk start", 100);
	apply(&t, "driver 0000:00:05.0 nvme start", 110);
	assert_int_equal(t.n, 2);
	assert_string_equal(drvtl_state(&t.v[0]), "probing");
	apply(&t, "driver 0000:00:04.0 virtio-blk ready", 150);
	assert_string_equal(drvtl_state(&t.v[0]), "ready");
	assert_int_equal(t.v[0].start_ns, 100);
	assert_int_equal(t.v[0].ready_ns, 150);
	assert_int_equal(t.v[0].exit_ns, 0);
	/* killed and restarted: the first start and ready stay, exit is cleared again */
	apply(&t, "driver 0000:00:04.0 virtio-blk exit", 200);
	assert_string_equal(drvtl_state(&t.v[0]), "exited");
	assert_int_equal(t.v[0].exit_ns, 200);
	apply(&t, "driver 0000:00:04.0 virtio-blk start", 210);
	apply(&t, "driver 0000:00:04.0 virtio-blk ready", 230);
	assert_int_equal(t.v[0].restarts, 1);
	assert_int_equal(t.v[0].start_ns, 100);
	assert_int_equal(t.v[0].ready_ns, 150);
	assert_int_equal(t.v[0].exit_ns, 0);
	assert_string_equal(drvtl_state(&t.v[0]), "ready");
	/* a refusal then its exit: the refusal is the state */
	apply(&t, "driver 0000:00:05.0 nvme fatal", 120);
	apply(&t, "driver 0000:00:05.0 nvme exit", 121);
	assert_string_equal(drvtl_state(&t.v[1]), "fatal");
	assert_int_equal(t.v[1].exit_ns, 121);
	assert_int_equal(t.v[1].ready_ns, 0);
	/* the same device with another driver is another entry */
	apply(&t, "driver 0000:00:05.0 other exit", 130);
	assert_int_equal(t.n, 3);
	assert_string_equal(drvtl_state(&t.v[2]), "exited");
	assert_int_equal(t.v[2].start_ns, 0);
	/* a ready before the first start is forgotten by the start */
	apply(&t, "driver 0000:00:06.0 late ready", 140);
	apply(&t, "driver 0000:00:06.0 late start", 145);
	assert_int_equal(t.v[3].ready_ns, 0);
	assert_int_equal(t.v[3].restarts, 0);
	assert_string_equal(drvtl_state(&t.v[3]), "probing");
}

static void test_full(void **state)
{
	static struct drvtl t;
	memset(&t, 0, sizeof t);
	char line[64];
	for (unsigned i = 0; i < DRVTL_MAX + 3; i++) {
		snprintf(line, sizeof line, "driver 0000:%02x:00.0 d start", i);
		apply(&t, line, 1 + i);
	}
	assert_int_equal(t.n, DRVTL_MAX);
	assert_int_equal(t.dropped, 3);
	/* the stored ones still take events */
	apply(&t, "driver 0000:00:00.0 d ready", 500);
	assert_int_equal(t.v[0].ready_ns, 500);
	assert_int_equal(t.dropped, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_good),
	    cmocka_unit_test(test_parse_bad),
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
