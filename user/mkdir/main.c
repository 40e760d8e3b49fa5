/*
 * mkdir - make directories. With -p, make the missing parents too and
 * accept a directory that already exists. "mkdir: cannot create directory
 * 'D': reason" for each failure; exit 1 if any failed. Single-threaded;
 * owns only the copy of each path it walks for -p.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "usage.h"

static const char usage[] = "usage: mkdir [-p] DIR...\n"
			    "Create each directory DIR.\n"
			    "  -p  make parent directories as needed; no error if DIR exists\n";

static int fail(const char *path)
{
	fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", path, strerror(errno));
	return 1;
}

/* mkdir that accepts an existing directory. */
static int mkdir_exist_ok(const char *path)
{
	if (mkdir(path, 0777) == 0)
		return 0;
	int err = errno;
	struct stat st;
	if (err == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	errno = err;
	return -1;
}

/* mkdir -p: every prefix ending before a '/', then the whole path. */
static int make_parents(const char *path)
{
	char *p = strdup(path);
	if (!p) {
		errno = ENOMEM;
		return fail(path);
	}
	int r = 0;
	for (char *s = p + 1; *s && r == 0; s++) {
		if (*s != '/' || s[-1] == '/' || s[-1] == ':')
			continue;
		*s = '\0';
		if (mkdir_exist_ok(p) < 0)
			r = fail(p);
		*s = '/';
	}
	if (r == 0 && mkdir_exist_ok(p) < 0)
		r = fail(path);
	free(p);
	return r;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	int parents = 0, c;
	opterr = 0;
	while ((c = getopt(argc, argv, "p")) != -1) {
		if (c == 'p')
			parents = 1;
		else
			usage_fail(argv[0], usage, "unknown option -- %c", optopt);
	}
	if (optind >= argc)
		usage_fail(argv[0], usage, "missing operand");
	int status = 0;
	for (int i = optind; i < argc; i++) {
		if (parents)
			status |= make_parents(argv[i]);
		else if (mkdir(argv[i], 0777) < 0)
			status |= fail(argv[i]);
	}
	return status;
}
