/*
 * test_svc_graph.c - init's dependency graph (lib/svc/graph.c): a chain,
 * a diamond (not a cycle; its shared dependency starts once), independent
 * services starting together, a self-loop, a 3-cycle with dependents (only
 * the cycle and its requiring dependents skipped, each reported once), a
 * cycle through `after`, two cycles, two cycles sharing a service, a
 * missing dependency named by several services (reported once), duplicate
 * names; then the start decisions against the daemon's states (waiting,
 * blocked by a failed requirement, ordering-only `after`, oneshots).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "svc/graph.h"

#define MAXR 16

static struct svc_def defs[SVC_GRAPH_MAX + 1];
static char names[SVC_GRAPH_MAX + 1][2][SVC_MAX_DEPS][SVC_NAME_MAX + 1];
static size_t ndefs;
static struct svc_graph g;
static char reports[MAXR][SVC_REPORT_MAX];
static size_t nreports;

static void on_report(void *ctx, const char *msg)
{
	assert_true(strlen(msg) < SVC_REPORT_MAX);
	if (nreports < MAXR)
		snprintf(reports[nreports], SVC_REPORT_MAX, "%s", msg);
	nreports++;
}

/* Split the comma-separated list into the slot's names: how many. */
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

/* Add a service: name, its requires and after as "a,b" lists (or NULL). */
static void svc(const char *name, const char *req, const char *aft)
{
	struct svc_def *d = &defs[ndefs];
	memset(d, 0, sizeof *d);
	snprintf(d->name, sizeof d->name, "%s", name);
	d->exec = "x";
	d->nrequires = split(req, names[ndefs][0], d->requires);
	d->nafter = split(aft, names[ndefs][1], d->after);
	ndefs++;
}

static void reset(void)
{
	ndefs = 0;
	nreports = 0;
}

static void build(void)
{
	assert_int_equal(svc_graph_build(&g, defs, ndefs, on_report, NULL), 0);
}

static size_t idx(const char *name)
{
	size_t i = svc_graph_find(&g, name);
	assert_int_not_equal(i, SVC_NONE);
	return i;
}

static enum svc_skip skip_of(const char *name)
{
	return (enum svc_skip)g.skip[idx(name)];
}

/*
 * Play the daemon: each round starts every ready service (marking it
 * RUNNING), then all of them become READY. wave[i] is the round service i
 * started in (-1: never); starts[i] how often it was started.
 */
static int wave[SVC_GRAPH_MAX], starts[SVC_GRAPH_MAX];

static void play(void)
{
	enum svc_state st[SVC_GRAPH_MAX];
	size_t ready[SVC_GRAPH_MAX];
	svc_graph_init_states(&g, st);
	memset(starts, 0, sizeof starts);
	for (size_t i = 0; i < ndefs; i++)
		wave[i] = -1;
	for (int round = 0; round <= (int)ndefs; round++) {
		size_t n = svc_graph_ready(&g, st, ready, SVC_GRAPH_MAX);
		for (size_t k = 0; k < n; k++) {
			st[ready[k]] = SVC_RUNNING;
			starts[ready[k]]++;
			wave[ready[k]] = round;
		}
		/* nothing is started twice: a started service is no longer ready */
		assert_int_equal(svc_graph_ready(&g, st, ready, SVC_GRAPH_MAX), 0);
		for (size_t k = 0; k < n; k++)
			st[ready[k]] = SVC_READY;
	}
}

static void test_chain(void **state)
{
	reset();
	svc("a", "b", NULL);
	svc("b", "c", NULL);
	svc("c", NULL, NULL);
	build();
	assert_int_equal(nreports, 0);
	assert_int_equal(g.level[idx("c")], 0);
	assert_int_equal(g.level[idx("b")], 1);
	assert_int_equal(g.level[idx("a")], 2);
	play();
	assert_int_equal(wave[idx("c")], 0);
	assert_int_equal(wave[idx("b")], 1);
	assert_int_equal(wave[idx("a")], 2);
}

