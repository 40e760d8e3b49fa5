/*
 * grep - print the lines that match a pattern (docs/utilities.md).
 *
 * grep [-EFivwxcnlLqsohH] [-e PATTERN]... [PATTERN] [FILE...]: patterns
 * are POSIX basic regular expressions (lib/regex), extended with -E,
 * fixed strings with -F; a pattern holding newlines is one pattern per
 * line, and a line is selected when any of them matches. No FILE, or
 * "-", reads standard input. Exit status: 0 some line was selected, 1
 * none, 2 an error (bad pattern or option, unreadable file, a line over
 * LINE_MAX_BYTES), as GNU grep: with -q a selected line wins over an
 * error. Lines are read with a buffer that grows up to LINE_MAX_BYTES.
 * All state is the single-threaded globals below, owned by main.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/err.h"
#include "regex/regex.h"
#include "usage.h"

#define LINE_MAX_BYTES (4u << 20) /* the longest line grep takes: 4 MiB */
#define PROG_MAX_BYTES (4u << 20) /* the largest compiled pattern */

static const char usage[] =
    "usage: grep [-EFivwxcnlLqsohH] [-e PATTERN]... [PATTERN] [FILE...]\n"
    "Print the lines of each FILE (or standard input; \"-\" is standard input)\n"
    "that match a POSIX basic regular expression.\n"
    "  -E  extended regular expressions (+ ? | ( ) {m,n})\n"
    "  -F  fixed strings: every byte of the pattern is literal\n"
    "  -e PATTERN  a pattern (may be repeated; then PATTERN is a FILE)\n"
    "  -i  ignore case (ASCII)      -v  select the lines that do NOT match\n"
    "  -w  a match must be a whole word (no letter, digit or _ touching it)\n"
    "  -x  the whole line must match\n"
    "  -c  print only a count of selected lines per file\n"
    "  -l  print only the names of files with a selected line\n"
    "  -L  print only the names of files without one\n"
    "  -n  prefix each line with its line number\n"
    "  -o  print only the matched parts, one per line\n"
    "  -q  quiet: print nothing, exit 0 at the first selected line\n"
    "  -s  no messages about missing or unreadable files\n"
    "  -h  never prefix lines with the file name   -H  always do\n"
    "A newline in a pattern separates patterns. Back-references are not\n"
    "supported; \\< \\> \\b \\B \\w \\W \\s \\S are (GNU).\n"
    "Lines longer than 4 MiB are an error.\n"
    "Exit status: 0 a line was selected, 1 none, 2 an error.";

static struct {
	bool invert, count, list, list_none, number, quiet, silent, whole, only;
	int names; /* -1 never (-h), 1 always (-H), 0 when several files */
	unsigned flags;
	struct regex **progs;
	size_t nprogs;
	char *line;
	size_t cap;
	bool error;
} g;

static void add_pattern(const char *argv0, const char *pat, size_t len)
{
	struct regex_error err;
	int rc = -E_NOSPC;
	struct regex *re = NULL;
	for (size_t size = REGEX_SIZE_DEFAULT; rc == -E_NOSPC && size <= PROG_MAX_BYTES;
	     size *= 2) {
		free(re);
		re = malloc(size);
		if (!re) {
			fprintf(stderr, "grep: out of memory\n");
			exit(2);
		}
		rc = regex_compile(re, size, pat, len, g.flags, &err);
	}
	if (rc) {
		fprintf(stderr, "grep: bad pattern '%.*s': %s (at byte %zu)\n", (int)len, pat,
			err.msg, err.pos);
		exit(2);
	}
	struct regex **p = realloc(g.progs, (g.nprogs + 1) * sizeof *p);
	if (!p) {
		fprintf(stderr, "grep: out of memory\n");
		exit(2);
	}
	g.progs = p;
	g.progs[g.nprogs++] = re;
}

/* One -e argument or PATTERN operand: one pattern per line of it. */
static void add_patterns(const char *argv0, const char *arg)
{
	for (;;) {
		const char *nl = strchr(arg, '\n');
		size_t n = nl ? (size_t)(nl - arg) : strlen(arg);
		add_pattern(argv0, arg, n);
		if (!nl)
			return;
		arg = nl + 1;
	}
}

/* The leftmost-longest match of any pattern at or after from. */
static bool search(const char *s, size_t len, size_t from, size_t *so, size_t *eo)
{
	bool found = false;
	for (size_t k = 0; k < g.nprogs; k++) {
		size_t a, b;
		if (regex_search(g.progs[k], s, len, from, &a, &b) &&
		    (!found || a < *so || (a == *so && b > *eo))) {
			found = true;
			*so = a;
			*eo = b;
		}
	}
	return found;
}

static bool matches(const char *s, size_t len)
{
	if (g.whole) {
		size_t so, eo;
		return search(s, len, 0, &so, &eo) && so == 0 && eo == len;
	}
	for (size_t k = 0; k < g.nprogs; k++)
		if (regex_match(g.progs[k], s, len))
			return true;
	return false;
}

static void prefix(const char *name, unsigned long no)
{
	if (g.names > 0)
		printf("%s:", name);
	if (g.number)
		printf("%lu:", no);
}

/* Print the matched parts of a selected line (-o). */
static void print_only(const char *name, unsigned long no, const char *s, size_t len)
{
	size_t from = 0, so, eo;
	while (from <= len && search(s, len, from, &so, &eo)) {
		if (eo > so) {
			prefix(name, no);
			fwrite(s + so, 1, eo - so, stdout);
			putchar('\n');
			from = eo;
		} else {
			from = so + 1;
		}
	}
}

