/*
 * sys_file.c - the file system calls: write, read, pread, pwrite, open,
 * close, dup, dup2, lseek, fstat, fsync, ftruncate, fcntl, getdents
 * (docs/syscalls.md).
 *
 * The calls own nothing: each looks its file up in the caller's fd table
 * (fdtable.c, which has its own lock) through on_fd, which holds the
 * reference fdt_get took for the whole operation and drops it with
 * file_put, so a close on another thread cannot free a file under an
 * operation. User buffers are checked (user_range_ok) and reached through
 * uaccess.c; a bad one is -E_FAULT. open resolves a relative path against
 * the caller's working directory first (proc_abs_path, proc/sys_cwd.c).
 */
#include <string.h>
#include "base/err.h"
#include "base/syscall_nr.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "scheme/fdtable.h"
#include "scheme/file.h"
#include "syscall/syscall.h"

#define PATH_LEN RB_PATH_MAX /* longest path a call takes, NUL included (as spawn) */

struct fdtable *fdt_self(void)
{
	return &proc_current()->fdt;
}

long on_fd(uint64_t fd, file_call call, uint64_t a, uint64_t b)
{
	struct file *file = fdt_get(fdt_self(), fdt_arg(fd));
	if (!file)
		return -E_BADF;
	long r = call(file, a, b);
	file_put(file);
	return r;
}

static long do_write(struct file *file, uint64_t buf, uint64_t len)
{
	return user_range_ok(buf, len) ? file_write(file, buf, len) : -E_FAULT;
}

long sys_write(uint64_t fd, uint64_t buf, uint64_t len, uint64_t d, uint64_t e, uint64_t f)
{
	return on_fd(fd, do_write, buf, len);
}

static long do_read(struct file *file, uint64_t buf, uint64_t len)
{
	return user_range_ok(buf, len) ? file_read(file, buf, len) : -E_FAULT;
}

long sys_read(uint64_t fd, uint64_t buf, uint64_t len, uint64_t d, uint64_t e, uint64_t f)
{
	return on_fd(fd, do_read, buf, len);
}

/* pread / pwrite: as on_fd, with the offset as a third argument. */
static long positioned(uint64_t fd, bool write, uint64_t buf, uint64_t len, uint64_t off)
{
	struct file *file = fdt_get(fdt_self(), fdt_arg(fd));
	if (!file)
		return -E_BADF;
	long r = !user_range_ok(buf, len) ? -E_FAULT
		 : write		  ? file_pwrite(file, buf, len, off)
					  : file_pread(file, buf, len, off);
	file_put(file);
	return r;
}

long sys_pread(uint64_t fd, uint64_t buf, uint64_t len, uint64_t off, uint64_t e, uint64_t f)
{
	return positioned(fd, false, buf, len, off);
}

long sys_pwrite(uint64_t fd, uint64_t buf, uint64_t len, uint64_t off, uint64_t e, uint64_t f)
{
	return positioned(fd, true, buf, len, off);
}

long sys_open(uint64_t upath, uint64_t flags, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	char path[PATH_LEN];
	int err = copy_string_from_user(path, sizeof path, upath);
	if (err == 0)
		err = proc_abs_path(path); /* a relative path: from the caller's cwd */
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
	return fdt_close(fdt_self(), fdt_arg(fd));
}

long sys_dup(uint64_t fd, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return fdt_dup(fdt_self(), fdt_arg(fd), 0);
}

long sys_dup2(uint64_t fd, uint64_t nfd, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return fdt_dup2(fdt_self(), fdt_arg(fd), fdt_arg(nfd));
}

static long do_lseek(struct file *file, uint64_t off, uint64_t whence)
{
	/* -1, not (int)whence, for a value no lseek knows: its high bits would be dropped */
	return file_seek(file, (int64_t)off, whence <= RB_SEEK_END ? (int)whence : -1);
}

long sys_lseek(uint64_t fd, uint64_t off, uint64_t whence, uint64_t d, uint64_t e, uint64_t f)
{
	return on_fd(fd, do_lseek, off, whence);
}

static long do_fstat(struct file *file, uint64_t ust, uint64_t unused)
{
	struct rb_stat st;
	int r = file_fstat(file, &st);
	return r < 0 ? r : copy_to_user(ust, &st, sizeof st);
}

long sys_fstat(uint64_t fd, uint64_t ust, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return on_fd(fd, do_fstat, ust, 0);
}

static long do_fsync(struct file *file, uint64_t unused_a, uint64_t unused_b)
{
	return file_fsync(file);
}

long sys_fsync(uint64_t fd, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return on_fd(fd, do_fsync, 0, 0);
}

static long do_ftruncate(struct file *file, uint64_t len, uint64_t unused)
{
	return file_ftruncate(file, len);
}

long sys_ftruncate(uint64_t fd, uint64_t len, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return on_fd(fd, do_ftruncate, len, 0);
}

static long do_fcntl(struct file *file, uint64_t cmd, uint64_t arg)
{
	return cmd <= INT32_MAX ? file_fcntl(file, (int)cmd, (long)arg) : -E_INVAL;
}

long sys_fcntl(uint64_t fd, uint64_t cmd, uint64_t arg, uint64_t d, uint64_t e, uint64_t f)
{
	if (cmd == 0) /* F_DUPFD: the table's business, not the scheme's */
		return fdt_dup(fdt_self(), fdt_arg(fd), fdt_arg(arg));
	return on_fd(fd, do_fcntl, cmd, arg);
}

static long do_getdents(struct file *file, uint64_t buf, uint64_t len)
{
	return user_range_ok(buf, len) ? file_getdents(file, buf, len) : -E_FAULT;
}

long sys_getdents(uint64_t fd, uint64_t buf, uint64_t len, uint64_t d, uint64_t e, uint64_t f)
{
	return on_fd(fd, do_getdents, buf, len);
}
