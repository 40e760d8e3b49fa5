/*
 * test_sched_steal.c - the idle CPU's stealing order on 1, 2 and 4 node
 * topologies (asymmetric SLIT distances, ties, offline CPUs, a short output
 * array) and which entity runq_steal takes from a victim queue.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "base/err.h"
#include "sched/steal.h"

#define MS 1000000ull

static struct numa_topo topo;
static struct runq victim, thief;

/* ncpus CPUs, APIC id = CPU id; CPU c in domain c / per_node; optional SLIT. */
static void build(unsigned ncpus, unsigned per_node, const uint8_t *slit, unsigned slit_n)
{
	static uint32_t apic[MAX_CPUS];
	static struct numa_cpu_affinity srat[MAX_CPUS];
	for (unsigned c = 0; c < ncpus; c++) {
		apic[c] = c;
		srat[c] = (struct numa_cpu_affinity){c, c / per_node};
	}
	struct numa_input in = {.cpu_apic = apic, .ncpus = ncpus, .slit = slit, .slit_n = slit_n};
	if (per_node < ncpus) {
		in.srat = srat;
		in.nsrat = ncpus;
	}
	assert_int_equal(numa_build(&in, &topo), 0);
	if (slit)
		assert_true(topo.slit_used);
}

static void expect(unsigned self, const struct cpumask *online, const unsigned *want, unsigned n)
{
	unsigned order[MAX_CPUS];
	int got = steal_order(&topo, self, online, order, MAX_CPUS);
	assert_int_equal(got, (int)n);
	for (unsigned i = 0; i < n; i++)
		if (order[i] != want[i])
			fail_msg("self %u: order[%u] = %u, want %u", self, i, order[i], want[i]);
}

static void test_one_node(void **state)
{
	struct cpumask online;
	unsigned order[4];

	build(4, 4, NULL, 0);
	assert_int_equal(topo.nnodes, 1);
	cpumask_fill(&online, 4);
	expect(0, &online, (const unsigned[]){1, 2, 3}, 3);
	expect(2, &online, (const unsigned[]){0, 1, 3}, 3);
	/* Offline CPUs are skipped; a lone CPU has nowhere to steal from. */
	cpumask_clear(&online, 1);
	expect(2, &online, (const unsigned[]){0, 3}, 2);
	cpumask_zero(&online);
	cpumask_set(&online, 0);
	expect(0, &online, NULL, 0);
	/* Too small an array: the nearest cap, then -E_NOSPC. */
	cpumask_fill(&online, 4);
	assert_int_equal(steal_order(&topo, 3, &online, order, 2), -E_NOSPC);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 1);
	assert_int_equal(steal_order(&topo, MAX_CPUS, &online, order, 4), -E_INVAL);
}

static void test_two_nodes(void **state)
{
	struct cpumask online;

	build(8, 4, NULL, 0);
	assert_int_equal(topo.nnodes, 2);
	cpumask_fill(&online, 8);
	expect(5, &online, (const unsigned[]){4, 6, 7, 0, 1, 2, 3}, 7);
	expect(0, &online, (const unsigned[]){1, 2, 3, 4, 5, 6, 7}, 7);
	/* Own node entirely offline: straight to the other node. */
	cpumask_clear(&online, 1);
	cpumask_clear(&online, 2);
	cpumask_clear(&online, 3);
	expect(0, &online, (const unsigned[]){4, 5, 6, 7}, 4);
}

static void test_four_nodes_asymmetric(void **state)
{
	/* Rows differ from columns on purpose: distance is read from self's row. */
	static const uint8_t slit[16] = {
	    10, 30, 15, 30, /* node 0 */
	    20, 10, 40, 12, /* node 1 */
	    15, 21, 10, 12, /* node 2 */
	    17, 17, 17, 10, /* node 3 */
	};
	struct cpumask online;

	build(8, 2, slit, 4);
	assert_int_equal(topo.nnodes, 4);
	cpumask_fill(&online, 8);
	/* Node 0: node 2 (15), then the tie 1 and 3 (30) by node id. */
	expect(0, &online, (const unsigned[]){1, 4, 5, 2, 3, 6, 7}, 7);
	/* Node 1: node 3 (12), node 0 (20), node 2 (40). */
	expect(3, &online, (const unsigned[]){2, 6, 7, 0, 1, 4, 5}, 7);
	/* Node 2: node 3 (12), node 0 (15), node 1 (21). */
	expect(4, &online, (const unsigned[]){5, 6, 7, 0, 1, 2, 3}, 7);
	/* Node 3: all others at 17, by node id. */
	expect(6, &online, (const unsigned[]){7, 0, 1, 2, 3, 4, 5}, 7);
	cpumask_clear(&online, 4);
	cpumask_clear(&online, 7);
	expect(6, &online, (const unsigned[]){0, 1, 2, 3, 5}, 5);
}

static void fair(struct sched_entity *se, unsigned cpus_lo, unsigned cpus_hi)
{
	assert_int_equal(sched_entity_init(se, SCHED_POLICY_FAIR, sched_prio_from_nice(0)), 0);
	for (unsigned c = cpus_lo; c <= cpus_hi; c++)
		cpumask_set(&se->allowed, c);
}

