/*
 * test_sched_pi.c - priority inheritance: donation along chains of 1..10
 * (stopping at MAX_PI_CHAIN_DEPTH), undo on release and unblock, deadlock
 * cycles of length 1, 2, 5 and 10 refused without changes, several waiters
 * on one lock and several locks per owner, base priority changes, and the
 * over-long chain error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "base/err.h"
#include "sched/pi.h"

#define LOW 5
#define RT(l) sched_prio_from_rt(l)

static struct pi_thread th[1100];
static struct pi_lock lk[1100];

static void reset(unsigned n, int prio)
{
	for (unsigned i = 0; i < n; i++) {
		pi_thread_init(&th[i], prio);
		pi_lock_init(&lk[i]);
	}
}

/* th[i] owns lk[i] and waits on lk[i + 1] (owned by th[i + 1]), i < n - 1. */
static void make_chain(unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(pi_acquire(&th[i], &lk[i]), 0);
	for (unsigned i = 0; i + 1 < n; i++)
		assert_int_equal(pi_block(&th[i], &lk[i + 1]), 0);
}

static void test_acquire(void **state)
{
	struct pi_thread a, b;
	struct pi_lock l, m;
	struct pi_thread *next;

	pi_thread_init(&a, 10);
	pi_thread_init(&b, 20);
	pi_lock_init(&l);
	pi_lock_init(&m);
	assert_int_equal(pi_block(&a, &l), -E_INVAL); /* free lock */
	assert_int_equal(pi_release(&l, &next), -E_INVAL);
	assert_int_equal(pi_unblock(&a), -E_INVAL);
	assert_int_equal(pi_acquire(&a, &l), 0);
	assert_ptr_equal(l.owner, &a);
	assert_int_equal(pi_acquire(&a, &l), -E_DEADLK);
	assert_int_equal(pi_acquire(&b, &l), -E_BUSY);
	assert_int_equal(pi_block(&b, &l), 0);
	assert_int_equal(pi_block(&b, &l), -E_INVAL); /* already blocked */
	assert_int_equal(pi_acquire(&b, &m), -E_INVAL);
	assert_int_equal(a.prio, 20);
	assert_ptr_equal(pi_chain_next(&b), &a);
	assert_null(pi_chain_next(&a));
	assert_int_equal(pi_release(&l, &next), 0);
	assert_ptr_equal(next, &b);
	assert_ptr_equal(l.owner, &b);
	assert_null(b.blocked_on);
	assert_int_equal(a.prio, 10);
	assert_int_equal(pi_release(&l, &next), 0);
	assert_null(next);
	assert_null(l.owner);
}

/* t blocks at the bottom of a chain of n owners: the first 8 inherit. */
static void test_chains_1_to_10(void **state)
{
	for (unsigned n = 1; n <= 10; n++) {
		struct pi_thread *t = &th[n];
		reset(n + 1, LOW);
		make_chain(n);
		pi_thread_init(t, RT(7));
		assert_int_equal(pi_block(t, &lk[0]), 0);
		unsigned d = 0;
		for (struct pi_thread *o = pi_chain_next(t); o; o = pi_chain_next(o), d++)
			assert_int_equal(o->prio, d < MAX_PI_CHAIN_DEPTH ? RT(7) : LOW);
		assert_int_equal(d, n);
		/* Timeout: the donation is undone along the whole chain. */
		assert_int_equal(pi_unblock(t), 0);
		for (unsigned i = 0; i < n; i++)
			assert_int_equal(th[i].prio, LOW);
		/* Block again, then the chain unwinds from the top by releases. */
		assert_int_equal(pi_block(t, &lk[0]), 0);
		for (unsigned i = n; i-- > 0;) {
			struct pi_thread *next;
			assert_int_equal(pi_release(&lk[i], &next), 0);
			assert_int_equal(th[i].prio, LOW); /* donation undone */
			if (i > 0) {
				assert_ptr_equal(next, &th[i - 1]);
				assert_int_equal(pi_release(&lk[i], &next), 0);
				assert_null(next);
			} else {
				assert_ptr_equal(next, t);
				assert_int_equal(t->prio, RT(7));
			}
		}
	}
}

