/*
 * cpus - the CPUs, their NUMA nodes and how busy each is.
 *
 * One line per present CPU, then a summary:
 *
 *     cpu0  apic 0  node 0  online  load  12.5%  runnable 1
 *     ...
 *     4 CPUs, 1 NUMA node, online 0-3
 *
 * load is the share of time the CPU ran a thread rather than its idle
 * loop over an interval: two SYS_CPUINFO samples -i MS apart (default
 * 200 ms; -i 0: since boot). runnable is its run queue's length at the
 * second sample, the running thread included. Exit codes: 0 done, 1 the
 * kernel refused, 2 a bad argument. State: the two samples.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "rb/sys.h"
#include "sysfmt/sysfmt.h"
#include "usage.h"

static const char usage[] = "usage: cpus [-i MS]\n"
			    "Show each CPU (APIC id, NUMA node, online, load, run queue) and\n"
			    "a summary line.\n"
			    "  -i MS  measure load over MS milliseconds (default 200, 0-10000;\n"
			    "         0: since boot)\n";

#define MAXC 256

static struct rb_cpuinfo a[MAXC], b[MAXC];

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	long ms = 200;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-i") != 0)
			usage_fail("cpus", usage, "unknown argument '%s'", argv[i]);
		if (i + 1 >= argc)
			usage_fail("cpus", usage, "-i needs a number of milliseconds");
		char *end;
		ms = strtol(argv[i + 1], &end, 10);
		if (!*argv[i + 1] || *end || ms < 0 || ms > 10000)
			usage_fail("cpus", usage, "bad interval '%s' (0-10000 ms)", argv[i + 1]);
		i++;
	}
	long n = ms ? rb_cpuinfo(a, MAXC) : 0;
	if (n >= 0 && ms) {
		struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
	if (n >= 0)
		n = rb_cpuinfo(b, MAXC);
	if (n < 0) {
		fprintf(stderr, "cpus: cannot read CPU figures: %s\n", err_name((int)n));
		return 1;
	}
	if (n > MAXC)
		n = MAXC;
	bool online[MAXC] = {false};
	bool node_seen[MAXC] = {false};
	unsigned nodes = 0;
	unsigned top = 0;
	for (long i = 0; i < n; i++) {
		const struct rb_cpuinfo *c = &b[i];
		bool on = c->flags & RB_CPU_ONLINE;
		uint64_t busy = c->busy_ns, idle = c->idle_ns;
		if (ms && a[i].cpu == c->cpu && busy >= a[i].busy_ns && idle >= a[i].idle_ns) {
			busy -= a[i].busy_ns;
			idle -= a[i].idle_ns;
		}
		unsigned pm = sysfmt_permille(busy, idle);
		if (on) {
			printf("cpu%-3u apic %-3u node %-2u online   load %3u.%u%%  runnable %u\n",
			       c->cpu, c->apic_id, c->node, pm / 10, pm % 10, c->runnable);
			if (c->cpu < MAXC)
				online[c->cpu] = true;
			if (c->node < MAXC && !node_seen[c->node]) {
				node_seen[c->node] = true;
				nodes++;
			}
		} else {
			printf("cpu%-3u offline\n", c->cpu);
		}
		if (c->cpu + 1 > top && c->cpu < MAXC)
			top = c->cpu + 1;
	}
	char list[256];
	sysfmt_cpulist(online, top, list, sizeof list);
	printf("%ld CPU%s, %u NUMA node%s, online %s\n", n, n == 1 ? "" : "s", nodes,
	       nodes == 1 ? "" : "s", list);
	return 0;
}
