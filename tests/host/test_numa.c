/*
 * test_numa.c - NUMA topology from SRAT/SLIT arrays: no SRAT, dense node
 * numbering of sparse domains, CPUs missing from the SRAT, SLIT use and
 * rejection, bad input with its one-node fallback, and the exact log lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "smp/numa.h"

static struct numa_topo topo; /* large: static storage */

static void line(int (*f)(const struct numa_topo *, unsigned, char *, size_t), unsigned node,
		 const char *want)
{
	char buf[512];
	assert_int_equal(f(&topo, node, buf, sizeof buf), 0);
	assert_string_equal(buf, want);
}

static void summary(const char *want)
{
	char buf[64];
	assert_int_equal(numa_format_summary(&topo, buf, sizeof buf), 0);
	assert_string_equal(buf, want);
}

static void test_no_srat(void **state)
{
	static const uint32_t apic[] = {0, 2, 4, 6};
	struct numa_input in = {.cpu_apic = apic, .ncpus = 4};
	assert_int_equal(numa_build(&in, &topo), 0);
	assert_int_equal(topo.nnodes, 1);
	assert_int_equal(topo.node_domain[0], 0);
	for (unsigned c = 0; c < 4; c++)
		assert_int_equal(numa_cpu_node(&topo, c), 0);
	assert_int_equal(numa_distance(&topo, 0, 0), 10);
	assert_int_equal(numa_distance(&topo, 0, 1), NUMA_UNREACHABLE);
	assert_false(topo.slit_used);
	summary("numa: 1 nodes");
	line(numa_format_node, 0, "numa: node 0 cpus 0-3");
	line(numa_format_dist_row, 0, "numa:   0: 10");
	char buf[32];
	assert_int_equal(numa_format_dist_header(buf, sizeof buf), 0);
	assert_string_equal(buf, "numa: distances");
	assert_int_equal(numa_format_node(&topo, 1, buf, sizeof buf), -E_INVAL);
	assert_int_equal(numa_format_dist_row(&topo, 1, buf, sizeof buf), -E_INVAL);
	/* An empty SRAT array is no SRAT. */
	struct numa_cpu_affinity none[1] = {{0, 3}};
	in.srat = none;
	in.nsrat = 0;
	assert_int_equal(numa_build(&in, &topo), 0);
	assert_int_equal(topo.nnodes, 1);
}

/* Two sockets, domains 5 and 0 listed out of order, no SLIT. */
static void test_sparse_domains(void **state)
{
	static const struct numa_cpu_affinity srat[] = {
	    {16, 5}, {17, 5}, {18, 5}, {19, 5}, {0, 0}, {1, 0}, {2, 0}, {3, 0},
	};
	/* Logical order as the MADT lists them: socket 0 first. */
	static const uint32_t apic[] = {0, 1, 2, 3, 16, 17, 18, 19};
	struct numa_input in = {.srat = srat, .nsrat = 8, .cpu_apic = apic, .ncpus = 8};
	assert_int_equal(numa_build(&in, &topo), 0);
	assert_int_equal(topo.nnodes, 2);
	assert_int_equal(topo.node_domain[0], 0);
	assert_int_equal(topo.node_domain[1], 5);
	assert_int_equal(numa_cpu_node(&topo, 0), 0);
	assert_int_equal(numa_cpu_node(&topo, 4), 1);
	assert_int_equal(numa_cpu_node(&topo, 7), 1);
	assert_int_equal(numa_cpu_node(&topo, 1000), 0);
	assert_int_equal(numa_distance(&topo, 0, 1), 20);
	assert_int_equal(numa_distance(&topo, 1, 1), 10);
	assert_int_equal(topo.cpus_without_domain, 0);
	summary("numa: 2 nodes");
	line(numa_format_node, 0, "numa: node 0 cpus 0-3");
	line(numa_format_node, 1, "numa: node 1 cpus 4-7");
	line(numa_format_dist_row, 0, "numa:   0: 10 20");
	line(numa_format_dist_row, 1, "numa:   1: 20 10");
}

