/*
 * boot.S - from GRUB's 32-bit protected mode to kmain() in long mode.
 *
 * GRUB (Multiboot2, spec §3.3) enters _start with EAX = magic 0x36d76289,
 * EBX = physical address of the boot information, paging off, flat 4 GiB
 * segments, interrupts off. We:
 *   1. check the magic and that the CPU has long mode (else print on COM1
 *      and halt: there is nothing better to do in 32-bit code);
 *   2. build boot page tables: identity + direct map (PML4[0] and
 *      PML4[256]) of the first 4 GiB with 2 MiB pages, and the kernel image
 *      window at -2 GiB (PML4[511], PDPT[510]) -> physical 0..1 GiB;
 *   3. enable PAE, EFER.LME (+NXE when CPUID says NX exists), paging;
 *   4. far-jump to 64-bit code, switch to the higher-half stack and call
 *      kmain(mbi_phys). The C code replaces these tables at once.
 * Boot CPU only, before anything else runs; the boot tables and stack it
 * sets up are used by nothing after kmain has replaced them.
 */
#include "arch/x86_64/layout.h"

#define MB2_MAGIC 0xE85250D6
#define MB2_ARCH_I386 0

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* framebuffer request (type 5), optional (flags bit 0): a console on screen */
	.balign 8
	.short 5, 1
	.long 20
	.long 1024, 768, 32
	/* module alignment (type 6): modules page aligned */
	.balign 8
	.short 6, 0
	.long 8
	/* end tag */
	.balign 8
	.short 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	mov $boot_stack_top_phys, %esp
	cmp $0x36d76289, %eax
	jne no_multiboot
	mov %ebx, %edi			/* keep MBI pointer for kmain (rdi) */

	/* Long mode? CPUID 0x80000001 EDX bit 29. */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	bt $29, %edx
	jnc no_long_mode
	mov %edx, %esi			/* remember bit 20 (NX) for EFER */

	/* PD entries: 4 x 512 x 2 MiB pages covering 0..4 GiB, present|rw|ps. */
	mov $boot_pd_phys, %ebx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax
	mov %eax, (%ebx, %ecx, 8)
	mov %ecx, %eax
	shr $11, %eax			/* high dword: (i * 2 MiB) >> 32 */
	mov %eax, 4(%ebx, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jne 1b

	/* PDPT for the low/direct map: 4 entries -> the 4 PDs. */
	mov $boot_pdpt_low_phys, %ebx
	mov $boot_pd_phys + 0x3, %eax
	mov %eax, 0(%ebx)
	add $0x1000, %eax
	mov %eax, 8(%ebx)
	add $0x1000, %eax
	mov %eax, 16(%ebx)
	add $0x1000, %eax
	mov %eax, 24(%ebx)

	/* PDPT for the kernel window: entry 510 -> first PD (0..1 GiB). */
	mov $boot_pdpt_high_phys, %ebx
	movl $boot_pd_phys + 0x3, 510*8(%ebx)

	mov $boot_pml4_phys, %ebx
	movl $boot_pdpt_low_phys + 0x3, 0(%ebx)
	movl $boot_pdpt_low_phys + 0x3, 256*8(%ebx)
	movl $boot_pdpt_high_phys + 0x3, 511*8(%ebx)
	mov %ebx, %cr3

	mov %cr4, %eax
	or $(1 << 5), %eax		/* PAE */
	mov %eax, %cr4

	mov $0xC0000080, %ecx		/* EFER */
	rdmsr
	or $(1 << 8), %eax		/* LME */
	bt $20, %esi
	jnc 2f
	or $(1 << 11), %eax		/* NXE, so later tables may set NX */
2:	wrmsr

	mov %cr0, %eax
	or $0x80010001, %eax		/* PG | WP | PE */
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $long_mode_entry

no_multiboot:
	mov $msg_no_mb2, %esi
	jmp die32
no_long_mode:
	mov $msg_no_lm, %esi
die32:	/* print the string at esi on COM1 (polling), then halt forever */
	mov $0x3FD, %dx
3:	in %dx, %al
	test $0x20, %al
	jz 3b
	lodsb
	test %al, %al
	jz 4f
	mov $0x3F8, %dx
	out %al, %dx
	mov $0x3FD, %dx
	jmp 3b
4:	hlt
	jmp 4b

	.code64
long_mode_entry:
	xor %eax, %eax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	movabs $boot_stack_top, %rsp
	xor %ebp, %ebp			/* end of the backtrace chain */
	/* edi still holds the MBI physical address */
	movabs $kmain, %rax
	call *%rax
5:	cli
	hlt
	jmp 5b

	.section .boot.data, "aw"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00AF9A000000FFFF		/* 0x08: 64-bit code */
	.quad 0x00CF92000000FFFF		/* 0x10: data */
boot_gdt_ptr:
	.short boot_gdt_ptr - boot_gdt - 1
	.long boot_gdt
msg_no_mb2:
	.asciz "redbear: not started by a Multiboot2 loader; halting\r\n"
msg_no_lm:
	.asciz "redbear: this CPU has no 64-bit long mode; halting\r\n"

	/* Boot page tables and stack live in .bss (zeroed by GRUB, which
	   zeroes memsz beyond filesz); their physical address is VMA - KERNEL_VMA. */
	.section .bss
	.balign 4096
	.globl boot_pml4
boot_pml4:	.skip 4096
boot_pdpt_low:	.skip 4096
boot_pdpt_high:	.skip 4096
boot_pd:	.skip 4096 * 4
	.globl boot_stack_top
boot_stack:	.skip BOOT_STACK_SIZE
boot_stack_top:

	.set boot_pml4_phys, boot_pml4 - KERNEL_VMA
	.set boot_pdpt_low_phys, boot_pdpt_low - KERNEL_VMA
	.set boot_pdpt_high_phys, boot_pdpt_high - KERNEL_VMA
	.set boot_pd_phys, boot_pd - KERNEL_VMA
	.set boot_stack_top_phys, boot_stack_top - KERNEL_VMA
