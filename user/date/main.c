/*
 * date - print the date and time: by default like "Wed Dec  2 11:40:00
 * UTC 2026", or formatted by strftime with +FORMAT. The clock is
 * CLOCK_REALTIME (the kernel sets it from the RTC at boot); there are no
 * time zones, so local time is UTC and -u changes nothing but is
 * accepted. Setting the clock is not supported. State: main's locals.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "usage.h"

static const char usage[] = "usage: date [-u] [+FORMAT]\n"
			    "Print the date and time (UTC; there are no time zones).\n"
			    "  -u       UTC (the same as the default)\n"
			    "  +FORMAT  strftime format, e.g. +%Y-%m-%d or +%s\n";

int main(int argc, char **argv)
{
	const char *fmt = "%a %b %e %H:%M:%S %Z %Y";
	struct timespec ts;
	struct tm tm;
	char buf[512];
	size_t n;

	usage_help(argc, argv, usage);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-u") == 0 || strcmp(argv[i], "--utc") == 0)
			continue;
		if (argv[i][0] == '+' && i == argc - 1)
			fmt = argv[i] + 1;
		else if (argv[i][0] == '+')
			usage_fail(argv[0], usage, "+FORMAT must be the last argument");
		else
			usage_fail(argv[0], usage,
				   "unknown argument '%s' (setting the date is not supported)",
				   argv[i]);
	}
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0) {
		perror("date: clock_gettime");
		return 1;
	}
	if (!gmtime_r(&ts.tv_sec, &tm)) {
		fprintf(stderr, "date: time out of range\n");
		return 1;
	}
	n = strftime(buf, sizeof buf, fmt, &tm);
	if (n == 0 && fmt[0]) {
		fprintf(stderr, "date: the formatted date is empty or longer than %zu bytes\n",
			sizeof buf - 1);
		return 1;
	}
	buf[n] = '\0';
	puts(buf);
	return fflush(stdout) ? 1 : 0;
}
