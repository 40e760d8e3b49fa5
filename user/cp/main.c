/*
 * cp - copy files, and with -r directory trees. "cp SRC DST" copies to DST
 * (into it, as DST/NAME, when DST is a directory); with several SRCs DST
 * must be a directory. Contents only: the copy gets the file system's
 * default owner and mode (there is no chmod/chown yet). A directory's names
 * are read into a list before copying, so copying into a subdirectory of
 * the source is refused instead of recursing. Errors name the file and
 * the reason; exit 1 if any copy failed. Single-threaded; every path and
 * list is owned by the function that made it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fdio.h"
#include "usage.h"

static const char usage[] = "usage: cp [-r] SRC... DST\n"
			    "Copy SRC to DST, or each SRC into the directory DST.\n"
			    "  -r, -R  copy directories recursively\n";

static int recursive;

static int copy_file(const char *src, const char *dst)
{
	static char buf[16384];
	int in = open(src, O_RDONLY);
	if (in < 0) {
		fprintf(stderr, "cp: cannot open '%s' for reading: %s\n", src, strerror(errno));
		return 1;
	}
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (out < 0) {
		fprintf(stderr, "cp: cannot create regular file '%s': %s\n", dst, strerror(errno));
		close(in);
		return 1;
	}
	int status = 0;
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "cp: error reading '%s': %s\n", src, strerror(errno));
			status = 1;
			break;
		}
		if (n == 0)
			break;
		if (write_all(out, buf, (size_t)n) < 0) {
			fprintf(stderr, "cp: error writing '%s': %s\n", dst, strerror(errno));
			status = 1;
			break;
		}
	}
	close(in);
	if (close(out) < 0 && !status) {
		fprintf(stderr, "cp: error writing '%s': %s\n", dst, strerror(errno));
		status = 1;
	}
	return status;
}

static int copy_path(const char *src, const char *dst);

static int copy_dir(const char *src, const char *dst)
{
	if (mkdir(dst, 0777) < 0) {
		int err = errno;
		struct stat st;
		if (err != EEXIST || stat(dst, &st) < 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "cp: cannot create directory '%s': %s\n", dst,
				strerror(err));
			return 1;
		}
	}
	struct dirent **names;
	int n = scandir(src, &names, NULL, NULL);
	if (n < 0) {
		fprintf(stderr, "cp: cannot open directory '%s': %s\n", src, strerror(errno));
		return 1;
	}
	int status = 0;
	for (int i = 0; i < n; i++) {
		char *s = path_join(src, names[i]->d_name), *t = path_join(dst, names[i]->d_name);
		if (s && t) {
			status |= copy_path(s, t);
		} else {
			fprintf(stderr, "cp: '%s': %s\n", src, strerror(ENOMEM));
			status = 1;
		}
		free(s);
		free(t);
		free(names[i]);
	}
	free(names);
	return status;
}

/* dst lies inside the directory src (by the spelling of the two paths). */
static int inside(const char *src, const char *dst)
{
	size_t n = strlen(src);
	while (n > 1 && src[n - 1] == '/')
		n--;
	return !strncmp(src, dst, n) && (dst[n] == '/' || dst[n] == '\0');
}

static int copy_path(const char *src, const char *dst)
{
	struct stat st;
	if (stat(src, &st) < 0) {
		fprintf(stderr, "cp: cannot stat '%s': %s\n", src, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return copy_file(src, dst);
	if (!recursive) {
		fprintf(stderr, "cp: -r not specified; omitting directory '%s'\n", src);
		return 1;
	}
	if (inside(src, dst)) {
		fprintf(stderr, "cp: cannot copy a directory, '%s', into itself, '%s'\n", src, dst);
		return 1;
	}
	return copy_dir(src, dst);
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	int c;
	opterr = 0;
	while ((c = getopt(argc, argv, "rR")) != -1) {
		if (c == 'r' || c == 'R')
			recursive = 1;
		else
			usage_fail(argv[0], usage, "unknown option -- %c", optopt);
	}
	int nsrc = argc - optind - 1;
	if (nsrc < 1)
		usage_fail(argv[0], usage,
			   argc > optind ? "missing destination after '%s'"
					 : "missing file operand%s",
			   argc > optind ? argv[optind] : "");
	const char *dst = argv[argc - 1];
	struct stat st;
	int dst_dir = stat(dst, &st) == 0 && S_ISDIR(st.st_mode);
	if (nsrc > 1 && !dst_dir) {
		fprintf(stderr, "cp: target '%s' is not a directory\n", dst);
		return 1;
	}
	int status = 0;
	for (int i = optind; i < argc - 1; i++) {
		const char *src = argv[i];
		char *target = NULL;
		if (dst_dir) {
			char *base = path_base(src);
			target = base ? path_join(dst, base) : NULL;
			free(base);
			if (!target) {
				fprintf(stderr, "cp: %s\n", strerror(ENOMEM));
				return 1;
			}
		}
		const char *to = target ? target : dst;
		if (!strcmp(src, to)) {
			fprintf(stderr, "cp: '%s' and '%s' are the same file\n", src, to);
			status = 1;
		} else {
			status |= copy_path(src, to);
		}
		free(target);
	}
	return status;
}
