/*
 * sha256sum - print or check SHA-256 digests (lib/crypto/sha256.c) in
 * coreutils' format: "<64 hex>  NAME" per FILE ("-" or no FILE: standard
 * input). -c reads lists of such lines (also "SHA256 (NAME) = <hex>",
 * parsed by lib/futil sumline.c) and prints "NAME: OK" or "NAME: FAILED"
 * for each, then a WARNING count on stderr; exit 1 if any file failed, could
 * not be read, or a line was malformed. Single-threaded; owns its read
 * buffer and the lines getline allocates.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "crypto/sha256.h"
#include "futil/futil.h"
#include "usage.h"

static const char usage[] =
    "usage: sha256sum [-c] [FILE...]\n"
    "Print the SHA-256 digest of each FILE (standard input for - or none).\n"
    "  -c  read digests from the FILEs and check them\n";

/* Hash the file at name ("-": stdin) into d; 0, or -1 with errno. */
static int hash_file(const char *name, uint8_t d[SHA256_DIGEST_LEN])
{
	static char buf[16384];
	int fd = strcmp(name, "-") ? open(name, O_RDONLY) : 0;
	if (fd < 0)
		return -1;
	struct sha256 ctx;
	sha256_init(&ctx);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = errno;
			if (fd)
				close(fd);
			if (n < 0) {
				errno = err;
				return -1;
			}
			break;
		}
		sha256_update(&ctx, buf, (size_t)n);
	}
	sha256_final(&ctx, d);
	return 0;
}

struct tally {
	unsigned bad_lines, unreadable, mismatched, checked;
};

/* Check every line of the list in f (called name). */
static void check_list(FILE *f, const char *name, struct tally *t)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned lines_ok = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			len--;
		uint8_t want[32], got[32];
		const char *fname;
		size_t flen;
		if (sumline_parse(line, (size_t)len, want, &fname, &flen) < 0 ||
		    memchr(fname, '\0', flen)) {
			t->bad_lines++;
			continue;
		}
		lines_ok++;
		char *path = strndup(fname, flen);
		if (!path) {
			fprintf(stderr, "sha256sum: %s\n", strerror(ENOMEM));
			t->unreadable++;
			continue;
		}
		t->checked++;
		if (hash_file(path, got) < 0) {
			fflush(stdout);
			fprintf(stderr, "sha256sum: %s: %s\n", path, strerror(errno));
			printf("%s: FAILED open or read\n", path);
			t->unreadable++;
		} else if (memcmp(want, got, sizeof want)) {
			printf("%s: FAILED\n", path);
			t->mismatched++;
		} else {
			printf("%s: OK\n", path);
		}
		free(path);
	}
	free(line);
	if (!lines_ok) {
		fflush(stdout);
		fprintf(stderr, "sha256sum: %s: no properly formatted checksum lines found\n",
			name);
	}
}

static int check(int nfiles, char **files)
{
	struct tally t = {0};
	char *dash[] = {"-"};
	if (nfiles == 0) {
		files = dash;
		nfiles = 1;
	}
	int status = 0;
	for (int i = 0; i < nfiles; i++) {
		FILE *f = strcmp(files[i], "-") ? fopen(files[i], "r") : stdin;
		if (!f) {
			fprintf(stderr, "sha256sum: %s: %s\n", files[i], strerror(errno));
			status = 1;
			continue;
		}
		unsigned before = t.checked;
		check_list(f, files[i], &t);
		if (t.checked == before)
			status = 1;
		if (f != stdin)
			fclose(f);
	}
	fflush(stdout);
	if (t.bad_lines)
		fprintf(stderr, "sha256sum: WARNING: %u line%s improperly formatted\n", t.bad_lines,
			t.bad_lines == 1 ? " is" : "s are");
	if (t.unreadable)
		fprintf(stderr, "sha256sum: WARNING: %u listed file%s could not be read\n",
			t.unreadable, t.unreadable == 1 ? "" : "s");
	if (t.mismatched)
		fprintf(stderr, "sha256sum: WARNING: %u computed checksum%s did NOT match\n",
			t.mismatched, t.mismatched == 1 ? "" : "s");
	return status || t.bad_lines || t.unreadable || t.mismatched;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	int checking = 0, c;
	opterr = 0;
	while ((c = getopt(argc, argv, "c")) != -1) {
		if (c == 'c')
			checking = 1;
		else
			usage_fail(argv[0], usage, "unknown option -- %c", optopt);
	}
	if (checking)
		return check(argc - optind, argv + optind);
	char *dash[] = {"-"};
	char **files = optind < argc ? argv + optind : dash;
	int n = optind < argc ? argc - optind : 1;
	int status = 0;
	for (int i = 0; i < n; i++) {
		uint8_t d[SHA256_DIGEST_LEN];
		char hex[SHA256_HEX_LEN + 1];
		if (hash_file(files[i], d) < 0) {
			fflush(stdout);
			fprintf(stderr, "sha256sum: %s: %s\n", files[i], strerror(errno));
			status = 1;
			continue;
		}
		sha256_hex(d, hex);
		printf("%s  %s\n", hex, files[i]);
	}
	return status;
}
