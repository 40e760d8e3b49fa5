/*
 * test_cpumask.c - struct cpumask: bit operations at word boundaries, set
 * algebra, iteration, the range formatter and a pthread race on the atomic
 * operations.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>
#include "base/err.h"
#include "smp/cpumask.h"

static void test_set_clear_test(void **state)
{
	struct cpumask m;
	cpumask_zero(&m);
	assert_true(cpumask_empty(&m));
	assert_int_equal(cpumask_first(&m), MAX_CPUS);
	unsigned ids[] = {0, 1, 63, 64, 127, 128, 200, MAX_CPUS - 1};
	for (unsigned i = 0; i < ARRAY_SIZE(ids); i++)
		cpumask_set(&m, ids[i]);
	assert_int_equal(cpumask_count(&m), ARRAY_SIZE(ids));
	for (unsigned i = 0; i < ARRAY_SIZE(ids); i++)
		assert_true(cpumask_test(&m, ids[i]));
	assert_false(cpumask_test(&m, 2));
	assert_false(cpumask_test(&m, 65));
	/* Out of range: ignored, never written. */
	cpumask_set(&m, MAX_CPUS);
	cpumask_set(&m, 100000);
	assert_false(cpumask_test(&m, MAX_CPUS));
	assert_int_equal(cpumask_count(&m), ARRAY_SIZE(ids));
	cpumask_clear(&m, 63);
	cpumask_clear(&m, MAX_CPUS + 5);
	assert_false(cpumask_test(&m, 63));
	assert_int_equal(cpumask_count(&m), ARRAY_SIZE(ids) - 1);
	assert_false(cpumask_empty(&m));
}

static void test_first_next(void **state)
{
	struct cpumask m;
	cpumask_zero(&m);
	cpumask_set(&m, 5);
	cpumask_set(&m, 64);
	cpumask_set(&m, 191);
	cpumask_set(&m, MAX_CPUS - 1);
	assert_int_equal(cpumask_first(&m), 5);
	assert_int_equal(cpumask_next(&m, 5), 64);
	assert_int_equal(cpumask_next(&m, 63), 64);
	assert_int_equal(cpumask_next(&m, 64), 191);
	assert_int_equal(cpumask_next(&m, 191), MAX_CPUS - 1);
	assert_int_equal(cpumask_next(&m, MAX_CPUS - 1), MAX_CPUS);
	assert_int_equal(cpumask_next(&m, MAX_CPUS), MAX_CPUS);
	assert_int_equal(cpumask_next(&m, ~0u), MAX_CPUS);
	unsigned cpu, seen = 0, sum = 0;
	cpumask_for_each(cpu, &m)
	{
		seen++;
		sum += cpu;
	}
	assert_int_equal(seen, 4);
	assert_int_equal(sum, 5 + 64 + 191 + MAX_CPUS - 1);
}

static void test_fill(void **state)
{
	struct cpumask m;
	cpumask_fill(&m, 0);
	assert_true(cpumask_empty(&m));
	cpumask_fill(&m, 4);
	assert_int_equal(cpumask_count(&m), 4);
	assert_true(cpumask_test(&m, 3));
	assert_false(cpumask_test(&m, 4));
	cpumask_fill(&m, 64);
	assert_int_equal(cpumask_count(&m), 64);
	assert_false(cpumask_test(&m, 64));
	cpumask_fill(&m, 130);
	assert_int_equal(cpumask_count(&m), 130);
	cpumask_fill(&m, 100000);
	assert_int_equal(cpumask_count(&m), MAX_CPUS);
}

static void test_algebra(void **state)
{
	struct cpumask a, b, c;
	cpumask_zero(&a);
	cpumask_zero(&b);
	cpumask_set(&a, 1);
	cpumask_set(&a, 70);
	cpumask_set(&a, 255);
	cpumask_set(&b, 70);
	cpumask_set(&b, 2);
	cpumask_and(&c, &a, &b);
	assert_int_equal(cpumask_count(&c), 1);
	assert_true(cpumask_test(&c, 70));
	cpumask_or(&c, &a, &b);
	assert_int_equal(cpumask_count(&c), 4);
	cpumask_andnot(&c, &a, &b);
	assert_int_equal(cpumask_count(&c), 2);
	assert_false(cpumask_test(&c, 70));
	assert_false(cpumask_equal(&a, &b));
	c = a;
	assert_true(cpumask_equal(&a, &c));
	/* Aliasing dst with an operand. */
	cpumask_or(&a, &a, &b);
	assert_int_equal(cpumask_count(&a), 4);
	cpumask_and(&a, &a, &b);
	assert_true(cpumask_equal(&a, &b));
}

