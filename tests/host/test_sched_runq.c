/*
 * test_sched_runq.c - the run queue as a pure policy: RT level order, FIFO
 * and round-robin, weighted fair shares over simulated seconds of ticks,
 * slices and the preemption interval, sleeper placement, wakeup preemption,
 * priority changes (PI boosts) while queued, yield, and RT throttling.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "base/err.h"
#include "sched/runq.h"
#include "sched/steal.h"
#include "sched/weight.h"

#define MS 1000000ull
#define SEC 1000000000ull
#define T0 (5 * SEC + 123) /* queues start at an arbitrary time */

static struct runq rq;

static void init_rq(const struct sched_config *cfg)
{
	struct sched_config def = SCHED_CONFIG_DEFAULT;
	assert_int_equal(runq_init(&rq, cfg ? cfg : &def, T0), 0);
}

static void fair(struct sched_entity *se, int nice)
{
	assert_int_equal(sched_entity_init(se, SCHED_POLICY_FAIR, sched_prio_from_nice(nice)), 0);
	cpumask_fill(&se->allowed, 4);
}

static void rt(struct sched_entity *se, enum sched_policy pol, int level)
{
	assert_int_equal(sched_entity_init(se, pol, sched_prio_from_rt(level)), 0);
	cpumask_fill(&se->allowed, 4);
}

/* Run the queue for dur ns with a tick every tick ns; returns the current. */
static struct sched_entity *simulate(uint64_t *now, uint64_t dur, uint64_t tick)
{
	uint64_t end = *now + dur;
	struct sched_entity *cur = rq.curr ? rq.curr : runq_pick(&rq, *now);

	while (*now < end) {
		*now += tick;
		if (runq_tick(&rq, cur, *now))
			cur = runq_pick(&rq, *now);
	}
	runq_update(&rq, *now);
	return cur;
}

static void assert_near(uint64_t got, uint64_t want, uint64_t tol)
{
	if (got + tol < want || got > want + tol)
		fail_msg("got %llu, want %llu +- %llu", (unsigned long long)got,
			 (unsigned long long)want, (unsigned long long)tol);
}

static void test_init_and_empty(void **state)
{
	struct sched_config cfg = SCHED_CONFIG_DEFAULT;
	struct sched_entity se;

	init_rq(NULL);
	assert_null(runq_pick(&rq, T0));
	assert_int_equal(runq_nr_running(&rq), 0);
	assert_false(runq_tick(&rq, NULL, T0 + MS));
	cfg.latency_ns = 0;
	assert_int_equal(runq_init(&rq, &cfg, 0), -E_INVAL);
	cfg = SCHED_CONFIG_DEFAULT;
	cfg.min_granularity_ns = cfg.latency_ns + 1;
	assert_int_equal(sched_config_check(&cfg), -E_INVAL);
	cfg = SCHED_CONFIG_DEFAULT;
	cfg.rt_period_ns = 0;
	assert_int_equal(sched_config_check(&cfg), -E_INVAL);
	/* Policy and priority must agree. */
	assert_int_equal(sched_entity_init(&se, SCHED_POLICY_FAIR, 40), -E_INVAL);
	assert_int_equal(sched_entity_init(&se, SCHED_POLICY_FIFO, 39), -E_INVAL);
	assert_int_equal(sched_entity_init(&se, SCHED_POLICY_RR, 50), -E_INVAL);
	assert_int_equal(sched_entity_init(&se, SCHED_POLICY_FAIR, -1), -E_INVAL);
	assert_int_equal(sched_entity_init(&se, (enum sched_policy)7, 45), -E_INVAL);
	assert_int_equal(sched_entity_init(&se, SCHED_POLICY_FAIR, 19), 0);
	assert_int_equal(se.weight, 1024);
	assert_true(cpumask_empty(&se.allowed));
}

