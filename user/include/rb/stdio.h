/*
 * rb/stdio.h - formatted output for user programs.
 *
 * The format language is lib/fmt's (fmt/fmt.h: %d %u %x %p %s %c, flags,
 * width, precision, hh/h/l/ll/z; no floating point). rb_printf and
 * rb_dprintf format the whole message first and then issue a single write,
 * so lines from different threads or processes do not interleave (output
 * longer than 1 KiB is formatted into a malloc'd buffer, or cut when
 * there is no memory).
 */
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include "base/compiler.h"
#include "fmt/fmt.h"

/* Print to fd 1 in one write; bytes written or an error. */
int rb_printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* Print to fd in one write; bytes written or an error. */
int rb_dprintf(int fd, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* As rb_dprintf with a va_list. */
int rb_vdprintf(int fd, const char *fmt, va_list ap);
/* Format into buf (n bytes, always NUL-terminated); the full length. */
int rb_snprintf(char *buf, size_t n, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* Write the string s and a newline to fd 1 in one write. */
int rb_puts(const char *s);
