/*
 * libc.h - what the C library's files share (not installed).
 *
 * libc_ret turns a kernel result (>= 0, or a negative E_* code) into the
 * POSIX convention: the value, or -1 with errno set. libc_stdio_exit is
 * stdio's flush-everything, called by exit() when stdio is linked in.
 */
#pragma once
#include <errno.h>

static inline long libc_ret(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* Flush every open stream (weak: absent when no stdio is linked). */
void libc_stdio_exit(void) __attribute__((weak));
