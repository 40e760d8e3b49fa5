/*
 * powerctl.h - the shared body of poweroff and reboot (each program's
 * main.c includes it once; no state).
 *
 * The command ("poweroff" or "reboot") is written to init:/control, and
 * init runs its ordered shutdown. When init: is not served (ENOENT: an
 * init without a service manager, or a test driver as pid 1) a warning
 * goes to stderr and the kernel is asked directly (SYS_POWEROFF /
 * SYS_REBOOT), which does not return on success. -f skips init. Only
 * root may: others get "NAME: permission denied" and exit 1. Exit codes:
 * 0 init accepted, 1 refused or failed, 2 a bad argument.
 */
#pragma once
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "rb/sys.h"
#include "usage.h"

static int powerctl_main(const char *cmd, const char *usage, int argc, char **argv)
{
	usage_help(argc, argv, usage);
	bool force = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-f") != 0)
			usage_fail(cmd, usage, "unknown argument '%s'", argv[i]);
		force = true;
	}
	if (getuid() != 0) {
		fprintf(stderr, "%s: permission denied\n", cmd);
		return 1;
	}
	if (!force) {
		int fd = open("init:/control", O_WRONLY);
		if (fd >= 0) {
			ssize_t w = write(fd, cmd, strlen(cmd));
			int err = w < 0 ? errno : 0;
			close(fd);
			if (w == (ssize_t)strlen(cmd))
				return 0; /* init shuts down in order */
			if (err == EPERM) {
				fprintf(stderr, "%s: permission denied\n", cmd);
				return 1;
			}
			fprintf(stderr, "%s: init refused: %s\n", cmd,
				err ? strerror(err) : "short write");
			return 1;
		}
		if (errno != ENOENT) {
			fprintf(stderr, "%s: init:/control: %s\n", cmd, strerror(errno));
			return 1;
		}
		fprintf(stderr, "%s: warning: init: is not served; asking the kernel directly\n",
			cmd);
	}
	fflush(stdout);
	fflush(stderr);
	int r = strcmp(cmd, "reboot") == 0 ? rb_reboot() : rb_poweroff();
	fprintf(stderr, "%s: the kernel refused: %s\n", cmd,
		r == -E_PERM ? "permission denied" : err_name(r));
	return 1;
}