/* Interleaved CPUs, a CPU missing from the SRAT, an SRAT-only domain. */
static void test_interleaved_and_missing(void **state)
{
	static const struct numa_cpu_affinity srat[] = {
	    {0, 1}, {1, 2}, {2, 1}, {3, 2}, {8, 1}, {9, 2}, {100, 7},
	};
	static const uint32_t apic[] = {0, 1, 2, 3, 8, 9, 42};
	struct numa_input in = {.srat = srat, .nsrat = 7, .cpu_apic = apic, .ncpus = 7};
	assert_int_equal(numa_build(&in, &topo), 0);
	assert_int_equal(topo.nnodes, 3); /* domains 1, 2, 7 */
	assert_int_equal(topo.cpus_without_domain, 1);
	assert_int_equal(numa_cpu_node(&topo, 6), 0); /* APIC 42 -> node 0 */
	line(numa_format_node, 0, "numa: node 0 cpus 0,2,4,6");
	line(numa_format_node, 1, "numa: node 1 cpus 1,3,5");
	line(numa_format_node, 2, "numa: node 2 cpus none");
	line(numa_format_dist_row, 2, "numa:   2: 20 20 10");
}

/* SLIT 6x6 indexed by domain; nodes use domains 0 and 5. */
static uint8_t slit6[36];

static void make_slit6(void)
{
	for (unsigned i = 0; i < 6; i++)
		for (unsigned j = 0; j < 6; j++)
			slit6[i * 6 + j] = i == j ? 10 : (uint8_t)(20 + i + j);
	slit6[0 * 6 + 5] = 21;
	slit6[5 * 6 + 0] = 31;
}

static void test_slit(void **state)
{
	static const struct numa_cpu_affinity srat[] = {{0, 0}, {1, 5}};
	static const uint32_t apic[] = {0, 1};
	make_slit6();
	struct numa_input in = {
	    .srat = srat, .nsrat = 2, .cpu_apic = apic, .ncpus = 2, .slit = slit6, .slit_n = 6};
	assert_int_equal(numa_build(&in, &topo), 0);
	assert_true(topo.slit_used);
	assert_false(topo.slit_ignored);
	assert_int_equal(numa_distance(&topo, 0, 1), 21);
	assert_int_equal(numa_distance(&topo, 1, 0), 31); /* asymmetric is allowed */
	line(numa_format_dist_row, 0, "numa:   0: 10 21");
	line(numa_format_dist_row, 1, "numa:   1: 31 10");

	/* Unreachable (255) is a valid distance. */
	slit6[5] = 255;
	assert_int_equal(numa_build(&in, &topo), 0);
	assert_int_equal(numa_distance(&topo, 0, 1), 255);
	line(numa_format_dist_row, 0, "numa:   0: 10 255");

	/* A SLIT too small for domain 5: defaults, flagged. */
	in.slit_n = 5;
	assert_int_equal(numa_build(&in, &topo), 0);
	assert_false(topo.slit_used);
	assert_true(topo.slit_ignored);
	assert_int_equal(numa_distance(&topo, 0, 1), 20);

	/* Bad diagonal, and an off-diagonal of 10 (or less): defaults. */
	in.slit_n = 6;
	make_slit6();
	slit6[5 * 6 + 5] = 11;
	assert_int_equal(numa_build(&in, &topo), 0);
	assert_true(topo.slit_ignored);
	assert_int_equal(numa_distance(&topo, 1, 1), 10);
	make_slit6();
	slit6[0 * 6 + 5] = 10;
	assert_int_equal(numa_build(&in, &topo), 0);
	assert_true(topo.slit_ignored);
	/* Entries for domains we do not use are not checked. */
	make_slit6();
	slit6[1 * 6 + 2] = 3;
	assert_int_equal(numa_build(&in, &topo), 0);
	assert_true(topo.slit_used);
}

