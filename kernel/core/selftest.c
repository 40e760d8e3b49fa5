/*
 * selftest.c - deliberate faults for testing the fault reporting path.
 *
 * `fault=NAME` on the command line makes the kernel fault on purpose at the
 * end of boot, inside a function whose name the exception dump must show:
 *   pagefault  - write through a non-canonical-free unmapped address
 *   divzero    - integer divide by zero
 *   ud         - an undefined instruction (ud2)
 *   panic      - a kernel panic (KASSERT-style path)
 * The boot tests check that the dump names the selftest_fault_* function.
 */
#include <string.h>
#include "core/boot.h"
#include "core/log.h"
#include "core/panic.h"

__attribute__((noinline)) void selftest_fault_pagefault(void);
__attribute__((noinline)) void selftest_fault_pagefault(void)
{
	*(volatile uint64_t *)0xFFFF900000000000ull = 0xbad;
}

__attribute__((noinline)) void selftest_fault_divzero(void);
__attribute__((noinline)) void selftest_fault_divzero(void)
{
	volatile unsigned zero = 0;
	volatile unsigned r = 100 / zero;
	(void)r;
}

__attribute__((noinline)) void selftest_fault_ud(void);
__attribute__((noinline)) void selftest_fault_ud(void)
{
	__asm__ volatile("ud2");
}

__attribute__((noinline)) void selftest_fault_panic(void);
__attribute__((noinline)) void selftest_fault_panic(void)
{
	panic("deliberate panic requested by fault=panic");
}

static const struct {
	const char *name;
	void (*fn)(void);
} faults[] = {
	{ "pagefault", selftest_fault_pagefault },
	{ "divzero", selftest_fault_divzero },
	{ "ud", selftest_fault_ud },
	{ "panic", selftest_fault_panic },
};

void selftest_run(void)
{
	const char *f = cmdline_get(&boot_cmdline, "fault");
	if (!f)
		return;
	for (size_t i = 0; i < sizeof faults / sizeof *faults; i++) {
		if (strcmp(f, faults[i].name) == 0) {
			kprintf("selftest: faulting on purpose (fault=%s)\n", f);
			faults[i].fn();
			kprintf("selftest: fault=%s did not fault\n", f);
			return;
		}
	}
	kprintf("selftest: unknown fault '%s' (known: pagefault divzero ud panic)\n", f);
}
