/*
 * glob_walk.c - the file-system half of pathname expansion: split a glob
 * pattern at '/', and for each component with a * ? or [ list the
 * directory and keep the names lib/sh's sh_glob_match accepts; literal
 * components are only joined on (the final path need not exist only when
 * the pattern has no magic at all, which the caller handles). Matches are
 * sorted with strcmp.
 *
 * Ownership: the results are malloc'd strings in a malloc'd array that the
 * caller frees. One thread; no locks.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "shell.h"

#define GLOB_MAX 4096 /* matches kept for one pattern */

static int add(char ***out, int *n, int *cap, const char *s)
{
	if (*n >= GLOB_MAX)
		return -1;
	if (*n == *cap) {
		int c = *cap ? *cap * 2 : 16;
		char **v = realloc(*out, (size_t)c * sizeof *v);
		if (!v)
			return -1;
		*out = v;
		*cap = c;
	}
	char *d = strdup(s);
	if (!d)
		return -1;
	(*out)[(*n)++] = d;
	return 0;
}

/* Remove the backslash escapes of a literal pattern component. */
static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r == '\\' && r[1])
			r++;
		*w++ = *r;
	}
	*w = 0;
}

/* base: the path so far ("" or ending in '/'); rest: the pattern left. */
static void walk(const char *base, const char *rest, char ***out, int *n, int *cap)
{
	const char *slash = strchr(rest, '/');
	size_t clen = slash ? (size_t)(slash - rest) : strlen(rest);
	char comp[256];
	if (clen >= sizeof comp)
		return;
	memcpy(comp, rest, clen);
	comp[clen] = 0;
	size_t blen = strlen(base);
	char path[1024];
	if (!sh_glob_has_magic(comp)) {
		unescape(comp);
		if (blen + strlen(comp) + 2 > sizeof path)
			return;
		strcpy(path, base);
		strcat(path, comp);
		if (!slash) {
			struct stat st;
			if (stat(path, &st) == 0)
				add(out, n, cap, path);
			return;
		}
		strcat(path, "/");
		walk(path, slash + 1, out, n, cap);
		return;
	}
	DIR *d = opendir(blen ? base : ".");
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (!sh_glob_match(comp, e->d_name))
			continue;
		if (blen + strlen(e->d_name) + 2 > sizeof path)
			continue;
		strcpy(path, base);
		strcat(path, e->d_name);
		if (!slash) {
			add(out, n, cap, path);
		} else {
			struct stat st;
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
				strcat(path, "/");
				walk(path, slash + 1, out, n, cap);
			}
		}
	}
	closedir(d);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int glob_expand(const char *pattern, char ***out, int *n, int *cap)
{
	int start = *n;
	if (pattern[0] == '/')
		walk("/", pattern + 1, out, n, cap);
	else
		walk("", pattern, out, n, cap);
	qsort(*out + start, (size_t)(*n - start), sizeof **out, cmp);
	return *n - start;
}
