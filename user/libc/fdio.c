/*
 * fdio.c - write_all, tty_read_line, path_join, path_base (fdio.h). No state: a line's
 * editing state lives on the caller's stack for one call.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fdio.h"
#include "ttyline/ttyline.h"

int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int tty_read_line(char *buf, size_t cap, bool echo, bool *skip_lf, bool *too_long)
{
	struct ttyline t;
	ttyline_start(&t, buf, cap, echo, *skip_lf);
	for (;;) {
		struct pollfd p = {0, POLLIN, 0};
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return -1;
		char c;
		ssize_t r = read(0, &c, 1);
		if (r < 0 && errno != EINTR && errno != EAGAIN)
			return -1;
		if (r <= 0)
			continue; /* polled console input: nothing yet */
		char out[TTYLINE_ECHO_MAX];
		size_t n;
		enum ttyline_result res = ttyline_feed(&t, (unsigned char)c, out, &n);
		write_all(1, out, n);
		if (res == TTYLINE_MORE)
			continue;
		*skip_lf = ttyline_ended_cr(&t);
		*too_long = t.too_long;
		return res == TTYLINE_DONE ? 1 : 0;
	}
}

char *path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	char *p = malloc(dl + strlen(name) + 2);
	if (p)
		sprintf(p, "%s%s%s", dir, dl && dir[dl - 1] != '/' ? "/" : "", name);
	return p;
}

char *path_base(const char *path)
{
	size_t end = strlen(path);
	while (end > 1 && path[end - 1] == '/')
		end--;
	size_t start = end;
	while (start > 0 && path[start - 1] != '/' && path[start - 1] != ':')
		start--;
	return strndup(path + start, end - start);
}
