/*
 * test_irq_scream.c - the screaming-line rule (lib/irq/scream.c): a burst
 * past the limit within the window trips once; the same number spread
 * over more than a window does not; a clock going backwards restarts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "irq/scream.h"

static void test_burst_trips_once(void **state)
{
	struct irq_scream s = {0};
	unsigned trips = 0, at = 0;
	for (unsigned i = 1; i <= 3 * IRQ_SCREAM_LIMIT; i++)
		if (irq_scream_note(&s, 1000 + i, IRQ_SCREAM_LIMIT, IRQ_SCREAM_WINDOW_NS)) {
			trips++;
			at = i;
		}
	assert_int_equal(trips, 1);
	assert_int_equal(at, IRQ_SCREAM_LIMIT + 1);
}

static void test_spread_never_trips(void **state)
{
	struct irq_scream s = {0};
	/* limit interrupts per window, for ten windows: never more than limit in one. */
	uint64_t step = IRQ_SCREAM_WINDOW_NS / 100;
	uint32_t limit = 100;
	for (unsigned i = 0; i < 1000; i++)
		assert_false(irq_scream_note(&s, 5 + i * step, limit, IRQ_SCREAM_WINDOW_NS));
	/* 101 within one window trips. */
	struct irq_scream t = {0};
	bool tripped = false;
	for (unsigned i = 0; i <= limit; i++)
		tripped |= irq_scream_note(&t, 7 + i * (step / 2), limit, IRQ_SCREAM_WINDOW_NS);
	assert_true(tripped);
}

static void test_clock_backwards(void **state)
{
	struct irq_scream s = {0};
	for (unsigned i = 0; i < 10; i++)
		assert_false(irq_scream_note(&s, 1000000, 10, 100));
	/* Earlier than the window start: a fresh window, count 1. */
	assert_false(irq_scream_note(&s, 10, 10, 100));
	assert_int_equal(s.count, 1);
	assert_int_equal(s.start, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_burst_trips_once),
	    cmocka_unit_test(test_spread_never_trips),
	    cmocka_unit_test(test_clock_backwards),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
