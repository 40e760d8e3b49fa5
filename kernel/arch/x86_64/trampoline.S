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
 */
#include "arch/x86_64/smp_layout.h"

#define T(x) ((x) - tramp_start + TRAMP_BASE)

	.section .rodata
	.globl tramp_start, tramp_end
	.balign 16
	.code16
tramp_start:
	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	lgdtl T(tramp_gdt_ptr)
	mov %cr0, %eax
	or $1, %eax			/* PE */
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
	mov %cr0, %eax
	or $0x80010000, %eax		/* PG, WP */
	mov %eax, %cr0
	ljmp $0x18, $T(tramp_lm)

	.code64
tramp_lm:
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
		.long 0
tramp_stacks:	.quad 0
tramp_entry:	.quad 0
tramp_end:
