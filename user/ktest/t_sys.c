/*
 * t_sys.c - ktest cases for the calls the system utilities read:
 * SYS_PROCLIST (live pids), SYS_PROCINFO's later fields (threads, state,
 * CPU time, start time, group, session), SYS_CPUINFO (per-CPU busy and
 * idle time) and SYS_SYSINFO (memory totals, uptime, counts): what they
 * return, that a short buffer is never overrun, and EFAULT / EINVAL for
 * bad arguments.
 */
#include <string.h>
#include "ktest.h"
#include "rb/syscall.h"

#define MAXP 1024

static int pids[MAXP + 1];

static int proclist_has_self(char *why, size_t n)
{
	long total = rb_proclist(NULL, 0);
	KCHECK(total >= 1, "proclist(NULL, 0): %ld", total);
	long got = rb_proclist(pids, MAXP);
	KCHECK(got >= 1 && got <= MAXP, "proclist: %ld", got);
	bool self = false;
	for (long i = 0; i < got; i++) {
		KCHECK(pids[i] > 0, "pid %d at %ld", pids[i], i);
		KCHECK(i == 0 || pids[i] > pids[i - 1], "not ascending at %ld", i);
		self |= pids[i] == rb_getpid();
	}
	KCHECK(self, "own pid %d not listed", rb_getpid());
	return 0;
}

