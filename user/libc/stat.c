/*
 * stat.c - stat, lstat, fstat on the kernel's struct rb_stat (size, type,
 * permission bits and owner). stat opens the path (as a directory if a
 * plain open says EISDIR) and fstats it. A scheme without permissions
 * (no bits in rb_stat's mode) reads as 0755 for directories and 0644
 * otherwise, owned by uid/gid 0. There are no times yet: they are 0,
 * st_ino is 0, st_nlink 1, st_blksize 4096. No state, no locks.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "libc.h"
#include "rb/sys.h"

static void fill_stat(const struct rb_stat *k, struct stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_mode = k->mode & S_IFMT;
	if (k->mode & 07777)
		st->st_mode |= k->mode & 07777;
	else
		st->st_mode |= S_ISDIR(st->st_mode) ? 0755 : 0644;
	st->st_uid = (uid_t)k->uid;
	st->st_gid = (gid_t)k->gid;
	st->st_size = (off_t)k->size;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)((k->size + 511) / 512);
}

int fstat(int fd, struct stat *st)
{
	struct rb_stat k;
	if (libc_ret(rb_fstat(fd, &k)) < 0)
		return -1;
	fill_stat(&k, st);
	return 0;
}

int stat(const char *path, struct stat *st)
{
	int fd = rb_open(path, RB_O_RDONLY);
	if (fd == -E_ISDIR)
		fd = rb_open(path, RB_O_RDONLY | RB_O_DIRECTORY);
	if (fd < 0)
		return (int)libc_ret(fd);
	int r = fstat(fd, st);
	rb_close(fd);
	return r;
}

int lstat(const char *path, struct stat *st)
{
	return stat(path, st); /* no symbolic links */
}

mode_t umask(mode_t mask)
{
	return 022;
}

int chmod(const char *path, mode_t mode)
{
	struct stat st;
	return stat(path, &st); /* no permissions to change: only check the path */
}
