/*
 * cat - copy each FILE (or standard input for "-" or no FILE) to standard
 * output. A file that cannot be read gets "cat: NAME: reason" on stderr;
 * the others are still copied and cat exits 1. Raw read/write on fds, no
 * stdio buffering. Single-threaded; owns only its stack buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "fdio.h"
#include "usage.h"

static const char usage[] =
    "usage: cat [FILE...]\n"
    "Concatenate FILEs (standard input for - or no FILE) to standard output.\n";

/* Copy fd to stdout; 0, or 1 after printing why not. */
static int copy(int fd, const char *name)
{
	static char buf[16384];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (write_all(1, buf, (size_t)n) < 0) {
			fprintf(stderr, "cat: write error: %s\n", strerror(errno));
			return 1;
		}
	}
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	opterr = 0;
	if (getopt(argc, argv, "") != -1)
		usage_fail(argv[0], usage, "unknown option -- %c", optopt);
	int first = optind;
	if (first >= argc)
		return copy(0, "-");
	int status = 0;
	for (int i = first; i < argc; i++) {
		if (!strcmp(argv[i], "-")) {
			status |= copy(0, "-");
			continue;
		}
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= copy(fd, argv[i]);
		close(fd);
	}
	return status;
}
