/*
 * dmesg - print the kernel log (kmsg:).
 *
 * "dmesg" prints the kernel's log ring from its oldest byte, and
 * exits; "dmesg -f" then follows: it polls kmsg: for POLLIN and prints
 * new bytes as they come. Exit codes: 0 done, 1 kmsg: could not be
 * read, 2 a bad argument.
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
		rb_dprintf(2, "usage: dmesg [-f]\n");
		return 2;
	}
	int fd = rb_open("kmsg:", RB_O_RDONLY);
	if (fd < 0) {
		rb_dprintf(2, "dmesg: cannot open kmsg: (%s)\n", err_name(fd));
		return 1;
	}
	int err = rb_copy_follow(fd, 1, follow);
	if (err < 0) {
		rb_dprintf(2, "dmesg: %s\n", err_name(err));
		return 1;
	}
	return 0;
}
