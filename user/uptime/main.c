/*
 * uptime - the time, how long since boot, and how many processes and
 * CPUs are running:
 *
 *     12:03:04 up 7 min, 9 processes, 4 CPUs
 *
 * The clock is CLOCK_REALTIME in UTC; "up" is CLOCK_MONOTONIC (the
 * kernel's time since it started timing) from SYS_SYSINFO, with the
 * process and CPU counts. There is no load average: the kernel keeps
 * none (cpus shows per-CPU load). -p prints only "up 7 min". Exit codes:
 * 0 done, 1 the kernel refused, 2 a bad argument. No state.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "rb/sys.h"
#include "sysfmt/sysfmt.h"
#include "usage.h"

static const char usage[] = "usage: uptime [-p]\n"
			    "Show the time (UTC), the time since boot and the number of\n"
			    "processes and CPUs running.\n"
			    "  -p  only the time since boot (\"up 7 min\")\n";

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	bool pretty = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-p") != 0)
			usage_fail("uptime", usage, "unknown argument '%s'", argv[i]);
		pretty = true;
	}
	struct rb_sysinfo si;
	long r = rb_sysinfo(&si);
	if (r < (long)sizeof si) {
		fprintf(stderr, "uptime: cannot read system figures: %s\n",
			r < 0 ? err_name((int)r) : "short answer");
		return 1;
	}
	char up[48];
	sysfmt_uptime(si.uptime_ns / 1000000000ull, up, sizeof up);
	if (pretty) {
		printf("up %s\n", up);
		return 0;
	}
	struct timespec ts;
	unsigned long long day = 0;
	if (clock_gettime(CLOCK_REALTIME, &ts) == 0)
		day = (unsigned long long)ts.tv_sec % 86400;
	printf("%02llu:%02llu:%02llu up %s, %llu process%s, %llu CPU%s\n", day / 3600,
	       day / 60 % 60, day % 60, up, si.procs, si.procs == 1 ? "" : "es", si.cpus_online,
	       si.cpus_online == 1 ? "" : "s");
	return 0;
}
