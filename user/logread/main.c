/*
 * logread - print the lines logd keeps (log:).
 *
 * "logread" prints every line the log: ring holds, oldest first, and
 * exits; "logread -f" then follows: it polls log: for POLLIN and prints
 * new lines as they come, until logd goes away. Exit codes: 0 done,
 * 1 log: could not be read (no logd, or it died), 2 a bad argument.
 * --help prints the usage; a bad argument is named on stderr (usage.h).
 * The work is rb_follow_main (user/lib/follow.c). No state.
 */
#include <string.h>
#include "rb/follow.h"
#include "usage.h"

static const char usage[] =
    "usage: logread [-f]\n"
    "Print the lines logd keeps (log:), oldest first.\n"
    "  -f  then follow: print new lines as they come, until logd goes away\n";

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-f") != 0)
			usage_fail("logread", usage, "unknown argument '%s'", argv[i]);
	return rb_follow_main("logread", "log:", argc, argv);
}
