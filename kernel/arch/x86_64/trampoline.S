/*
 * trampoline.S - where an application processor starts after its SIPI.
 *
 * A SIPI with vector V starts the AP in real mode at V:0000, i.e. physical
 * V * 4096 (SDM Vol 3A §9.4.4.2, §11.6.1). smp.c copies this blob to
 * TRAMP_BASE (below 1 MiB, reserved from the allocator) and fills the data
 * block at its end; the code is assembled for that fixed address (T()).
 * The AP goes real mode -> 32-bit protected mode -> long mode on the
 * kernel's own page tables (which identity-map this page while APs start),
 * takes a ticket by atomic fetch-add, uses it to pick its stack, and calls
 * ap_entry(ticket) in the higher half. Many APs may run this at once:
 * nothing here is written except the ticket counter, atomically.
 *
 * CR0 is loaded whole, never or-ed into: after INIT it reads 60000010H
 * (CD and NW set: caches off; SDM Vol 3A §9.1.1, Table 9-1), and keeping
 * those bits would run the AP uncached, NE clear (legacy FERR# x87 error
 * reporting, §2.5). So real mode loads PE|ET, then long mode
 * PG|WP|NE|ET|PE with CD and NW clear, the BSP's own settings.
 *
 * The BSP sets tramp_abort when it gives up on the APs still missing
 * (smp.c) and then parks them with INIT. The first check is in real mode,
 * before paging: a parked AP can still be restarted by a SIPI that reaches
 * it after the INIT (the second SIPI of the pair may still be in flight;
 * QEMU keeps a pending SIPI across INIT and runs it right after), and by
 * then the BSP may have removed the identity map of this page, so going on
 * to turn paging on would fault with no IDT: a triple fault that resets
 * the machine. Halting in real mode needs no page table. The second check,
 * in long mode, stops an AP that passed the first just before the deadline
 * from taking a ticket or entering the kernel.
 */
#include "arch/x86_64/smp_layout.h"

#define T(x) ((x) - tramp_start + TRAMP_BASE)

#define CR0_PE (1 << 0)
#define CR0_ET (1 << 4)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)

	.section .rodata
	.globl tramp_start, tramp_end
	.balign 16
	.code16
tramp_start:
	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	cmpl $0, T(tramp_abort)		/* given up on: halt before paging */
	jne tramp_halt16
	mov %ax, %es
	mov %ax, %ss
	lgdtl T(tramp_gdt_ptr)
	mov $(CR0_PE | CR0_ET), %eax	/* a known CR0: CD, NW off (see above) */
	mov %eax, %cr0
	ljmpl $0x08, $T(tramp_pm)

	.code32
tramp_pm:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %cr4, %eax
	or $((1 << 5) | (1 << 7)), %eax	/* PAE, PGE */
	mov %eax, %cr4
	mov T(tramp_cr3), %eax		/* kernel PML4, below 4 GiB */
	mov %eax, %cr3
	mov $0xC0000080, %ecx		/* EFER: LME, plus NXE if the BSP uses NX */
	rdmsr
	or T(tramp_efer), %eax
	wrmsr
	mov $(CR0_PG | CR0_WP | CR0_NE | CR0_ET | CR0_PE), %eax
	mov %eax, %cr0
	ljmp $0x18, $T(tramp_lm)

	.code64
tramp_lm:
	cmpl $0, T(tramp_abort)		/* the BSP gave up on late APs: halt */
	jne 1f
	mov $1, %eax
	lock xadd %eax, T(tramp_ticket)	/* my ticket: 0, 1, 2, ... */
	mov %eax, %edi			/* ap_entry(ticket) */
	mov T(tramp_stacks), %rbx	/* array of stack tops, indexed by ticket */
	mov (%rbx, %rax, 8), %rsp
	xor %ebp, %ebp			/* end of the backtrace chain */
	mov T(tramp_entry), %rax
	call *%rax
1:	cli
	hlt
	jmp 1b

	.code16
tramp_halt16:
	cli
	hlt
	jmp tramp_halt16

	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00CF9A000000FFFF		/* 0x08: 32-bit code */
	.quad 0x00CF92000000FFFF		/* 0x10: data */
	.quad 0x00AF9A000000FFFF		/* 0x18: 64-bit code */
tramp_gdt_ptr:
	.short tramp_gdt_ptr - tramp_gdt - 1
	.long T(tramp_gdt)

	/* Filled in by smp.c (struct tramp_data in smp_layout.h). */
	.balign 8
tramp_data:
tramp_cr3:	.long 0
tramp_efer:	.long 0
tramp_ticket:	.long 0
tramp_abort:	.long 0
tramp_stacks:	.quad 0
tramp_entry:	.quad 0
tramp_end:
