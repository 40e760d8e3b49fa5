/*
 * test_svc_sup.c - init's supervisor state machine (lib/svc/sup.c): a
 * diamond starts its shared dependency once and in waves; a notify
 * service not ready in time is killed and its dependents are blocked; a
 * crash loop restarts at once, then after 1 s, 2 s, and fails for good
 * once (said once); a failing health check asks for a kill and a restart;
 * a check that does not answer times out; the ordered stop sends TERM in
 * reverse dependency order and KILL after the grace; administrator stop,
 * start and restart; a held service; deadlines never lie in the past after a poll.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "svc/sup.h"

#define S 1000000000ull
#define MS 1000000ull

static struct svc_def defs[8];
static char deps[8][2][SVC_MAX_DEPS][SVC_NAME_MAX + 1];
static size_t ndefs;
static struct svc_graph g;
static struct svc_sup sup;
static struct svc_act acts[16];

static size_t split(const char *list, char out[SVC_MAX_DEPS][SVC_NAME_MAX + 1], const char **ptrs)
{
	size_t n = 0;
	while (list && *list) {
		size_t len = strcspn(list, ",");
		snprintf(out[n], SVC_NAME_MAX + 1, "%.*s", (int)len, list);
		ptrs[n] = out[n];
		n++;
		list += len + (list[len] == ',');
	}
	return n;
}

static struct svc_def *svc(const char *name, enum svc_type type, const char *req, const char *aft)
{
	struct svc_def *d = &defs[ndefs];
	memset(d, 0, sizeof *d);
	snprintf(d->name, sizeof d->name, "%s", name);
	d->exec = "x";
	d->type = type;
	d->restart = SVC_RESTART_ON_FAILURE;
	d->max_restarts = 3;
	d->restart_window_s = 60;
	d->ready_timeout_s = 2;
	d->health_interval_s = 5;
	d->nrequires = split(req, deps[ndefs][0], d->requires);
	d->nafter = split(aft, deps[ndefs][1], d->after);
	ndefs++;
	return d;
}

static void build(void)
{
	assert_int_equal(svc_graph_build(&g, defs, ndefs, NULL, NULL), 0);
	svc_sup_init(&sup, &g);
}

static void reset(void)
{
	ndefs = 0;
	memset(defs, 0, sizeof defs);
}

/* Poll at now; the actions as "KIND:name" words joined by spaces, into buf. */
static const char *poll_at(uint64_t now, char *buf, size_t len)
{
	static const char *const kinds[] = {"start",	    "blocked", "notready", "check",
					    "checktimeout", "term",    "kill"};
	size_t n = svc_sup_poll(&sup, now, acts, 16);
	buf[0] = 0;
	for (size_t k = 0; k < n; k++) {
		size_t at = strlen(buf);
		snprintf(buf + at, len - at, "%s%s:%s", k ? " " : "", kinds[acts[k].kind],
			 defs[acts[k].svc].name);
	}
	return buf;
}

static char out[256];

static void test_diamond_waves(void **state)
{
	reset();
	svc("top", SVC_DAEMON, "left,right", NULL);
	svc("left", SVC_DAEMON, "base", NULL);
	svc("right", SVC_ONESHOT, "base", NULL);
	svc("base", SVC_DAEMON, NULL, NULL);
	build();
	assert_string_equal(poll_at(0, out, sizeof out), "start:base");
	assert_string_equal(poll_at(0, out, sizeof out), ""); /* started once */
	svc_sup_started(&sup, 3, 10, 1);
	assert_int_equal(sup.state[3], SVC_READY);
	assert_string_equal(poll_at(1, out, sizeof out), "start:left start:right");
	svc_sup_started(&sup, 1, 11, 2);
	svc_sup_started(&sup, 2, 12, 2);
	assert_int_equal(sup.state[2], SVC_RUNNING); /* a oneshot is ready when it exits 0 */
	assert_string_equal(poll_at(2, out, sizeof out), "");
	assert_false(svc_sup_settled(&sup));
	uint64_t at = 0;
	assert_int_equal(svc_sup_exited(&sup, 2, 0, 3, &at), SVC_EXIT_DONE);
	assert_int_equal(sup.state[2], SVC_EXITED);
	assert_string_equal(poll_at(3, out, sizeof out), "start:top");
	svc_sup_started(&sup, 0, 13, 4);
	assert_true(svc_sup_settled(&sup));
	assert_int_equal(svc_sup_by_pid(&sup, 11), 1);
	assert_int_equal(svc_sup_by_pid(&sup, 99), SVC_NONE);
	assert_int_equal(svc_sup_deadline(&sup), 0);
}

