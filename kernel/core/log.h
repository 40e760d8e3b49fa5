/*
 * log.h - the kernel log.
 *
 * kprintf() formats one message, prefixes each line with the monotonic time
 * since boot ("[    0.012345] "), appends it to a ring buffer that user
 * space will read, and writes it to every console (serial, then screen).
 * Safe from any CPU and from exception handlers; a panic takes the lock
 * over by force rather than deadlock.
 */
#pragma once
#include <stddef.h>
#include "base/compiler.h"

#define KLOG_RING_SIZE (64 * 1024)

/* Log a formatted message (lines are timestamped). */
void kprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/*
 * Write a program's console output s[0..n): raw to every console (no
 * prefix), and timestamped per line into the ring (dmesg). Serialised
 * with kprintf; a kernel line never lands in the middle of it.
 */
void klog_user_write(const char *s, size_t n);

/* Copy up to n bytes of the ring starting at absolute offset *pos; advance *pos. */
size_t klog_read(size_t *pos, char *buf, size_t n);

/* Bytes ever written to the ring (the absolute offset one past the newest). */
size_t klog_written(void);

/* Add a console sink (e.g. the framebuffer) that receives every later line. */
void klog_add_console(void (*write)(const char *s, size_t n));

/* From now on, take the log lock without waiting (panic path, one CPU left). */
void klog_force_unlock(void);