static void test_rt_levels_before_fair(void **state)
{
	struct sched_entity f, r0, r3, r9, r3b;
	uint64_t now = T0;

	init_rq(NULL);
	fair(&f, -20);
	rt(&r0, SCHED_POLICY_FIFO, 0);
	rt(&r3, SCHED_POLICY_FIFO, 3);
	rt(&r3b, SCHED_POLICY_RR, 3);
	rt(&r9, SCHED_POLICY_FIFO, 9);
	runq_enqueue(&rq, &f, now);
	runq_enqueue(&rq, &r3, now);
	runq_enqueue(&rq, &r0, now);
	runq_enqueue(&rq, &r9, now);
	runq_enqueue(&rq, &r3b, now);
	assert_int_equal(runq_nr_running(&rq), 5);
	assert_ptr_equal(runq_pick(&rq, now), &r9);
	assert_ptr_equal(rq.curr, &r9);
	runq_dequeue(&rq, &r9);
	assert_null(rq.curr);
	assert_ptr_equal(runq_pick(&rq, now), &r3); /* FIFO within a level */
	runq_dequeue(&rq, &r3);
	assert_ptr_equal(runq_pick(&rq, now), &r3b);
	runq_dequeue(&rq, &r3b);
	assert_ptr_equal(runq_pick(&rq, now), &r0);
	runq_dequeue(&rq, &r0);
	assert_ptr_equal(runq_pick(&rq, now), &f);
	assert_int_equal(runq_nr_running(&rq), 1);
	runq_dequeue(&rq, &f);
	assert_null(runq_pick(&rq, now));
	assert_int_equal(runq_nr_running(&rq), 0);
}

static void test_fifo_never_sliced(void **state)
{
	struct sched_entity a, b, hi;
	uint64_t now = T0;

	init_rq(NULL);
	rt(&a, SCHED_POLICY_FIFO, 5);
	rt(&b, SCHED_POLICY_FIFO, 5);
	runq_enqueue(&rq, &a, now);
	runq_enqueue(&rq, &b, now);
	assert_ptr_equal(runq_pick(&rq, now), &a);
	for (int i = 0; i < 10000; i++) {
		now += MS;
		assert_false(runq_tick(&rq, &a, now));
	}
	assert_int_equal(a.sum_runtime, 10 * SEC);
	assert_int_equal(b.sum_runtime, 0);
	/* A higher level wakes: preempt; a preempted FIFO keeps its place. */
	rt(&hi, SCHED_POLICY_FIFO, 6);
	runq_enqueue(&rq, &hi, now);
	assert_true(runq_wakeup_preempt(&rq, &hi, now));
	assert_false(runq_wakeup_preempt(&rq, &b, now));
	now += MS;
	assert_true(runq_tick(&rq, &a, now));
	assert_ptr_equal(runq_pick(&rq, now), &hi);
	runq_dequeue(&rq, &hi);
	assert_ptr_equal(runq_pick(&rq, now), &a);
	/* Yield sends a to the tail of its level. */
	runq_yield(&rq, now);
	assert_ptr_equal(runq_pick(&rq, now), &b);
}

static void test_rr_rotation(void **state)
{
	struct sched_entity e[3], alone;
	uint64_t now = T0;

	init_rq(NULL);
	for (int i = 0; i < 3; i++) {
		rt(&e[i], SCHED_POLICY_RR, 2);
		runq_enqueue(&rq, &e[i], now);
	}
	/* Order of running: 0, 1, 2, 0, ... each for 100 ms. */
	struct sched_entity *cur = runq_pick(&rq, now);
	assert_ptr_equal(cur, &e[0]);
	for (int turn = 0; turn < 6; turn++) {
		assert_ptr_equal(cur, &e[turn % 3]);
		for (int t = 0; t < 99; t++) {
			now += MS;
			assert_false(runq_tick(&rq, cur, now));
		}
		now += MS;
		assert_true(runq_tick(&rq, cur, now));
		cur = runq_pick(&rq, now);
	}
	cur = simulate(&now, 3 * SEC - 600 * MS, MS);
	for (int i = 0; i < 3; i++)
		assert_int_equal(e[i].sum_runtime, SEC);
	/* Alone at its level, an RR entity keeps the CPU at slice end. */
	init_rq(NULL);
	rt(&alone, SCHED_POLICY_RR, 2);
	runq_enqueue(&rq, &alone, now);
	assert_ptr_equal(runq_pick(&rq, now), &alone);
	for (int t = 0; t < 1000; t++) {
		now += MS;
		assert_false(runq_tick(&rq, &alone, now));
	}
}

