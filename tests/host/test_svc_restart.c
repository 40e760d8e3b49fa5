/*
 * test_svc_restart.c - the restart policy (lib/svc/restart.c): the
 * backoff schedule 0, 1, 2, 4, 8, 16, 30, 30 ... s; never / on-failure /
 * always against good and bad ends; oneshots; giving up after
 * max_restarts quick ends, said once; a stable run (as long as the
 * window) resetting the count and the backoff; max_restarts 0; reset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "svc/restart.h"

static struct svc_def def;

static void set(enum svc_type type, enum svc_restart restart, unsigned max)
{
	memset(&def, 0, sizeof def);
	def.type = type;
	def.restart = restart;
	def.max_restarts = max;
	def.restart_window_s = 60;
}

static void test_schedule(void **state)
{
	static const uint64_t want[] = {0,     1000,  2000,  4000,  8000,
					16000, 30000, 30000, 30000, 30000};
	for (unsigned k = 0; k < sizeof want / sizeof want[0]; k++)
		assert_int_equal(svc_backoff_ms(k), want[k]);
	assert_int_equal(svc_backoff_ms(64), 30000);
	assert_int_equal(svc_backoff_ms(~0u), 30000);
}

static void test_policies(void **state)
{
	struct svc_restart_state st = {0};
	uint64_t at = 0;
	/* never: a good end is done, a bad end is failed */
	set(SVC_DAEMON, SVC_RESTART_NEVER, 3);
	assert_int_equal(svc_restart_decide(&st, &def, true, 0, 10, &at), SVC_EXIT_DONE);
	assert_int_equal(svc_restart_decide(&st, &def, false, 0, 10, &at), SVC_EXIT_FAILED);
	/* on-failure */
	svc_restart_reset(&st);
	set(SVC_DAEMON, SVC_RESTART_ON_FAILURE, 3);
	assert_int_equal(svc_restart_decide(&st, &def, true, 0, 10, &at), SVC_EXIT_DONE);
	assert_int_equal(svc_restart_decide(&st, &def, false, 0, 10, &at), SVC_EXIT_RESTART);
	assert_int_equal(at, 10); /* the first restart at once */
	/* always: a good end restarts too */
	svc_restart_reset(&st);
	set(SVC_NOTIFY, SVC_RESTART_ALWAYS, 3);
	assert_int_equal(svc_restart_decide(&st, &def, true, 0, 10, &at), SVC_EXIT_RESTART);
	assert_int_equal(at, 10);
	assert_int_equal(svc_restart_decide(&st, &def, true, 10, 20, &at), SVC_EXIT_RESTART);
	assert_int_equal(at, 1020);
	/* a oneshot that ended well is done even under always; a bad end restarts */
	svc_restart_reset(&st);
	set(SVC_ONESHOT, SVC_RESTART_ALWAYS, 3);
	assert_int_equal(svc_restart_decide(&st, &def, true, 0, 10, &at), SVC_EXIT_DONE);
	assert_int_equal(svc_restart_decide(&st, &def, false, 0, 10, &at), SVC_EXIT_RESTART);
	set(SVC_ONESHOT_ASYNC, SVC_RESTART_ON_FAILURE, 3);
	assert_int_equal(svc_restart_decide(&st, &def, true, 0, 10, &at), SVC_EXIT_DONE);
}

static void test_give_up_once(void **state)
{
	struct svc_restart_state st = {0};
	uint64_t at = 0, t = 1000;
	set(SVC_DAEMON, SVC_RESTART_ON_FAILURE, 3);
	/* quick crashes: restarts at +0, +1 s, +2 s, then give up */
	static const uint64_t delay[] = {0, 1000, 2000};
	for (unsigned k = 0; k < 3; k++) {
		uint64_t started = t;
		t += 500; /* each run lasts half a second */
		assert_int_equal(svc_restart_decide(&st, &def, false, started, t, &at),
				 SVC_EXIT_RESTART);
		assert_int_equal(at, t + delay[k]);
		t = at;
	}
	assert_int_equal(svc_restart_decide(&st, &def, false, t, t + 500, &at), SVC_EXIT_FAILED);
	assert_true(st.failed);
	/* said once: asked again, nothing to do */
	assert_int_equal(svc_restart_decide(&st, &def, false, t, t + 900, &at), SVC_EXIT_DONE);
	assert_int_equal(svc_restart_decide(&st, &def, true, t, t + 100000, &at), SVC_EXIT_DONE);
	/* an administrator's restart forgets the history */
	svc_restart_reset(&st);
	assert_int_equal(svc_restart_decide(&st, &def, false, 0, 1, &at), SVC_EXIT_RESTART);
	assert_int_equal(at, 1);
}

static void test_default_max_and_cap(void **state)
{
	struct svc_restart_state st = {0};
	uint64_t at = 0, t = 0;
	set(SVC_DAEMON, SVC_RESTART_ALWAYS, 1000);
	/* many quick ends: the delay grows to 30 s and stays there */
	for (unsigned k = 0; k < 12; k++) {
		assert_int_equal(svc_restart_decide(&st, &def, false, t, t + 1, &at),
				 SVC_EXIT_RESTART);
		assert_int_equal(at - (t + 1), svc_backoff_ms(k));
		t = at;
	}
	assert_int_equal(svc_backoff_ms(11), 30000);
	/* max_restarts 0: the first bad end fails it */
	svc_restart_reset(&st);
	set(SVC_DAEMON, SVC_RESTART_ON_FAILURE, 0);
	assert_int_equal(svc_restart_decide(&st, &def, false, 0, 1, &at), SVC_EXIT_FAILED);
}

static void test_stable_run_resets(void **state)
{
	struct svc_restart_state st = {0};
	uint64_t at = 0;
	set(SVC_DAEMON, SVC_RESTART_ON_FAILURE, 3);
	assert_int_equal(svc_restart_decide(&st, &def, false, 0, 100, &at), SVC_EXIT_RESTART);
	assert_int_equal(svc_restart_decide(&st, &def, false, 100, 200, &at), SVC_EXIT_RESTART);
	assert_int_equal(at, 1200);
	assert_int_equal(st.count, 2);
	/* up for 59.999 s: not stable, the count goes on (third restart, 2 s) */
	assert_int_equal(svc_restart_decide(&st, &def, false, 1200, 61199, &at), SVC_EXIT_RESTART);
	assert_int_equal(at, 61199 + 2000);
	assert_int_equal(st.count, 3);
	/* up for exactly the window: stable; the count and the backoff start again */
	uint64_t s = at;
	assert_int_equal(svc_restart_decide(&st, &def, false, s, s + 60000, &at), SVC_EXIT_RESTART);
	assert_int_equal(at, s + 60000);
	assert_int_equal(st.count, 1);
	/* a clock that went backwards is not a stable run */
	assert_int_equal(svc_restart_decide(&st, &def, false, 5000, 10, &at), SVC_EXIT_RESTART);
	assert_int_equal(st.count, 2);
	assert_int_equal(at, 10 + 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_schedule),	      cmocka_unit_test(test_policies),
	    cmocka_unit_test(test_give_up_once),      cmocka_unit_test(test_default_max_and_cap),
	    cmocka_unit_test(test_stable_run_resets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
