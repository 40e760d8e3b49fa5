/*
 * logread - print the lines logd keeps (log:).
 *
 * "logread" prints every line the log: ring holds, oldest first, and
 * exits; "logread -f" then follows: it polls log: for POLLIN and prints
 * new lines as they come, until logd goes away. Exit codes: 0 done,
 * 1 log: could not be read (no logd, or it died), 2 a bad argument.
 * No state beyond main's.
 */
#include <stdbool.h>
#include <string.h>
#include "rb/follow.h"
#include "rb/stdio.h"
#include "rb/sys.h"

int main(int argc, char **argv)
{
	bool follow = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-f") == 0) {
			follow = true;
			continue;
		}
		rb_dprintf(2, "usage: logread [-f]\n");
		return 2;
	}
	int fd = rb_open("log:", RB_O_RDONLY);
	if (fd < 0) {
		rb_dprintf(2, "logread: cannot open log: (%s)\n", err_name(fd));
		return 1;
	}
	int err = rb_copy_follow(fd, 1, follow);
	if (err < 0) {
		rb_dprintf(2, "logread: %s\n", err_name(err));
		return 1;
	}
	return 0;
}