static void test_fair_equal_shares(void **state)
{
	struct sched_entity e[3];
	uint64_t now = T0;

	init_rq(NULL);
	for (int i = 0; i < 3; i++) {
		fair(&e[i], 0);
		runq_enqueue(&rq, &e[i], now);
	}
	assert_int_equal(runq_fair_slice(&rq, &e[0]), 2 * MS);
	simulate(&now, 3 * SEC, 100000);
	for (int i = 0; i < 3; i++)
		assert_near(e[i].sum_runtime, SEC, 2 * MS);
	/* min_vruntime follows the smallest vruntime. */
	uint64_t lo = e[0].vruntime;
	for (int i = 1; i < 3; i++)
		if (e[i].vruntime < lo)
			lo = e[i].vruntime;
	assert_true(rq.min_vruntime <= lo);
	assert_true(rq.min_vruntime + 3 * MS > lo);
}

static void test_fair_weighted_shares(void **state)
{
	static const int nices[] = {-5, 0, 0, 3, 10};
	struct sched_entity e[5];
	uint64_t now = T0, total_w = 0;

	init_rq(NULL);
	for (int i = 0; i < 5; i++) {
		fair(&e[i], nices[i]);
		total_w += sched_weight(nices[i]);
		runq_enqueue(&rq, &e[i], now);
	}
	simulate(&now, 20 * SEC, MS / 4);
	for (int i = 0; i < 5; i++) {
		uint64_t want = 20 * SEC * sched_weight(nices[i]) / total_w;
		assert_near(e[i].sum_runtime, want, want / 100 + 2 * MS);
	}
	/* One nice step: about 55:45. */
	struct sched_entity a, b;
	init_rq(NULL);
	fair(&a, 0);
	fair(&b, 1);
	runq_enqueue(&rq, &a, now);
	runq_enqueue(&rq, &b, now);
	simulate(&now, 10 * SEC, MS / 4);
	assert_near(a.sum_runtime * 1000 / (10 * SEC), 556, 5);
}

static void test_fair_slice_and_interval(void **state)
{
	struct sched_entity e[10];
	uint64_t now = T0;

	init_rq(NULL);
	fair(&e[0], 0);
	fair(&e[1], 0);
	runq_enqueue(&rq, &e[0], now);
	runq_enqueue(&rq, &e[1], now);
	/* Two equal entities split the 6 ms preemption interval. */
	assert_int_equal(runq_fair_slice(&rq, &e[0]), 3 * MS);
	struct sched_entity *cur = runq_pick(&rq, now);
	now += 2 * MS;
	assert_false(runq_tick(&rq, cur, now));
	now += MS;
	assert_true(runq_tick(&rq, cur, now));
	struct sched_entity *next = runq_pick(&rq, now);
	assert_ptr_not_equal(next, cur);
	/* Alone: never preempted by time. */
	runq_dequeue(&rq, cur);
	for (int i = 0; i < 100; i++) {
		now += MS;
		assert_false(runq_tick(&rq, next, now));
	}
	/* Ten entities: the period stretches to 10 x 0.75 ms. */
	for (int i = 2; i < 10; i++) {
		fair(&e[i], 0);
		runq_enqueue(&rq, &e[i], now);
	}
	runq_enqueue(&rq, cur, now);
	assert_int_equal(runq_fair_slice(&rq, &e[3]), 750000);
	/* A shorter configured interval gives shorter slices. */
	struct sched_config cfg = SCHED_CONFIG_DEFAULT;
	cfg.latency_ns = 2 * MS;
	cfg.min_granularity_ns = MS / 4;
	init_rq(&cfg);
	fair(&e[0], 0);
	fair(&e[1], 0);
	runq_enqueue(&rq, &e[0], now);
	runq_enqueue(&rq, &e[1], now);
	assert_int_equal(runq_fair_slice(&rq, &e[0]), MS);
	/* Tick is false for a non-current entity. */
	cur = runq_pick(&rq, now);
	assert_false(runq_tick(&rq, cur == &e[0] ? &e[1] : &e[0], now + 10 * MS));
}