static int proclist_short_buffer(char *why, size_t n)
{
	/* a child keeps the count at two or more */
	char *argv[] = {"kchild", "sleep", NULL};
	int pid = rb_spawn("initfs:/bin/kchild", argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	memset(pids, 0x55, sizeof pids);
	long got = rb_proclist(pids, 1);
	(void)rb_kill(pid, RB_SIGKILL);
	int status;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KCHECK(got >= 2, "proclist(cap 1): %ld, want the whole count", got);
	KCHECK(pids[0] > 0, "first pid %d", pids[0]);
	KEXPECT(pids[1], 0x55555555); /* never written past cap */
	return 0;
}

static int proclist_bad_args(char *why, size_t n)
{
	KEXPECT(rb_proclist(KERNEL_PTR, 4), -E_FAULT);
	KEXPECT(rb_proclist(kt_bad_ptr(8), 4), -E_FAULT);
	/* a huge cap is cut to the table size, then checked as a range */
	KEXPECT(rb_proclist(kt_bad_ptr(0x7ffffffff000ull), (size_t)-1), -E_FAULT);
	return 0;
}

static int procinfo_new_fields(char *why, size_t n)
{
	uint64_t t0 = rb_now_ns();
	while (rb_now_ns() - t0 < 30000000ull) /* 30 ms on the CPU */
		;
	(void)rb_sched_yield(); /* the scheduler charges run time at a switch */
	struct rb_procinfo pi;
	memset(&pi, 0, sizeof pi);
	KEXPECT(rb_procinfo(0, &pi), sizeof pi);
	KEXPECT(pi.pid, rb_getpid());
	KEXPECT(pi.nthreads, 1);
	KEXPECT(pi.state, 'R');
	KEXPECT(pi.pgid, rb_getpgid(0));
	KEXPECT(pi.sid, rb_getsid(0));
	KCHECK(pi.cpu_ns >= 10000000ull, "cpu_ns %llu after 30 ms of spinning", pi.cpu_ns);
	KCHECK(pi.start_ns > 0 && pi.start_ns <= rb_now_ns(), "start_ns %llu", pi.start_ns);
	/* an old caller's short struct still gets the first fields only */
	struct {
		struct rb_procinfo head;
		int guard;
	} old;
	memset(&old, 0x77, sizeof old);
	KEXPECT(rb_syscall3(SYS_PROCINFO, 0, (long)&old, 48), 48);
	KEXPECT(old.head.pid, rb_getpid());
	KEXPECT(old.head.pgid, 0x77777777);
	return 0;
}

static int procinfo_sleeper_state(char *why, size_t n)
{
	char *argv[] = {"kchild", "sleep", NULL};
	int pid = rb_spawn("initfs:/bin/kchild", argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	struct rb_procinfo pi;
	long r = 0;
	uint64_t end = rb_now_ns() + 2000000000ull;
	do { /* until it has started sleeping */
		(void)rb_nanosleep(1000000);
		r = rb_procinfo(pid, &pi);
	} while (r > 0 && pi.state != 'S' && rb_now_ns() < end);
	(void)rb_kill(pid, RB_SIGKILL);
	int status;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(r, sizeof pi);
	KEXPECT(pi.state, 'S');
	KEXPECT(pi.ppid, rb_getpid());
	KCHECK(pi.start_ns > 0, "start_ns 0");
	return 0;
}

static struct rb_cpuinfo cpus[300];

static int cpuinfo_counts_time(char *why, size_t n)
{
	struct rb_sysinfo si;
	KEXPECT(rb_sysinfo(&si), sizeof si);
	long nc = rb_cpuinfo(NULL, 0);
	KCHECK(nc >= 1 && nc <= 256, "cpuinfo(NULL, 0): %ld", nc);
	KEXPECT(rb_cpuinfo(cpus, 300), nc);
	unsigned online = 0;
	uint64_t sum0 = 0;
	for (long i = 0; i < nc; i++) {
		KCHECK(i == 0 || cpus[i].cpu > cpus[i - 1].cpu, "ids not ascending at %ld", i);
		if (cpus[i].flags & RB_CPU_ONLINE) {
			online++;
			KCHECK(cpus[i].busy_ns + cpus[i].idle_ns > 0, "cpu %u: no time",
			       cpus[i].cpu);
		}
		sum0 += cpus[i].busy_ns + cpus[i].idle_ns;
	}
	KEXPECT(online, si.cpus_online);
	KEXPECT(cpus[0].cpu, 0);
	KCHECK(cpus[0].flags & RB_CPU_ONLINE, "the boot CPU is not online");
	(void)rb_nanosleep(20000000);
	KEXPECT(rb_cpuinfo(cpus, 300), nc);
	uint64_t sum1 = 0;
	for (long i = 0; i < nc; i++)
		sum1 += cpus[i].busy_ns + cpus[i].idle_ns;
	/* every online CPU's busy + idle follows the clock */
	KCHECK(sum1 >= sum0 + 15000000ull * online, "time grew by %llu ns on %u CPUs",
	       (unsigned long long)(sum1 - sum0), online);
	return 0;
}

static int cpuinfo_bad_args(char *why, size_t n)
{
	KEXPECT(rb_cpuinfo(KERNEL_PTR, 1), -E_FAULT);
	KEXPECT(rb_cpuinfo(kt_bad_ptr(16), 4), -E_FAULT);
	/* a short buffer: only its records are written */
	memset(cpus, 0x66, sizeof cpus);
	long nc = rb_cpuinfo(cpus, 1);
	KCHECK(nc >= 1, "cpuinfo: %ld", nc);
	KEXPECT(cpus[1].cpu, 0x66666666);
	return 0;
}

static int sysinfo_figures(char *why, size_t n)
{
	struct rb_sysinfo si;
	memset(&si, 0, sizeof si);
	KEXPECT(rb_sysinfo(&si), sizeof si);
	KEXPECT(si.version, RB_SYSINFO_VERSION);
	KEXPECT(si.size, sizeof si);
	KEXPECT(si.page_size, 4096);
	KCHECK(si.total_pages > 1000, "total_pages %llu", si.total_pages);
	KCHECK(si.free_pages > 0 && si.free_pages <= si.total_pages, "free %llu of %llu",
	       si.free_pages, si.total_pages);
	KCHECK(si.procs >= 1 && si.threads >= si.procs, "procs %llu threads %llu", si.procs,
	       si.threads);
	KCHECK(si.uptime_ns > 0 && si.uptime_ns <= rb_now_ns(), "uptime %llu", si.uptime_ns);
	KEXPECT(si.cpus_online, rb_cpuinfo(NULL, 0) > 0 ? si.cpus_online : 0);
	KEXPECT(rb_syscall2(SYS_SYSINFO, (long)&si, 7), -E_INVAL);
	KEXPECT(rb_syscall2(SYS_SYSINFO, (long)&si, 8), 8);
	KEXPECT(rb_syscall2(SYS_SYSINFO, (long)KERNEL_PTR, sizeof si), -E_FAULT);
	KEXPECT(rb_syscall2(SYS_SYSINFO, (long)kt_bad_ptr(0), sizeof si), -E_FAULT);
	return 0;
}

void kt_sys_child(const char *mode)
{
	if (strcmp(mode, "user") != 0 || rb_setuid(1000) < 0)
		rb_exit(2);
	struct rb_sysinfo si;
	struct rb_kstat ks;
	int bad = 0;
	bad |= rb_sysinfo(&si) != (long)sizeof si || si.total_pages == 0;
	bad |= rb_cpuinfo(cpus, 300) < 1;
	bad |= rb_proclist(pids, MAXP) < 1;
	bad |= rb_kstat(&ks) != -E_PERM; /* the leak counters stay root's */
	rb_exit(bad ? 1 : 0);
}

static int sysinfo_as_user(char *why, size_t n)
{
	/* anyone may read it (free runs as guest): a child that drops to uid 1000 */
	char *argv[] = {"ktest", "sys-child", "user", NULL};
	int pid = rb_spawn("initfs:/bin/ktest", argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	int status = -1;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(status, 0);
	return 0;
}

const struct kcase sys_cases[] = {
    {"sys: proclist lists the caller, ascending", proclist_has_self},
    {"sys: proclist with a short buffer returns the count, writes no more", proclist_short_buffer},
    {"sys: proclist rejects bad pointers with EFAULT", proclist_bad_args},
    {"sys: procinfo gives threads, state R, CPU time, start time, group", procinfo_new_fields},
    {"sys: procinfo shows a sleeping child as S", procinfo_sleeper_state},
    {"sys: cpuinfo lists the online CPUs and their time follows the clock", cpuinfo_counts_time},
    {"sys: cpuinfo rejects bad pointers and keeps to a short buffer", cpuinfo_bad_args},
    {"sys: sysinfo gives memory totals, uptime and counts; checks size and pointer",
     sysinfo_figures},
    {"sys: sysinfo works for a non-root uid", sysinfo_as_user},
    {NULL, NULL},
};
