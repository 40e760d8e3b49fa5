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
