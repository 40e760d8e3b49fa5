/*
 * meminfo.c - rb_meminfo (rb/sys.h): the free page count of SYS_MEMINFO.
 *
 * Kept apart from syscall.c so that it can be added without touching the
 * other wrappers. No state, no locks.
 */
#include "rb/sys.h"
#include "rb/syscall.h"

long rb_meminfo(void)
{
	return rb_syscall0(SYS_MEMINFO);
}
