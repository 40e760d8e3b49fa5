/*
 * smp.h - bring-up of the application processors, and the CPU masks.
 *
 * smp_init() starts every CPU the MADT lists as enabled, in parallel, and
 * returns when each has come online or been given up on. The masks follow
 * the usual meaning: possible (could ever run: enabled + online-capable,
 * at most MAX_CPUS), present (enabled in the MADT), online (running kernel
 * code now). They are only ever grown, with atomic bit sets, so a reader
 * may test them without a lock.
 */
#pragma once
#include "smp/cpumask.h"

extern struct cpumask cpu_possible, cpu_present, cpu_online;

/* Start all APs; log "smp: N CPUs online ..." once. */
struct madt_info;
void smp_init(const struct madt_info *madt);
/* APIC id of logical CPU cpu (valid for online CPUs). */
uint32_t smp_cpu_apic_id(unsigned cpu);
/* Number of CPUs online. */
unsigned smp_online_count(void);
