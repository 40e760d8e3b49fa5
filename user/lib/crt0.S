/*
 * crt0.S - the entry point of every user program.
 *
 * The kernel enters _start with rsp 16-byte aligned and pointing at argc,
 * followed by argv[0..argc-1], NULL, envp..., NULL (System V layout); it
 * also passes argc, argv, envp in rdi, rsi, rdx, but we read the stack so
 * that either convention alone would do. _start calls
 * __libc_start(argc, argv, envp) (user/libc/start.c), which sets environ,
 * runs main(argc, argv, envp) and exit()s with its return value (atexit
 * handlers, stdio flushed).
 */
	.section .text.start, "ax"
	.globl _start
	.type _start, @function
_start:
	xor	%ebp, %ebp			/* end of the frame-pointer chain */
	mov	(%rsp), %rdi			/* argc */
	lea	8(%rsp), %rsi			/* argv */
	lea	16(%rsp, %rdi, 8), %rdx		/* envp: past argv and its NULL */
	and	$-16, %rsp			/* already aligned; be safe */
	call	__libc_start
	mov	%eax, %edi
	call	rb_exit
1:	ud2					/* rb_exit does not return */
	jmp	1b
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
