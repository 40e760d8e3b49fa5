/*
 * numa.h - the machine's NUMA topology as SRAT and SLIT describe it.
 *
 * numa_init() runs on the boot CPU before the APs start, so each AP's node
 * is known before it is marked online; numa_report() logs the topology once
 * all CPUs are up. Read-only afterwards: no locking.
 */
#pragma once
#include <stdint.h>

/* Build the topology from the parsed SRAT/SLIT (one node when absent). */
void numa_init(void);
/* Node of the CPU with this APIC id (0 when SRAT does not say). */
uint32_t numa_node_of_apic(uint32_t apic_id);
struct numa_topo;
/* The topology over logical CPU ids (valid after numa_report). */
const struct numa_topo *numa_topology(void);
/* Log "numa: N nodes", the CPU-to-node map and the distance matrix. */
void numa_report(void);
