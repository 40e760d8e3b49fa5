/*
 * config.h - compile-time limits of the SMP layer.
 *
 * MAX_CPUS bounds every per-CPU array and the width of struct cpumask; it is
 * a multiple of 64 so a mask is a whole number of 64-bit words. MAX_NUMA_NODES
 * bounds the NUMA topology tables in lib/smp/numa.h. No code, no locking.
 */
#pragma once

#define MAX_CPUS 256
#define MAX_NUMA_NODES 64

_Static_assert(MAX_CPUS % 64 == 0, "MAX_CPUS must be a multiple of 64");
_Static_assert(MAX_NUMA_NODES <= 255, "node ids are stored in a uint8_t");
