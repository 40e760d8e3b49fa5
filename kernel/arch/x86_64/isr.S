/*
 * isr.S - interrupt and exception entry stubs.
 *
 * Every vector gets a stub that makes the stack uniform (an error code of 0
 * where the CPU pushes none, then the vector number), saves all general
 * registers into a struct trap_frame (trap.h) and calls trap_dispatch().
 * Vectors 8, 10-14, 17, 21, 29, 30 push an error code (SDM Vol 3A §6.15).
 *
 * RFLAGS.AC is cleared on every entry: with SMAP on, AC=1 in ring 0 turns
 * SMAP off (SDM Vol 3A §4.6.1), and user code can set AC with popf, as can
 * an interrupted stac window in usercopy.S. iretq restores the interrupted
 * context's own AC. clac is #UD without SMAP (smap_on false); AC has no
 * effect at CPL 0 then, so nothing needs clearing.
 *
 * Runs on the interrupted CPU with interrupts off (interrupt gates); it
 * owns nothing beyond the frame it builds on the current stack.
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
	cmpb $0, smap_on(%rip)		/* AC off before any kernel code runs */
	je 1f
	clac
1:	testb $3, 24(%rsp)		/* from user mode? then GS must become the kernel's */
	jz 2f
	swapgs
2:	PUSH_GPRS
	mov %rsp, %rdi
	call trap_dispatch
	.globl trap_return
trap_return:				/* also the exit of syscall_entry */
	POP_GPRS
	addq $16, %rsp			/* vector and error code */
	testb $3, 8(%rsp)		/* back to user mode: give GS back */
	jz 3f
	swapgs
3:	iretq

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
