/*
 * ipi.h - cross-CPU requests: run a function on other CPUs, and TLB
 * shootdown.
 *
 * Both follow the same shape: the initiator publishes the request, sends
 * an IPI to each target and waits until every target has acknowledged.
 * An initiator that must wait for a lock keeps serving requests aimed at
 * itself meanwhile, so two CPUs shooting at each other cannot deadlock.
 */
#pragma once
#include <stdint.h>
#include "smp/cpumask.h"

/* Install the IPI handlers (boot CPU, before any AP starts). */
void ipi_init(void);
/* Run fn(arg) on every online CPU except the caller; return when all have. */
void smp_call_others(void (*fn)(void *arg), void *arg);
/*
 * Make every CPU in targets (and the caller) forget translations for
 * [va, va + npages pages); a range that does not fit the request word, or
 * npages 0, means a full flush.
 */
void tlb_shootdown(const struct cpumask *targets, uint64_t va, uint64_t npages);
/* Flush [va, +npages) on this CPU only (full flush when the range is huge). */
void tlb_flush_local(uint64_t va, uint64_t npages);
