/*
 * gdt.h - per-CPU GDT and TSS.
 *
 * Selector layout (fixed: SYSCALL/SYSRET derive user selectors from it):
 *   0x00 null   0x08 kernel code   0x10 kernel data
 *   0x18 user data   0x20 user code (64-bit)   0x28 TSS (two slots)
 * Each CPU owns one struct cpu_gdt; its TSS holds the IST stacks used for
 * double faults and NMIs, so those handlers run on a known-good stack, and
 * is followed by an I/O permission bitmap (8 KiB and the 0xff byte the CPU
 * may read past the last port, SDM Vol 1 §19.5.2) that holds the running
 * process's granted ports (docs/hwaccess.md).
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
#define IOMAP_BYTES 8192 /* one bit per port, 65536 ports */

#ifndef __ASSEMBLER__
#include <stddef.h>
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
	uint8_t iomap[IOMAP_BYTES + 1]; /* right after the TSS, inside its limit */
	uint64_t io_key;		/* the grant version iomap holds (0: none) */
	uint32_t io_dirty;		/* leading iomap bytes that may hold a 0 bit */
	uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));
};

/* Fill this CPU's GDT and TSS, load them, and reload every segment register. */
void gdt_init_cpu(struct cpu_gdt *g);

/*
 * The I/O bitmap of this CPU's TSS (interrupts off). load: make user code
 * on this CPU use bits[0..used) (a set bit closes its port, the bytes past
 * used are all ones), copied only if key differs from the version held.
 * off: close every port (the bitmap is out of the TSS's reach). key: the
 * version in use, 0 if off.
 */
void arch_io_bitmap_load(uint64_t key, const uint8_t *bits, size_t used);
void arch_io_bitmap_off(void);
uint64_t arch_io_bitmap_key(void);
#endif
