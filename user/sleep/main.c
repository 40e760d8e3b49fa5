/*
 * sleep - wait for a time: the sum of the arguments, each a decimal
 * number with an optional fraction (0.5, .25) and an optional suffix s
 * (seconds, the default), m, h or d. Sleeps on CLOCK_MONOTONIC until the
 * deadline, so an early wake-up (a caught signal) sleeps again; SIGINT
 * keeps its default action and ends it with status 130 like any program.
 * The argument syntax is lib/cmdutil/duration.c's (host-tested).
 * State: main's locals.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "cmdutil/duration.h"
#include "usage.h"

static const char usage[] = "usage: sleep NUMBER[s|m|h|d]...\n"
			    "Wait for the sum of the times given: NUMBER may have a fraction\n"
			    "(0.5); the suffix is s (seconds, the default), m, h or d.\n";

#define NS 1000000000ull

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	uint64_t total = 0, end, t;

	usage_help(argc, argv, usage);
	if (argc < 2)
		usage_fail(argv[0], usage, "missing operand");
	for (int i = 1; i < argc; i++) {
		uint64_t ns;

		if (duration_parse(argv[i], &ns) < 0)
			usage_fail(argv[0], usage, "invalid time interval '%s'", argv[i]);
		total += ns;
		if (total > DURATION_MAX_NS)
			usage_fail(argv[0], usage, "time interval too long");
	}
	end = now_ns() + total;
	while ((t = now_ns()) < end) {
		struct timespec d = {(time_t)((end - t) / NS), (long)((end - t) % NS)};

		nanosleep(&d, NULL);
	}
	return 0;
}
