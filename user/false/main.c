/*
 * false - do nothing, unsuccessfully: exit 1 whatever the arguments
 * (except --help, which exits 0). No state.
 */
#include "usage.h"

static const char usage[] = "usage: false\n"
			    "Exit with status 1. Arguments are ignored.\n";

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	return 1;
}
