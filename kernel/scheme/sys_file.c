/*
 * sys_file.c - the file system calls: write, read, open, close, dup, dup2,
 * lseek, fstat, fsync, ftruncate, fcntl, getdents (docs/syscalls.md).
 *
 * The calls own nothing: each looks its file up in the caller's fd table
 * (fdtable.c, which has its own lock), holds the reference fdt_get took for
 * the whole operation, and drops it with file_put, so a close on another
 * thread cannot free a file under an operation. User buffers are checked
 * (user_range_ok) and reached through uaccess.c; a bad one is -E_FAULT.
 */
#include <string.h>
#include "base/err.h"
#include "base/syscall_nr.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "scheme/fdtable.h"
#include "scheme/file.h"
#include "syscall/syscall.h"

#define PATH_LEN 256 /* longest path a call takes, NUL included (as spawn) */

/* The calling process's fd table. */
static struct fdtable *fdt_self(void)
{
	return &proc_current()->fdt;
}

/* A descriptor argument: out-of-range values (even ones that would wrap as int) give -1. */
static int fd_arg(uint64_t fd)
{
	return fd < MAX_FDS ? (int)fd : -1;
}

long sys_write(uint64_t fd, uint64_t buf, uint64_t len, uint64_t d, uint64_t e, uint64_t f)
{
	struct file *file = fdt_get(fdt_self(), fd_arg(fd));
	if (!file)
		return -E_BADF;
	long r = user_range_ok(buf, len) ? file_write(file, buf, len) : -E_FAULT;
	file_put(file);
	return r;
}

long sys_read(uint64_t fd, uint64_t buf, uint64_t len, uint64_t d, uint64_t e, uint64_t f)
{
	struct file *file = fdt_get(fdt_self(), fd_arg(fd));
	if (!file)
		return -E_BADF;
	long r = user_range_ok(buf, len) ? file_read(file, buf, len) : -E_FAULT;
	file_put(file);
	return r;
}

long sys_open(uint64_t upath, uint64_t flags, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	char path[PATH_LEN];
	int err = copy_string_from_user(path, sizeof path, upath);
	if (err < 0)
		return err;
	if (flags > INT32_MAX)
		return -E_INVAL; /* (int)flags would drop the high bits */
	struct file *file;
	err = file_open(path, (int)flags, &file);
	if (err < 0)
		return err;
	int fd = fdt_install(fdt_self(), file, 0);
	if (fd < 0)
		file_put(file);
	return fd;
}

long sys_close(uint64_t fd, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return fdt_close(fdt_self(), fd_arg(fd));
}

long sys_dup(uint64_t fd, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return fdt_dup(fdt_self(), fd_arg(fd), 0);
}

long sys_dup2(uint64_t fd, uint64_t nfd, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return fdt_dup2(fdt_self(), fd_arg(fd), fd_arg(nfd));
}

long sys_lseek(uint64_t fd, uint64_t off, uint64_t whence, uint64_t d, uint64_t e, uint64_t f)
{
	struct file *file = fdt_get(fdt_self(), fd_arg(fd));
	if (!file)
		return -E_BADF;
	/* -1, not (int)whence, for a value no lseek knows: its high bits would be dropped */
	long r = file_seek(file, (int64_t)off, whence <= RB_SEEK_END ? (int)whence : -1);
	file_put(file);
	return r;
}

long sys_fstat(uint64_t fd, uint64_t ust, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct rb_stat st;
	struct file *file = fdt_get(fdt_self(), fd_arg(fd));
	if (!file)
		return -E_BADF;
	int r = file_fstat(file, &st);
	file_put(file);
	return r < 0 ? r : copy_to_user(ust, &st, sizeof st);
}

long sys_fsync(uint64_t fd, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct file *file = fdt_get(fdt_self(), fd_arg(fd));
	if (!file)
		return -E_BADF;
	int r = file_fsync(file);
	file_put(file);
	return r;
}

long sys_ftruncate(uint64_t fd, uint64_t len, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct file *file = fdt_get(fdt_self(), fd_arg(fd));
	if (!file)
		return -E_BADF;
	int r = file_ftruncate(file, len);
	file_put(file);
	return r;
}

long sys_fcntl(uint64_t fd, uint64_t cmd, uint64_t arg, uint64_t d, uint64_t e, uint64_t f)
{
	if (cmd == 0) /* F_DUPFD: the table's business, not the scheme's */
		return fdt_dup(fdt_self(), fd_arg(fd), arg < MAX_FDS ? (int)arg : -1);
	struct file *file = fdt_get(fdt_self(), fd_arg(fd));
	if (!file)
		return -E_BADF;
	long r = cmd <= INT32_MAX ? file_fcntl(file, (int)cmd, (long)arg) : -E_INVAL;
	file_put(file);
	return r;
}

long sys_getdents(uint64_t fd, uint64_t buf, uint64_t len, uint64_t d, uint64_t e, uint64_t f)
{
	struct file *file = fdt_get(fdt_self(), fd_arg(fd));
	if (!file)
		return -E_BADF;
	long r = user_range_ok(buf, len) ? file_getdents(file, buf, len) : -E_FAULT;
	file_put(file);
	return r;
}
