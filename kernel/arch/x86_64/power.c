/*
 * power.c - the x86 pieces of power-off and reset: port access for the
 * ACPI fixed hardware a FADT names (PM1 control, reset register), the
 * 8042 keyboard controller's reset line, and a triple fault.
 *
 * No objects and no locks: the caller (boot/power.c) runs these as the
 * machine's last act, with interrupts off on its CPU.
 */
#include "arch.h"

uint32_t arch_port_read(uint16_t port, unsigned bytes)
{
	return bytes == 1 ? inb(port) : bytes == 2 ? inw(port) : inl(port);
}

void arch_port_write(uint16_t port, unsigned bytes, uint32_t v)
{
	if (bytes == 1)
		outb(port, (uint8_t)v);
	else if (bytes == 2)
		outw(port, (uint16_t)v);
	else
		outl(port, v);
}

#define KBC_STATUS 0x64
#define KBC_INPUT_FULL 0x02
#define KBC_PULSE_RESET 0xfe /* pulse output line 0: CPU reset (8042 command) */

void arch_reset_kbc(void)
{
	/* Wait (bounded: there may be no 8042 at all) until it takes a command. */
	for (int i = 0; i < 100000 && (inb(KBC_STATUS) & KBC_INPUT_FULL); i++)
		cpu_pause();
	outb(KBC_STATUS, KBC_PULSE_RESET);
}

void arch_triple_fault(void)
{
	/* An empty IDT: the next exception cannot be delivered, nor the double
	   fault it becomes, and the CPU shuts down (a reset on PCs and QEMU). */
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} idt = {0, 0};
	__asm__ volatile("lidt %0; int3" : : "m"(idt));
	for (;;)
		cpu_halt_forever();
}
