/*
 * main.c - kmain(), the boot CPU's path from boot.S to a running kernel.
 *
 * Order matters and is the whole point of this file: the console first so
 * everything after can report; then CPU tables so faults are caught; the
 * clock; the boot information; memory (physical allocator, final page
 * tables, heap); the screen; ACPI; then the test hooks and "ready".
 */
#include <stdint.h>
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/trap.h"
#include "core/acpi.h"
#include "core/boot.h"
#include "core/ipi.h"
#include "core/log.h"
#include "core/numa.h"
#include "core/percpu.h"
#include "core/sched.h"
#include "core/time.h"

void kmain(uint32_t mbi_phys);
void kmain(uint32_t mbi_phys)
{
	time_start();
	serial_init();
	percpu_bsp.id = 0;
	percpu_install(&percpu_bsp);
	gdt_init_cpu(&percpu_bsp.gdt);
	idt_init_cpu();
	kprintf("Red Bear OS booting\n");

	boot_info_init(mbi_phys);
	mem_init();
	console_init();
	acpi_init();
	lapic_init_bsp(acpi.have_madt ? acpi.madt.lapic_address : 0);
	lapic_init_cpu();
	ioapic_init(); /* masks the 8259s too: no stray legacy vectors once we sti */
	time_init();
	timer_init_cpu();
	timer_selftest();
	numa_init();
	ipi_init();
	sched_init();
	smp_init();
	numa_report();
	sched_init_cpu();
	selftest_run();

	kprintf("redbear: ready\n");
	sched_idle();
}
