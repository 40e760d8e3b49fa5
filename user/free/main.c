/*
 * free - physical memory: total, used and free, in KiB by default.
 *
 *                   total        used        free
 *     Mem:         498732       21340      477392
 *
 * total is the RAM the kernel's page allocator manages (less the kernel
 * image and boot modules), free what it has free now (after trimming the
 * heap's caches), used the difference: kernel heap, page tables, and
 * every process's memory. From SYS_SYSINFO, which anyone may call. There
 * is no swap. -b, -k, -m: bytes, KiB, MiB. Exit codes: 0 done, 1 the
 * kernel refused, 2 a bad argument. No state.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "rb/sys.h"
#include "usage.h"

static const char usage[] = "usage: free [-b | -k | -m]\n"
			    "Show total, used and free physical memory.\n"
			    "  -b  in bytes\n"
			    "  -k  in KiB (the default)\n"
			    "  -m  in MiB\n";

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	unsigned shift = 10;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-b") == 0)
			shift = 0;
		else if (strcmp(argv[i], "-k") == 0)
			shift = 10;
		else if (strcmp(argv[i], "-m") == 0)
			shift = 20;
		else
			usage_fail("free", usage, "unknown argument '%s'", argv[i]);
	}
	struct rb_sysinfo si;
	long r = rb_sysinfo(&si);
	if (r < (long)sizeof si) {
		fprintf(stderr, "free: cannot read memory figures: %s\n",
			r < 0 ? err_name((int)r) : "short answer");
		return 1;
	}
	unsigned long long total = si.total_pages * si.page_size;
	unsigned long long freeb = si.free_pages * si.page_size;
	if (freeb > total)
		freeb = total; /* pages freed by boot code later than the count */
	printf("%-7s%12s%12s%12s\n", "", "total", "used", "free");
	printf("%-7s%12llu%12llu%12llu\n", "Mem:", total >> shift, (total - freeb) >> shift,
	       freeb >> shift);
	return 0;
}