static void test_diamond(void **state)
{
	reset();
	svc("top", "left,right", NULL);
	svc("left", "base", NULL);
	svc("right", NULL, "base");
	svc("base", NULL, NULL);
	build();
	assert_int_equal(nreports, 0);
	for (size_t i = 0; i < ndefs; i++)
		assert_int_equal(g.skip[i], SVC_OK);
	play();
	for (size_t i = 0; i < ndefs; i++)
		assert_int_equal(starts[i], 1);
	assert_int_equal(wave[idx("base")], 0);
	assert_int_equal(wave[idx("left")], 1);
	assert_int_equal(wave[idx("right")], 1);
	assert_int_equal(wave[idx("top")], 2);
	assert_int_equal(g.level[idx("left")], g.level[idx("right")]);
}

static void test_parallel(void **state)
{
	reset();
	svc("x", NULL, NULL);
	svc("y", NULL, NULL);
	svc("z", NULL, NULL);
	svc("w", "x", NULL);
	build();
	enum svc_state st[4];
	size_t ready[4];
	svc_graph_init_states(&g, st);
	assert_int_equal(svc_graph_ready(&g, st, ready, 4), 3);
	assert_int_equal(ready[0], 0);
	assert_int_equal(ready[1], 1);
	assert_int_equal(ready[2], 2);
	assert_int_equal(svc_graph_ready(&g, st, ready, 2), 2); /* bounded by max */
	play();
	assert_int_equal(wave[0] + wave[1] + wave[2], 0);
	assert_int_equal(wave[3], 1);
}

static void test_self_loop(void **state)
{
	reset();
	svc("a", "a", NULL);
	svc("b", NULL, NULL);
	build();
	assert_int_equal(nreports, 1);
	assert_string_equal(reports[0], "cycle: a -> a");
	assert_int_equal(skip_of("a"), SVC_SKIP_CYCLE);
	assert_int_equal(skip_of("b"), SVC_OK);
	play();
	assert_int_equal(starts[idx("a")], 0);
	assert_int_equal(starts[idx("b")], 1);
}

static void test_cycle_with_dependents(void **state)
{
	reset();
	svc("free", NULL, NULL);
	svc("a", "b", NULL);
	svc("b", "c", NULL);
	svc("c", "a", NULL);
	svc("d", "a", NULL);  /* requires a cycle member: skipped */
	svc("dd", "d", NULL); /* requires d: skipped */
	svc("e", NULL, "b");  /* only after one: starts */
	svc("f", "free", NULL);
	build();
	assert_int_equal(nreports, 3);
	assert_string_equal(reports[0], "cycle: a -> b -> c -> a");
	assert_string_equal(reports[1], "skipped 'd': it requires 'a', which cannot start");
	assert_string_equal(reports[2], "skipped 'dd': it requires 'd', which cannot start");
	assert_int_equal(skip_of("a"), SVC_SKIP_CYCLE);
	assert_int_equal(skip_of("b"), SVC_SKIP_CYCLE);
	assert_int_equal(skip_of("c"), SVC_SKIP_CYCLE);
	assert_int_equal(skip_of("d"), SVC_SKIP_DEP);
	assert_int_equal(skip_of("dd"), SVC_SKIP_DEP);
	assert_int_equal(skip_of("e"), SVC_OK);
	assert_int_equal(skip_of("f"), SVC_OK);
	play();
	assert_int_equal(starts[idx("e")], 1);
	assert_int_equal(starts[idx("f")], 1);
	assert_int_equal(starts[idx("free")], 1);
	assert_int_equal(starts[idx("a")] + starts[idx("d")] + starts[idx("dd")], 0);
}