static void test_not_ready_blocks_dependents(void **state)
{
	reset();
	svc("slow", SVC_NOTIFY, NULL, NULL)->restart = SVC_RESTART_NEVER;
	svc("user", SVC_DAEMON, "slow", NULL);
	svc("orderonly", SVC_DAEMON, NULL, "slow");
	build();
	assert_string_equal(poll_at(0, out, sizeof out), "start:slow");
	svc_sup_started(&sup, 0, 20, 1 * S);
	assert_int_equal(svc_sup_deadline(&sup), 3 * S); /* ready_timeout 2 s */
	assert_string_equal(poll_at(2 * S, out, sizeof out), "");
	assert_string_equal(poll_at(3 * S, out, sizeof out), "notready:slow");
	assert_int_equal(svc_sup_deadline(&sup), 0); /* acted on: not due again */
	svc_sup_ready(&sup, 0, 3 * S);		     /* too late: ignored */
	assert_int_equal(sup.state[0], SVC_RUNNING);
	uint64_t at = 0;
	/* killed by init: a bad end even if the status were 0 */
	assert_int_equal(svc_sup_exited(&sup, 0, 0, 3 * S + 1, &at), SVC_EXIT_FAILED);
	assert_int_equal(sup.state[0], SVC_FAILED);
	assert_string_equal(poll_at(4 * S, out, sizeof out), "blocked:user start:orderonly");
	assert_int_equal(acts[0].other, 0);
	assert_int_equal(sup.state[1], SVC_FAILED);
}

static void test_notify_ready(void **state)
{
	reset();
	svc("n", SVC_NOTIFY, NULL, NULL);
	svc("d", SVC_DAEMON, "n", NULL);
	build();
	assert_string_equal(poll_at(0, out, sizeof out), "start:n");
	svc_sup_started(&sup, 0, 5, 10);
	assert_string_equal(poll_at(20, out, sizeof out), "");
	svc_sup_ready(&sup, 0, 30);
	assert_int_equal(sup.run[0].ready_ns, 30);
	assert_int_equal(sup.run[0].start_ns, 10);
	assert_string_equal(poll_at(40, out, sizeof out), "start:d");
}

static void test_crash_loop(void **state)
{
	reset();
	svc("crash", SVC_DAEMON, NULL, NULL)->restart = SVC_RESTART_ALWAYS;
	defs[0].max_restarts = 2;
	build();
	uint64_t at = 0, t = 0;
	assert_string_equal(poll_at(t, out, sizeof out), "start:crash");
	svc_sup_started(&sup, 0, 30, t);
	t += 10 * MS;
	assert_int_equal(svc_sup_exited(&sup, 0, 128 + 11, t, &at), SVC_EXIT_RESTART);
	assert_int_equal(at, t); /* the first restart at once */
	assert_int_equal(sup.state[0], SVC_WAITING);
	assert_int_equal(sup.run[0].last_exit, 139);
	assert_string_equal(poll_at(t, out, sizeof out), "start:crash");
	svc_sup_started(&sup, 0, 31, t);
	t += 10 * MS;
	assert_int_equal(svc_sup_exited(&sup, 0, 1, t, &at), SVC_EXIT_RESTART);
	assert_int_equal(at, t + 1 * S); /* then after 1 s */
	assert_int_equal(svc_sup_deadline(&sup), t + S);
	assert_string_equal(poll_at(t + S - 1, out, sizeof out), "");
	assert_string_equal(poll_at(t + S, out, sizeof out), "start:crash");
	t += S;
	svc_sup_started(&sup, 0, 32, t);
	t += 10 * MS;
	assert_int_equal(svc_sup_exited(&sup, 0, 1, t, &at), SVC_EXIT_FAILED);
	assert_int_equal(sup.state[0], SVC_FAILED);
	assert_int_equal(sup.run[0].restarts, 2);
	assert_string_equal(poll_at(t + 100 * S, out, sizeof out), "");
	assert_true(svc_sup_settled(&sup));
}

static void test_health(void **state)
{
	reset();
	struct svc_def *d = svc("h", SVC_DAEMON, NULL, NULL);
	d->health_path = "h:/x";
	d->health_interval_s = 1;
	build();
	assert_string_equal(poll_at(0, out, sizeof out), "start:h");
	svc_sup_started(&sup, 0, 40, 0);
	assert_int_equal(svc_sup_deadline(&sup), S);
	assert_string_equal(poll_at(S, out, sizeof out), "check:h");
	assert_false(svc_sup_checked(&sup, 0, true, S + 1));
	assert_string_equal(poll_at(2 * S + 1, out, sizeof out), "check:h");
	/* no answer within the interval */
	assert_string_equal(poll_at(3 * S + 1, out, sizeof out), "checktimeout:h");
	assert_true(svc_sup_checked(&sup, 0, false, 3 * S + 2));   /* kill it */
	assert_string_equal(poll_at(10 * S, out, sizeof out), ""); /* no check while it dies */
	uint64_t at = 0;
	assert_int_equal(svc_sup_exited(&sup, 0, 128 + 9, 3 * S + 3, &at), SVC_EXIT_RESTART);
	assert_string_equal(poll_at(3 * S + 3, out, sizeof out), "start:h");
}

