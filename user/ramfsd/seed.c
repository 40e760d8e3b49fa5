/*
 * seed.c - fill ramfsd's file system from initfs at start-up: open each
 * directory of initfs:, read its records with getdents, make the
 * directory, copy each file, recurse. Runs before the server serves, on
 * one thread, but takes fs_lock around each ramfs call like every user.
 */
#include "ramfsd.h"
#include "rb/malloc.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include <string.h>

static const struct ramfs_cred root_cred = {0, 0};

static int fs_mkdir(const char *path)
{
	struct ramfs_node *n;
	rb_mutex_lock(&fs_lock);
	int r = ramfs_open(&fs, path, RB_O_CREAT | RB_O_DIRECTORY, 0755, &root_cred, &n);
	if (r == 0)
		ramfs_close(&fs, n);
	rb_mutex_unlock(&fs_lock);
	return r;
}

/* Copy fd's data to n from offset 0: the bytes copied or an error. */
static long copy_data(int fd, struct ramfs_node *n, void *buf, size_t bufsz)
{
	uint64_t off = 0;
	for (;;) {
		long got = rb_read(fd, buf, bufsz);
		if (got <= 0)
			return got < 0 ? got : (long)off;
		rb_mutex_lock(&fs_lock);
		long w = ramfs_write(&fs, n, off, buf, (size_t)got);
		rb_mutex_unlock(&fs_lock);
		if (w < 0)
			return w;
		off += (uint64_t)got;
	}
}

/* Copy initfs file path (after "initfs:") to the same path in fs: its size or an error. */
static long copy_file(const char *path, void *buf, size_t bufsz)
{
	char src[RB_PATH_MAX + 8];
	rb_snprintf(src, sizeof src, "initfs:%s", path);
	int fd = rb_open(src, RB_O_RDONLY);
	if (fd < 0)
		return fd;
	unsigned mode = strncmp(path, "/bin/", 5) == 0 ? 0755 : 0644;
	struct ramfs_node *n;
	rb_mutex_lock(&fs_lock);
	long r = ramfs_open(&fs, path, RB_O_CREAT | RB_O_WRONLY | RB_O_TRUNC, mode, &root_cred, &n);
	rb_mutex_unlock(&fs_lock);
	if (r == 0) {
		r = copy_data(fd, n, buf, bufsz);
		rb_mutex_lock(&fs_lock);
		ramfs_close(&fs, n);
		rb_mutex_unlock(&fs_lock);
	}
	rb_close(fd);
	return r;
}

struct seed {
	void *buf; /* copy buffer */
	size_t bufsz;
	uint64_t files, bytes;
};

/* Copy initfs directory dir ("" for the root) and everything under it. */
static int seed_dir(struct seed *s, const char *dir)
{
	char src[RB_PATH_MAX + 8];
	rb_snprintf(src, sizeof src, "initfs:%s", dir[0] ? dir : "/");
	int fd = rb_open(src, RB_O_RDONLY | RB_O_DIRECTORY);
	if (fd < 0)
		return fd;
	int r = 0;
	unsigned char *ents = rb_malloc(4096);
	long n = ents ? 0 : -E_NOMEM;
	while (r == 0 && ents && (n = rb_getdents(fd, ents, 4096)) > 0) {
		for (long off = 0; r == 0 && off < n;) {
			struct rb_dirent *d = (struct rb_dirent *)(ents + off);
			char path[RB_PATH_MAX];
			if (d->reclen == 0) {
				r = -E_IO;
				break;
			}
			off += d->reclen;
			if (!strcmp(d->name, ".") || !strcmp(d->name, ".."))
				continue;
			if (rb_snprintf(path, sizeof path, "%s/%s", dir, d->name) >=
			    (int)sizeof path) {
				rb_printf("ramfsd: %s/%s: name too long, skipped\n", dir, d->name);
				continue;
			}
			if (d->type == RB_DT_DIR) {
				r = fs_mkdir(path);
				if (r == 0)
					r = seed_dir(s, path);
			} else {
				long size = copy_file(path, s->buf, s->bufsz);
				if (size < 0) {
					r = (int)size;
				} else {
					s->files++;
					s->bytes += (uint64_t)size;
				}
			}
		}
	}
	if (n < 0 && r == 0)
		r = (int)n;
	rb_free(ents);
	rb_close(fd);
	return r;
}

int seed_from_initfs(uint64_t *files, uint64_t *bytes)
{
	struct seed s = {.bufsz = 65536};
	s.buf = rb_malloc(s.bufsz);
	if (!s.buf)
		return -E_NOMEM;
	int r = seed_dir(&s, "");
	rb_free(s.buf);
	*files = s.files;
	*bytes = s.bytes;
	return r;
}