static void test_sleeper_placement(void **state)
{
	struct sched_entity a, b, s, n;
	uint64_t now = T0;

	init_rq(NULL);
	fair(&a, 0);
	fair(&b, 0);
	fair(&s, 0);
	runq_enqueue(&rq, &a, now);
	runq_enqueue(&rq, &b, now);
	runq_enqueue(&rq, &s, now);
	/* s runs a little, then sleeps for 10 s while a and b run. */
	struct sched_entity *cur = simulate(&now, 30 * MS, MS);
	if (cur == &s)
		runq_update(&rq, now);
	runq_dequeue(&rq, &s);
	uint64_t slept_vr = s.vruntime;
	simulate(&now, 10 * SEC, MS);
	runq_enqueue(&rq, &s, now);
	/* Credit is bounded: s starts wake_bonus_ns below min_vruntime. */
	assert_true(s.vruntime > slept_vr);
	assert_int_equal(s.vruntime, rq.min_vruntime - rq.cfg.wake_bonus_ns);
	assert_true(runq_wakeup_preempt(&rq, &s, now));
	/* s gets the CPU, and not for long: about the bonus plus a slice. */
	uint64_t before = s.sum_runtime;
	cur = runq_pick(&rq, now);
	assert_ptr_equal(cur, &s);
	simulate(&now, 3 * SEC, MS);
	uint64_t got = s.sum_runtime - before;
	assert_near(got, SEC + 3 * MS, 8 * MS);
	/* A short sleep keeps the entity's own (larger) vruntime. */
	runq_update(&rq, now);
	struct sched_entity *w = rq.curr == &a ? &b : &a;
	runq_dequeue(&rq, w);
	uint64_t vr = w->vruntime;
	now += MS;
	runq_enqueue(&rq, w, now);
	assert_int_equal(w->vruntime, vr);
	/* A new entity starts at min_vruntime, with no bonus. */
	fair(&n, 0);
	runq_enqueue(&rq, &n, now);
	assert_int_equal(n.vruntime, rq.min_vruntime);
}

/* A sleeper that wakes on another queue keeps its place relative to each queue's min_vruntime:
   after a short sleep its own lag, after a long one at most the bonus. */
static void test_sleeper_moves(void **state)
{
	struct sched_config def = SCHED_CONFIG_DEFAULT;
	struct runq other;
	struct sched_entity a, c, s, b;
	uint64_t now = T0;

	init_rq(NULL);
	assert_int_equal(runq_init(&other, &def, T0), 0);
	fair(&a, 0);
	fair(&c, 0);
	fair(&s, 0);
	fair(&b, 0);
	runq_enqueue(&rq, &a, now);
	runq_enqueue(&rq, &s, now);
	simulate(&now, 40 * MS, MS);
	runq_update(&rq, now);
	runq_dequeue(&rq, &s); /* s sleeps a moment */
	int64_t lag = (int64_t)(s.vruntime - rq.min_vruntime);
	runq_enqueue(&other, &b, now);
	runq_pick(&other, now);
	now += 500 * MS;
	runq_update(&other, now);
	runq_forget(&rq, &s);
	runq_forget(&rq, &s); /* a second call changes nothing */
	runq_enqueue(&other, &s, now);
	assert_int_equal((int64_t)(s.vruntime - other.min_vruntime), lag);
	/* back on rq, s sleeps 10 s while a and c run there, then wakes on other */
	runq_update(&other, now);
	runq_dequeue(&other, &s);
	runq_forget(&other, &s);
	runq_enqueue(&rq, &s, now);
	runq_update(&rq, now);
	runq_dequeue(&rq, &s);
	runq_enqueue(&rq, &c, now);
	simulate(&now, 10 * SEC, MS);
	runq_forget(&rq, &s);
	runq_enqueue(&other, &s, now);
	assert_int_equal(s.vruntime, other.min_vruntime - other.cfg.wake_bonus_ns);
}