static void test_ordered_stop(void **state)
{
	reset();
	svc("a", SVC_DAEMON, NULL, NULL);
	svc("b", SVC_DAEMON, "a", NULL);
	svc("c", SVC_DAEMON, NULL, "b");
	svc("late", SVC_DAEMON, "a", NULL)->restart = SVC_RESTART_ALWAYS;
	build();
	assert_string_equal(poll_at(0, out, sizeof out), "start:a");
	svc_sup_started(&sup, 0, 50, 0);
	assert_string_equal(poll_at(0, out, sizeof out), "start:b start:late");
	svc_sup_started(&sup, 1, 51, 0);
	svc_sup_started(&sup, 3, 53, 0);
	uint64_t at = 0;
	assert_int_equal(svc_sup_exited(&sup, 3, 1, 1, &at), SVC_EXIT_RESTART);
	assert_string_equal(poll_at(1, out, sizeof out), "start:c start:late");
	svc_sup_started(&sup, 2, 52, 1);
	svc_sup_started(&sup, 3, 54, 1);
	svc_sup_shutdown(&sup);
	assert_false(svc_sup_all_ended(&sup));
	assert_string_equal(poll_at(10, out, sizeof out), "term:c term:late");
	assert_string_equal(poll_at(11, out, sizeof out), "");
	assert_int_equal(svc_sup_exited(&sup, 2, 0, 12, &at), SVC_EXIT_DONE);
	assert_int_equal(sup.state[2], SVC_STOPPED);
	assert_string_equal(poll_at(13, out, sizeof out), "term:b");
	assert_int_equal(svc_sup_exited(&sup, 1, 143, 14, &at), SVC_EXIT_DONE);
	assert_string_equal(poll_at(15, out, sizeof out), ""); /* late still holds a */
	assert_int_equal(svc_sup_deadline(&sup), 10 + SVC_SUP_GRACE_NS);
	assert_string_equal(poll_at(10 + SVC_SUP_GRACE_NS, out, sizeof out), "kill:late");
	assert_int_equal(svc_sup_exited(&sup, 3, 137, 10 + SVC_SUP_GRACE_NS, &at), SVC_EXIT_DONE);
	assert_int_equal(sup.state[3], SVC_STOPPED); /* restart=always, but stopping */
	assert_string_equal(poll_at(10 + SVC_SUP_GRACE_NS, out, sizeof out), "term:a");
	assert_int_equal(svc_sup_exited(&sup, 0, 143, 20 + SVC_SUP_GRACE_NS, &at), SVC_EXIT_DONE);
	assert_true(svc_sup_all_ended(&sup));
}

