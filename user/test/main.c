/*
 * test, [ - evaluate a condition (POSIX test): exit 0 when true, 1 when
 * false, 2 with a message on a malformed expression. The language is
 * lib/cmdutil/testexpr.c's (host-tested, fuzzed); this file gives it the
 * file tests (stat, the libc's access, isatty) and the "[" form: run as
 * "[" (argv[0]'s basename; kernel/kernel.mk copies this program to
 * initfs bin/[), the last argument must be "]". No state.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmdutil/testexpr.h"
#include "usage.h"

static const char usage[] = "usage: test EXPRESSION  or  [ EXPRESSION ]\n"
			    "Exit 0 if EXPRESSION is true, 1 if false, 2 if it is malformed.\n"
			    "  -e F exists  -f F regular file  -d F directory  -s F not empty\n"
			    "  -r F / -w F / -x F readable / writable / executable\n"
			    "  -z S empty  -n S not empty  S  not empty  -t FD a terminal\n"
			    "  S1 = S2  S1 != S2  S1 < S2  S1 > S2\n"
			    "  N1 -eq -ne -lt -le -gt -ge N2 (integers)\n"
			    "  ! E  E1 -a E2  E1 -o E2  ( E )\n";

static enum testexpr_type fs_stat(void *ctx, const char *path, long long *size)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return TESTEXPR_NONE;
	*size = (long long)st.st_size;
	if (S_ISREG(st.st_mode))
		return TESTEXPR_REG;
	return S_ISDIR(st.st_mode) ? TESTEXPR_DIR : TESTEXPR_OTHER;
}

static bool fs_access(void *ctx, const char *path, char how)
{
	return access(path, how == 'r' ? R_OK : how == 'w' ? W_OK : X_OK) == 0;
}

static bool fs_isatty(void *ctx, int fd)
{
	return isatty(fd);
}

static const struct testexpr_ops fs = {NULL, fs_stat, fs_access, fs_isatty};

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	char err[160];
	int r;

	base = base ? base + 1 : argv[0];
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		usage_help(argc, argv, usage);
	if (strcmp(base, "[") == 0) {
		if (argc < 2 || strcmp(argv[argc - 1], "]") != 0) {
			fprintf(stderr, "[: missing ']'\n");
			return 2;
		}
		argc--;
	}
	r = testexpr_eval((const char *const *)argv + 1, argc - 1, &fs, err, sizeof err);
	if (r == TESTEXPR_ERROR)
		fprintf(stderr, "%s: %s\n", base, err);
	return r;
}
