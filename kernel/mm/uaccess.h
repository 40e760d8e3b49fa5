/*
 * uaccess.h - every access to user memory goes through here.
 *
 * A user pointer is first checked to lie wholly in the user half (no wrap,
 * not the null page), then copied with fault recovery (usercopy.S): a bad
 * pointer gives -E_FAULT to the system call, never a kernel fault.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

extern bool smap_on;

/* True if [p, p+len) is a plausible user range. */
bool user_range_ok(uint64_t p, size_t len);
/* Copy n bytes from user src to kernel dst; 0 or -E_FAULT. */
MUST_CHECK int copy_from_user(void *dst, uint64_t src, size_t n);
/* Copy n bytes from kernel src to user dst; 0 or -E_FAULT. */
MUST_CHECK int copy_to_user(uint64_t dst, const void *src, size_t n);
/* Copy a NUL-terminated user string into buf[0..cap); -E_FAULT, or -E_NAMETOOLONG. */
MUST_CHECK int copy_string_from_user(char *buf, size_t cap, uint64_t src);
/* One store of exactly width (1, 2, 4) bytes of val to user dst (aligned); 0 or -E_FAULT. */
MUST_CHECK int user_store(uint64_t dst, uint32_t val, unsigned width);
/* Called by the page-fault handler: resume a faulting usercopy; true if it was one. */
bool uaccess_fixup(uint64_t *rip);
