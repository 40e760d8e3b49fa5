/*
 * switch.S - switch_to(&old_rsp, new_rsp): the kernel's only context switch.
 *
 * Saves the callee-saved registers (System V ABI: rbx, rbp, r12-r15) on the
 * current stack, stores the stack pointer in *old_rsp, loads new_rsp and
 * pops the new thread's registers. A new thread's stack is prepared by
 * thread.c so that the final ret lands in thread_start. Called with
 * interrupts off; the interrupt flag travels with each thread's own path.
 * It touches only the two threads' kernel stacks; the scheduler owns both
 * threads and holds what keeps them from running elsewhere meanwhile.
 */
	.text
	.globl switch_to
switch_to:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	/* First code of a new thread: r12 = fn, r13 = arg (from thread.c). */
	.globl thread_start_asm
thread_start_asm:
	movq %r12, %rdi
	movq %r13, %rsi
	xorl %ebp, %ebp			/* end of the backtrace chain */
	call thread_start
	ud2
