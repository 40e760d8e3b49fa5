/*
 * sys_sched.c - the clock, sleep and yield system calls.
 *
 * No state of its own: the clocks are read through core/time.h (the
 * monotonic clock and the realtime offset, both set once at boot), and a
 * sleep is an ordinary blocking wait of the calling thread (proc.c), so a
 * signal or a kill ends it early like any other wait. Affinity and
 * scheduling parameters are per-thread and live in proc/sys_thread.c.
 */
#include <stdint.h>
#include "base/err.h"
#include "base/syscall_nr.h"
#include "core/time.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "syscall/syscall.h"

long sys_nanosleep(uint64_t ns, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	uint64_t deadline;
	if (__builtin_add_overflow(time_ns(), ns, &deadline))
		deadline = UINT64_MAX; /* a wrapped sum would be in the past: no sleep at all */
	proc_sleep_until(deadline);    /* a signal or kill ends it early */
	return 0;
}

long sys_clock_gettime(uint64_t clock, uint64_t uts, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (clock != RB_CLOCK_MONOTONIC && clock != RB_CLOCK_REALTIME)
		return -E_INVAL;
	uint64_t ns = time_ns();
	if (clock == RB_CLOCK_REALTIME)
		ns += time_realtime_offset();
	struct rb_timespec ts = {(long long)(ns / 1000000000), (long long)(ns % 1000000000)};
	return copy_to_user(uts, &ts, sizeof ts);
}

long sys_sched_yield(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	thread_yield();
	return 0;
}
