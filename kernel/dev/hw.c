/*
 * hw.c - hardware access rights of processes (docs/hwaccess.md).
 *
 * For now the only right is the irq one, held by every uid-0 process; it
 * reads the process's uid atomically and keeps no state of its own.
 */
#include "dev/hw.h"
#include "proc/proc.h"

bool hw_irq_allowed(struct proc *p)
{
	return proc_uid(p) == 0;
}
