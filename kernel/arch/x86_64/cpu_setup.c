/*
 * cpu_setup.c - what each x86-64 CPU turns on for the kernel and for user
 * code, once, on that CPU: the SYSCALL MSRs, SMEP/SMAP/UMIP and the FPU;
 * and the few CPU facts and operations the portable kernel reaches through
 * arch.h (physical address width, APIC base, FPU state, CR3 switch).
 *
 * Each function acts on the CPU that calls it; none takes a lock. The
 * set-up ones run during that CPU's bring-up (kmain on the boot CPU,
 * ap_entry on the others), before the CPU is marked online; the FPU, stack
 * and CR3 ones run in the scheduler's context switch with preemption off,
 * on this CPU's own registers and per-CPU block. smap_on and fpu_initial
 * are written by the boot CPU before any AP starts and only read
 * afterwards (every CPU of a machine has the same features).
 */
#include <stdint.h>
#include <string.h>
#include "arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "core/log.h"
#include "core/percpu.h"
#include "mm/uaccess.h"
#include "syscall/syscall.h"

void syscall_init_cpu(void)
{
	/* SYSRET's user selectors are STAR[63:48] + 8 (SS) and + 16 (CS), so the
	   base is SEL_UDATA - 8; kernel CS/SS come from STAR[47:32] (SDM §5.8.8). */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1); /* SCE */
	wrmsr(0xC0000081, ((uint64_t)(SEL_UDATA - 8) << 48) | ((uint64_t)SEL_KCODE << 32));
	wrmsr(0xC0000082, (uint64_t)syscall_entry);
	wrmsr(0xC0000084, (1u << 9) | (1u << 10) | (1u << 8) | (1u << 18)); /* IF DF TF AC */
}

bool cpu_under_hypervisor(void)
{
	return cpuid(1, 0).ecx & (1u << 31); /* SDM Vol. 2A, CPUID: "not used" on real CPUs */
}

/* SMEP, SMAP and UMIP when the CPU has them: the kernel never runs or reads
   user memory by accident, and user code cannot read descriptor tables. */
void cpu_protect_user(void)
{
	struct cpuid_regs l7 = cpuid(0, 0).eax >= 7 ? cpuid(7, 0) : (struct cpuid_regs){0};
	uint64_t cr4 = read_cr4();
	if (l7.ebx & (1u << 7))
		cr4 |= 1ull << 20; /* SMEP */
	if (l7.ebx & (1u << 20)) {
		cr4 |= 1ull << 21; /* SMAP */
		smap_on = true;
	}
	if (l7.ecx & (1u << 2))
		cr4 |= 1ull << 11; /* UMIP */
	write_cr4(cr4);
	if (percpu_id() == 0)
		kprintf("cpu: SMEP %s, SMAP %s, UMIP %s\n", cr4 & (1ull << 20) ? "on" : "absent",
			cr4 & (1ull << 21) ? "on" : "absent", cr4 & (1ull << 11) ? "on" : "absent");
}

unsigned arch_phys_addr_bits(void)
{
	return cpuid(0x80000000, 0).eax >= 0x80000008 ? cpuid(0x80000008, 0).eax & 0xFF : 36;
}

uint64_t arch_lapic_base(void)
{
	return rdmsr(MSR_APIC_BASE) & 0x000FFFFFFFFFF000ull;
}

/* The FPU/SSE state of a fresh thread: after fninit, MXCSR at its reset
   value. Written once by the boot CPU in arch_fpu_init_cpu, read-only after. */
static uint8_t fpu_initial[512] __attribute__((aligned(16)));

void arch_fpu_init_cpu(void)
{
	uint64_t cr0 = read_cr0();
	cr0 &= ~(1ull << 2); /* EM off: x87 instructions execute */
	cr0 |= 1ull << 1;    /* MP */
	cr0 &= ~(1ull << 3); /* TS off: no lazy-switch traps */
	write_cr0(cr0);
	write_cr4(read_cr4() | (1ull << 9) | (1ull << 10)); /* OSFXSR, OSXMMEXCPT */
	if (percpu_id() == 0) {
		uint32_t mxcsr = 0x1F80;
		__asm__ volatile("fninit; ldmxcsr %1; fxsave %0" : "=m"(fpu_initial) : "m"(mxcsr));
	}
}

void arch_fpu_init_state(void *area)
{
	memcpy(area, fpu_initial, sizeof fpu_initial);
}

void arch_fpu_save(void *area)
{
	__asm__ volatile("fxsave %0" : "=m"(*(uint8_t(*)[512])area));
}

void arch_fpu_restore(const void *area)
{
	__asm__ volatile("fxrstor %0" : : "m"(*(const uint8_t(*)[512])area));
}

void arch_set_kernel_stack(uint64_t top)
{
	percpu()->kstack_top = top;
	percpu()->gdt.tss.rsp[0] = top;
}

void arch_switch_root(uint64_t root)
{
	if (read_cr3() != root)
		write_cr3(root);
}