/* Handle one line; false when the rest of the file need not be read. */
static bool line(const char *name, unsigned long no, const char *s, size_t len,
		 unsigned long *selected)
{
	if (matches(s, len) == g.invert)
		return true;
	++*selected;
	if (g.quiet) {
		fflush(stdout);
		exit(0);
	}
	if (g.list || g.list_none)
		return false;
	if (g.count)
		return true;
	if (g.only) {
		if (!g.invert)
			print_only(name, no, s, len);
		return true;
	}
	prefix(name, no);
	fwrite(s, 1, len, stdout);
	putchar('\n');
	return true;
}

static void file_error(const char *argv0, const char *name, const char *why)
{
	g.error = true;
	if (!g.silent)
		fprintf(stderr, "grep: %s: %s\n", name, why);
}

/* Read fd line by line (g.line grows as lines need, up to LINE_MAX_BYTES): a line selected? */
static bool grep_fd(const char *argv0, int fd, const char *name)
{
	size_t have = 0, start = 0, look = 0; /* look: no '\n' in [start, look) */
	unsigned long no = 0, selected = 0;
	bool more = true, eof = false;
	while (more) {
		char *nl = memchr(g.line + look, '\n', have - look);
		if (!nl && !eof) {
			look = have;
			if (start > 0) { /* keep the partial line at the front */
				memmove(g.line, g.line + start, have - start);
				have -= start;
				look -= start;
				start = 0;
			}
			if (have == g.cap) {
				if (g.cap >= LINE_MAX_BYTES) {
					file_error(argv0, name, "line too long (over 4 MiB)");
					break;
				}
				size_t cap = g.cap * 2;
				char *p = realloc(g.line, cap);
				if (!p) {
					file_error(argv0, name, "out of memory");
					break;
				}
				g.line = p;
				g.cap = cap;
			}
			ssize_t n = read(fd, g.line + have, g.cap - have);
			if (n < 0) {
				file_error(argv0, name, strerror(errno));
				break;
			}
			if (n == 0)
				eof = true;
			have += (size_t)n;
			continue;
		}
		if (!nl && start == have)
			break; /* end of file after a complete line */
		size_t end = nl ? (size_t)(nl - g.line) : have;
		more = line(name, ++no, g.line + start, end - start, &selected);
		start = look = nl ? end + 1 : have;
	}
	if (g.count) {
		if (g.names > 0)
			printf("%s:", name);
		printf("%lu\n", selected);
	}
	if ((g.list && selected) || (g.list_none && !selected))
		printf("%s\n", name);
	return selected > 0;
}

/* One FILE operand: true when a line was selected. */
static bool grep_path(const char *argv0, const char *path)
{
	if (!strcmp(path, "-"))
		return grep_fd(argv0, 0, "(standard input)");
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		file_error(argv0, path, "Is a directory");
		return false;
	}
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		file_error(argv0, path, strerror(errno));
		return false;
	}
	bool hit = grep_fd(argv0, fd, path);
	close(fd);
	return hit;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	const char **pats = NULL;
	size_t npats = 0;
	bool fixed = false, ext = false;
	int opt;
	while ((opt = getopt(argc, argv, ":EFivwxcnlLqsohHe:")) != -1) {
		switch (opt) {
		case 'E':
			ext = true;
			break;
		case 'F':
			fixed = true;
			break;
		case 'i':
			g.flags |= REGEX_ICASE;
			break;
		case 'v':
			g.invert = true;
			break;
		case 'c':
			g.count = true;
			break;
		case 'n':
			g.number = true;
			break;
		case 'l':
			g.list = true;
			break;
		case 'L':
			g.list_none = true;
			break;
		case 'q':
			g.quiet = true;
			break;
		case 's':
			g.silent = true;
			break;
		case 'w':
			g.flags |= REGEX_WORD;
			break;
		case 'x':
			g.whole = true;
			break;
		case 'o':
			g.only = true;
			break;
		case 'h':
			g.names = -1;
			break;
		case 'H':
			g.names = 1;
			break;
		case 'e': {
			const char **p = realloc(pats, (npats + 1) * sizeof *p);
			if (!p)
				usage_fail(argv[0], usage, "out of memory");
			pats = p;
			pats[npats++] = optarg;
			break;
		}
		case ':':
			usage_fail(argv[0], usage, "option -%c needs an argument", optopt);
		default:
			usage_fail(argv[0], usage, "unknown option -%c", optopt);
		}
	}
	if (fixed && ext)
		usage_fail(argv[0], usage, "-E and -F cannot be used together");
	g.flags |= fixed ? REGEX_LITERAL : ext ? REGEX_EXTENDED : 0;
	if (npats == 0) {
		if (optind >= argc)
			usage_fail(argv[0], usage, "no pattern given");
		add_patterns(argv[0], argv[optind++]);
	}
	for (size_t k = 0; k < npats; k++)
		add_patterns(argv[0], pats[k]);
	g.cap = 4096;
	g.line = malloc(g.cap);
	if (!g.line) {
		fprintf(stderr, "grep: out of memory\n");
		return 2;
	}
	int nfiles = argc - optind;
	if (g.names == 0)
		g.names = nfiles > 1 ? 1 : -1;
	bool hit = false;
	if (nfiles == 0)
		hit = grep_fd(argv[0], 0, "(standard input)");
	for (int k = optind; k < argc; k++)
		hit |= grep_path(argv[0], argv[k]);
	fflush(stdout);
	if (g.error)
		return 2;
	return hit ? 0 : 1;
}