static void assert_untouched(unsigned n, struct pi_thread *t)
{
	for (unsigned i = 0; i < n; i++)
		if (&th[i] != t)
			assert_int_equal(th[i].prio, LOW + (int)i);
	assert_null(t->blocked_on);
}

/* th[0..n) each own a lock and, except th[0], wait on the previous one's;
 * th[0] waiting on th[n - 1]'s lock would close a ring of n: refused. */
static void cycle(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		pi_thread_init(&th[i], LOW + (int)i);
		pi_lock_init(&lk[i]);
		assert_int_equal(pi_acquire(&th[i], &lk[i]), 0);
	}
	/* th[i] waits on lk[i - 1] for i >= 1: a chain th[n-1] -> ... -> th[0]
	 * that donates downwards; remember the priorities it produced. */
	for (unsigned i = 1; i < n; i++)
		assert_int_equal(pi_block(&th[i], &lk[i - 1]), 0);
	int before[16];
	for (unsigned i = 0; i < n; i++)
		before[i] = th[i].prio;
	/* th[0] waits on lk[n - 1], owned by th[n - 1], which waits ... on th[0]. */
	assert_int_equal(pi_block(&th[0], &lk[n - 1]), -E_DEADLK);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(th[i].prio, before[i]);
	assert_null(th[0].blocked_on);
	if (n > 1)
		assert_ptr_equal(lk[n - 1].waiters, NULL);
	/* Undo: timeouts leave everyone at base. */
	for (unsigned i = 1; i < n; i++)
		assert_int_equal(pi_unblock(&th[i]), 0);
	assert_untouched(n, &th[0]);
}

static void test_cycles(void **state)
{
	cycle(1); /* waits on a lock it holds */
	cycle(2);
	cycle(5);
	cycle(10); /* longer than the donation depth: still detected */
}

static void test_cycle_through_chain_middle(void **state)
{
	/* a -> lb (b) -> lc (c); c blocking on la would close a ring of 3. */
	reset(3, LOW);
	make_chain(3);
	assert_int_equal(pi_block(&th[2], &lk[0]), -E_DEADLK);
	/* c waiting on a lock outside the ring is fine. */
	struct pi_thread x;
	struct pi_lock lx;
	pi_thread_init(&x, RT(1));
	pi_lock_init(&lx);
	assert_int_equal(pi_acquire(&x, &lx), 0);
	assert_int_equal(pi_block(&th[2], &lx), 0);
	assert_int_equal(x.prio, RT(1));
	/* A waiter at the bottom now donates through all three to x. */
	struct pi_thread t;
	pi_thread_init(&t, RT(8));
	assert_int_equal(pi_block(&t, &lk[0]), 0);
	assert_int_equal(x.prio, RT(8));
	assert_int_equal(th[1].prio, RT(8));
}

static void test_many_waiters(void **state)
{
	static const int prios[] = {10, 30, 20, 30, 45, 1};
	struct pi_thread o, w[6], *next;
	struct pi_lock l;

	pi_thread_init(&o, LOW);
	pi_lock_init(&l);
	assert_int_equal(pi_acquire(&o, &l), 0);
	for (int i = 0; i < 6; i++) {
		pi_thread_init(&w[i], prios[i]);
		assert_int_equal(pi_block(&w[i], &l), 0);
	}
	assert_int_equal(o.prio, 45);
	/* The RT waiter gives up: the owner falls to the best fair waiter. */
	assert_int_equal(pi_unblock(&w[4]), 0);
	assert_int_equal(o.prio, 30);
	/* Release order: 30 (first come), 30, 20, 10, 1; each new owner
	 * inherits from those still waiting. */
	static const int order[] = {1, 3, 2, 0, 5};
	struct pi_thread *prev = &o;
	for (int i = 0; i < 5; i++) {
		assert_int_equal(pi_release(&l, &next), 0);
		assert_ptr_equal(next, &w[order[i]]);
		assert_int_equal(prev->prio, prev->base_prio);
		int best = next->base_prio;
		if (i + 1 < 5 && prios[order[i + 1]] > best)
			best = prios[order[i + 1]];
		assert_int_equal(next->prio, best);
		prev = next;
	}
	assert_int_equal(pi_release(&l, &next), 0);
	assert_null(next);
	assert_int_equal(w[5].prio, 1);
}

