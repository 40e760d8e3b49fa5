/*
 * follow.c - rb_copy_follow (rb/follow.h): read to the end, poll, repeat;
 * and rb_follow_main, the main that dmesg and logread share.
 *
 * A read of 0 means "nothing more now" on a log (log:, kmsg:), not the
 * end of the stream; so a follower polls for POLLIN and reads again. No
 * state: the 4 KiB buffer is on the caller's stack.
 */
#include <string.h>
#include "rb/follow.h"
#include "rb/stdio.h"
#include "rb/sys.h"

static int write_all(int fd, const char *p, long n)
{
	while (n > 0) {
		long w = rb_write(fd, p, (size_t)n);
		if (w == -E_INTR)
			continue;
		if (w <= 0)
			return w < 0 ? (int)w : -E_IO;
		p += w;
		n -= w;
	}
	return 0;
}

/* Sleep until in is readable or hung up: 0, 1 for a hang-up, or an error. */
static int wait_readable(int in)
{
	struct rb_pollfd pfd = {.fd = in, .events = RB_POLLIN};
	int r = rb_poll(&pfd, 1, -1);
	if (r < 0 && r != -E_INTR)
		return r;
	if (pfd.revents & RB_POLLNVAL)
		return -E_BADF;
	return (pfd.revents & (RB_POLLHUP | RB_POLLERR)) != 0;
}

int rb_copy_follow(int in, int out, bool follow)
{
	char buf[4096];
	bool hup = false;
	for (;;) {
		long n = rb_read(in, buf, sizeof buf);
		if (n == -E_INTR)
			continue;
		if (n < 0)
			return (int)n;
		if (n > 0) {
			int err = write_all(out, buf, n);
			if (err < 0)
				return err;
			continue;
		}
		if (!follow || hup) /* a hung-up stream that reads 0 has ended */
			return 0;
		int r = wait_readable(in);
		if (r < 0)
			return r;
		hup = r > 0;
	}
}

int rb_follow_main(const char *tool, const char *path, int argc, char **argv)
{
	bool follow = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-f") != 0) {
			rb_dprintf(2, "usage: %s [-f]\n", tool);
			return 2;
		}
		follow = true;
	}
	int fd = rb_open(path, RB_O_RDONLY);
	if (fd < 0) {
		rb_dprintf(2, "%s: cannot open %s (%s)\n", tool, path, err_name(fd));
		return 1;
	}
	int err = rb_copy_follow(fd, 1, follow);
	(void)rb_close(fd);
	if (err < 0) {
		rb_dprintf(2, "%s: %s\n", tool, err_name(err));
		return 1;
	}
	return 0;
}
