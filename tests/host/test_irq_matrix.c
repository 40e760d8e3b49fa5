/*
 * test_irq_matrix.c - the per-CPU vector matrix (lib/irq/matrix.c):
 * alignment of blocks, exhaustion, the "any" pick, frees checked against
 * the CPU and block that were allocated, double frees refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "irq/matrix.h"

static struct irq_matrix mx;

static void setup_cpus(unsigned n)
{
	irq_matrix_init(&mx);
	for (unsigned c = 0; c < n; c++)
		irq_matrix_set_online(&mx, c, true);
}

static void test_alignment(void **state)
{
	setup_cpus(1);
	unsigned cpu, v;
	for (unsigned n = 1; n <= IRQ_BLOCK_MAX; n *= 2) {
		assert_int_equal(irq_matrix_alloc(&mx, 0, n, &cpu, &v), 0);
		assert_int_equal(cpu, 0);
		assert_int_equal(v % n, 0);
		assert_true(v >= IRQ_VEC_FIRST && v + n - 1 <= IRQ_VEC_LAST);
		for (unsigned i = 0; i < n; i++)
			assert_true(irq_matrix_used(&mx, 0, v + i));
	}
	/* The first 32-aligned block is 0x40, not 0x30. */
	setup_cpus(1);
	assert_int_equal(irq_matrix_alloc(&mx, 0, 32, &cpu, &v), 0);
	assert_int_equal(v, 0x40);
	assert_int_equal(irq_matrix_alloc(&mx, 0, 1, &cpu, &v), 0);
	assert_int_equal(v, 0x30);
	/* Bad counts. */
	assert_int_equal(irq_matrix_alloc(&mx, 0, 0, &cpu, &v), -E_INVAL);
	assert_int_equal(irq_matrix_alloc(&mx, 0, 3, &cpu, &v), -E_INVAL);
	assert_int_equal(irq_matrix_alloc(&mx, 0, 64, &cpu, &v), -E_INVAL);
	/* Offline or out-of-range CPU. */
	assert_int_equal(irq_matrix_alloc(&mx, 1, 1, &cpu, &v), -E_INVAL);
	assert_int_equal(irq_matrix_alloc(&mx, MAX_CPUS, 1, &cpu, &v), -E_INVAL);
}

static void test_exhaustion(void **state)
{
	setup_cpus(2);
	unsigned cpu, v, got = 0;
	while (irq_matrix_alloc(&mx, 0, 1, &cpu, &v) == 0) {
		assert_int_equal(cpu, 0);
		got++;
	}
	assert_int_equal(got, IRQ_VEC_COUNT);
	assert_int_equal(irq_matrix_free_count(&mx, 0), 0);
	assert_int_equal(irq_matrix_alloc(&mx, 0, 1, &cpu, &v), -E_NOSPC);
	/* System vectors were never handed out. */
	for (unsigned x = 0; x < IRQ_VEC_FIRST; x++)
		assert_false(irq_matrix_used(&mx, 0, x));
	for (unsigned x = IRQ_VEC_LAST + 1; x < 256; x++)
		assert_false(irq_matrix_used(&mx, 0, x));
	/* CPU 1 is untouched and "any" goes there. */
	assert_int_equal(irq_matrix_free_count(&mx, 1), IRQ_VEC_COUNT);
	assert_int_equal(irq_matrix_alloc(&mx, IRQ_CPU_ANY, 4, &cpu, &v), 0);
	assert_int_equal(cpu, 1);
	/* Free one vector on CPU 0: a single fits, an aligned pair does not. */
	assert_int_equal(irq_matrix_free(&mx, 0, 0x41, 1), 0);
	assert_int_equal(irq_matrix_alloc(&mx, 0, 2, &cpu, &v), -E_NOSPC);
	assert_int_equal(irq_matrix_alloc(&mx, 0, 1, &cpu, &v), 0);
	assert_int_equal(v, 0x41);
}

static void test_fragmented_no_room(void **state)
{
	/* Every other vector used: many free, but no aligned pair. */
	setup_cpus(1);
	unsigned cpu, v;
	for (unsigned i = 0; i < IRQ_VEC_COUNT; i++)
		assert_int_equal(irq_matrix_alloc(&mx, 0, 1, &cpu, &v), 0);
	for (unsigned x = IRQ_VEC_FIRST; x <= IRQ_VEC_LAST; x += 2)
		assert_int_equal(irq_matrix_free(&mx, 0, x, 1), 0);
	assert_int_equal(irq_matrix_free_count(&mx, 0), IRQ_VEC_COUNT / 2);
	assert_int_equal(irq_matrix_alloc(&mx, 0, 2, &cpu, &v), -E_NOSPC);
	assert_int_equal(irq_matrix_alloc(&mx, IRQ_CPU_ANY, 2, &cpu, &v), -E_NOSPC);
	assert_int_equal(irq_matrix_pick(&mx, 2), IRQ_CPU_ANY);
	assert_int_equal(irq_matrix_pick(&mx, 1), 0);
}

