/*
 * syscall.S - the SYSCALL entry point.
 *
 * SYSCALL leaves the user rip in rcx and rflags in r11, masks IF/DF/TF/AC
 * (IA32_FMASK, set by syscall_init) and does not switch stacks. We swap to
 * the kernel GS, stash the user rsp in the per-CPU block, switch to the
 * running thread's kernel stack and build the same struct trap_frame an
 * interrupt from user mode would have (vector 0x80 marks a syscall), so
 * signal delivery and process exit see one shape. The way out is the
 * common trap_return (iretq), which also copes with a rip or rsp that a
 * signal handler changed.
 * Before trap_return, with interrupts off, it asks syscall_exit_work
 * whether a kill or signal is pending (the only signal check of a system
 * call), and acts on it first with signal_check (the frame is at rsp:
 * nothing above it is pushed).
 * Runs on the calling CPU with interrupts off until the frame is built;
 * it touches only that CPU's per-CPU block (through GS) and the running
 * thread's own kernel stack, so no lock is needed.
 */
#include "arch/x86_64/gdt.h"
#include "core/percpu.h"
#include "arch/x86_64/regs.S.inc"

	.text
	.globl syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:PERCPU_USER_RSP
	movq %gs:PERCPU_KSTACK_TOP, %rsp
	pushq $(SEL_UDATA | 3)			/* ss */
	pushq %gs:PERCPU_USER_RSP		/* rsp */
	pushq %r11				/* rflags */
	pushq $(SEL_UCODE | 3)			/* cs */
	pushq %rcx				/* rip */
	pushq $0				/* error code */
	pushq $0x80				/* vector: syscall */
	PUSH_GPRS
	movq %rsp, %rdi
	xorl %ebp, %ebp
	sti
	call syscall_dispatch
	/* A kill or signal must not ride back to user mode unseen: look with
	   interrupts off, so one sent later finds the thread in user mode. */
1:	cli
	call syscall_exit_work
	testb %al, %al
	jz 2f
	sti
	movq %rsp, %rdi
	call signal_check
	jmp 1b
2:	jmp trap_return
