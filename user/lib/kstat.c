/*
 * kstat.c - rb_kstat (rb/sys.h): kernel-wide counts from SYS_KSTAT.
 *
 * Kept apart from syscall.c so that it can be added without touching the
 * other wrappers. No state, no locks.
 */
#include "rb/sys.h"
#include "rb/syscall.h"

long rb_kstat(struct rb_kstat *out)
{
	return rb_syscall2(SYS_KSTAT, (long)out, (long)sizeof *out);
}
