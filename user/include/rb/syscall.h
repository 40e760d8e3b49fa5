/*
 * rb/syscall.h - raw system calls from user space.
 *
 * rb_syscall0..6 issue the SYSCALL instruction with the Red Bear ABI
 * (lib/base/syscall_nr.h): number in rax, arguments in rdi, rsi, rdx,
 * r10, r8, r9, result in rax (>= 0, or a negative E_* code from
 * base/err.h). The CPU clobbers rcx and r11. Programs normally use the
 * typed wrappers in rb/sys.h instead. No locking: each call is one
 * instruction as far as the caller can tell.
 */
#pragma once
#include "base/syscall_nr.h"

/* Issue system call nr with no arguments. */
static inline long rb_syscall0(long nr)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(nr) : "rcx", "r11", "memory");
	return r;
}

/* Issue system call nr with one argument. */
static inline long rb_syscall1(long nr, long a1)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a1) : "rcx", "r11", "memory");
	return r;
}

/* Issue system call nr with two arguments. */
static inline long rb_syscall2(long nr, long a1, long a2)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a1), "S"(a2) : "rcx", "r11", "memory");
	return r;
}

/* Issue system call nr with three arguments. */
static inline long rb_syscall3(long nr, long a1, long a2, long a3)
{
	long r;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
			 : "rcx", "r11", "memory");
	return r;
}

/* Issue system call nr with four arguments (the fourth goes in r10). */
static inline long rb_syscall4(long nr, long a1, long a2, long a3, long a4)
{
	long r;
	register long r10 __asm__("r10") = a4;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

/* Issue system call nr with five arguments. */
static inline long rb_syscall5(long nr, long a1, long a2, long a3, long a4, long a5)
{
	long r;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return r;
}

/* Issue system call nr with six arguments. */
static inline long rb_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long r;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return r;
}