static void test_wakeup_preempt(void **state)
{
	struct sched_entity a, b, r1, r2;
	uint64_t now = T0;

	init_rq(NULL);
	fair(&a, 0);
	fair(&b, 0);
	assert_true(runq_wakeup_preempt(&rq, &a, now)); /* idle CPU */
	runq_enqueue(&rq, &a, now);
	assert_ptr_equal(runq_pick(&rq, now), &a);
	assert_false(runq_wakeup_preempt(&rq, &a, now));
	now += 20 * MS;
	runq_update(&rq, now);
	/* b waking far behind a's vruntime preempts; close behind does not. */
	b.vr_state = SCHED_VR_ABS; /* as if it had slept */
	runq_enqueue(&rq, &b, now);
	assert_int_equal(b.vruntime, a.vruntime - rq.cfg.wake_bonus_ns);
	assert_true(runq_wakeup_preempt(&rq, &b, now));
	runq_dequeue(&rq, &b);
	b.vruntime = a.vruntime - rq.cfg.wakeup_gran_ns / 2;
	runq_enqueue(&rq, &b, now);
	assert_false(runq_wakeup_preempt(&rq, &b, now));
	/* RT beats fair; a lower RT level does not beat a higher one. */
	rt(&r1, SCHED_POLICY_FIFO, 1);
	rt(&r2, SCHED_POLICY_RR, 2);
	runq_enqueue(&rq, &r1, now);
	assert_true(runq_wakeup_preempt(&rq, &r1, now));
	assert_ptr_equal(runq_pick(&rq, now), &r1);
	runq_enqueue(&rq, &r2, now);
	assert_true(runq_wakeup_preempt(&rq, &r2, now));
	assert_ptr_equal(runq_pick(&rq, now), &r2);
	runq_dequeue(&rq, &r1);
	runq_enqueue(&rq, &r1, now);
	assert_false(runq_wakeup_preempt(&rq, &r1, now));
	assert_false(runq_wakeup_preempt(&rq, &b, now));
}

