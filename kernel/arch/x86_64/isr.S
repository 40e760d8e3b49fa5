/*
 * isr.S - interrupt and exception entry stubs.
 *
 * Every vector gets a stub that makes the stack uniform (an error code of 0
 * where the CPU pushes none, then the vector number), saves all general
 * registers into a struct trap_frame (trap.h) and calls trap_dispatch().
 * Vectors 8, 10-14, 17, 21, 29, 30 push an error code (SDM Vol 3A §6.15).
 */
#include "arch/x86_64/regs.S.inc"

	.altmacro
	.text
	.macro STUB vec
	.balign 16
isr_stub_\vec:
	.if !(\vec == 8 || (\vec >= 10 && \vec <= 14) || \vec == 17 || \vec == 21 || \vec == 29 || \vec == 30)
	pushq $0
	.endif
	pushq $\vec
	jmp trap_common
	.endm

	.set vec, 0
	.rept 256
	STUB %vec
	.set vec, vec + 1
	.endr

trap_common:
	cld
	testb $3, 24(%rsp)		/* from user mode? then GS must become the kernel's */
	jz 1f
	swapgs
1:	PUSH_GPRS
	mov %rsp, %rdi
	call trap_dispatch
	.globl trap_return
trap_return:				/* also the exit of syscall_entry */
	POP_GPRS
	addq $16, %rsp			/* vector and error code */
	testb $3, 8(%rsp)		/* back to user mode: give GS back */
	jz 2f
	swapgs
2:	iretq

	/* isr_stubs[i] = address of the stub for vector i (for idt.c) */
	.section .rodata
	.balign 8
	.globl isr_stubs
isr_stubs:
	.macro STUB_ADDR vec
	.quad isr_stub_\vec
	.endm
	.set vec, 0
	.rept 256
	STUB_ADDR %vec
	.set vec, vec + 1
	.endr
