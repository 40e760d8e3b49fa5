/*
 * ls - list directory contents, one name per line (no columns, on the
 * console or not), sorted by strcmp. Operands that are files (or anything
 * with -d) come first, then each directory's contents, headed "DIR:" when
 * there is more than one operand. -a shows names starting with '.' and
 * adds "." and ".."; -1 is accepted (one per line is all ls does). -l:
 * mode (lib/futil futil_mode_string), link count, owner (its /etc/passwd
 * name, else the uid), group (the gid), size, the mtime when the file
 * system has one (struct stat has 0 otherwise and the column is left
 * out), name; the columns are aligned per listing. Exit 1 if an operand or
 * a directory could not be read. Single-threaded; each listing's entry
 * array is owned by the function that made it, the passwd table is
 * static.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "auth/passwd.h"
#include "futil/futil.h"
#include "fdio.h"
#include "usage.h"

static const char usage[] = "usage: ls [-l] [-a] [-1] [-d] [PATH...]\n"
			    "List each PATH (default .): a directory's entries, or the file.\n"
			    "  -l  long format: mode, links, owner, group, size, [date,] name\n"
			    "  -a  also names starting with '.', and . and ..\n"
			    "  -1  one name per line (always so)\n"
			    "  -d  list directories themselves, not their contents\n";

static int opt_long, opt_all, opt_dir;

struct entry {
	char *name; /* shown name (malloc'd) */
	struct stat st;
};

#define MAX_USERS 64
static struct passwd_entry users[MAX_USERS];
static size_t nusers;
static int users_loaded;

static void load_users(void)
{
	users_loaded = 1;
	FILE *f = fopen("/etc/passwd", "r");
	if (!f)
		return;
	static char text[16384];
	size_t n = fread(text, 1, sizeof text, f);
	fclose(f);
	nusers = passwd_parse(text, n, users, MAX_USERS, NULL, NULL);
}

static void owner_name(uid_t uid, char *buf, size_t len)
{
	if (!users_loaded)
		load_users();
	const struct passwd_entry *p = passwd_by_uid(users, nusers, (int32_t)uid);
	if (p)
		snprintf(buf, len, "%s", p->name);
	else
		snprintf(buf, len, "%u", (unsigned)uid);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
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

static void print_entries(struct entry *v, size_t n)
{
	qsort(v, n, sizeof *v, by_name);
	if (!opt_long) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", v[i].name);
		return;
	}
	int wl = 1, wo = 1, wg = 1, ws = 1;
	char owner[40];
	for (size_t i = 0; i < n; i++) {
		int w = digits(v[i].st.st_nlink);
		wl = w > wl ? w : wl;
		owner_name(v[i].st.st_uid, owner, sizeof owner);
		w = (int)strlen(owner);
		wo = w > wo ? w : wo;
		w = digits(v[i].st.st_gid);
		wg = w > wg ? w : wg;
		w = digits((unsigned long long)v[i].st.st_size);
		ws = w > ws ? w : ws;
	}
	for (size_t i = 0; i < n; i++) {
		const struct stat *st = &v[i].st;
		char mode[FUTIL_MODE_STR_LEN + 1], date[32] = "";
		futil_mode_string(st->st_mode, mode);
		owner_name(st->st_uid, owner, sizeof owner);
		if (st->st_mtime) {
			time_t t = st->st_mtime;
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(date, sizeof date, " %b %e %H:%M", &tm);
		}
		printf("%s %*lu %-*s %-*u %*llu%s %s\n", mode, wl, (unsigned long)st->st_nlink, wo,
		       owner, wg, (unsigned)st->st_gid, ws, (unsigned long long)st->st_size, date,
		       v[i].name);
	}
}