static void check_format(const struct cpumask *m, const char *want)
{
	char buf[256];
	assert_int_equal(cpumask_format(m, buf, sizeof buf), 0);
	assert_string_equal(buf, want);
}

static void test_format(void **state)
{
	struct cpumask m;
	cpumask_zero(&m);
	check_format(&m, "none");
	cpumask_set(&m, 0);
	check_format(&m, "0");
	cpumask_fill(&m, 4);
	cpumask_set(&m, 8);
	cpumask_set(&m, 10);
	cpumask_set(&m, 11);
	check_format(&m, "0-3,8,10-11");
	cpumask_zero(&m);
	for (unsigned c = 60; c < 70; c++)
		cpumask_set(&m, c);
	cpumask_set(&m, MAX_CPUS - 1);
	check_format(&m, "60-69,255");
	cpumask_fill(&m, MAX_CPUS);
	check_format(&m, "0-255");
	/* Every other CPU: the longest output. */
	cpumask_zero(&m);
	for (unsigned c = 0; c < MAX_CPUS; c += 2)
		cpumask_set(&m, c);
	char big[1024];
	assert_int_equal(cpumask_format(&m, big, sizeof big), 0);
	assert_int_equal(strncmp(big, "0,2,4,6,", 8), 0);
	assert_non_null(strstr(big, ",254"));
}

static void test_format_truncation(void **state)
{
	struct cpumask m;
	char buf[8];
	cpumask_fill(&m, 4);
	cpumask_set(&m, 8);
	cpumask_set(&m, 10);
	cpumask_set(&m, 11);
	/* "0-3,8,10-11" needs 12 bytes. */
	assert_int_equal(cpumask_format(&m, buf, sizeof buf), -E_NOSPC);
	assert_true(strlen(buf) < sizeof buf);
	assert_int_equal(cpumask_format(&m, buf, 0), -E_NOSPC);
	char exact[12];
	assert_int_equal(cpumask_format(&m, exact, sizeof exact), 0);
	assert_string_equal(exact, "0-3,8,10-11");
	cpumask_zero(&m);
	assert_int_equal(cpumask_format(&m, buf, 4), -E_NOSPC);
	assert_int_equal(cpumask_format(&m, buf, 5), 0);
}

static void test_atomic_single(void **state)
{
	struct cpumask m;
	cpumask_zero(&m);
	assert_false(cpumask_set_atomic(&m, 77));
	assert_true(cpumask_set_atomic(&m, 77));
	assert_true(cpumask_test_atomic(&m, 77));
	assert_true(cpumask_test(&m, 77));
	assert_true(cpumask_clear_atomic(&m, 77));
	assert_false(cpumask_clear_atomic(&m, 77));
	assert_false(cpumask_test_atomic(&m, 77));
	assert_false(cpumask_set_atomic(&m, MAX_CPUS));
	assert_false(cpumask_test_atomic(&m, MAX_CPUS));
	assert_true(cpumask_empty(&m));
}

/* Threads set disjoint bits that share words; no update may be lost. */
#define NTHREADS 8
static struct cpumask shared_mask;

static void *setter(void *arg)
{
	unsigned t = (unsigned)(uintptr_t)arg;
	for (int round = 0; round < 2000; round++) {
		for (unsigned c = t; c < MAX_CPUS; c += NTHREADS)
			cpumask_set_atomic(&shared_mask, c);
		for (unsigned c = t; c < MAX_CPUS; c += NTHREADS)
			if (round + 1 < 2000)
				cpumask_clear_atomic(&shared_mask, c);
	}
	return NULL;
}

static void test_atomic_race(void **state)
{
	pthread_t th[NTHREADS];
	cpumask_zero(&shared_mask);
	for (unsigned t = 0; t < NTHREADS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, setter, (void *)(uintptr_t)t), 0);
	for (unsigned t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	assert_int_equal(cpumask_count(&shared_mask), MAX_CPUS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_set_clear_test), cmocka_unit_test(test_first_next),
	    cmocka_unit_test(test_fill),	   cmocka_unit_test(test_algebra),
	    cmocka_unit_test(test_format),	   cmocka_unit_test(test_format_truncation),
	    cmocka_unit_test(test_atomic_single),  cmocka_unit_test(test_atomic_race),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