/* acpid-like: stop_last, requiring pcid; both kept until the power step fails. */
static void test_stop_last(void **state)
{
	reset();
	svc("pcid", SVC_DAEMON, NULL, NULL);
	svc("acpid", SVC_DAEMON, "pcid", NULL)->stop_last = true;
	svc("getty", SVC_DAEMON, NULL, "acpid");
	svc("logd", SVC_DAEMON, NULL, NULL);
	build();
	assert_string_equal(poll_at(0, out, sizeof out), "start:pcid start:logd");
	svc_sup_started(&sup, 0, 70, 0);
	svc_sup_started(&sup, 3, 73, 0);
	assert_string_equal(poll_at(0, out, sizeof out), "start:acpid");
	svc_sup_started(&sup, 1, 71, 0);
	assert_string_equal(poll_at(0, out, sizeof out), "start:getty");
	svc_sup_started(&sup, 2, 72, 0);
	assert_false(svc_sup_others_ended(&sup)); /* not stopping yet */
	svc_sup_shutdown(&sup);
	assert_false(svc_sup_others_ended(&sup));
	/* getty and logd go; acpid is held, and pcid because acpid needs it */
	assert_string_equal(poll_at(1, out, sizeof out), "term:getty term:logd");
	assert_false(svc_sup_others_ended(&sup)); /* signalled, not ended */
	uint64_t at = 0;
	assert_int_equal(svc_sup_exited(&sup, 2, 143, 2, &at), SVC_EXIT_DONE);
	assert_false(svc_sup_others_ended(&sup));
	assert_int_equal(svc_sup_exited(&sup, 3, 143, 2, &at), SVC_EXIT_DONE);
	assert_string_equal(poll_at(3, out, sizeof out), "");
	assert_true(svc_sup_others_ended(&sup));
	assert_false(svc_sup_all_ended(&sup));
	assert_int_equal(svc_sup_deadline(&sup), 0); /* nothing due: no spinning */
	/* the power step failed: now acpid, then pcid */
	svc_sup_stop_last(&sup);
	assert_false(svc_sup_others_ended(&sup));
	assert_string_equal(poll_at(4, out, sizeof out), "term:acpid");
	assert_int_equal(svc_sup_exited(&sup, 1, 143, 5, &at), SVC_EXIT_DONE);
	assert_string_equal(poll_at(5, out, sizeof out), "term:pcid");
	assert_int_equal(svc_sup_exited(&sup, 0, 143, 6, &at), SVC_EXIT_DONE);
	assert_true(svc_sup_all_ended(&sup));
	assert_true(svc_sup_others_ended(&sup));

	/* with no stop_last service, others_ended is all_ended */
	reset();
	svc("a", SVC_DAEMON, NULL, NULL);
	build();
	assert_string_equal(poll_at(0, out, sizeof out), "start:a");
	svc_sup_started(&sup, 0, 80, 0);
	svc_sup_shutdown(&sup);
	assert_false(svc_sup_others_ended(&sup));
	assert_string_equal(poll_at(1, out, sizeof out), "term:a");
	assert_int_equal(svc_sup_exited(&sup, 0, 143, 2, &at), SVC_EXIT_DONE);
	assert_true(svc_sup_others_ended(&sup));
	assert_true(svc_sup_all_ended(&sup));
}

static void test_admin(void **state)
{
	reset();
	svc("x", SVC_DAEMON, NULL, NULL)->restart = SVC_RESTART_NEVER;
	build();
	assert_string_equal(poll_at(0, out, sizeof out), "start:x");
	svc_sup_started(&sup, 0, 60, 0);
	assert_true(svc_sup_stop(&sup, 0, 1));
	assert_int_equal(svc_sup_deadline(&sup), 1 + SVC_SUP_GRACE_NS);
	assert_string_equal(poll_at(SVC_SUP_GRACE_NS, out, sizeof out), "");
	assert_string_equal(poll_at(1 + SVC_SUP_GRACE_NS, out, sizeof out), "kill:x");
	assert_int_equal(svc_sup_deadline(&sup), 0);
	uint64_t at = 0;
	assert_int_equal(svc_sup_exited(&sup, 0, 143, 2, &at), SVC_EXIT_DONE);
	assert_int_equal(sup.state[0], SVC_STOPPED);
	assert_string_equal(poll_at(3, out, sizeof out), "");
	assert_true(svc_sup_start(&sup, 0));
	assert_string_equal(poll_at(4, out, sizeof out), "start:x");
	svc_sup_started(&sup, 0, 61, 4);
	assert_true(svc_sup_restart(&sup, 0, 5)); /* SIGTERM it; it comes back at once */
	assert_int_equal(svc_sup_exited(&sup, 0, 143, 6, &at), SVC_EXIT_RESTART);
	assert_int_equal(at, 6);
	assert_string_equal(poll_at(6, out, sizeof out), "start:x");
	svc_sup_started(&sup, 0, 62, 6);
	assert_false(svc_sup_start(&sup, 0)); /* already running */
	reset();
	svc("base", SVC_DAEMON, NULL, NULL);
	svc("console", SVC_DAEMON, NULL, "base");
	build();
	svc_sup_hold(&sup, 1, true);
	assert_string_equal(poll_at(0, out, sizeof out), "start:base");
	svc_sup_started(&sup, 0, 70, 0);
	assert_string_equal(poll_at(1, out, sizeof out), "");
	assert_true(svc_sup_settled(&sup)); /* but the held one */
	svc_sup_hold(&sup, 1, false);
	assert_false(svc_sup_settled(&sup));
	assert_string_equal(poll_at(2, out, sizeof out), "start:console");
	assert_string_equal(svc_state_name(SVC_READY), "ready");
	assert_string_equal(svc_state_name(SVC_WAITING), "waiting");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_diamond_waves),
	    cmocka_unit_test(test_not_ready_blocks_dependents),
	    cmocka_unit_test(test_notify_ready),
	    cmocka_unit_test(test_crash_loop),
	    cmocka_unit_test(test_health),
	    cmocka_unit_test(test_ordered_stop),
	    cmocka_unit_test(test_stop_last),
	    cmocka_unit_test(test_admin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
