/*
 * poweroff - switch the machine off: through init's ordered shutdown, or
 * the kernel when init: is not served (powerctl.h has the details).
 */
#include "powerctl.h"

static const char usage[] = "usage: poweroff [-f]\n"
			    "Ask init to stop every service and switch the machine off (root\n"
			    "only); without a service manager, ask the kernel directly.\n"
			    "  -f  skip init: switch off at once through the kernel\n";

int main(int argc, char **argv)
{
	return powerctl_main("poweroff", usage, argc, argv);
}
