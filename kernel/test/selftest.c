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
 *
 * `selftest=tlb` checks TLB shootdown across all CPUs: every CPU reads a
 * test page through a fixed kernel address (so its TLB holds the mapping),
 * the BSP points the address at another page and shoots the range down,
 * and every CPU must then read the new page's value, never the stale one.
 * TCG keeps per-CPU software TLBs that are only dropped by invlpg/CR3
 * writes, so a lost or stale flush shows up here too. Results are reported
 * as "ok N - name" / "not ok N - name" lines.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>
#include "arch.h"
#include "boot/boot.h"
#include "core/ipi.h"
#include "mm/mem.h"
#include "core/percpu.h"
#include "test/selftest.h"
#include "fmt/fmt.h"
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

static unsigned test_number;

void selftest_report(bool ok, const char *fmt, ...)
{
	char what[160];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	kprintf("%s %u - %s\n", ok ? "ok" : "not ok", ++test_number, what);
}

#define TLB_TEST_VA 0xFFFFE00000000000ull
#define TLB_ROUNDS 200

static _Atomic unsigned stale_reads;
static volatile uint64_t expect;

static void read_test_page(void *arg)
{
	if (*(volatile uint64_t *)TLB_TEST_VA != expect)
		atomic_fetch_add(&stale_reads, 1);
}

static void selftest_tlb(void)
{
	uint64_t page[2] = { page_alloc(1), page_alloc(1) };
	if (!page[0] || !page[1]) {
		selftest_report(false, "tlb: no memory for the test pages");
		return;
	}
	*(uint64_t *)phys_to_virt(page[0]) = 0xA0;
	*(uint64_t *)phys_to_virt(page[1]) = 0xB1;
	for (int round = 0; round < TLB_ROUNDS; round++) {
		int which = round & 1;
		paging_map_kernel(TLB_TEST_VA, page[which], PAGE_SIZE);
		/* odd rounds: a range flush; every fourth: a range too big, i.e. full */
		uint64_t npages = round % 4 == 3 ? (1ull << 40) : 1;
		tlb_shootdown(&cpu_online, TLB_TEST_VA, npages);
		expect = which ? 0xB1 : 0xA0;
		read_test_page(NULL);
		smp_call_others(read_test_page, NULL);
	}
	unsigned stale = atomic_load(&stale_reads);
	selftest_report(stale == 0, "tlb: %d shootdowns on %u CPUs, %u stale reads", TLB_ROUNDS,
			smp_online_count(), stale);
	page_free(page[0], 1);
	page_free(page[1], 1);
}

void selftest_run(void)
{
	const char *which = cmdline_get(&boot_cmdline, "selftest");
	if (which && strcmp(which, "tlb") == 0)
		selftest_tlb();
	else if (which && strcmp(which, "sched") == 0)
		selftest_sched();
	else if (which)
		kprintf("selftest: unknown self-test '%s' (known: tlb sched)\n", which);

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
