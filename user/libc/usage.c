/*
 * usage.c - usage_help and usage_fail (usage.h). No state.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "usage.h"

void usage_help(int argc, char **argv, const char *usage)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return;
		if (!strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			if (*usage && usage[strlen(usage) - 1] != '\n')
				fputc('\n', stdout);
			exit(0);
		}
	}
}

void usage_fail(const char *argv0, const char *usage, const char *fmt, ...)
{
	const char *name = strrchr(argv0, '/');
	name = name ? name + 1 : argv0;
	fprintf(stderr, "%s: ", name);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	const char *nl = strchr(usage, '\n');
	int len = nl ? (int)(nl - usage) : (int)strlen(usage);
	fprintf(stderr, "\n%.*s\n", len, usage);
	exit(2);
}
