/*
 * gdt.h - per-CPU GDT and TSS.
 *
 * Selector layout (fixed: SYSCALL/SYSRET derive user selectors from it):
 *   0x00 null   0x08 kernel code   0x10 kernel data
 *   0x18 user data   0x20 user code (64-bit)   0x28 TSS (two slots)
 * Each CPU owns one struct cpu_gdt; its TSS holds the IST stacks used for
 * double faults and NMIs, so those handlers run on a known-good stack.
 */
#pragma once

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x18
#define SEL_UCODE 0x20
#define SEL_TSS 0x28

#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_STACK_SIZE 8192

#ifndef __ASSEMBLER__
#include <stdint.h>
#include "base/compiler.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} PACKED;

struct cpu_gdt {
	uint64_t entries[7];
	struct tss tss;
	uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));
};

/* Fill this CPU's GDT and TSS, load them, and reload every segment register. */
void gdt_init_cpu(struct cpu_gdt *g);
#endif
