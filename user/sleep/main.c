/*
 * sleep - wait for a time: the sum of the arguments, each a decimal
 * number with an optional fraction (0.5, .25) and an optional suffix s
 * (seconds, the default), m, h or d. Sleeps on CLOCK_MONOTONIC until the
 * deadline, so an early wake-up (a caught signal) sleeps again; SIGINT
 * keeps its default action and ends it with status 130 like any program.
 * Precision is the nanosecond; more than 9 fraction digits are ignored.
 * State: main's locals.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "usage.h"

static const char usage[] = "usage: sleep NUMBER[s|m|h|d]...\n"
			    "Wait for the sum of the times given: NUMBER may have a fraction\n"
			    "(0.5); the suffix is s (seconds, the default), m, h or d.\n";

#define NS 1000000000ull
#define MAX_NS (100ull * 365 * 24 * 3600 * NS) /* a hundred years */

/* Parse one argument into *ns; 0 on success, -1 when malformed or too big. */
static int parse(const char *s, uint64_t *ns)
{
	uint64_t whole = 0, frac = 0, scale = NS, mult = 1;
	int digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		whole = whole * 10 + (uint64_t)(*s - '0');
		if (whole > MAX_NS / NS)
			return -1;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits++)
			if (scale >= 10) {
				scale /= 10;
				frac += (uint64_t)(*s - '0') * scale;
			}
	}
	if (digits == 0)
		return -1;
	switch (*s) {
	case '\0':
	case 's':
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	default:
		return -1;
	}
	if (*s && s[1])
		return -1;
	if (whole * mult > MAX_NS / NS)
		return -1;
	*ns = (whole * NS + frac) * mult;
	return 0;
}

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

		if (parse(argv[i], &ns) < 0)
			usage_fail(argv[0], usage, "invalid time interval '%s'", argv[i]);
		total += ns;
		if (total > MAX_NS)
			usage_fail(argv[0], usage, "time interval too long");
	}
	end = now_ns() + total;
	while ((t = now_ns()) < end) {
		struct timespec d = {(time_t)((end - t) / NS), (long)((end - t) % NS)};

		nanosleep(&d, NULL);
	}
	return 0;
}
