/*
 * percpu.h - per-CPU data, reached through the GS base.
 *
 * Each CPU has one struct percpu; MSR_GS_BASE points at it and its first
 * field points at itself, so percpu() is a single %gs-relative load. The
 * block is filled in (id, APIC id, NUMA node) before its CPU is marked
 * online; see kernel/arch/x86_64/smp.c for the ordering.
 */
#pragma once

/* Offsets used by assembly (syscall.S); checked in percpu.c. */
#define PERCPU_KSTACK_TOP 24
#define PERCPU_USER_RSP 32

#ifndef __ASSEMBLER__
#include <stdint.h>
#include "arch.h"

struct percpu {
	struct percpu *self; /* must stay first: read as %gs:0 */
	uint32_t id;	     /* logical CPU id, 0 = boot CPU */
	uint32_t apic_id;
	uint32_t node; /* NUMA node */
	uint32_t pad;
	uint64_t kstack_top; /* running thread's kernel stack (syscall entry, TSS.rsp0) */
	uint64_t user_rsp;   /* scratch: user rsp during syscall entry */
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

/* This CPU's logical id; 0 before per-CPU data exists (only the BSP runs then). */
unsigned percpu_id(void);
#endif
