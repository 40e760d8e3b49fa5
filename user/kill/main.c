/*
 * kill - send a signal to processes, or list the signal names.
 *
 *     kill [-s SIG | -SIG | -N] PID...     (default TERM)
 *     kill -l [N]
 *
 * SIG is a name with or without "SIG", in any case, or a number 0..31
 * (0 only checks that the process exists and may be signalled). A PID
 * below zero names a process group (after "--": kill -- -5). kill -l
 * lists the names; kill -l N names signal N, or the signal of the exit
 * status N (128 + signal). Exit codes: 0 every PID was signalled, 1 one
 * was not (each named on stderr: "kill: (123) - No such process"), 2 a
 * bad argument. No state beyond the arguments.
 */
#include <stdbool.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sysfmt/signame.h"
#include "usage.h"

static const char usage[] =
    "usage: kill [-s SIG | -SIG | -N] PID... | kill -l [N]\n"
    "Send signal SIG (default TERM) to each PID; a negative PID (after --)\n"
    "names a process group.\n"
    "  -s SIG  the signal, by name (TERM, SIGTERM, term) or number\n"
    "  -SIG    the same, as one word (-KILL, -9)\n"
    "  -l [N]  list the signal names, or name signal N (or exit status 128+N)\n";

/* A pid argument: a decimal, negative only when allow_neg; false if bad. */
static bool parse_pid(const char *s, bool allow_neg, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v == 0 || v > 2147483647L || v < -2147483647L ||
	    (v < 0 && !allow_neg) || (v == -1))
		return false;
	*out = v;
	return true;
}

static int list(int argc, char **argv, int i)
{
	if (i == argc) {
		for (int s = 1; s <= SIGNAME_MAX; s++) {
			bool last = s % 8 == 0 || s == SIGNAME_MAX;
			printf(last ? "%2d) %s\n" : "%2d) %-7s ", s, sig_name(s));
		}
		return 0;
	}
	if (i + 1 < argc)
		usage_fail("kill", usage, "-l takes at most one argument");
	char *end;
	long v = strtol(argv[i], &end, 10);
	if (*argv[i] && !*end && v > 128 && v <= 128 + SIGNAME_MAX)
		v -= 128; /* an exit status */
	if (*argv[i] && !*end && v >= 1 && v <= SIGNAME_MAX) {
		printf("%s\n", sig_name((int)v));
		return 0;
	}
	int s = sig_parse(argv[i]);
	if (s <= 0)
		usage_fail("kill", usage, "unknown signal '%s'", argv[i]);
	printf("%d\n", s);
	return 0;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	int sig = SIGTERM, i = 1;
	if (i < argc && strcmp(argv[i], "-l") == 0)
		return list(argc, argv, i + 1);
	if (i < argc && strcmp(argv[i], "-s") == 0) {
		if (i + 1 >= argc)
			usage_fail("kill", usage, "-s needs a signal");
		sig = sig_parse(argv[i + 1]);
		if (sig < 0)
			usage_fail("kill", usage, "unknown signal '%s'", argv[i + 1]);
		i += 2;
	} else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0 &&
		   !(argv[i][1] >= '0' && argv[i][1] <= '9' && i + 1 >= argc)) {
		sig = sig_parse(argv[i] + 1);
		if (sig < 0)
			usage_fail("kill", usage, "unknown signal '%s'", argv[i] + 1);
		i++;
	}
	bool neg_ok = false;
	if (i < argc && strcmp(argv[i], "--") == 0) {
		neg_ok = true;
		i++;
	}
	if (i >= argc)
		usage_fail("kill", usage, "no process given");
	long pidv[64];
	int npid = 0;
	for (int k = i; k < argc; k++) {
		if (npid == 64)
			usage_fail("kill", usage, "more than 64 processes");
		if (!parse_pid(argv[k], neg_ok, &pidv[npid]))
			usage_fail("kill", usage, "bad process id '%s'", argv[k]);
		npid++;
	}
	int rc = 0;
	for (int k = 0; k < npid; k++) {
		if (kill((pid_t)pidv[k], sig) == 0)
			continue;
		const char *why = errno == EPERM		      ? "Operation not permitted"
				  : errno == ENOENT || errno == ESRCH ? "No such process"
								      : strerror(errno);
		fprintf(stderr, "kill: (%ld) - %s\n", pidv[k], why);
		rc = 1;
	}
	return rc;
}
