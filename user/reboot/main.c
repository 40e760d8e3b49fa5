/*
 * reboot - restart the machine: through init's ordered shutdown, or the
 * kernel when init: is not served (../poweroff/powerctl.h has the details).
 */
#include "../poweroff/powerctl.h"

static const char usage[] = "usage: reboot [-f]\n"
			    "Ask init to stop every service and restart the machine (root\n"
			    "only); without a service manager, ask the kernel directly.\n"
			    "  -f  skip init: reset at once through the kernel\n";

int main(int argc, char **argv)
{
	return powerctl_main("reboot", usage, argc, argv);
}
