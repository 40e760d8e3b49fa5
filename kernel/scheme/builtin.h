/*
 * builtin.h - the schemes the kernel serves itself, registered by
 * file_init on the boot CPU: initfs (initfs.c), debug (debug.c), event
 * (event.c), kmsg (kmsg.c) and shm (shm.c). Pipes (pipe.c) have no name.
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
extern struct scheme event_scheme;
extern struct scheme kmsg_scheme;

/* Make console input interrupt driven, if COM1's IRQ can be routed (boot CPU,
   before the debug scheme is registered; debug.c). */
void debug_input_init(void);
struct proc;
/* Make group pgid of caller's session the console's foreground group (SYS_TCSETPGRP's rules):
   0, -E_INVAL or -E_PERM (debug.c). */
int console_set_fg(struct proc *caller, int pgid);
extern struct scheme shm_scheme;

/* Pages held by all shm: objects now (SYS_KSTAT). */
uint64_t shm_page_count(void);
/* Serve the cpio archive ar[0..len) as initfs (boot CPU, before any open). */
void initfs_set(const void *ar, size_t len);
