/*
 * arch.h - the seam between the portable kernel and the CPU architecture.
 *
 * Code outside kernel/arch/ includes this header and nothing under
 * kernel/arch/ (scripts/lint.sh checks), and never touches control
 * registers, MSRs, I/O ports, CPUID or the interrupt controller's registers
 * itself. What the architecture provides:
 *
 *   cpu.h     interrupt masking (irq_save/irq_restore, cpu_cli/cpu_sti),
 *             cpu_pause, cpu_halt_forever, rdtsc, TLB flushes of this CPU
 *   layout.h  the virtual address layout, phys_to_virt, page size
 *   paging.h  page tables: kernel and user mappings, MMIO windows
 *   trap.h    the trap frame, vector numbers, trap_register
 *   gdt.h     segment selectors and the per-CPU GDT/TSS
 *   smp.h     CPU bring-up and the CPU-id to APIC-id map
 *   smp_layout.h  the AP start-up page (TRAMP_BASE)
 *   lapic.h   this CPU's APIC id, end of interrupt
 *   ioapic.h  legacy IRQ routing
 *   serial.h  the early console
 * and the functions below. An architecture port supplies the same names.
 */
#pragma once
#include <stdint.h>
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/smp_layout.h"
#include "arch/x86_64/trap.h"

/* Send vector to logical CPU cpu (a fixed interrupt): 0, or -E_TIMEDOUT if
   the interrupt controller never accepted it. */
int arch_ipi_send(unsigned cpu, uint8_t vector);

/* The physical address width this CPU reports (36 when it does not say). */
unsigned arch_phys_addr_bits(void);

/* Read or write an I/O port of width bytes (1, 2 or 4): ACPI fixed hardware (power.c). */
uint32_t arch_port_read(uint16_t port, unsigned bytes);
void arch_port_write(uint16_t port, unsigned bytes, uint32_t v);
/* Ask the 8042 keyboard controller to reset the CPU; returns if nothing happened. */
void arch_reset_kbc(void);
/* Reset by a triple fault (an empty IDT, then an exception). */
__attribute__((noreturn)) void arch_triple_fault(void);

/* The local APIC's physical base as the CPU itself has it (not firmware's). */
uint64_t arch_lapic_base(void);

/* Turn on x87/SSE for user code on this CPU and, on the boot CPU, record
   the initial FPU state fresh threads start from (arch_fpu_init_state). */
void arch_fpu_init_cpu(void);

/* Copy the FPU/SSE state a fresh user thread starts with into area (512
   bytes, 16-byte aligned). */
void arch_fpu_init_state(void *area);

/* Save this CPU's FPU/SSE registers into area / load them from it. */
void arch_fpu_save(void *area);
void arch_fpu_restore(const void *area);

/* The kernel stack this CPU enters on from user mode (TSS rsp0 and the
   SYSCALL path's per-CPU copy). */
void arch_set_kernel_stack(uint64_t top);

/* Make the page-table root the current address space, if it is not. */
void arch_switch_root(uint64_t root);
