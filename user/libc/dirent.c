/*
 * dirent.c - directory streams over SYS_GETDENTS.
 *
 * A DIR holds its fd, a buffer of raw struct rb_dirent records and the
 * struct dirent readdir returns; it belongs to its caller (one thread at
 * a time, as POSIX allows), so there is no lock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libc.h"
#include "rb/sys.h"

#define DIR_BUF 2048

struct libc_dir {
	int fd;
	size_t pos, len; /* records buf[pos..len) not yet returned */
	unsigned long next_ino;
	struct dirent ent;
	unsigned char buf[DIR_BUF] __attribute__((aligned(8)));
};

DIR *fdopendir(int fd)
{
	struct libc_dir *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->fd = fd;
	d->next_ino = 1;
	return d;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

struct dirent *readdir(DIR *d)
{
	if (d->pos >= d->len) {
		long n = rb_getdents(d->fd, d->buf, sizeof d->buf);
		if (n <= 0) {
			if (n < 0)
				errno = (int)-n;
			return NULL;
		}
		d->pos = 0;
		d->len = (size_t)n;
	}
	const struct rb_dirent *r = (const struct rb_dirent *)(d->buf + d->pos);
	if (r->reclen < sizeof *r + 1 || r->reclen > d->len - d->pos) {
		errno = EIO; /* a malformed record from the scheme */
		d->pos = d->len;
		return NULL;
	}
	d->pos += r->reclen;
	size_t max = r->reclen - sizeof *r;
	size_t len = strnlen(r->name, max < sizeof d->ent.d_name ? max : sizeof d->ent.d_name - 1);
	memcpy(d->ent.d_name, r->name, len);
	d->ent.d_name[len] = 0;
	d->ent.d_type = r->type;
	d->ent.d_ino = d->next_ino++;
	return &d->ent;
}

void rewinddir(DIR *d)
{
	lseek(d->fd, 0, SEEK_SET);
	d->pos = d->len = 0;
	d->next_ino = 1;
}

int dirfd(DIR *d)
{
	return d->fd;
}

int closedir(DIR *d)
{
	int r = close(d->fd);
	free(d);
	return r;
}

/* Entries other than "." and "..": what scandir lists before its filter. */
static int real_entry(const struct dirent *e)
{
	return strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
}

int alphasort(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void free_list(struct dirent **v, size_t n)
{
	while (n)
		free(v[--n]);
	free(v);
}

int scandir(const char *path, struct dirent ***out, int (*filter)(const struct dirent *),
	    int (*compar)(const struct dirent **, const struct dirent **))
{
	DIR *d = opendir(path);
	if (!d)
		return -1;
	struct dirent **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	int err = 0;
	errno = 0;
	while ((e = readdir(d))) {
		if (!real_entry(e) || (filter && !filter(e)))
			continue;
		if (n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct dirent **nv = realloc(v, ncap * sizeof *v);
			if (!nv) {
				err = ENOMEM;
				break;
			}
			v = nv;
			cap = ncap;
		}
		if (!(v[n] = malloc(sizeof *e))) {
			err = ENOMEM;
			break;
		}
		*v[n++] = *e;
	}
	if (!e && errno)
		err = errno; /* readdir failed part way: no partial list */
	closedir(d);
	if (!err && n > 0x7fffffffu)
		err = EOVERFLOW;
	if (!err && !v && !(v = malloc(sizeof *v)))
		err = ENOMEM;
	if (err) {
		free_list(v, n);
		errno = err;
		return -1;
	}
	if (compar)
		qsort(v, n, sizeof *v, (int (*)(const void *, const void *))compar);
	*out = v;
	return (int)n;
}
