/*
 * dmesg - print the kernel log (kmsg:).
 *
 * "dmesg" prints the kernel's log ring from its oldest byte, and
 * exits; "dmesg -f" then follows: it polls kmsg: for POLLIN and prints
 * new bytes as they come. Exit codes: 0 done, 1 kmsg: could not be
 * read, 2 a bad argument.
 * --help prints the usage; a bad argument is named on stderr (usage.h).
 * The work is rb_follow_main (user/lib/follow.c). No state.
 */
#include <string.h>
#include "rb/follow.h"
#include "usage.h"

static const char usage[] = "usage: dmesg [-f]\n"
			    "Print the kernel log (kmsg:) from its oldest line.\n"
			    "  -f  then follow: print new lines as they come\n";

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-f") != 0)
			usage_fail("dmesg", usage, "unknown argument '%s'", argv[i]);
	return rb_follow_main("dmesg", "kmsg:", argc, argv);
}
