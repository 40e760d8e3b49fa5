/*
 * dd - copy blocks: read up to bs bytes at a time from if= (standard
 * input), write each block read to of= (standard output), count= blocks at
 * most, after skipping skip= input blocks and seeking over seek= output
 * blocks. A block read whole is a full record, a shorter one a partial
 * record; at the end (and after an error) stderr gets coreutils' lines
 * "F+P records in", "F+P records out", "B bytes copied" unless
 * status=none. of= is created if missing and truncated to seek*bs (there
 * is no conv=notrunc). The operands are parsed by lib/futil (dd.c).
 * Single-threaded; owns its one block buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/err.h"
#include "futil/futil.h"
#include "fdio.h"
#include "usage.h"

static const char usage[] =
    "usage: dd [if=FILE] [of=FILE] [bs=N] [count=N] [skip=N] [seek=N] [status=none]\n"
    "Copy FILE (standard input) to FILE (standard output) in blocks of bs bytes (512).\n"
    "  count=N  copy at most N input blocks\n"
    "  skip=N   skip N input blocks first\n"
    "  seek=N   skip N output blocks first (the output is truncated there)\n"
    "  status=none  print no statistics\n"
    "N may end in c (1), w (2), b (512), K (1024), M (1024^2), G (1024^3), kB, MB, GB (1000^n).\n";

struct counts {
	uint64_t full_in, part_in, full_out, part_out, bytes;
};

static void report(const struct dd_args *a, const struct counts *c)
{
	if (a->quiet)
		return;
	fprintf(stderr, "%llu+%llu records in\n%llu+%llu records out\n%llu bytes copied\n",
		(unsigned long long)c->full_in, (unsigned long long)c->part_in,
		(unsigned long long)c->full_out, (unsigned long long)c->part_out,
		(unsigned long long)c->bytes);
}

/* Read up to n bytes (stopping early only at end of input); bytes read, or -1. */
static ssize_t read_block(int fd, char *buf, size_t n)
{
	for (;;) {
		ssize_t r = read(fd, buf, n);
		if (r < 0 && errno == EINTR)
			continue;
		return r;
	}
}

/* Skip a->skip input blocks: lseek when the input can, else read them away. */
static int skip_input(int fd, const struct dd_args *a, char *buf)
{
	if (!a->skip)
		return 0;
	if (a->skip <= (uint64_t)INT64_MAX / a->bs &&
	    lseek(fd, (off_t)(a->skip * a->bs), SEEK_CUR) >= 0)
		return 0;
	for (uint64_t i = 0; i < a->skip; i++) {
		ssize_t r = read_block(fd, buf, a->bs);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
	}
	return 0;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	struct dd_args a;
	dd_args_init(&a);
	for (int i = 1; i < argc; i++) {
		int r = dd_parse_operand(&a, argv[i]);
		if (r == -E_RANGE)
			usage_fail(argv[0], usage, "number too large: '%s'", argv[i]);
		if (r < 0)
			usage_fail(argv[0], usage, "invalid operand '%s'", argv[i]);
	}
	const char *in_name = a.in ? a.in : "standard input";
	const char *out_name = a.out ? a.out : "standard output";
	int in = 0, out = 1;
	if (a.in && (in = open(a.in, O_RDONLY)) < 0) {
		fprintf(stderr, "dd: failed to open '%s': %s\n", a.in, strerror(errno));
		return 1;
	}
	if (a.out) {
		out = open(a.out, O_WRONLY | O_CREAT | (a.seek ? 0 : O_TRUNC), 0666);
		if (out < 0) {
			fprintf(stderr, "dd: failed to open '%s': %s\n", a.out, strerror(errno));
			return 1;
		}
	}
	char *buf = malloc(a.bs);
	if (!buf) {
		fprintf(stderr, "dd: memory exhausted by bs=%llu\n", (unsigned long long)a.bs);
		return 1;
	}
	struct counts c = {0};
	if (skip_input(in, &a, buf) < 0) {
		fprintf(stderr, "dd: '%s': cannot skip: %s\n", in_name, strerror(errno));
		report(&a, &c);
		return 1;
	}
	if (a.seek) {
		if (a.seek > (uint64_t)INT64_MAX / a.bs) {
			fprintf(stderr, "dd: '%s': cannot seek: %s\n", out_name,
				strerror(EOVERFLOW));
			return 1;
		}
		off_t pos = (off_t)(a.seek * a.bs);
		if ((a.out && ftruncate(out, pos) < 0) || lseek(out, pos, SEEK_SET) < 0) {
			fprintf(stderr, "dd: '%s': cannot seek: %s\n", out_name, strerror(errno));
			report(&a, &c);
			return 1;
		}
	}
	int status = 0;
	while (!a.has_count || c.full_in + c.part_in < a.count) {
		ssize_t n = read_block(in, buf, a.bs);
		if (n < 0) {
			fprintf(stderr, "dd: error reading '%s': %s\n", in_name, strerror(errno));
			status = 1;
			break;
		}
		if (n == 0)
			break;
		if ((uint64_t)n == a.bs)
			c.full_in++;
		else
			c.part_in++;
		if (write_all(out, buf, (size_t)n) < 0) {
			fprintf(stderr, "dd: error writing '%s': %s\n", out_name, strerror(errno));
			status = 1;
			break;
		}
		if ((uint64_t)n == a.bs)
			c.full_out++;
		else
			c.part_out++;
		c.bytes += (uint64_t)n;
	}
	if (a.out && close(out) < 0 && !status) {
		fprintf(stderr, "dd: error writing '%s': %s\n", out_name, strerror(errno));
		status = 1;
	}
	report(&a, &c);
	free(buf);
	return status;
}
