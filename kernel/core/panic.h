/*
 * panic.h - stopping the kernel when one of its own invariants breaks.
 *
 * panic() is for kernel bugs only. Bad input from firmware, devices, user
 * space or IPC returns an error and is logged; it never panics.
 */
#pragma once
#include "base/compiler.h"

/* Log the message and a backtrace, then halt this CPU forever. */
NORETURN void panic(const char *fmt, ...) PRINTF_LIKE(1, 2);

#define KASSERT(cond, fmt, ...)                                                                    \
	do {                                                                                       \
		if (__builtin_expect(!(cond), 0))                                                  \
			panic("assertion failed: %s (%s:%d): " fmt, #cond, __FILE__, __LINE__,     \
			      ##__VA_ARGS__);                                                      \
	} while (0)
