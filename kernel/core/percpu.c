/*
 * percpu.c - install and query per-CPU blocks (see percpu.h).
 */
#include <stdbool.h>
#include "arch.h"
#include "core/percpu.h"

#include <stddef.h>

_Static_assert(offsetof(struct percpu, kstack_top) == PERCPU_KSTACK_TOP, "percpu layout");
_Static_assert(offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP, "percpu layout");

struct percpu percpu_bsp;
static bool installed;

void percpu_install(struct percpu *p)
{
	p->self = p;
	wrmsr(MSR_GS_BASE, (uint64_t)p);
	installed = true;
}

unsigned percpu_id(void)
{
	return installed ? percpu()->id : 0;
}