static void free_entries(struct entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* Append name with its stat to *v; 0, or -1 (out of memory). */
static int push(struct entry **v, size_t *n, size_t *cap, const char *name, const struct stat *st)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		struct entry *nv = realloc(*v, *cap * sizeof **v);
		if (!nv)
			return -1;
		*v = nv;
	}
	if (!((*v)[*n].name = strdup(name)))
		return -1;
	(*v)[*n].st = *st;
	(*n)++;
	return 0;
}

/* scandir's filter without -a: names not starting with a dot. */
static int visible(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static void free_dirents(struct dirent **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* List the contents of directory dir (its own stat: dst); 0 or 1. */
static int list_dir(const char *dir, const struct stat *dst)
{
	struct dirent **names;
	int count = scandir(dir, &names, opt_all ? NULL : visible, NULL);
	if (count < 0) {
		fprintf(stderr, "ls: cannot open directory '%s': %s\n", dir, strerror(errno));
		return 1;
	}
	struct entry *v = NULL;
	size_t n = 0, cap = 0;
	int status = 0;
	if (opt_all) {
		struct stat up;
		char *parent = path_join(dir, "..");
		if (!parent || stat(parent, &up) < 0)
			up = *dst; /* file: has no "..": show the directory's own stat */
		free(parent);
		if (push(&v, &n, &cap, ".", dst) < 0 || push(&v, &n, &cap, "..", &up) < 0)
			goto out_nomem;
	}
	for (int i = 0; i < count; i++) {
		const struct dirent *e = names[i];
		struct stat st;
		memset(&st, 0, sizeof st);
		st.st_mode = e->d_type == DT_DIR ? S_IFDIR | 0755 : S_IFREG | 0644;
		if (opt_long) {
			char *p = path_join(dir, e->d_name);
			if (!p)
				goto out_nomem;
			if (stat(p, &st) < 0) {
				fprintf(stderr, "ls: cannot access '%s': %s\n", p, strerror(errno));
				status = 1;
				free(p);
				continue;
			}
			free(p);
		}
		if (push(&v, &n, &cap, e->d_name, &st) < 0)
			goto out_nomem;
	}
	free_dirents(names, count);
	print_entries(v, n);
	free_entries(v, n);
	return status;
out_nomem:
	free_dirents(names, count);
	free_entries(v, n);
	fprintf(stderr, "ls: %s: %s\n", dir, strerror(ENOMEM));
	return 1;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	int c;
	opterr = 0;
	while ((c = getopt(argc, argv, "la1d")) != -1) {
		if (c == 'l')
			opt_long = 1;
		else if (c == 'a')
			opt_all = 1;
		else if (c == 'd')
			opt_dir = 1;
		else if (c != '1')
			usage_fail(argv[0], usage, "unknown option -- %c", optopt);
	}
	char *dot[] = {"."};
	char **paths = optind < argc ? argv + optind : dot;
	int np = optind < argc ? argc - optind : 1;

	struct entry *files = NULL, *dirs = NULL;
	size_t nf = 0, capf = 0, nd = 0, capd = 0;
	int status = 0;
	for (int i = 0; i < np; i++) {
		struct stat st;
		if (stat(paths[i], &st) < 0) {
			fprintf(stderr, "ls: cannot access '%s': %s\n", paths[i], strerror(errno));
			status = 1;
			continue;
		}
		int r = (S_ISDIR(st.st_mode) && !opt_dir) ? push(&dirs, &nd, &capd, paths[i], &st)
							  : push(&files, &nf, &capf, paths[i], &st);
		if (r < 0) {
			fprintf(stderr, "ls: %s\n", strerror(ENOMEM));
			return 1;
		}
	}
	print_entries(files, nf);
	qsort(dirs, nd, sizeof *dirs, by_name);
	for (size_t i = 0; i < nd; i++) {
		if (np > 1)
			printf("%s%s:\n", (nf || i) ? "\n" : "", dirs[i].name);
		status |= list_dir(dirs[i].name, &dirs[i].st);
	}
	free_entries(files, nf);
	free_entries(dirs, nd);
	return status;
}
