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

/*
 * user_store_raw(dst, val, width): one store of exactly width (1, 2 or 4)
 * bytes to user dst (device registers care about the access size). A
 * fault resumes at user_store_fault, as for usercopy.
 */
	.globl user_store_raw, user_store_insn1, user_store_insn2, user_store_insn4, user_store_fault
user_store_raw:
	cmpb $0, smap_on(%rip)
	je 1f
	stac
1:	cmpl $1, %edx
	je 3f
	cmpl $2, %edx
	je 4f
user_store_insn4:
	movl %esi, (%rdi)
	jmp 5f
3:
user_store_insn1:
	movb %sil, (%rdi)
	jmp 5f
4:
user_store_insn2:
	movw %si, (%rdi)
5:	xorl %eax, %eax
user_store_out:
	cmpb $0, smap_on(%rip)
	je 6f
	clac
6:	ret
user_store_fault:
	movl $-14, %eax
	jmp user_store_out
