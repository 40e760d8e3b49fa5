/*
 * usercopy.S - copying to and from user memory with fault recovery.
 *
 * usercopy(dst, src, n) is a rep movsb at a known address (usercopy_insn).
 * If it faults (an unmapped or read-only user page), the page-fault handler
 * sees rip == usercopy_insn and resumes at usercopy_fault, which returns
 * -E_FAULT (-14) instead of crashing the kernel. The caller has already
 * checked that the range lies in the user half. With SMAP on (smap_on),
 * stac/clac open the user half for exactly this copy.
 * No shared state: it copies on behalf of the calling thread; keeping the
 * user mapping alive during the copy is the caller's job (a fault is
 * recovered, never fatal).
 */
	.text
	.globl usercopy, usercopy_insn, usercopy_fault
usercopy:
	movq %rdx, %rcx
	cmpb $0, smap_on(%rip)
	je 1f
	stac
1:
usercopy_insn:
	rep movsb
	xorl %eax, %eax
usercopy_out:
	cmpb $0, smap_on(%rip)
	je 2f
	clac
2:	ret
usercopy_fault:
	movl $-14, %eax
	jmp usercopy_out
