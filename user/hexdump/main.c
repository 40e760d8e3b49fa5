/*
 * hexdump - show bytes in hex, as util-linux's hexdump does: by default
 * 16-bit little-endian words ("%07x" offsets); with -C the canonical
 * form (hex bytes and |ASCII|). The FILEs (standard input if none) are
 * dumped as one stream; repeated lines print as "*"; the last line is the
 * offset after the input. The formats live in lib/futil (hexdump.c).
 * Output goes through stdout's buffer. Single-threaded; owns its read
 * buffer and the struct hexdump.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "futil/futil.h"
#include "usage.h"

static const char usage[] = "usage: hexdump [-C] [FILE...]\n"
			    "Display FILEs (standard input if none) in hexadecimal.\n"
			    "  -C  canonical hex+ASCII display\n";

static void emit(void *ctx, const char *s, size_t n)
{
	fwrite(s, 1, n, stdout);
}

/* Feed fd to h; 0, or 1 after printing why the read failed. */
static int feed_fd(struct hexdump *h, int fd, const char *name)
{
	static char buf[8192];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "hexdump: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (n == 0)
			return 0;
		hexdump_feed(h, buf, (size_t)n);
	}
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	int canon = 0, c;
	opterr = 0;
	while ((c = getopt(argc, argv, "C")) != -1) {
		if (c == 'C')
			canon = 1;
		else
			usage_fail(argv[0], usage, "unknown option -- %c", optopt);
	}
	struct hexdump h;
	hexdump_init(&h, canon, emit, NULL);
	int status = 0, opened = 0;
	if (optind >= argc) {
		status = feed_fd(&h, 0, "standard input");
		opened = 1;
	}
	for (int i = optind; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "hexdump: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		opened++;
		status |= feed_fd(&h, fd, argv[i]);
		close(fd);
	}
	if (!opened) {
		fprintf(stderr, "hexdump: all input file arguments failed\n");
		return 1;
	}
	hexdump_finish(&h);
	if (fflush(stdout) != 0)
		status = 1;
	return status;
}
