/*
 * builtin.h - the schemes the kernel serves itself, registered by
 * file_init on the boot CPU: initfs (initfs.c), debug (debug.c) and shm
 * (shm.c).
 *
 * The struct schemes are static objects owned by their files; their
 * refs are the registry's atomics (scheme.c), the rest never changes
 * after file_init.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "scheme/scheme.h"

extern struct scheme initfs_scheme;
extern struct scheme debug_scheme;
extern struct scheme shm_scheme;

/* Pages held by all shm: objects now (SYS_KSTAT). */
uint64_t shm_page_count(void);
/* Serve the cpio archive ar[0..len) as initfs (boot CPU, before any open). */
void initfs_set(const void *ar, size_t len);
