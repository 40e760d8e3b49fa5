/*
 * enter_user.S - enter_user(rip, rsp, arg0, arg1, arg2): first entry of a
 * thread into user mode. Builds the interrupt-return frame (user SS:RSP,
 * RFLAGS with IF, user CS:RIP), clears every other register so no kernel
 * value leaks, swaps to the user GS and irets.
 * Runs on the calling thread's own kernel stack with interrupts off; it
 * touches no shared state.
 */
#include "arch/x86_64/gdt.h"

	.text
	.globl enter_user
enter_user:
	cli
	pushq $(SEL_UDATA | 3)
	pushq %rsi			/* user rsp */
	pushq $0x202			/* IF */
	pushq $(SEL_UCODE | 3)
	pushq %rdi			/* user rip */
	movq %rdx, %rdi
	movq %rcx, %rsi
	movq %r8, %rdx
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %ebp, %ebp
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	swapgs
	iretq