static void test_runq_steal(void **state)
{
	struct sched_config cfg = SCHED_CONFIG_DEFAULT;
	struct sched_entity cur, pinned, a, b, r;
	uint64_t now = 1000 * MS;

	assert_int_equal(runq_init(&victim, &cfg, 0), 0);
	assert_int_equal(runq_init(&thief, &cfg, 0), 0);
	fair(&cur, 0, 3);
	fair(&pinned, 0, 0);
	fair(&a, 0, 3);
	fair(&b, 0, 3);
	assert_int_equal(sched_entity_init(&r, SCHED_POLICY_FIFO, sched_prio_from_rt(5)), 0);
	cpumask_fill(&r.allowed, 4);
	/* Only the current entity: nothing to steal. */
	runq_enqueue(&victim, &cur, now);
	assert_ptr_equal(runq_pick(&victim, now), &cur);
	assert_null(runq_steal(&victim, 1));
	/* Equal vruntimes: tree order is enqueue order, pinned, a, b. */
	runq_enqueue(&victim, &pinned, now);
	runq_enqueue(&victim, &a, now);
	runq_enqueue(&victim, &b, now);
	runq_enqueue(&victim, &r, now);
	assert_int_equal(runq_nr_running(&victim), 5);
	/* CPU 1 may not take pinned (CPU 0 only) nor current cur; the waiting
	   RT entity r goes first. */
	struct sched_entity *s = runq_steal(&victim, 1);
	assert_ptr_equal(s, &r);
	assert_false(r.on_rq);
	assert_int_equal(runq_nr_running(&victim), 4);
	s = runq_steal(&victim, 1);
	assert_ptr_equal(s, &a);
	assert_false(a.on_rq);
	assert_int_equal(a.vr_state, SCHED_VR_REL);
	assert_int_equal(runq_nr_running(&victim), 3);
	assert_ptr_equal(runq_steal(&victim, 1), &b);
	assert_null(runq_steal(&victim, 1));
	/* CPU 0 may take pinned. */
	assert_ptr_equal(runq_steal(&victim, 0), &pinned);
	assert_null(runq_steal(&victim, 0));
	/* CPU 9 is outside every mask. */
	runq_enqueue(&victim, &pinned, now);
	assert_null(runq_steal(&victim, 9));
	/* On the thief, vruntime is rebased on the thief's min_vruntime. */
	thief.min_vruntime = 500 * MS;
	uint64_t rel = a.vruntime;
	runq_enqueue(&thief, &a, now);
	assert_int_equal(a.vruntime, 500 * MS + rel);
	assert_int_equal(a.vr_state, SCHED_VR_ABS);
	assert_ptr_equal(runq_pick(&thief, now), &a);
}

/* Stolen after running far ahead: the relative lag survives the move. */
static void test_steal_keeps_lag(void **state)
{
	struct sched_config cfg = SCHED_CONFIG_DEFAULT;
	struct sched_entity x, y, z;
	uint64_t now = 0;

	assert_int_equal(runq_init(&victim, &cfg, 0), 0);
	assert_int_equal(runq_init(&thief, &cfg, 0), 0);
	fair(&x, 0, 1);
	fair(&y, 0, 1);
	fair(&z, 0, 1);
	runq_enqueue(&victim, &x, now);
	runq_enqueue(&victim, &y, now);
	struct sched_entity *cur = runq_pick(&victim, now);
	for (int i = 0; i < 1000; i++) {
		now += MS;
		if (runq_tick(&victim, cur, now))
			cur = runq_pick(&victim, now);
	}
	struct sched_entity *other = cur == &x ? &y : &x;
	int64_t lag = (int64_t)(other->vruntime - victim.min_vruntime);
	assert_ptr_equal(runq_steal(&victim, 1), other);
	thief.min_vruntime = 7 * MS; /* the thief's own virtual clock */
	runq_enqueue(&thief, &z, now);
	runq_enqueue(&thief, other, now);
	assert_int_equal((int64_t)(other->vruntime - thief.min_vruntime), lag);
}

/* A FIFO hog runs; a lower RT thread waits behind it: an idle CPU takes
   the waiting one (most urgent allowed level first), never the hog, and
   not one whose mask excludes it. */
static void test_steal_rt_behind_hog(void **state)
{
	struct sched_config cfg = SCHED_CONFIG_DEFAULT;
	struct sched_entity hog, low, mid_pinned, f;
	uint64_t now = 10 * MS;

	assert_int_equal(runq_init(&victim, &cfg, 0), 0);
	assert_int_equal(sched_entity_init(&hog, SCHED_POLICY_FIFO, sched_prio_from_rt(9)), 0);
	assert_int_equal(sched_entity_init(&low, SCHED_POLICY_FIFO, sched_prio_from_rt(1)), 0);
	assert_int_equal(sched_entity_init(&mid_pinned, SCHED_POLICY_RR, sched_prio_from_rt(5)), 0);
	cpumask_fill(&hog.allowed, 4);
	cpumask_fill(&low.allowed, 4);
	cpumask_zero(&mid_pinned.allowed);
	cpumask_set(&mid_pinned.allowed, 0);
	fair(&f, 0, 3);
	runq_enqueue(&victim, &hog, now);
	assert_ptr_equal(runq_pick(&victim, now), &hog);
	runq_enqueue(&victim, &f, now);
	runq_enqueue(&victim, &mid_pinned, now);
	runq_enqueue(&victim, &low, now);
	assert_ptr_equal(runq_steal(&victim, 2), &low);
	assert_false(low.on_rq);
	assert_ptr_equal(runq_steal(&victim, 2), &f); /* then the fair one */
	assert_null(runq_steal(&victim, 2));	      /* never the hog, nor mid_pinned */
	assert_ptr_equal(runq_steal(&victim, 0), &mid_pinned);
	assert_int_equal(runq_nr_running(&victim), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_node),
	    cmocka_unit_test(test_two_nodes),
	    cmocka_unit_test(test_four_nodes_asymmetric),
	    cmocka_unit_test(test_runq_steal),
	    cmocka_unit_test(test_steal_keeps_lag),
	    cmocka_unit_test(test_steal_rt_behind_hog),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
