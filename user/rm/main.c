/*
 * rm - remove files, and with -r directories and everything under them.
 * -f: no complaint about a missing PATH, no error without operands. A
 * directory's names are read into a list before any is removed (removing
 * shifts getdents' entry offsets). "rm: cannot remove 'P': reason" for each
 * failure; exit 1 if any. Refuses "/", "." and "..". Single-threaded; each
 * name list is owned by the recursion level that read it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fdio.h"
#include "usage.h"

static const char usage[] = "usage: rm [-r] [-f] PATH...\n"
			    "Remove each PATH.\n"
			    "  -r, -R  remove directories and their contents recursively\n"
			    "  -f      ignore missing PATHs, never complain about none given\n";

static int recursive, force;

static int fail(const char *path, int err)
{
	fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(err));
	return 1;
}

static int remove_path(const char *path);

static int remove_tree(const char *path)
{
	struct dirent **names;
	int n = scandir(path, &names, NULL, NULL);
	if (n < 0)
		return fail(path, errno);
	int status = 0;
	for (int i = 0; i < n; i++) {
		char *child = path_join(path, names[i]->d_name);
		if (!child) {
			status = fail(path, ENOMEM);
		} else {
			status |= remove_path(child);
			free(child);
		}
		free(names[i]);
	}
	free(names);
	if (rmdir(path) < 0)
		return fail(path, errno);
	return status;
}

static int remove_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		if (force && errno == ENOENT)
			return 0;
		return fail(path, errno);
	}
	if (S_ISDIR(st.st_mode)) {
		if (!recursive)
			return fail(path, EISDIR);
		return remove_tree(path);
	}
	if (unlink(path) < 0)
		return fail(path, errno);
	return 0;
}

/* "/", or a last component "." or "..": refused as coreutils does. */
static int refused(const char *path)
{
	const char *end = path + strlen(path);
	while (end > path + 1 && end[-1] == '/')
		end--;
	const char *base = end;
	while (base > path && base[-1] != '/')
		base--;
	size_t n = (size_t)(end - base);
	if ((n == 1 && base[0] == '.') || (n == 2 && base[0] == '.' && base[1] == '.')) {
		fprintf(stderr, "rm: refusing to remove '.' or '..' directory: skipping '%s'\n",
			path);
		return 1;
	}
	if (end == path + 1 && path[0] == '/') {
		fprintf(stderr, "rm: refusing to remove '/'\n");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	int c;
	opterr = 0;
	while ((c = getopt(argc, argv, "rRf")) != -1) {
		if (c == 'r' || c == 'R')
			recursive = 1;
		else if (c == 'f')
			force = 1;
		else
			usage_fail(argv[0], usage, "unknown option -- %c", optopt);
	}
	if (optind >= argc) {
		if (force)
			return 0;
		usage_fail(argv[0], usage, "missing operand");
	}
	int status = 0;
	for (int i = optind; i < argc; i++)
		status |= refused(argv[i]) ? 1 : remove_path(argv[i]);
	return status;
}
