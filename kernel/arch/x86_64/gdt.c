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
 * switch, cpu_setup.c; the I/O bitmap on a context switch or a #GP, below)
 * with interrupts off. Nothing here is shared, so there is no lock.
 *
 * I/O bitmap (SDM Vol 1 §19.5): a user in/out is allowed when IOPL is 0
 * (always here) only if the TSS's I/O map base plus port/8 is inside the
 * TSS limit and the port's bits are clear. The bitmap sits right after the
 * TSS and the limit covers it and one more all-ones byte. A process with
 * no ports gets the map base moved past the limit (IOMAP_NONE): one 16-bit
 * store per switch, every port faults. A process with ports gets its
 * bytes copied in, only when the CPU holds another version, and only up to
 * its highest port; the bytes the previous holder opened past that are set
 * back to 0xff, so no port of another process stays open.
 */
#include <stddef.h>
#include <string.h>
#include "arch/x86_64/gdt.h"
#include "core/percpu.h"

#define DESC_CODE64(dpl) (0x00209A0000000000ull | ((uint64_t)(dpl) << 45))
#define DESC_DATA(dpl) (0x0000920000000000ull | ((uint64_t)(dpl) << 45))

#define IOMAP_OFF (offsetof(struct cpu_gdt, iomap) - offsetof(struct cpu_gdt, tss))
#define IOMAP_NONE 0xFFFF		    /* past the limit: no bitmap, every port faults */
#define TSS_LIMIT (IOMAP_OFF + IOMAP_BYTES) /* the last byte: the 0xff terminator */
STATIC_ASSERT(IOMAP_OFF == sizeof(struct tss), "the I/O bitmap must follow the TSS");
STATIC_ASSERT(TSS_LIMIT < IOMAP_NONE, "IOMAP_NONE must lie past the TSS limit");

static void tss_descriptor(uint64_t out[2], const struct tss *t)
{
	uint64_t base = (uint64_t)t;
	uint64_t limit = TSS_LIMIT;
	out[0] = (limit & 0xFFFF) | (base & 0xFFFFFF) << 16 | 0x89ull << 40 |
		 ((limit >> 16) & 0xF) << 48 | ((base >> 24) & 0xFF) << 56;
	out[1] = base >> 32;
}

void gdt_init_cpu(struct cpu_gdt *g)
{
	memset(&g->tss, 0, sizeof g->tss);
	g->tss.iomap_base = IOMAP_NONE; /* no process yet: no port */
	memset(g->iomap, 0xff, sizeof g->iomap);
	g->io_key = 0;
	g->io_dirty = 0;
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

void arch_io_bitmap_load(uint64_t key, const uint8_t *bits, size_t used)
{
	struct cpu_gdt *g = &percpu()->gdt;
	if (used > IOMAP_BYTES)
		used = IOMAP_BYTES;
	if (g->io_key != key) {
		memcpy(g->iomap, bits, used);
		if (g->io_dirty > used)
			memset(g->iomap + used, 0xff, g->io_dirty - used);
		g->io_dirty = (uint32_t)used;
		g->io_key = key;
	}
	g->tss.iomap_base = IOMAP_OFF;
}

void arch_io_bitmap_off(void)
{
	percpu()->gdt.tss.iomap_base = IOMAP_NONE;
}

uint64_t arch_io_bitmap_key(void)
{
	struct cpu_gdt *g = &percpu()->gdt;
	return g->tss.iomap_base == IOMAP_OFF ? g->io_key : 0;
}
