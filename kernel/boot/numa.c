/*
 * numa.c - the NUMA topology from SRAT and SLIT (see numa.h).
 *
 * lib/smp/numa.c does the work; this file feeds it the parsed ACPI tables.
 * numa_init() builds a first topology over the MADT's processors so that
 * each AP's node is known before it comes online; numa_report() rebuilds it
 * over the logical CPU ids the APs took, and logs it. The topology is
 * indexed by CPU id, not by position among the online CPUs: an AP that
 * failed to start leaves a hole in the ids (its slot keeps its APIC id),
 * and the holes are then taken out of every node's CPU mask.
 *
 * Locking: none; boot CPU only (numa_init before the APs start,
 * numa_report once they are all up); read-only afterwards.
 */
#include "arch.h"
#include "boot/acpi.h"
#include "core/log.h"
#include "boot/numa.h"
#include "smp/numa.h"

static struct numa_cpu_affinity affinity[SRAT_MAX_CPUS];
static uint32_t apic_of[MAX_CPUS];
static struct numa_topo topo;

static void build(const uint32_t *cpu_apic, unsigned ncpus)
{
	size_t n = 0;
	if (acpi.have_srat)
		for (uint32_t i = 0; i < acpi.srat.ncpus; i++)
			affinity[n++] = (struct numa_cpu_affinity){acpi.srat.cpus[i].apic_id,
								   acpi.srat.cpus[i].domain};
	struct numa_input in = {
	    .srat = affinity,
	    .nsrat = n,
	    .cpu_apic = cpu_apic,
	    .ncpus = ncpus,
	    .slit = acpi.have_slit ? acpi.slit.matrix : NULL,
	    .slit_n = acpi.have_slit ? acpi.slit.localities : 0,
	};
	if (numa_build(&in, &topo) < 0)
		kprintf("numa: inconsistent SRAT/SLIT; treating the machine as one node\n");
}

void numa_init(void)
{
	unsigned n = 0;
	for (uint32_t i = 0; acpi.have_madt && i < acpi.madt.ncpus && n < MAX_CPUS; i++)
		if (acpi.madt.cpus[i].flags & MADT_CPU_ENABLED)
			apic_of[n++] = acpi.madt.cpus[i].apic_id;
	build(apic_of, n ? n : 1);
}

uint32_t numa_node_of_apic(uint32_t apic_id)
{
	for (unsigned cpu = 0; cpu < topo.ncpus; cpu++)
		if (apic_of[cpu] == apic_id)
			return numa_cpu_node(&topo, cpu);
	return 0;
}

void numa_report(void)
{
	unsigned n = 0;
	for (unsigned cpu = cpumask_first(&cpu_online); cpu < MAX_CPUS;
	     cpu = cpumask_next(&cpu_online, cpu))
		n = cpu + 1;
	for (unsigned cpu = 0; cpu < n; cpu++)
		apic_of[cpu] = smp_cpu_apic_id(cpu); /* by id, holes included */
	build(apic_of, n);
	for (unsigned node = 0; node < topo.nnodes; node++)
		cpumask_and(&topo.node_cpus[node], &topo.node_cpus[node], &cpu_online);
	char line[512];
	if (numa_format_summary(&topo, line, sizeof line) == 0)
		kprintf("%s\n", line);
	for (unsigned node = 0; node < topo.nnodes; node++)
		if (numa_format_node(&topo, node, line, sizeof line) == 0)
			kprintf("%s\n", line);
	if (numa_format_dist_header(line, sizeof line) == 0)
		kprintf("%s\n", line);
	for (unsigned node = 0; node < topo.nnodes; node++)
		if (numa_format_dist_row(&topo, node, line, sizeof line) == 0)
			kprintf("%s\n", line);
	if (topo.cpus_without_domain)
		kprintf("numa: %u CPUs not in the SRAT were put on node 0\n",
			topo.cpus_without_domain);
	if (topo.slit_ignored)
		kprintf("numa: SLIT unusable; default distances used\n");
}

const struct numa_topo *numa_topology(void)
{
	return &topo;
}