static void test_set_prio_boost(void **state)
{
	struct sched_entity lo, mid, r;
	uint64_t now = T0;

	init_rq(NULL);
	fair(&lo, 10);
	fair(&mid, 0);
	rt(&r, SCHED_POLICY_FIFO, 4);
	runq_enqueue(&rq, &lo, now);
	runq_enqueue(&rq, &mid, now);
	runq_enqueue(&rq, &r, now);
	assert_ptr_equal(runq_pick(&rq, now), &r);
	/* PI: lo holds a lock r waits on; r blocks and lo inherits level 4. */
	runq_dequeue(&rq, &r);
	assert_int_equal(runq_set_prio(&rq, &lo, sched_prio_from_rt(4), now), 0);
	assert_int_equal(rq.nr_rt, 1);
	assert_int_equal(rq.nr_fair, 1);
	assert_int_equal(rq.fair_weight, 1024);
	assert_ptr_equal(runq_pick(&rq, now), &lo);
	/* Boosted fair entity runs as FIFO: no time slice. */
	for (int i = 0; i < 50; i++) {
		now += MS;
		assert_false(runq_tick(&rq, &lo, now));
	}
	uint64_t vr = lo.vruntime;
	/* Unboost while current: back to fair, no credit for the boost. */
	assert_int_equal(runq_set_prio(&rq, &lo, sched_prio_from_nice(10), now), 0);
	assert_ptr_equal(rq.curr, &lo);
	assert_true(lo.vruntime >= vr);
	assert_true((int64_t)(lo.vruntime - (rq.min_vruntime - rq.cfg.wake_bonus_ns)) >= 0);
	assert_int_equal(rq.fair_weight, 1024 + sched_weight(10));
	assert_int_equal(runq_nr_running(&rq), 2);
	/* Fair to fair (nice change) reweights. */
	assert_int_equal(runq_set_prio(&rq, &mid, sched_prio_from_nice(-3), now), 0);
	assert_int_equal(mid.weight, sched_weight(-3));
	assert_int_equal(rq.fair_weight, sched_weight(-3) + sched_weight(10));
	/* Invalid: off the scale, or an RT policy with a fair priority. */
	assert_int_equal(runq_set_prio(&rq, &mid, 50, now), -E_INVAL);
	assert_int_equal(runq_set_prio(&rq, &r, 30, now), -E_INVAL);
	/* Not queued: just recorded. */
	assert_int_equal(runq_set_prio(&rq, &r, sched_prio_from_rt(7), now), 0);
	assert_int_equal(r.prio, 47);
}

static void test_fair_yield(void **state)
{
	struct sched_entity a, b, c;
	uint64_t now = T0;

	init_rq(NULL);
	fair(&a, 0);
	fair(&b, 0);
	fair(&c, 0);
	runq_enqueue(&rq, &a, now);
	runq_enqueue(&rq, &b, now);
	runq_enqueue(&rq, &c, now);
	struct sched_entity *cur = runq_pick(&rq, now);
	assert_ptr_equal(cur, &a);
	now += 100000;
	runq_yield(&rq, now);
	assert_ptr_equal(runq_pick(&rq, now), &b);
	now += 100000;
	runq_yield(&rq, now);
	assert_ptr_equal(runq_pick(&rq, now), &c);
	runq_yield(&rq, now);
	assert_ptr_equal(runq_pick(&rq, now), &a);
}

/* A spinning FIFO entity and a fair one: the fair one gets the 5 %. */
static void test_rt_throttling(void **state)
{
	struct sched_entity r, f;
	uint64_t now = T0;

	init_rq(NULL);
	rt(&r, SCHED_POLICY_FIFO, 9);
	fair(&f, 19);
	runq_enqueue(&rq, &r, now);
	runq_enqueue(&rq, &f, now);
	simulate(&now, 10 * SEC, MS);
	assert_near(f.sum_runtime, 500 * MS, 10 * MS);
	assert_near(r.sum_runtime, 9500 * MS, 10 * MS);
	/* Throttled only in the last 50 ms of each period. */
	init_rq(NULL);
	now = T0;
	r.sum_runtime = f.sum_runtime = 0;
	runq_enqueue(&rq, &r, now);
	runq_enqueue(&rq, &f, now);
	assert_ptr_equal(runq_pick(&rq, now), &r);
	now += 949 * MS;
	assert_false(runq_tick(&rq, &r, now));
	assert_false(runq_rt_throttled(&rq, now));
	now += MS;
	assert_true(runq_tick(&rq, &r, now));
	assert_true(runq_rt_throttled(&rq, now));
	assert_int_equal(runq_rt_period_end(&rq), T0 + SEC);
	assert_ptr_equal(runq_pick(&rq, now), &f);
	/* While throttled a waking RT entity does not preempt. */
	assert_false(runq_wakeup_preempt(&rq, &r, now));
	now += 49 * MS;
	assert_false(runq_tick(&rq, &f, now));
	now += MS;
	assert_true(runq_tick(&rq, &f, now)); /* the period rolled over */
	assert_false(runq_rt_throttled(&rq, now));
	assert_ptr_equal(runq_pick(&rq, now), &r);
	assert_int_equal(runq_rt_period_end(&rq), T0 + 2 * SEC);
	/* Without fair work a throttled RT entity keeps the CPU. */
	runq_dequeue(&rq, &f);
	simulate(&now, 3 * SEC, MS);
	assert_near(r.sum_runtime, 950 * MS + 3 * SEC, MS);
	/* A fair entity waking into a throttled period preempts the RT one. */
	simulate(&now, 960 * MS, MS);
	runq_enqueue(&rq, &f, now);
	assert_true(runq_rt_throttled(&rq, now));
	assert_true(runq_wakeup_preempt(&rq, &f, now));
	/* Configurable: 50 % of 100 ms. */
	struct sched_config cfg = SCHED_CONFIG_DEFAULT;
	cfg.rt_runtime_ns = 50 * MS;
	cfg.rt_period_ns = 100 * MS;
	init_rq(&cfg);
	r.sum_runtime = f.sum_runtime = 0;
	runq_enqueue(&rq, &r, now);
	runq_enqueue(&rq, &f, now);
	simulate(&now, 2 * SEC, MS);
	assert_near(f.sum_runtime, SEC, 50 * MS); /* first period starts mid-way */
	/* runtime >= period: no throttling. */
	cfg.rt_runtime_ns = cfg.rt_period_ns;
	init_rq(&cfg);
	r.sum_runtime = f.sum_runtime = 0;
	runq_enqueue(&rq, &r, now);
	runq_enqueue(&rq, &f, now);
	simulate(&now, 2 * SEC, MS);
	assert_int_equal(f.sum_runtime, 0);
}

