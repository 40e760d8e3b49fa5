/*
 * ipi.h - cross-CPU requests: run a function on other CPUs, and TLB
 * shootdown.
 *
 * Both follow the same shape: the initiator publishes the request, sends
 * an IPI to each target and waits until every target has acknowledged.
 * Initiators run with interrupts off from start to end; while waiting for
 * the lock or for acks they keep serving both kinds of request aimed at
 * themselves, so two CPUs shooting at each other cannot deadlock. Callers
 * must not hold a spinlock another CPU may spin on with interrupts off.
 */
#pragma once
#include <stdint.h>
#include "smp/cpumask.h"

/* Install the IPI handlers (boot CPU, before any AP starts). */
void ipi_init(void);
/* Run fn(arg) on every online CPU except the caller; return when all have. */
void smp_call_others(void (*fn)(void *arg), void *arg);
/* The same for the online CPUs of targets, the caller left out. */
void smp_call_mask(const struct cpumask *targets, void (*fn)(void *arg), void *arg);
/*
 * Run fn(arg) here while every other online CPU waits with interrupts off,
 * touching nothing but RAM (a stop-machine, for a few microseconds: fn
 * must be short and must not wait on another CPU).
 */
void smp_run_alone(void (*fn)(void *arg), void *arg);
/*
 * Make every CPU in targets (and the caller) forget translations for
 * [va, va + npages pages); a range that does not fit the request word, or
 * npages 0, means a full flush.
 */
void tlb_shootdown(const struct cpumask *targets, uint64_t va, uint64_t npages);
/* Flush [va, +npages) on this CPU only (full flush when the range is huge). */
void tlb_flush_local(uint64_t va, uint64_t npages);