static void test_cycle_through_after(void **state)
{
	reset();
	svc("a", "b", NULL);
	svc("b", NULL, "a");
	build();
	assert_int_equal(nreports, 1);
	assert_string_equal(reports[0], "cycle: a -> b -> a");
	assert_int_equal(skip_of("b"), SVC_SKIP_CYCLE);
}

static void test_two_cycles(void **state)
{
	reset();
	svc("a", "b", NULL);
	svc("b", "a", NULL);
	svc("c", "d", NULL);
	svc("d", "e", NULL);
	svc("e", "c", NULL);
	svc("ok", NULL, NULL);
	build();
	assert_int_equal(nreports, 2);
	assert_string_equal(reports[0], "cycle: a -> b -> a");
	assert_string_equal(reports[1], "cycle: c -> d -> e -> c");
	assert_int_equal(skip_of("ok"), SVC_OK);
	/* two cycles through one service: one strongly connected set, one report */
	reset();
	svc("a", "b,c", NULL);
	svc("b", "a", NULL);
	svc("c", "a", NULL);
	build();
	assert_int_equal(nreports, 1);
	assert_string_equal(reports[0], "cycle: a -> b -> a (also on the cycle: c)");
	assert_int_equal(skip_of("c"), SVC_SKIP_CYCLE);
}

static void test_missing(void **state)
{
	reset();
	svc("a", "ghost", NULL);
	svc("b", "x,ghost", NULL);
	svc("c", NULL, "ghost,spook");
	svc("d", "a", NULL);
	svc("x", NULL, NULL);
	build();
	assert_int_equal(nreports, 3);
	assert_string_equal(reports[0], "missing service 'ghost' (required by a, b; after it: c)");
	assert_string_equal(reports[1], "missing service 'spook' (required by none; after it: c)");
	assert_string_equal(reports[2], "skipped 'd': it requires 'a', which cannot start");
	assert_int_equal(skip_of("a"), SVC_SKIP_MISSING);
	assert_int_equal(skip_of("b"), SVC_SKIP_MISSING);
	assert_int_equal(skip_of("c"), SVC_OK); /* after a missing one: ordering only */
	assert_int_equal(skip_of("d"), SVC_SKIP_DEP);
	assert_int_equal(skip_of("x"), SVC_OK);
	play();
	assert_int_equal(starts[idx("c")], 1);
	assert_int_equal(wave[idx("c")], 0);
}

static void test_duplicates_and_limits(void **state)
{
	reset();
	svc("a", NULL, NULL);
	svc("b", "a", NULL);
	svc("a", "b", NULL); /* a duplicate: would close a cycle if it counted */
	build();
	assert_int_equal(nreports, 1);
	assert_string_equal(reports[0], "duplicate service 'a': the first one is kept");
	assert_int_equal(g.skip[2], SVC_SKIP_DUPLICATE);
	assert_int_equal(g.skip[0], SVC_OK);
	assert_int_equal(g.skip[1], SVC_OK);
	reset();
	for (size_t i = 0; i <= SVC_GRAPH_MAX; i++) {
		char n[8];
		snprintf(n, sizeof n, "s%zu", i);
		svc(n, NULL, NULL);
	}
	assert_int_equal(svc_graph_build(&g, defs, SVC_GRAPH_MAX + 1, NULL, NULL), -E_2BIG);
	assert_int_equal(svc_graph_build(&g, defs, SVC_GRAPH_MAX, NULL, NULL), 0);
	defs[0].nrequires = SVC_MAX_DEPS + 1;
	assert_int_equal(svc_graph_build(&g, defs, 1, NULL, NULL), -E_INVAL);
}