/* Two RR entities and two fair ones under throttling: RT share is 95 %. */
static void test_rt_throttling_mixed(void **state)
{
	struct sched_entity r1, r2, f1, f2;
	uint64_t now = T0;

	init_rq(NULL);
	rt(&r1, SCHED_POLICY_RR, 1);
	rt(&r2, SCHED_POLICY_RR, 1);
	fair(&f1, 0);
	fair(&f2, 0);
	runq_enqueue(&rq, &r1, now);
	runq_enqueue(&rq, &r2, now);
	runq_enqueue(&rq, &f1, now);
	runq_enqueue(&rq, &f2, now);
	simulate(&now, 10 * SEC, MS);
	assert_near(r1.sum_runtime + r2.sum_runtime, 9500 * MS, 10 * MS);
	assert_near(r1.sum_runtime, 4750 * MS, 100 * MS);
	assert_near(f1.sum_runtime, 250 * MS, 10 * MS);
	assert_near(f2.sum_runtime, 250 * MS, 10 * MS);
}

static bool vr_less(const struct rbt_node *a, const struct rbt_node *b)
{
	return (int64_t)(rbt_entry(a, struct sched_entity, fair_node)->vruntime -
			 rbt_entry(b, struct sched_entity, fair_node)->vruntime) < 0;
}

/* The queue's counters, bitmap, tree and lists agree with each other. */
static void check_invariants(const struct runq *q)
{
	unsigned bh, nfair = 0, nrt = 0;
	uint64_t w = 0;

	assert_int_equal(rbt_check(&q->fair, vr_less, &bh), 0);
	for (struct rbt_node *n = rbt_first(&q->fair); n; n = rbt_next(n)) {
		struct sched_entity *se = rbt_entry(n, struct sched_entity, fair_node);
		assert_true(se->on_rq);
		assert_false(sched_prio_is_rt(se->prio));
		w += se->weight;
		nfair++;
	}
	for (unsigned l = 0; l < SCHED_RT_LEVELS; l++) {
		const struct sched_entity *h = q->rt[l].head, *se = h;
		assert_int_equal(!!(q->rt_bitmap & (1u << l)), h != NULL);
		if (!h)
			continue;
		do {
			assert_true(se->on_rq);
			assert_int_equal(se->prio, sched_prio_from_rt((int)l));
			assert_ptr_equal(se->rt_next->rt_prev, se);
			nrt++;
			se = se->rt_next;
		} while (se != h);
	}
	assert_int_equal(nfair, q->nr_fair);
	assert_int_equal(nrt, q->nr_rt);
	assert_int_equal(w, q->fair_weight);
	assert_int_equal(q->nr_running, nfair + nrt);
	if (q->curr)
		assert_true(q->curr->on_rq);
}

