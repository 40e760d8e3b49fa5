/*
 * selftest_mmio.c - `selftest=mmio`: every CPU maps MMIO windows at once.
 *
 * The boot CPU starts one kernel thread on each CPU (itself included, as it
 * yields while it waits) and gives each
 * ROUNDS pages of its own, each stamped with a marker; the threads meet at a
 * barrier and call mmio_map on their pages as fast as they can: short
 * windows and 1 MiB ones, so new page tables are needed often. (Threads,
 * not cross calls: under TCG with more vCPUs than host cores a contended
 * lock can take longer than a cross call may.) Afterwards
 * the boot CPU checks, for every window, that no other window starts on the
 * same page, that the kernel tables map it to the requested frame, and that
 * reading through it gives that page's marker. Unlocked, two CPUs could
 * take the same window or one could replace the page table the other just
 * linked, losing its mappings.
 *
 * Ownership: the arrays below belong to the test; each thread writes only
 * its own slot's row, and the boot CPU reads them after every thread has
 * counted itself finished (release/acquire on `finished`).
 */
#include <stdatomic.h>
#include "arch.h"
#include "core/time.h"
#include "mm/mem.h"
#include "sched/sched.h"
#include "test/selftest.h"

#define MMIO_CPUS 64 /* CPUs taking part at most; the rest only pass the barrier */
#define ROUNDS 128
#define IN_PAGE 16 /* offset of the mapped address inside its page */

static uint64_t frames[MMIO_CPUS];	    /* ROUNDS contiguous pages per slot */
static uint64_t windows[MMIO_CPUS][ROUNDS]; /* what mmio_map returned */
static _Atomic unsigned arrived, finished;
static _Atomic unsigned expected;

static uint64_t marker(unsigned slot, unsigned r)
{
	return 0x4d4d494f00000000ull | (uint64_t)slot << 16 | r;
}

static void map_windows(void *arg)
{
	unsigned slot = (unsigned)(uintptr_t)arg;
	atomic_fetch_add(&arrived, 1);
	while (atomic_load(&arrived) < expected)
		__builtin_ia32_pause();
	for (unsigned r = 0; r < ROUNDS; r++) {
		size_t len = (r % 4) ? 8 : (1u << 20);
		uint64_t pa = frames[slot] + (uint64_t)r * PAGE_SIZE + IN_PAGE;
		windows[slot][r] = (uint64_t)mmio_map(pa, len);
	}
	atomic_fetch_add_explicit(&finished, 1, memory_order_release);
}

/* Start one mapping thread per slot, one on each online CPU; how many. */
static unsigned start_threads(unsigned slots)
{
	unsigned made = 0;
	for (unsigned cpu = cpumask_first(&cpu_online); cpu < MAX_CPUS && made < slots;
	     cpu = cpumask_next(&cpu_online, cpu)) {
		if (!thread_create(map_windows, (void *)(uintptr_t)made, "mmio-map", cpu,
				   SCHED_POLICY_FAIR, sched_prio_from_nice(0)))
			break;
		made++;
	}
	if (made < slots)
		atomic_store(&expected, made); /* let the ones made pass the barrier */
	return made;
}

/* How many windows of slot fail a check; the first failure goes to *why. */
static unsigned check_slot(unsigned slot, unsigned slots, const char **why)
{
	unsigned bad = 0;
	for (unsigned r = 0; r < ROUNDS; r++) {
		uint64_t va = windows[slot][r];
		uint64_t want = frames[slot] + (uint64_t)r * PAGE_SIZE;
		const char *err = NULL;
		if (va == 0 || (va & (PAGE_SIZE - 1)) != IN_PAGE)
			err = "mmio_map failed or lost the offset";
		else if ((paging_kernel_lookup(va) & PTE_ADDR) != want)
			err = "window maps the wrong frame";
		else if (*(volatile uint64_t *)va != marker(slot, r))
			err = "window reads the wrong marker";
		for (unsigned s = 0; !err && s < slots; s++)
			for (unsigned q = 0; q < ROUNDS; q++)
				if ((s != slot || q != r) && windows[s][q] == va)
					err = "two windows share a page";
		if (err) {
			bad++;
			*why = *why ? *why : err;
		}
	}
	return bad;
}

void selftest_mmio(void)
{
	unsigned cpus = smp_online_count();
	unsigned slots = cpus < MMIO_CPUS ? cpus : MMIO_CPUS;
	for (unsigned s = 0; s < slots; s++) {
		frames[s] = page_alloc(ROUNDS);
		if (!frames[s]) {
			selftest_report(false, "mmio: no memory for the test pages");
			return;
		}
		for (unsigned r = 0; r < ROUNDS; r++)
			*(uint64_t *)phys_to_virt(frames[s] + (uint64_t)r * PAGE_SIZE + IN_PAGE) =
			    marker(s, r);
	}
	atomic_store(&expected, slots);
	unsigned made = start_threads(slots);
	uint64_t deadline = time_ns() + 60000000000ull; /* TCG on a loaded host is slow */
	while (atomic_load_explicit(&finished, memory_order_acquire) < made && time_ns() < deadline)
		thread_yield();
	if (made < slots || atomic_load(&finished) < made) {
		selftest_report(false, "mmio: %u of %u threads started, %u finished", made, slots,
				atomic_load(&finished));
		return;
	}
	unsigned bad = 0;
	const char *why = NULL;
	for (unsigned s = 0; s < slots; s++)
		bad += check_slot(s, slots, &why);
	selftest_report(bad == 0, "mmio: %u CPUs mapped %u windows at once, %u bad%s%s", slots,
			slots * ROUNDS, bad, why ? ": first " : "", why ? why : "");
	/* The windows stay mapped (there is no mmio_unmap), so keep their frames. */
}
