/*
 * env - print the environment, or run a command in a changed one.
 *
 * env [-i] [-u NAME]... [NAME=VALUE]... [CMD [ARG...]]: -i starts from an
 * empty environment, -u removes NAME, NAME=VALUE sets it; then CMD is
 * started with posix_spawnp (PATH searched in the new environment, the
 * libc's default when unset) on the same stdin/stdout/stderr, and env
 * exits with its status (128 + signal when a signal killed it; 127 when
 * CMD is not found, 126 when it cannot be run). Without CMD the
 * environment is printed, one NAME=VALUE per line. The environment is
 * the libc's (setenv/unsetenv/clearenv); state is main's locals.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "usage.h"

extern char **environ;

static const char usage[] = "usage: env [-i] [-u NAME]... [NAME=VALUE]... [CMD [ARG...]]\n"
			    "Print the environment, or run CMD with it changed.\n"
			    "  -i       start with an empty environment\n"
			    "  -u NAME  remove NAME from the environment\n"
			    "Exit status: CMD's; 127 if CMD is not found, 126 if it cannot run.\n";

int main(int argc, char **argv)
{
	int i = 1;

	usage_help(argc, argv, usage);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-i") == 0 || strcmp(argv[i], "-") == 0) {
			clearenv();
		} else if (strcmp(argv[i], "-u") == 0) {
			if (i + 1 >= argc)
				usage_fail(argv[0], usage, "option -u needs a NAME");
			if (unsetenv(argv[++i]) < 0)
				usage_fail(argv[0], usage, "cannot unset '%s'", argv[i]);
		} else {
			usage_fail(argv[0], usage, "unknown option '%s'", argv[i]);
		}
	}
	for (; i < argc && strchr(argv[i], '='); i++) {
		char *eq = strchr(argv[i], '=');

		if (eq == argv[i])
			usage_fail(argv[0], usage, "bad assignment '%s'", argv[i]);
		*eq = '\0';
		if (setenv(argv[i], eq + 1, 1) < 0) {
			fprintf(stderr, "env: cannot set %s: %s\n", argv[i], strerror(errno));
			return 125;
		}
	}
	if (i >= argc) {
		for (char **e = environ; e && *e; e++)
			puts(*e);
		return fflush(stdout) ? 125 : 0;
	}

	pid_t pid;
	int st, e = posix_spawnp(&pid, argv[i], NULL, NULL, argv + i, environ);

	if (e) {
		fprintf(stderr, "env: %s: %s\n", argv[i], strerror(e));
		return e == ENOENT ? 127 : 126;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "env: waitpid: %s\n", strerror(errno));
			return 125;
		}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 125;
}
