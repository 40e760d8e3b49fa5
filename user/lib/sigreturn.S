/*
 * sigreturn.S - the signal restorer.
 *
 * When the kernel delivers a signal it pushes its saved frame below the
 * interrupted rsp (past the 128-byte red zone) and calls handler(sig) with
 * this function as the return address. When the handler returns here, rsp
 * is back where the kernel left it, and SYS_SIGRETURN restores the
 * interrupted context. It never returns. rb_sigaction() fills it in as
 * struct rb_sigaction.restorer when the caller leaves it NULL.
 */

	.text
	.globl rb_sigreturn_restorer
	.type rb_sigreturn_restorer, @function
rb_sigreturn_restorer:
	mov	$42, %eax		/* SYS_SIGRETURN (checked in signal.c) */
	syscall
1:	ud2				/* unreachable: the kernel never comes back here */
	jmp	1b
	.size rb_sigreturn_restorer, . - rb_sigreturn_restorer

	.section .note.GNU-stack, "", @progbits