/* Random operations on two queues (steal between them) keep the invariants. */
static void test_random_ops(void **state)
{
	static struct sched_entity e[64];
	static struct runq q2;
	struct sched_config cfg = SCHED_CONFIG_DEFAULT;
	struct runq *qs[2] = {&rq, &q2};
	struct runq *home[64] = {0};
	uint64_t now = T0;
	uint32_t seed = 99;

	assert_int_equal(runq_init(&rq, &cfg, now), 0);
	assert_int_equal(runq_init(&q2, &cfg, now), 0);
	for (int i = 0; i < 64; i++) {
		if (i % 5 == 0)
			rt(&e[i], i % 2 ? SCHED_POLICY_RR : SCHED_POLICY_FIFO, i % 10);
		else
			fair(&e[i], i % 40 - 20);
		if (i % 3 == 0)
			cpumask_clear(&e[i].allowed, 1); /* never stolen by CPU 1 */
	}
	for (int step = 0; step < 50000; step++) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = seed >> 8, i = r % 64, qi = (r >> 6) & 1;
		struct runq *q = qs[qi];
		now += (r >> 7) % 300000;
		switch ((r >> 16) % 7) {
		case 0:
		case 1:
			if (!e[i].on_rq) {
				runq_enqueue(q, &e[i], now);
				home[i] = q;
				(void)runq_wakeup_preempt(q, &e[i], now);
			}
			break;
		case 2:
			if (e[i].on_rq) {
				runq_update(home[i], now);
				runq_dequeue(home[i], &e[i]);
			}
			break;
		case 3:
			if (runq_pick(q, now))
				assert_ptr_equal(home[q->curr - e], q);
			break;
		case 4:
			if (q->curr)
				(void)runq_tick(q, q->curr, now);
			else
				runq_yield(q, now);
			break;
		case 5: {
			struct sched_entity *s = runq_steal(qs[!qi], 1);
			if (s) {
				assert_true(s->allowed.bits[0] & 2);
				runq_enqueue(q, s, now);
				home[s - e] = q;
			}
			break;
		}
		case 6: {
			int p = (int)((r >> 20) % 50);
			if (e[i].policy != SCHED_POLICY_FAIR && !sched_prio_is_rt(p))
				p += 40 - p % 40;
			if (e[i].policy != SCHED_POLICY_FAIR && p > 49)
				p = 49;
			assert_int_equal(runq_set_prio(home[i] ? home[i] : q, &e[i], p, now), 0);
			break;
		}
		}
		if (step % 64 == 0) {
			check_invariants(&rq);
			check_invariants(&q2);
		}
	}
	check_invariants(&rq);
	check_invariants(&q2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_and_empty),
	    cmocka_unit_test(test_rt_levels_before_fair),
	    cmocka_unit_test(test_fifo_never_sliced),
	    cmocka_unit_test(test_rr_rotation),
	    cmocka_unit_test(test_fair_equal_shares),
	    cmocka_unit_test(test_fair_weighted_shares),
	    cmocka_unit_test(test_fair_slice_and_interval),
	    cmocka_unit_test(test_sleeper_placement),
	    cmocka_unit_test(test_sleeper_moves),
	    cmocka_unit_test(test_wakeup_preempt),
	    cmocka_unit_test(test_set_prio_boost),
	    cmocka_unit_test(test_fair_yield),
	    cmocka_unit_test(test_rt_throttling),
	    cmocka_unit_test(test_rt_throttling_mixed),
	    cmocka_unit_test(test_random_ops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
