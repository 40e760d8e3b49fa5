/*
 * percpu.h - per-CPU data, reached through the GS base.
 *
 * Each CPU has one struct percpu; MSR_GS_BASE points at it and its first
 * field points at itself, so percpu() is a single %gs-relative load. The
 * block is filled in (id, APIC id, NUMA node) before its CPU is marked
 * online; see kernel/arch/x86_64/smp.c for the ordering.
 *
 * Ownership and locking: each block belongs to its CPU and is none shared:
 * only that CPU writes it after bring-up. curr is written by the scheduler
 * (sched.c) with interrupts off at each switch and read by percpu_curr()
 * in one %gs-relative load, which a preemption cannot split.
 */
#pragma once

/* Offsets used by assembly (syscall.S); checked in percpu.c. */
#define PERCPU_KSTACK_TOP 24
#define PERCPU_USER_RSP 32

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "arch.h"

struct thread;

struct percpu {
	struct percpu *self; /* must stay first: read as %gs:0 */
	uint32_t id;	     /* logical CPU id, 0 = boot CPU */
	uint32_t apic_id;
	uint32_t node;	      /* NUMA node */
	bool uaccess_nofault; /* a kernel fault on a user address is not resolved (vm.c) */
	uint64_t kstack_top;  /* running thread's kernel stack (syscall entry, TSS.rsp0) */
	uint64_t user_rsp;    /* scratch: user rsp during syscall entry */
	struct thread *curr;  /* the running thread (NULL until sched_init_cpu) */
	struct cpu_gdt gdt;
};

extern struct percpu percpu_bsp;

/* Point GS at p on the calling CPU. */
void percpu_install(struct percpu *p);

/* This CPU's block. Valid after percpu_install on this CPU. */
static inline struct percpu *percpu(void)
{
	struct percpu *p;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

/*
 * The thread running on this CPU, in one load: the thread that reads it is
 * the one running, whichever CPU it is on, so no interrupt masking is
 * needed (reading percpu() and then ->curr in two steps could be split by
 * a preemption and a migration). Valid after sched_init_cpu on this CPU.
 */
static inline struct thread *percpu_curr(void)
{
	struct thread *t;
	__asm__ volatile("mov %%gs:%c1, %0" : "=r"(t) : "i"(offsetof(struct percpu, curr)));
	return t;
}

/* This CPU's logical id; 0 before per-CPU data exists (only the BSP runs then). */
unsigned percpu_id(void);
#endif
