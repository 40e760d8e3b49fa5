/*
 * panic.c - report a broken kernel invariant and stop this CPU.
 *
 * Any CPU may panic at any time, with interrupts off from the first
 * instruction. `panicking` is an atomic counter, not a lock: every panic
 * after the first (on this CPU inside the first, or on another) breaks the
 * log lock so its message gets out even if an earlier one died holding it.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include "arch.h"
#include "boot/boot.h"
#include "core/log.h"
#include "core/panic.h"
#include "core/percpu.h"
#include "fmt/fmt.h"

void panic(const char *fmt, ...)
{
	static _Atomic int panicking;
	cpu_cli();
	if (atomic_fetch_add(&panicking, 1))
		klog_force_unlock(); /* a second panic: don't wait for the log lock */
	console_sync();		     /* the screen's renderer thread may never run again */
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	kprintf("\nPANIC: cpu %u: %s\n", percpu_id(), msg);
	/* start the walk at our caller: [fp] is its frame, [fp+8] where it called us */
	const uint64_t *fp = __builtin_frame_address(0);
	backtrace_print(fp[1] - 1, fp[0]);
	kprintf("cpu %u halted\n", percpu_id());
	cpu_halt_forever();
}
