/*
 * log.c - kernel log ring buffer and console fan-out (see log.h).
 *
 * Two writers share the ring and the consoles: kprintf (kernel lines, each
 * line prefixed with its time) and klog_user_write (the bytes programs
 * write to debug:). User bytes reach the serial port and the screen raw,
 * exactly as written; in the ring they get the same time prefix at each
 * line start, so dmesg reads one timestamped log (docs/console.md). The
 * layout, including a fresh line for a kernel message that comes while a
 * prompt is half-written, is lib/logline's (host-tested).
 *
 * Locking: one spinlock with interrupts off covers formatting into the
 * ring, writing to the consoles and the layout state `line`, so lines from different
 * CPUs never interleave, and a kernel message and one user write chunk
 * are never cut by each other. The ring keeps the newest KLOG_RING_SIZE bytes; readers give
 * an absolute position and are moved forward if they fell behind.
 * ring_head is also read without the lock (klog_written, __atomic), so
 * kmsg: can notice growth from a safe point; kprintf itself never wakes
 * anyone (it runs under scheduler and wait-queue locks).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include "arch.h"
#include "core/log.h"
#include "sync/irqlock.h"
#include "core/time.h"
#include "fmt/fmt.h"
#include "logline/logline.h"

static char ring[KLOG_RING_SIZE];
static size_t ring_head; /* absolute count of bytes ever written */
static struct spinlock lock = SPINLOCK_INIT;
static bool forced;
static struct logline line = LOGLINE_INIT; /* the layout state (lib/logline) */

#define MAX_CONSOLES 4
static void (*consoles[MAX_CONSOLES])(const char *s, size_t n);
static int nconsoles;

static void ring_put(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ring[(ring_head + i) % KLOG_RING_SIZE] = s[i];
	__atomic_store_n(&ring_head, ring_head + n,
			 __ATOMIC_RELEASE); /* klog_written reads it unlocked */
}

static void console_put(const char *s, size_t n)
{
	serial_write(s, n);
	for (int i = 0; i < nconsoles; i++)
		consoles[i](s, n);
}

static void out_ring(void *ctx, const char *s, size_t n)
{
	ring_put(s, n);
}

static void out_console(void *ctx, const char *s, size_t n)
{
	console_put(s, n);
}

/* The "[    1.234567] " prefix of the time *ctx (ns) into buf: its length. */
static size_t out_stamp(void *ctx, char *buf)
{
	uint64_t ns = *(const uint64_t *)ctx;
	int sl =
	    fmt_snprintf(buf, LOGLINE_PREFIX_MAX, "[%5lu.%06lu] ", (unsigned long)(ns / 1000000000),
			 (unsigned long)(ns / 1000 % 1000000));
	return sl < 0 ? 0 : sl >= LOGLINE_PREFIX_MAX ? LOGLINE_PREFIX_MAX - 1 : (size_t)sl;
}

/* Lay out s[0..n) from who (lock held). */
static void log_write(enum logline_who who, const char *s, size_t n)
{
	uint64_t ns = time_ns();
	const struct logline_out out = {out_ring, out_console, out_stamp, &ns};
	logline_write(&line, who, s, n, &out);
}

static uint64_t lock_take(void)
{
	uint64_t flags = irq_save();
	if (!forced)
		spin_lock(&lock);
	return flags;
}

static void lock_give(uint64_t flags)
{
	if (!forced)
		spin_unlock(&lock);
	irq_restore(flags);
}

void kprintf(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	int len = fmt_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (len > (int)sizeof msg - 1)
		len = sizeof msg - 1;

	uint64_t flags = lock_take();
	log_write(LOGLINE_KERNEL, msg, (size_t)len);
	lock_give(flags);
}

void klog_user_write(const char *s, size_t n)
{
	uint64_t flags = lock_take();
	log_write(LOGLINE_USER, s, n);
	lock_give(flags);
}

size_t klog_read(size_t *pos, char *buf, size_t n)
{
	uint64_t flags = lock_take();
	if (ring_head - *pos > KLOG_RING_SIZE)
		*pos = ring_head - KLOG_RING_SIZE;
	size_t avail = ring_head - *pos;
	if (n > avail)
		n = avail;
	for (size_t i = 0; i < n; i++)
		buf[i] = ring[(*pos + i) % KLOG_RING_SIZE];
	*pos += n;
	lock_give(flags);
	return n;
}

size_t klog_written(void)
{
	return __atomic_load_n(&ring_head, __ATOMIC_ACQUIRE);
}

void klog_add_console(void (*write)(const char *s, size_t n))
{
	uint64_t flags = lock_take();
	if (nconsoles < MAX_CONSOLES)
		consoles[nconsoles++] = write;
	lock_give(flags);
}

void klog_force_unlock(void)
{
	forced = true;
}
