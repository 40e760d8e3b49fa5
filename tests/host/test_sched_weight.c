/*
 * test_sched_weight.c - nice weights and virtual time scaling, and the
 * red-black tree the fair class keeps its entities in (random insert/remove
 * against the red-black rules, FIFO order among equal keys).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "base/err.h"
#include "sched/prio.h"
#include "sched/rbtree.h"
#include "sched/weight.h"

static void test_weight_table(void **state)
{
	assert_int_equal(sched_weight(0), 1024);
	assert_int_equal(sched_weight(-20), 88818);
	assert_int_equal(sched_weight(19), 15);
	/* Out of range clamps. */
	assert_int_equal(sched_weight(-100), 88818);
	assert_int_equal(sched_weight(100), 15);
	for (int n = -20; n < 19; n++) {
		uint32_t a = sched_weight(n), b = sched_weight(n + 1);
		/* Each step is 1.25x within rounding: 4a ~ 5b. */
		assert_true(a > b);
		assert_true(4 * (uint64_t)a <= 5 * (uint64_t)b + 4);
		assert_true(4 * (uint64_t)a + 4 >= 5 * (uint64_t)b);
		/* Inverse is round(2^32 / w). */
		uint64_t inv = sched_inv_weight(n);
		uint64_t exact = (1ull << 32) / a;
		assert_true(inv == exact || inv == exact + 1);
	}
	assert_int_equal(sched_inv_weight(0), 1u << 22);
}

static void test_prio_scale(void **state)
{
	assert_int_equal(sched_prio_from_nice(0), 19);
	assert_int_equal(sched_prio_from_nice(-20), SCHED_PRIO_FAIR_MAX);
	assert_int_equal(sched_prio_from_nice(19), SCHED_PRIO_FAIR_MIN);
	assert_int_equal(sched_prio_from_rt(0), SCHED_PRIO_RT_MIN);
	assert_int_equal(sched_prio_from_rt(9), SCHED_PRIO_RT_MAX);
	assert_true(sched_prio_from_rt(0) > sched_prio_from_nice(-20));
	assert_true(sched_prio_is_rt(40));
	assert_false(sched_prio_is_rt(39));
	assert_int_equal(sched_prio_nice(sched_prio_from_nice(-7)), -7);
	assert_int_equal(sched_prio_rt_level(sched_prio_from_rt(6)), 6);
	assert_false(sched_prio_valid(-1));
	assert_false(sched_prio_valid(50));
}

static void test_vdelta(void **state)
{
	/* Nice 0: virtual time is real time, exactly. */
	assert_int_equal(sched_vdelta(0, sched_inv_weight(0)), 0);
	assert_int_equal(sched_vdelta(1234567, sched_inv_weight(0)), 1234567);
	uint64_t hour = 3600ull * 1000000000ull;
	assert_int_equal(sched_vdelta(10 * hour, sched_inv_weight(0)), 10 * hour);
	/* Every level, deltas from 1 ns to 10 hours: close to delta*1024/w. */
	const uint64_t deltas[] = {1, 999, 1000000, 4000000, 1000000000ull, hour, 10 * hour};
	for (int n = -20; n <= 19; n++) {
		for (size_t i = 0; i < sizeof deltas / sizeof deltas[0]; i++) {
			uint64_t d = deltas[i];
			uint64_t exact = d / sched_weight(n) * 1024 +
					 d % sched_weight(n) * 1024 / sched_weight(n);
			uint64_t got = sched_vdelta(d, sched_inv_weight(n));
			uint64_t diff = got > exact ? got - exact : exact - got;
			assert_true(diff <= 1 + exact / (1u << 15));
		}
	}
	/* Heavier weight, slower virtual time. */
	assert_true(sched_vdelta(1000000, sched_inv_weight(-5)) <
		    sched_vdelta(1000000, sched_inv_weight(0)));
	/* Saturation instead of wrap. */
	assert_true(sched_vdelta(UINT64_MAX, sched_inv_weight(19)) == UINT64_MAX);
	assert_true(sched_vdelta(UINT64_MAX / 2, sched_inv_weight(0)) == UINT64_MAX / 2);
}

struct item {
	struct rbt_node node;
	unsigned key;
	unsigned seq;
	int in;
};

static bool item_less(const struct rbt_node *a, const struct rbt_node *b)
{
	return rbt_entry(a, struct item, node)->key < rbt_entry(b, struct item, node)->key;
}

static void check_tree(const struct rbt *t, unsigned want_count)
{
	unsigned bh, count = 0;
	assert_int_equal(rbt_check(t, item_less, &bh), 0);
	const struct item *prev = NULL;
	for (struct rbt_node *n = rbt_first(t); n; n = rbt_next(n)) {
		const struct item *it = rbt_entry(n, struct item, node);
		assert_true(it->in);
		/* Equal keys come out in insertion order. */
		if (prev && prev->key == it->key)
			assert_true(prev->seq < it->seq);
		prev = it;
		count++;
	}
	assert_int_equal(count, want_count);
}

static void test_rbtree_random(void **state)
{
	static struct item items[600];
	struct rbt t;
	unsigned n = 0, seq = 0;

	rbt_init(&t);
	assert_null(rbt_first(&t));
	srand(12345);
	for (int round = 0; round < 20000; round++) {
		struct item *it = &items[(unsigned)rand() % 600];
		if (it->in) {
			rbt_remove(&t, &it->node);
			it->in = 0;
			n--;
		} else {
			it->key = (unsigned)rand() % 64; /* many equal keys */
			it->seq = seq++;
			rbt_insert(&t, &it->node, item_less);
			it->in = 1;
			n++;
		}
		if (round % 97 == 0)
			check_tree(&t, n);
	}
	check_tree(&t, n);
	/* Depth bound: black height <= log2(n + 1) + 1. */
	unsigned bh;
	assert_int_equal(rbt_check(&t, item_less, &bh), 0);
	assert_true(bh <= 11);
	/* Drain from the front: keys never decrease. */
	unsigned last = 0;
	while (rbt_first(&t)) {
		struct item *it = rbt_entry(rbt_first(&t), struct item, node);
		assert_true(it->key >= last);
		last = it->key;
		rbt_remove(&t, &it->node);
		it->in = 0;
		n--;
		if (n % 50 == 0)
			check_tree(&t, n);
	}
	assert_null(t.root);
}

static void test_rbtree_sequential(void **state)
{
	static struct item items[1000];
	struct rbt t;
	unsigned bh;

	rbt_init(&t);
	for (unsigned i = 0; i < 1000; i++) {
		items[i].key = i;
		items[i].in = 1;
		rbt_insert(&t, &items[i].node, item_less);
	}
	check_tree(&t, 1000);
	assert_int_equal(rbt_check(&t, item_less, &bh), 0);
	assert_true(bh <= 10);
	assert_ptr_equal(rbt_first(&t), &items[0].node);
	/* Remove the odd ones, then the rest from the back. */
	for (unsigned i = 1; i < 1000; i += 2) {
		rbt_remove(&t, &items[i].node);
		items[i].in = 0;
	}
	check_tree(&t, 500);
	for (unsigned i = 998;; i -= 2) {
		rbt_remove(&t, &items[i].node);
		items[i].in = 0;
		if (i == 0)
			break;
	}
	assert_null(rbt_first(&t));
	assert_null(t.root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_weight_table),
	    cmocka_unit_test(test_prio_scale),
	    cmocka_unit_test(test_vdelta),
	    cmocka_unit_test(test_rbtree_random),
	    cmocka_unit_test(test_rbtree_sequential),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
