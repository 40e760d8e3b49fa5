/*
 * sys_system.c - calls about the whole machine: SYS_KSTAT, kernel-wide
 * counts for user-space leak checks such as kstress's "everything returned
 * to where it was" after each round (struct rb_kstat in
 * lib/base/syscall_nr.h), SYS_POWEROFF (ACPI S5) and SYS_REBOOT (reset),
 * both done by boot/power.c. All three are for root only. SYS_SYSINFO
 * (memory totals, uptime, process and CPU counts, for free and uptime)
 * and SYS_CPUINFO (per-CPU busy/idle time, for cpus) are for anyone:
 * none of it is secret. Each CPU's figures are read under its run queue
 * lock (sched_cpu_stat); the CPU masks only grow, with atomic bit sets.
 *
 * It owns no objects and no lock. Each count is read through its owner's
 * accessor under the owner's lock (proc_count: proc_lock; the futex
 * buckets: their locks; the heap: heap_lock; the page allocator: its
 * lock; files and shm pages: atomics), one after the other, so the figures are each exact at some
 * moment but not at one common instant; a caller that wants a quiet
 * system polls until two reads agree.
 */
#include <string.h>
#include "arch.h"
#include "base/err.h"
#include "base/syscall_nr.h"
#include "boot/numa.h"
#include "boot/power.h"
#include "core/log.h"
#include "core/time.h"
#include "mm/slab.h"
#include "mm/mem.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "scheme/builtin.h"
#include "scheme/file.h"
#include "syscall/syscall.h"

/* Fill *out with the counts at this moment (each under its own lock). */
static void kstat_collect(struct rb_kstat *out)
{
	memset(out, 0, sizeof *out);
	out->version = RB_KSTAT_VERSION;
	out->size = sizeof *out;
	uint64_t live, zombie, threads;
	proc_count(&live, &zombie, &threads);
	out->procs_live = live;
	out->procs_zombie = zombie;
	out->threads_live = threads;
	out->futex_waiters = futex_waiter_count();
	mem_trim(); /* cached empty slabs are not a leak */
	out->free_pages = mem_free_pages();
	struct slab_stats st;
	mem_heap_stats(&st);
	out->heap_bytes = st.bytes;
	out->heap_objects = st.objects;
	out->heap_pages = st.pages;
	out->files_open = file_count();
	out->shm_pages = shm_page_count();
}

long sys_kstat(uint64_t uout, uint64_t size, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (proc_uid(proc_current()) != 0)
		return -E_PERM;
	if (size < 8)
		return -E_INVAL;
	struct rb_kstat k;
	kstat_collect(&k);
	size_t n = size < sizeof k ? (size_t)size : sizeof k;
	int err = copy_to_user(uout, &k, n);
	return err < 0 ? err : (long)n;
}

long sys_poweroff(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (proc_uid(proc_current()) != 0)
		return -E_PERM;
	power_off();
}

long sys_reboot(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (proc_uid(proc_current()) != 0)
		return -E_PERM;
	power_reboot();
}

long sys_sysinfo(uint64_t uout, uint64_t size, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (size < 8)
		return -E_INVAL;
	struct rb_sysinfo si;
	memset(&si, 0, sizeof si);
	si.version = RB_SYSINFO_VERSION;
	si.size = sizeof si;
	si.uptime_ns = time_ns();
	si.page_size = PAGE_SIZE;
	si.total_pages = mem_total_pages();
	/* as SYS_MEMINFO: cached empty slabs count as free */
	if (proc_uid(proc_current()) == 0)
		mem_trim();
	else
		mem_trim_shared();
	si.free_pages = mem_free_pages();
	uint64_t live, zombie, threads;
	proc_count(&live, &zombie, &threads);
	si.procs = live;
	si.threads = threads;
	si.cpus_online = smp_online_count();
	size_t n = size < sizeof si ? (size_t)size : sizeof si;
	return copy_to_user(uout, &si, n) < 0 ? -E_FAULT : (long)n;
}

long sys_cpuinfo(uint64_t uout, uint64_t cap, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	unsigned total = 0;
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!cpumask_test_atomic(&cpu_present, cpu))
			continue;
		if (total < cap) {
			struct rb_cpuinfo ci = {.cpu = cpu};
			if (cpumask_test_atomic(&cpu_online, cpu)) {
				ci.flags = RB_CPU_ONLINE;
				ci.apic_id = smp_cpu_apic_id(cpu);
				ci.node = numa_node_of_apic(ci.apic_id);
			}
			struct sched_cpu_stat st;
			if (sched_cpu_stat(cpu, &st)) {
				ci.busy_ns = st.busy_ns;
				ci.idle_ns = st.idle_ns;
				ci.runnable = st.runnable;
			}
			if (copy_to_user(uout + (uint64_t)total * sizeof ci, &ci, sizeof ci) < 0)
				return -E_FAULT;
		}
		total++;
	}
	return total;
}