static void test_owner_of_two_locks(void **state)
{
	struct pi_thread o, a, b, *next;
	struct pi_lock l1, l2;

	pi_thread_init(&o, LOW);
	pi_thread_init(&a, 25);
	pi_thread_init(&b, RT(3));
	pi_lock_init(&l1);
	pi_lock_init(&l2);
	assert_int_equal(pi_acquire(&o, &l1), 0);
	assert_int_equal(pi_acquire(&o, &l2), 0);
	assert_int_equal(pi_block(&a, &l1), 0);
	assert_int_equal(o.prio, 25);
	assert_int_equal(pi_block(&b, &l2), 0);
	assert_int_equal(o.prio, RT(3));
	/* Releasing l2 undoes only b's donation; a's remains through l1. */
	assert_int_equal(pi_release(&l2, &next), 0);
	assert_ptr_equal(next, &b);
	assert_int_equal(o.prio, 25);
	assert_int_equal(pi_release(&l1, &next), 0);
	assert_ptr_equal(next, &a);
	assert_int_equal(o.prio, LOW);
}

/* A waiter boosted while it waits moves up in its lock's waiter list. */
static void test_boosted_waiter_reordered(void **state)
{
	struct pi_thread o, a, b, t, *next;
	struct pi_lock l, lb;

	pi_thread_init(&o, LOW);
	pi_thread_init(&a, 20);
	pi_thread_init(&b, 10);
	pi_thread_init(&t, RT(0));
	pi_lock_init(&l);
	pi_lock_init(&lb);
	assert_int_equal(pi_acquire(&o, &l), 0);
	assert_int_equal(pi_acquire(&b, &lb), 0);
	assert_int_equal(pi_block(&a, &l), 0);
	assert_int_equal(pi_block(&b, &l), 0);
	assert_ptr_equal(l.waiters, &a);
	assert_int_equal(pi_block(&t, &lb), 0);
	assert_int_equal(b.prio, RT(0));
	assert_ptr_equal(l.waiters, &b);
	assert_int_equal(o.prio, RT(0));
	assert_int_equal(pi_release(&l, &next), 0);
	assert_ptr_equal(next, &b);
	assert_int_equal(o.prio, LOW);
	assert_int_equal(b.prio, RT(0)); /* t still waits on lb */
	/* Base priority change of a waiter propagates to the owner. */
	pi_set_base(&a, RT(5));
	assert_int_equal(b.prio, RT(5));
	pi_set_base(&a, 20);
	assert_int_equal(b.prio, RT(0));
	/* And of an owner: its effective priority never drops below waiters. */
	pi_set_base(&b, 1);
	assert_int_equal(b.prio, RT(0));
	assert_int_equal(pi_unblock(&t), 0);
	assert_int_equal(b.prio, 20);
}

/* A donation that does not raise an owner stops there. */
static void test_no_boost_when_higher(void **state)
{
	reset(3, LOW);
	make_chain(3);
	pi_set_base(&th[1], RT(9));
	assert_int_equal(th[2].prio, RT(9));
	struct pi_thread t;
	pi_thread_init(&t, RT(2));
	assert_int_equal(pi_block(&t, &lk[0]), 0);
	assert_int_equal(th[0].prio, RT(2));
	assert_int_equal(th[1].prio, RT(9));
	assert_int_equal(th[2].prio, RT(9));
	/* Lowering th[1] again: th[2] keeps t's donation through th[1]. */
	pi_set_base(&th[1], LOW);
	assert_int_equal(th[1].prio, RT(2));
	assert_int_equal(th[2].prio, RT(2));
}