static void test_bad_input(void **state)
{
	static const uint32_t apic[] = {0, 1, 2};
	/* The same APIC id in two domains. */
	static const struct numa_cpu_affinity dup[] = {{0, 0}, {1, 1}, {1, 2}};
	struct numa_input in = {.srat = dup, .nsrat = 3, .cpu_apic = apic, .ncpus = 3};
	assert_int_equal(numa_build(&in, &topo), -E_INVAL);
	assert_int_equal(topo.nnodes, 1); /* usable fallback */
	line(numa_format_node, 0, "numa: node 0 cpus 0-2");
	/* The same APIC id twice in one domain is harmless. */
	static const struct numa_cpu_affinity same[] = {{0, 0}, {1, 1}, {1, 1}};
	in.srat = same;
	assert_int_equal(numa_build(&in, &topo), 0);
	assert_int_equal(topo.nnodes, 2);
	/* Too many domains. */
	static struct numa_cpu_affinity many[MAX_NUMA_NODES + 1];
	for (unsigned i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = (struct numa_cpu_affinity){i, 1000 - i};
	in.srat = many;
	in.nsrat = ARRAY_SIZE(many);
	assert_int_equal(numa_build(&in, &topo), -E_RANGE);
	assert_int_equal(topo.nnodes, 1);
	in.nsrat = MAX_NUMA_NODES; /* exactly the limit is fine */
	assert_int_equal(numa_build(&in, &topo), 0);
	assert_int_equal(topo.nnodes, MAX_NUMA_NODES);
	assert_int_equal(topo.node_domain[0], 1000 - (MAX_NUMA_NODES - 1));
	assert_int_equal(numa_cpu_node(&topo, 0), MAX_NUMA_NODES - 1); /* domain 1000 */
	/* Too many CPUs; missing APIC array. */
	in.ncpus = MAX_CPUS + 1;
	assert_int_equal(numa_build(&in, &topo), -E_RANGE);
	assert_int_equal(cpumask_count(&topo.node_cpus[0]), MAX_CPUS);
	in.ncpus = 2;
	in.cpu_apic = NULL;
	assert_int_equal(numa_build(&in, &topo), -E_INVAL);
}

static void test_max_cpus_and_truncation(void **state)
{
	static uint32_t apic[MAX_CPUS];
	static struct numa_cpu_affinity srat[MAX_CPUS];
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		apic[i] = i;
		srat[i] = (struct numa_cpu_affinity){i, i % 4};
	}
	struct numa_input in = {
	    .srat = srat, .nsrat = MAX_CPUS, .cpu_apic = apic, .ncpus = MAX_CPUS};
	assert_int_equal(numa_build(&in, &topo), 0);
	assert_int_equal(topo.nnodes, 4);
	for (unsigned n = 0; n < 4; n++)
		assert_int_equal(cpumask_count(&topo.node_cpus[n]), MAX_CPUS / 4);
	char big[2048];
	assert_int_equal(numa_format_node(&topo, 1, big, sizeof big), 0);
	assert_int_equal(strncmp(big, "numa: node 1 cpus 1,5,9,", 24), 0);
	char small[20];
	assert_int_equal(numa_format_node(&topo, 1, small, sizeof small), -E_NOSPC);
	assert_int_equal(numa_format_dist_row(&topo, 1, small, 10), -E_NOSPC);
	assert_int_equal(numa_format_dist_row(&topo, 1, small, 14), -E_NOSPC);
	assert_int_equal(numa_format_summary(&topo, small, 5), -E_NOSPC);
	assert_int_equal(numa_format_dist_header(small, 15), -E_NOSPC);
	assert_int_equal(numa_format_dist_header(small, 16), 0);
	line(numa_format_dist_row, 3, "numa:   3: 20 20 20 10");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_srat),
	    cmocka_unit_test(test_sparse_domains),
	    cmocka_unit_test(test_interleaved_and_missing),
	    cmocka_unit_test(test_slit),
	    cmocka_unit_test(test_bad_input),
	    cmocka_unit_test(test_max_cpus_and_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
