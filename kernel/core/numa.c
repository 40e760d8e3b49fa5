/*
 * numa.c - NUMA topology glue (see numa.h). Placeholder until lib/smp/numa.
 */
#include "core/numa.h"

void numa_init(void)
{
}

uint32_t numa_node_of_apic(uint32_t apic_id)
{
	return 0;
}

void numa_report(void)
{
}