static void test_any_pick(void **state)
{
	setup_cpus(4);
	unsigned cpu, v;
	/* All equal: the lowest id. */
	assert_int_equal(irq_matrix_pick(&mx, 1), 0);
	assert_int_equal(irq_matrix_alloc(&mx, 0, 8, &cpu, &v), 0);
	assert_int_equal(irq_matrix_alloc(&mx, 1, 4, &cpu, &v), 0);
	assert_int_equal(irq_matrix_alloc(&mx, 2, 2, &cpu, &v), 0);
	/* CPU 3 is emptiest. */
	assert_int_equal(irq_matrix_alloc(&mx, IRQ_CPU_ANY, 1, &cpu, &v), 0);
	assert_int_equal(cpu, 3);
	/* CPU 3 (191 free) still beats CPU 2 (190). */
	assert_int_equal(irq_matrix_alloc(&mx, IRQ_CPU_ANY, 1, &cpu, &v), 0);
	assert_int_equal(cpu, 3);
	/* Now 2 and 3 tie at 190 free: the lowest (2). */
	assert_int_equal(irq_matrix_alloc(&mx, IRQ_CPU_ANY, 1, &cpu, &v), 0);
	assert_int_equal(cpu, 2);
	/* An offline CPU is never picked, even if emptiest. */
	setup_cpus(2);
	irq_matrix_set_online(&mx, 0, false);
	assert_int_equal(irq_matrix_alloc(&mx, IRQ_CPU_ANY, 1, &cpu, &v), 0);
	assert_int_equal(cpu, 1);
	irq_matrix_init(&mx);
	assert_int_equal(irq_matrix_alloc(&mx, IRQ_CPU_ANY, 1, &cpu, &v), -E_NOSPC);
}

static void test_free_checks(void **state)
{
	setup_cpus(2);
	unsigned c0, v0, c1, v1;
	assert_int_equal(irq_matrix_alloc(&mx, 0, 4, &c0, &v0), 0);
	assert_int_equal(irq_matrix_alloc(&mx, 1, 4, &c1, &v1), 0);
	assert_int_equal(v0, v1); /* same vector number, different CPUs */
	unsigned f0 = irq_matrix_free_count(&mx, 0), f1 = irq_matrix_free_count(&mx, 1);
	/* Part of a block, a larger range, a misaligned start, out of range: refused. */
	assert_int_equal(irq_matrix_free(&mx, 0, v0, 2), -E_INVAL);
	assert_int_equal(irq_matrix_free(&mx, 0, v0 + 2, 2), -E_INVAL);
	assert_int_equal(irq_matrix_free(&mx, 0, v0, 8), -E_INVAL);
	assert_int_equal(irq_matrix_free(&mx, 0, v0 + 1, 4), -E_INVAL);
	assert_int_equal(irq_matrix_free(&mx, 0, 0x20, 1), -E_INVAL);
	assert_int_equal(irq_matrix_free(&mx, 0, 0xf0, 1), -E_INVAL);
	assert_int_equal(irq_matrix_free(&mx, MAX_CPUS, v0, 4), -E_INVAL);
	/* Free on CPU 1 leaves CPU 0 alone. */
	assert_int_equal(irq_matrix_free(&mx, 1, v1, 4), 0);
	assert_int_equal(irq_matrix_free_count(&mx, 1), f1 + 4);
	assert_int_equal(irq_matrix_free_count(&mx, 0), f0);
	assert_true(irq_matrix_used(&mx, 0, v0));
	assert_false(irq_matrix_used(&mx, 1, v1));
	/* Double free refused, CPU 0's block still freeable once. */
	assert_int_equal(irq_matrix_free(&mx, 1, v1, 4), -E_INVAL);
	assert_int_equal(irq_matrix_free(&mx, 0, v0, 4), 0);
	assert_int_equal(irq_matrix_free(&mx, 0, v0, 4), -E_INVAL);
	assert_int_equal(irq_matrix_free_count(&mx, 0), IRQ_VEC_COUNT);
	/* Two adjacent blocks: a free spanning both is refused. */
	unsigned a, b, c;
	assert_int_equal(irq_matrix_alloc(&mx, 0, 2, &c, &a), 0);
	assert_int_equal(irq_matrix_alloc(&mx, 0, 2, &c, &b), 0);
	assert_int_equal(b, a + 2);
	assert_int_equal(irq_matrix_free(&mx, 0, a, 4), -E_INVAL);
	assert_int_equal(irq_matrix_free(&mx, 0, a, 2), 0);
	assert_int_equal(irq_matrix_free(&mx, 0, b, 2), 0);
	assert_int_equal(irq_matrix_free_count(&mx, 0), IRQ_VEC_COUNT);
}

static void test_reuse_cycle(void **state)
{
	/* Allocate and free mixed sizes many times: counts always return to full. */
	setup_cpus(3);
	unsigned cpus[64], vecs[64], cnts[64], n = 0, seed = 12345;
	for (int round = 0; round < 2000; round++) {
		seed = seed * 1103515245u + 12345u;
		if (n < 64 && (seed >> 16) % 3) {
			unsigned cnt = 1u << ((seed >> 8) % 6);
			unsigned want = (seed >> 20) % 4 == 3 ? IRQ_CPU_ANY : (seed >> 20) % 4;
			int r = irq_matrix_alloc(&mx, want, cnt, &cpus[n], &vecs[n]);
			if (want == 3) {
				assert_int_equal(r, -E_INVAL);
				continue;
			}
			if (r == 0)
				cnts[n++] = cnt;
			else
				assert_int_equal(r, -E_NOSPC);
		} else if (n) {
			unsigned i = (seed >> 12) % n;
			assert_int_equal(irq_matrix_free(&mx, cpus[i], vecs[i], cnts[i]), 0);
			cpus[i] = cpus[n - 1], vecs[i] = vecs[n - 1], cnts[i] = cnts[n - 1];
			n--;
		}
	}
	while (n) {
		n--;
		assert_int_equal(irq_matrix_free(&mx, cpus[n], vecs[n], cnts[n]), 0);
	}
	for (unsigned c = 0; c < 3; c++)
		assert_int_equal(irq_matrix_free_count(&mx, c), IRQ_VEC_COUNT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alignment),	       cmocka_unit_test(test_exhaustion),
	    cmocka_unit_test(test_fragmented_no_room), cmocka_unit_test(test_any_pick),
	    cmocka_unit_test(test_free_checks),	       cmocka_unit_test(test_reuse_cycle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
