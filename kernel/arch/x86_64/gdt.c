/*
 * gdt.c - build and load a CPU's GDT and TSS (see gdt.h).
 *
 * In long mode base and limit of code/data descriptors are ignored; only
 * the type, DPL, present and L bits matter (Intel SDM Vol 3A §3.4.5). The
 * TSS descriptor is 16 bytes (SDM §8.2.3).
 *
 * Ownership: each CPU's GDT, TSS and IST stacks live in its own per-CPU
 * block (struct cpu_gdt in struct percpu), and only that CPU builds and
 * loads them: the boot CPU in kmain, each AP in ap_entry before it calls
 * in. Afterwards only the owning CPU writes its TSS (rsp[0] on a context
 * switch, cpu_setup.c). Nothing here is shared, so there is no lock.
 */
#include <stddef.h>
#include <string.h>
#include "arch/x86_64/gdt.h"

#define DESC_CODE64(dpl) (0x00209A0000000000ull | ((uint64_t)(dpl) << 45))
#define DESC_DATA(dpl) (0x0000920000000000ull | ((uint64_t)(dpl) << 45))

static void tss_descriptor(uint64_t out[2], const struct tss *t)
{
	uint64_t base = (uint64_t)t;
	uint64_t limit = sizeof *t - 1;
	out[0] = (limit & 0xFFFF) | (base & 0xFFFFFF) << 16 | 0x89ull << 40 |
		 ((limit >> 16) & 0xF) << 48 | ((base >> 24) & 0xFF) << 56;
	out[1] = base >> 32;
}

void gdt_init_cpu(struct cpu_gdt *g)
{
	memset(&g->tss, 0, sizeof g->tss);
	g->tss.iomap_base = sizeof g->tss; /* no I/O bitmap */
	for (int i = 0; i < 3; i++)
		g->tss.ist[i] = (uint64_t)&g->ist_stacks[i][IST_STACK_SIZE];

	g->entries[0] = 0;
	g->entries[1] = DESC_CODE64(0);
	g->entries[2] = DESC_DATA(0);
	g->entries[3] = DESC_DATA(3);
	g->entries[4] = DESC_CODE64(3);
	tss_descriptor(&g->entries[5], &g->tss);

	struct {
		uint16_t limit;
		uint64_t base;
	} PACKED ptr = {sizeof g->entries - 1, (uint64_t)g->entries};
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %2, %%ds\n\t"
			 "mov %2, %%es\n\t"
			 "mov %2, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(ptr), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS)
			 : "rax", "memory");
}
