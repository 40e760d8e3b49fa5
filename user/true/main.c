/*
 * true - do nothing, successfully: exit 0 whatever the arguments
 * (except --help). No state.
 */
#include "usage.h"

static const char usage[] = "usage: true\n"
			    "Exit with status 0. Arguments are ignored.\n";

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	return 0;
}
