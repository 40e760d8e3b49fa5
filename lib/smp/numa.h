/*
 * numa.h - the NUMA topology the kernel reports, built from plain arrays.
 *
 * Inputs (struct numa_input), independent of the ACPI parsers' structs:
 *   - srat[0..nsrat): (APIC id, proximity domain) of each enabled CPU in the
 *     SRAT; nsrat == 0 means no SRAT;
 *   - cpu_apic[0..ncpus): the APIC id of each logical CPU (ncpus <= MAX_CPUS);
 *   - slit: optional SLIT matrix, slit_n x slit_n bytes, row-major, indexed
 *     by proximity domain (ACPI: locality i is proximity domain i).
 *
 * Rules:
 *   - Without SRAT: one node (domain 0) holding every CPU.
 *   - Nodes are the distinct SRAT domains, numbered densely in ascending
 *     domain order: domains {5, 0} become node 0 = domain 0, node 1 =
 *     domain 5. So node numbers are stable across boots for the same tables.
 *     A domain whose CPUs are all beyond the logical list still gets a node
 *     (with no CPUs).
 *   - A logical CPU the SRAT does not list goes to node 0 and is counted in
 *     cpus_without_domain (the kernel logs it once).
 *   - Distances: from the SLIT when it covers every node's domain and is
 *     valid (10 on the diagonal, 11-255 elsewhere, 255 = unreachable);
 *     otherwise the ACPI defaults, 10 local and 20 remote, with slit_ignored
 *     set when a SLIT was given but not used.
 *   - Bad input (an APIC id listed with two domains, more than
 *     MAX_NUMA_NODES domains, more than MAX_CPUS CPUs) is an error; the
 *     kernel then logs it and runs with one node.
 *
 * Output lines (formatters, no trailing newline):
 *   "numa: 2 nodes"
 *   "numa: node 0 cpus 0-3"
 *   "numa: distances"
 *   "numa:   0: 10 21"
 *
 * Pure; the caller provides the (large: give it static storage) output.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "smp/config.h"
#include "smp/cpumask.h"

#define NUMA_LOCAL_DISTANCE 10
#define NUMA_REMOTE_DISTANCE 20
#define NUMA_UNREACHABLE 255

struct numa_cpu_affinity {
	uint32_t apic_id;
	uint32_t domain;
};

struct numa_input {
	const struct numa_cpu_affinity *srat; /* NULL or nsrat == 0: no SRAT */
	size_t nsrat;
	const uint32_t *cpu_apic; /* APIC id of logical CPU i */
	unsigned ncpus;
	const uint8_t *slit; /* NULL or slit_n == 0: no SLIT */
	uint64_t slit_n;
};

struct numa_topo {
	unsigned nnodes;
	unsigned ncpus;
	uint32_t node_domain[MAX_NUMA_NODES]; /* proximity domain of each node */
	struct cpumask node_cpus[MAX_NUMA_NODES];
	uint8_t cpu_node[MAX_CPUS];
	uint8_t dist[MAX_NUMA_NODES][MAX_NUMA_NODES];
	unsigned cpus_without_domain; /* logical CPUs absent from the SRAT */
	bool slit_used;		      /* distances came from the SLIT */
	bool slit_ignored;	      /* a SLIT was given but unusable */
};

/* Build *out from *in (rules above); 0, -E_INVAL or -E_RANGE. On error
 * *out holds the one-node fallback topology for in->ncpus CPUs (clamped to
 * MAX_CPUS), so the caller can log the error and carry on. */
int numa_build(const struct numa_input *in, struct numa_topo *out) MUST_CHECK;
/* Node of logical CPU cpu (0 for CPUs out of range). */
unsigned numa_cpu_node(const struct numa_topo *t, unsigned cpu);
/* Distance between nodes a and b (NUMA_UNREACHABLE when out of range). */
unsigned numa_distance(const struct numa_topo *t, unsigned a, unsigned b);

/* "numa: N nodes"; 0 or -E_NOSPC. */
int numa_format_summary(const struct numa_topo *t, char *buf, size_t n) MUST_CHECK;
/* "numa: node K cpus <ranges>"; 0, -E_INVAL (no such node) or -E_NOSPC. */
int numa_format_node(const struct numa_topo *t, unsigned node, char *buf, size_t n) MUST_CHECK;
/* "numa: distances"; 0 or -E_NOSPC. */
int numa_format_dist_header(char *buf, size_t n) MUST_CHECK;
/* "numa:   K: d0 d1 ..."; 0, -E_INVAL (no such node) or -E_NOSPC. */
int numa_format_dist_row(const struct numa_topo *t, unsigned node, char *buf, size_t n) MUST_CHECK;
