/*
 * scheme_builtin.h - the schemes the kernel serves itself, registered by
 * file_init on the boot CPU: initfs (scheme_initfs.c) and debug
 * (scheme_debug.c).
 */
#pragma once
#include <stddef.h>
#include "scheme/scheme.h"

extern struct scheme initfs_scheme;
extern struct scheme debug_scheme;

/* Serve the cpio archive ar[0..len) as initfs (boot CPU, before any open). */
void initfs_set(const void *ar, size_t len);
