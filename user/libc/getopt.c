/*
 * getopt.c - POSIX getopt: short options, "o:" arguments, "--" ends them,
 * a leading ':' in optstring for quiet ':' on a missing argument. Its
 * state is the POSIX globals (optind, optarg, opterr, optopt) plus the
 * position inside a group of options ("-abc"): one caller at a time.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt;
static int optpos = 1; /* next option character in argv[optind] */

int getopt(int argc, char *const argv[], const char *optstring)
{
	if (optind == 0) { /* a reset, as glibc's */
		optind = 1;
		optpos = 1;
	}
	if (optind >= argc || !argv[optind] || argv[optind][0] != '-' || !argv[optind][1])
		return -1;
	if (strcmp(argv[optind], "--") == 0) {
		optind++;
		return -1;
	}
	const char *arg = argv[optind];
	int c = (unsigned char)arg[optpos++];
	const char *spec = c == ':' ? NULL : strchr(optstring, c);
	int quiet = optstring[0] == ':';
	if (!arg[optpos]) {
		optind++;
		optpos = 1;
	}
	optopt = c;
	if (!spec) {
		if (opterr && !quiet)
			fprintf(stderr, "%s: unknown option -- %c\n", argv[0], c);
		return '?';
	}
	if (spec[1] != ':')
		return c;
	if (optpos > 1) { /* the argument is the rest of this word */
		optarg = (char *)arg + optpos;
		optind++;
		optpos = 1;
	} else if (optind < argc) {
		optarg = argv[optind++];
	} else {
		if (opterr && !quiet)
			fprintf(stderr, "%s: option requires an argument -- %c\n", argv[0], c);
		return quiet ? ':' : '?';
	}
	return c;
}
