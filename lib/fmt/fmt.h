/*
 * fmt.h - printf-style formatting into a caller's buffer.
 *
 * The kernel log, the panic path and pure library code that builds messages
 * all format through here; there is no other printf in the kernel.
 * Supported: %d %i %u %x %X %o %p %s %c %%, with flags '-' '0' ' ' '+' '#',
 * a width and a precision (either may be '*'), and the length modifiers
 * hh h l ll z t j. No floating point.
 * The output is always NUL-terminated when n > 0; the return value is the
 * length the full output would have had (as C's vsnprintf).
 */
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include "base/compiler.h"

/* Format into buf (at most n bytes including the NUL); return full length. */
int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

/* As fmt_vsnprintf, with the arguments inline. */
int fmt_snprintf(char *buf, size_t n, const char *fmt, ...) PRINTF_LIKE(3, 4);