static void test_long_cycle_report(void **state)
{
	/* a cycle through 64 services of 31-byte names: the report is cut with "..." */
	reset();
	for (size_t i = 0; i < SVC_GRAPH_MAX; i++) {
		char n[SVC_NAME_MAX + 1], r[SVC_NAME_MAX + 1];
		snprintf(n, sizeof n, "service-with-a-long-name-%06zu", i);
		snprintf(r, sizeof r, "service-with-a-long-name-%06zu", (i + 1) % SVC_GRAPH_MAX);
		svc(n, r, NULL);
	}
	build();
	assert_int_equal(nreports, 1);
	assert_int_equal(strlen(reports[0]), SVC_REPORT_MAX - 1);
	assert_string_equal(reports[0] + SVC_REPORT_MAX - 4, "...");
	assert_memory_equal(reports[0], "cycle: service-with-a-long-name-000000 -> ", 42);
}

static void test_next(void **state)
{
	reset();
	svc("daemon", NULL, NULL);
	svc("once", NULL, NULL);
	svc("needs-daemon", "daemon", NULL);
	svc("needs-once", "once", NULL);
	svc("after-daemon", NULL, "daemon");
	build();
	defs[idx("once")].type = SVC_ONESHOT;
	enum svc_state st[5];
	size_t blocker = SVC_NONE;
	svc_graph_init_states(&g, st);
	assert_int_equal(svc_graph_next(&g, idx("needs-daemon"), st, NULL), SVC_NEXT_WAIT);
	assert_int_equal(svc_graph_next(&g, idx("after-daemon"), st, NULL), SVC_NEXT_WAIT);
	st[idx("daemon")] = SVC_RUNNING;
	assert_int_equal(svc_graph_next(&g, idx("needs-daemon"), st, NULL), SVC_NEXT_WAIT);
	assert_int_equal(svc_graph_next(&g, idx("daemon"), st, NULL), SVC_NEXT_NONE);
	/* a failed requirement blocks; a failed `after` does not */
	st[idx("daemon")] = SVC_FAILED;
	assert_int_equal(svc_graph_next(&g, idx("needs-daemon"), st, &blocker), SVC_NEXT_BLOCKED);
	assert_int_equal(blocker, idx("daemon"));
	assert_int_equal(svc_graph_next(&g, idx("after-daemon"), st, NULL), SVC_NEXT_START);
	st[idx("daemon")] = SVC_STOPPED;
	assert_int_equal(svc_graph_next(&g, idx("needs-daemon"), st, NULL), SVC_NEXT_BLOCKED);
	/* a daemon that exited no longer serves; a oneshot that exited 0 is done */
	st[idx("daemon")] = SVC_EXITED;
	assert_int_equal(svc_graph_next(&g, idx("needs-daemon"), st, NULL), SVC_NEXT_BLOCKED);
	st[idx("once")] = SVC_EXITED;
	assert_int_equal(svc_graph_next(&g, idx("needs-once"), st, NULL), SVC_NEXT_START);
	st[idx("once")] = SVC_FAILED;
	assert_int_equal(svc_graph_next(&g, idx("needs-once"), st, NULL), SVC_NEXT_BLOCKED);
	st[idx("daemon")] = SVC_READY;
	assert_int_equal(svc_graph_next(&g, idx("needs-daemon"), st, NULL), SVC_NEXT_START);
	/* a skipped service starts as FAILED and is never offered */
	reset();
	svc("a", "a", NULL);
	build();
	svc_graph_init_states(&g, st);
	assert_int_equal(st[0], SVC_FAILED);
	assert_int_equal(svc_graph_next(&g, 0, st, NULL), SVC_NEXT_NONE);
	assert_int_equal(svc_graph_next(&g, 7, st, NULL), SVC_NEXT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_chain),
	    cmocka_unit_test(test_diamond),
	    cmocka_unit_test(test_parallel),
	    cmocka_unit_test(test_self_loop),
	    cmocka_unit_test(test_cycle_with_dependents),
	    cmocka_unit_test(test_cycle_through_after),
	    cmocka_unit_test(test_two_cycles),
	    cmocka_unit_test(test_missing),
	    cmocka_unit_test(test_duplicates_and_limits),
	    cmocka_unit_test(test_long_cycle_report),
	    cmocka_unit_test(test_next),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
