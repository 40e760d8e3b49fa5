/*
 * main.c - kmain(), the boot CPU's path from boot.S to a running kernel.
 *
 * Order matters and is the whole point of this file: the console first so
 * everything after can report; then CPU tables so faults are caught; the
 * clock; the boot information; memory (physical allocator, final page
 * tables, heap); the screen; ACPI; then the test hooks and "ready".
 *
 * Boot CPU only: kmain owns nothing shared; each step hands its state to
 * the module that owns it, and the APs start only from smp_init, after
 * everything they read has been set up.
 */
#include <stdint.h>
#include "arch.h"
#include "boot/acpi.h"
#include "boot/boot.h"
#include "core/ipi.h"
#include "core/log.h"
#include "boot/numa.h"
#include "core/percpu.h"
#include "dev/hw.h"
#include "sched/sched.h"
#include "scheme/file.h"
#include "proc/proc.h"
#include "syscall/syscall.h"
#include "core/time.h"
#include "mm/uaccess.h"
#include "sync/spinlock.h"

/* How every spinlock waits, chosen before a second CPU can contend (lib/sync/spinlock.h): out
   of turn under a hypervisor, which may stop the vCPU whose turn is next; `spin.fifo` keeps FIFO
   order there too. */
static void spin_mode_init(void)
{
	bool vm = cpu_under_hypervisor();
	bool unfair = vm && !cmdline_flag(&boot_cmdline, "spin.fifo");
	spin_set_unfair(unfair);
	kprintf("spinlock: %s\n", unfair ? "under a hypervisor: a free lock goes to whoever runs"
				  : vm	 ? "under a hypervisor, FIFO order (spin.fifo)"
					 : "FIFO order");
}

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
	lapic_init_bsp(acpi.have_madt ? acpi.madt.lapic_address : 0,
		       acpi.madt.has_lapic_override ? "the MADT's local APIC address override"
						    : "the MADT header");
	lapic_init_cpu();
	ioapic_init(acpi.have_madt
			? &acpi.madt
			: NULL); /* masks the 8259s too: no stray legacy vectors once we sti */
	time_init(acpi.have_hpet ? &acpi.hpet : NULL);
	timer_init_cpu();
	timer_selftest();
	numa_init();
	ipi_init();
	sched_init();
	spin_mode_init();
	smp_init(acpi.have_madt ? &acpi.madt : NULL);
	numa_report();
	sched_init_cpu();
	sched_topology_ready();
	syscall_init_cpu();
	cpu_protect_user();
	selftest_run();
	if (cmdline_flag(&boot_cmdline, "selftest.trap"))
		trap_selftest();

	console_start_render(); /* after the self-tests: they wait for every kernel thread to end */
	kprintf("redbear: ready\n");
	if (boot_mbi.nmodules) {
		const struct mb2_module *m = &boot_mbi.modules[0];
		file_init(phys_to_virt(m->start), m->end - m->start);
		hw_init(); /* hw.policy from initfs, before the first process */
		proc_start_init();
	} else {
		kprintf("init: no initfs module; nothing to run\n");
	}
	sched_idle();
}
