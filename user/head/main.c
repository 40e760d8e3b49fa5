/*
 * head - print the first lines or bytes of files (docs/utilities.md).
 *
 * head [-n N | -c N] [-qv] [FILE...]: the first N lines (default 10) or,
 * with -c, the first N bytes of each FILE (or standard input; "-" is
 * standard input). "-N" alone is the old spelling of -n N. With several
 * files each is preceded by a "==> NAME <==" header, and headers after
 * the first by an empty line; -q never prints headers, -v always does.
 * head reads no more than it needs, a block at a time. Exit status: 0,
 * 1 when a file could not be read, 2 a bad option or count. State:
 * main's locals and the read buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "usage.h"

static const char usage[] =
    "usage: head [-n N | -c N] [-qv] [FILE...]\n"
    "Print the first 10 lines of each FILE (or standard input; \"-\" is\n"
    "standard input).\n"
    "  -n N  print the first N lines instead (-N means the same)\n"
    "  -c N  print the first N bytes instead\n"
    "  -q    never print \"==> NAME <==\" headers (default: with several files)\n"
    "  -v    always print them\n"
    "Exit status: 0, 1 a file could not be read, 2 a bad option or count.";

/* A count: decimal digits only. */
static unsigned long long parse_count(const char *argv0, const char *s)
{
	unsigned long long v = 0;
	if (!*s)
		usage_fail(argv0, usage, "invalid number: '%s'", s);
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > (~0ull - 9) / 10)
			usage_fail(argv0, usage, "invalid number: '%s'", s);
		v = v * 10 + (unsigned)(*p - '0');
	}
	return v;
}

/* Copy the first n lines (bytes when by_bytes) of fd to stdout: 0 or errno. */
static int head_fd(int fd, unsigned long long n, bool by_bytes)
{
	static char buf[4096];
	while (n > 0) {
		size_t want = sizeof buf;
		if (by_bytes && n < want)
			want = (size_t)n;
		ssize_t got = read(fd, buf, want);
		if (got < 0)
			return errno;
		if (got == 0)
			return 0;
		size_t len = (size_t)got;
		if (by_bytes) {
			n -= len;
		} else {
			for (size_t i = 0; i < len; i++)
				if (buf[i] == '\n' && --n == 0) {
					len = i + 1;
					break;
				}
		}
		fwrite(buf, 1, len, stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	unsigned long long n = 10;
	bool by_bytes = false;
	int headers = 0; /* -1 never, 1 always, 0 with several files */
	int opt;
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
		n = parse_count(argv[0], argv[1] + 1); /* the old "-N" form */
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	while ((opt = getopt(argc, argv, ":n:c:qv")) != -1) {
		switch (opt) {
		case 'n':
			n = parse_count(argv[0], optarg);
			by_bytes = false;
			break;
		case 'c':
			n = parse_count(argv[0], optarg);
			by_bytes = true;
			break;
		case 'q':
			headers = -1;
			break;
		case 'v':
			headers = 1;
			break;
		case ':':
			usage_fail(argv[0], usage, "option -%c needs an argument", optopt);
		default:
			usage_fail(argv[0], usage, "unknown option -%c", optopt);
		}
	}
	int nfiles = argc - optind, status = 0;
	if (headers == 0)
		headers = nfiles > 1 ? 1 : -1;
	if (nfiles == 0) {
		int e = head_fd(0, n, by_bytes);
		if (e) {
			fprintf(stderr, "head: standard input: %s\n", strerror(e));
			status = 1;
		}
		return status;
	}
	bool first = true;
	for (int k = optind; k < argc; k++) {
		const char *name = argv[k];
		bool in = !strcmp(name, "-");
		struct stat st;
		int e = 0, fd = 0;
		if (!in && stat(name, &st) == 0 && S_ISDIR(st.st_mode))
			e = EISDIR;
		else if (!in && (fd = open(name, O_RDONLY)) < 0)
			e = errno;
		if (e) {
			fflush(stdout);
			fprintf(stderr, "head: cannot open '%s' for reading: %s\n", name,
				strerror(e));
			status = 1;
			continue;
		}
		if (headers > 0)
			printf("%s==> %s <==\n", first ? "" : "\n", in ? "standard input" : name);
		first = false;
		e = head_fd(fd, n, by_bytes);
		if (fd > 0)
			close(fd);
		if (e) {
			fflush(stdout);
			fprintf(stderr, "head: error reading '%s': %s\n", name, strerror(e));
			status = 1;
		}
	}
	return status;
}
