/*
 * wc - count lines, words and bytes (docs/utilities.md).
 *
 * wc [-lwc] [FILE...]: for each FILE (or standard input; "-" is standard
 * input) print the selected counts - lines (newline bytes), words
 * (maximal runs of bytes that are not white space) and bytes, always in
 * that order; all three when no option is given - then the name, and a
 * "total" line when there are several files. Counts are right-aligned
 * in one width, as coreutils does it: a single count of a single input
 * has no padding; otherwise the width is the number of digits of the
 * sum of the regular files' sizes, at least 7 when an input is not a
 * regular file (a pipe, a device); missing files do not count. Exit status: 0, 1 when a
 * file could not be read, 2 a bad option. State: main's locals.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "usage.h"

static const char usage[] = "usage: wc [-lwc] [FILE...]\n"
			    "Print the newline, word and byte counts of each FILE (or standard\n"
			    "input; \"-\" is standard input), and a total line for several files.\n"
			    "  -l  count lines (newline bytes)\n"
			    "  -w  count words (runs of non-space bytes)\n"
			    "  -c  count bytes\n"
			    "With no option all three are printed, in that order.\n"
			    "Exit status: 0, 1 a file could not be read, 2 a bad option.";

struct counts {
	unsigned long long lines, words, bytes;
};

static bool is_space(unsigned char ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

/* Count fd into *c: 0, or the errno of a failed read. */
static int count_fd(int fd, struct counts *c)
{
	static char buf[8192];
	bool in_word = false;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0)
			return errno;
		if (n == 0)
			return 0;
		c->bytes += (unsigned long long)n;
		for (ssize_t i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)buf[i];
			c->lines += ch == '\n';
			if (is_space(ch)) {
				in_word = false;
			} else if (!in_word) {
				in_word = true;
				c->words++;
			}
		}
	}
}

static int digits(unsigned long long v)
{
	int n = 1;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static bool show_l, show_w, show_c;

static void print(const struct counts *c, int width, const char *name)
{
	const char *sep = "";
	if (show_l) {
		printf("%*llu", width, c->lines);
		sep = " ";
	}
	if (show_w) {
		printf("%s%*llu", sep, width, c->words);
		sep = " ";
	}
	if (show_c)
		printf("%s%*llu", sep, width, c->bytes);
	if (name)
		printf(" %s", name);
	putchar('\n');
}

/* The common width (coreutils' rule, see the top of the file). */
static int width_for(char **names, int n)
{
	if (show_l + show_w + show_c == 1 && n <= 1)
		return 1;
	unsigned long long total = 0;
	int min = 1;
	struct stat st;
	if (n == 0) { /* standard input alone: its size when it is a regular file */
		if (fstat(0, &st) == 0 && S_ISREG(st.st_mode))
			total = (unsigned long long)st.st_size;
		else
			min = 7;
	}
	for (int k = 0; k < n; k++) {
		int r = strcmp(names[k], "-") ? stat(names[k], &st) : fstat(0, &st);
		if (r == 0 && S_ISREG(st.st_mode))
			total += (unsigned long long)st.st_size;
		else if (r == 0 || errno != ENOENT)
			min = 7; /* a device or a directory; a missing file is only reported */
	}
	int w = digits(total);
	return w > min ? w : min;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	int opt;
	while ((opt = getopt(argc, argv, ":lwc")) != -1) {
		if (opt == 'l')
			show_l = true;
		else if (opt == 'w')
			show_w = true;
		else if (opt == 'c')
			show_c = true;
		else
			usage_fail(argv[0], usage, "unknown option -%c", optopt);
	}
	if (!show_l && !show_w && !show_c)
		show_l = show_w = show_c = true;
	char **names = argv + optind;
	int n = argc - optind, status = 0;
	int width = width_for(names, n);
	struct counts total = {0};
	if (n == 0) {
		struct counts c = {0};
		int e = count_fd(0, &c);
		if (e) {
			fprintf(stderr, "wc: standard input: %s\n", strerror(e));
			return 1;
		}
		print(&c, width, NULL);
		return 0;
	}
	for (int k = 0; k < n; k++) {
		struct counts c = {0};
		bool in = !strcmp(names[k], "-");
		struct stat st;
		int fd = in ? 0 : open(names[k], O_RDONLY), e = 0;
		if (!in && stat(names[k], &st) == 0 && S_ISDIR(st.st_mode))
			e = EISDIR;
		else if (fd < 0)
			e = errno;
		else
			e = count_fd(fd, &c);
		if (fd > 0)
			close(fd);
		if (e) {
			fprintf(stderr, "wc: %s: %s\n", names[k], strerror(e));
			status = 1;
			continue;
		}
		print(&c, width, names[k]);
		total.lines += c.lines;
		total.words += c.words;
		total.bytes += c.bytes;
	}
	if (n > 1)
		print(&total, width, "total");
	return status;
}
