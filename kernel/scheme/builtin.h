/*
 * builtin.h - the schemes the kernel serves itself, registered by
 * file_init on the boot CPU: initfs (initfs.c), debug (debug.c), event
 * (event.c) and kmsg (kmsg.c). Pipes (pipe.c) have no name.
 *
 * Both struct schemes are static objects owned by their files; their
 * refs are the registry's atomics (scheme.c), the rest never changes
 * after file_init.
 */
#pragma once
#include <stddef.h>
#include "scheme/scheme.h"

extern struct scheme initfs_scheme;
extern struct scheme debug_scheme;
extern struct scheme event_scheme;
extern struct scheme kmsg_scheme;

/* Make console input interrupt driven, if COM1's IRQ can be routed (boot CPU,
   before the debug scheme is registered; debug.c). */
void debug_input_init(void);
/* Serve the cpio archive ar[0..len) as initfs (boot CPU, before any open). */
void initfs_set(const void *ar, size_t len);