static void test_chain_too_long(void **state)
{
	unsigned n = PI_MAX_WALK + 5;
	reset(n + 1, LOW);
	make_chain(n);
	struct pi_thread *t = &th[n];
	pi_thread_init(t, RT(9));
	assert_int_equal(pi_block(t, &lk[0]), -E_LOOP);
	assert_null(t->blocked_on);
	assert_null(lk[0].waiters);
	assert_int_equal(th[0].prio, LOW);
	/* Somewhat shorter chains still work (donation to depth 8 only). */
	assert_int_equal(pi_block(t, &lk[n - PI_MAX_WALK + 1]), 0);
	assert_int_equal(th[n - PI_MAX_WALK + 1].prio, RT(9));
}

/* The PI rule and the graph's links, checked from scratch for n threads. */
static void check_graph(unsigned nt, unsigned nl)
{
	for (unsigned i = 0; i < nl; i++) {
		const struct pi_lock *l = &lk[i];
		if (!l->owner)
			assert_null(l->waiters);
		for (const struct pi_thread *w = l->waiters; w; w = w->next_wait) {
			assert_ptr_equal(w->blocked_on, l);
			if (w->next_wait)
				assert_true(w->prio >= w->next_wait->prio);
		}
	}
	for (unsigned i = 0; i < nt; i++) {
		const struct pi_thread *t = &th[i];
		int want = t->base_prio;
		for (const struct pi_lock *l = t->held; l; l = l->next_held) {
			assert_ptr_equal(l->owner, t);
			for (const struct pi_thread *w = l->waiters; w; w = w->next_wait)
				if (w->prio > want)
					want = w->prio;
		}
		assert_int_equal(t->prio, want);
		/* No cycles: every chain ends. */
		unsigned d = 0;
		for (const struct pi_thread *o = pi_chain_next(t); o; o = pi_chain_next(o))
			assert_true(++d < nt);
	}
}

/* Random operations with 8 threads (chains shorter than the depth limit,
 * so the rule must hold exactly) and 6 locks. */
static void test_random_graph(void **state)
{
	uint32_t seed = 7;
	unsigned deadlocks = 0, blocks = 0;

	reset(8, 0);
	for (unsigned i = 0; i < 8; i++)
		pi_thread_init(&th[i], (int)(i * 6));
	for (int step = 0; step < 100000; step++) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = seed >> 8;
		struct pi_thread *t = &th[r % 8];
		struct pi_lock *l = &lk[(r >> 3) % 6];
		struct pi_thread *next;
		int err;
		switch ((r >> 6) % 5) {
		case 0:
			if (t->blocked_on)
				break;
			err = pi_acquire(t, l);
			if (err == -E_BUSY) {
				err = pi_block(t, l);
				assert_true(err == 0 || err == -E_DEADLK);
				blocks += err == 0;
				deadlocks += err == -E_DEADLK;
			} else {
				assert_true(err == 0 || err == -E_DEADLK);
			}
			break;
		case 1:
		case 2:
			if (l->owner && !l->owner->blocked_on)
				assert_int_equal(pi_release(l, &next), 0);
			break;
		case 3:
			if (t->blocked_on)
				assert_int_equal(pi_unblock(t), 0);
			break;
		case 4:
			pi_set_base(t, (int)((r >> 10) % 50));
			break;
		}
		check_graph(8, 6);
	}
	assert_true(blocks > 1000);
	assert_true(deadlocks > 20); /* the cycle check does fire */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_acquire),
	    cmocka_unit_test(test_chains_1_to_10),
	    cmocka_unit_test(test_cycles),
	    cmocka_unit_test(test_cycle_through_chain_middle),
	    cmocka_unit_test(test_many_waiters),
	    cmocka_unit_test(test_owner_of_two_locks),
	    cmocka_unit_test(test_boosted_waiter_reordered),
	    cmocka_unit_test(test_no_boost_when_higher),
	    cmocka_unit_test(test_chain_too_long),
	    cmocka_unit_test(test_random_graph),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
