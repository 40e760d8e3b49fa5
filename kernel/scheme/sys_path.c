/*
 * sys_path.c - the generic path calls: fpath, unlink, rename
 * (docs/syscalls.md). They sit beside sys_file.c's calls and work the
 * same way, for any scheme, through its fpath, unlink and rename ops.
 *
 * The calls own nothing. fpath holds the reference on_fd (sys_file.c) took
 * on its file for the whole call; unlink and rename resolve their paths with
 * file_resolve (a plain path is file:'s), which takes a reference on the
 * scheme that is dropped when the op returns, so a scheme unregistered
 * meanwhile stays alive under the call. No lock is held across an op,
 * which may sleep (a user scheme waits for its server). Paths and
 * buffers are copied through uaccess.c; a bad pointer is -E_FAULT. A
 * relative path is first resolved against the caller's working directory
 * (proc_abs_path, proc/sys_cwd.c).
 */
#include <string.h>
#include "base/err.h"
#include "base/syscall_nr.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "scheme/fdtable.h"
#include "scheme/file.h"
#include "scheme/scheme.h"
#include "syscall/syscall.h"

#define PATH_LEN RB_PATH_MAX /* longest path a call takes, NUL included (as open and spawn) */

/* "name:" and then the scheme's fpath of file into the user buffer ubuf[0..len). */
static long fpath_to_user(struct file *file, uint64_t ubuf, uint64_t len)
{
	char buf[SCHEME_NAME_MAX + 1 + PATH_LEN];
	size_t nl = strnlen(file->scheme->name, sizeof file->scheme->name);
	memcpy(buf, file->scheme->name, nl);
	buf[nl] = ':';
	size_t cap = sizeof buf - nl - 1;
	long r = file_fpath(file, buf + nl + 1, cap);
	if (r < 0)
		return r;
	if ((size_t)r > cap)
		return -E_IO; /* a scheme that wrote past what it was given is broken */
	size_t total = nl + 1 + (size_t)r;
	if (total > len)
		return -E_RANGE;
	int err = copy_to_user(ubuf, buf, total);
	return err < 0 ? err : (long)total;
}

long sys_fpath(uint64_t fd, uint64_t ubuf, uint64_t len, uint64_t d, uint64_t e, uint64_t f)
{
	return user_range_ok(ubuf, len) ? on_fd(fd, fpath_to_user, ubuf, len) : -E_FAULT;
}

long sys_unlink(uint64_t upath, uint64_t flags, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (flags & ~(uint64_t)RB_AT_REMOVEDIR)
		return -E_INVAL; /* checked at 64 bits: no high bit is dropped */
	char path[PATH_LEN];
	int err = copy_string_from_user(path, sizeof path, upath);
	if (err == 0)
		err = proc_abs_path(path);
	if (err < 0)
		return err;
	struct scheme *s;
	const char *rest;
	err = file_resolve(path, &s, &rest);
	if (err < 0)
		return err;
	err = s->ops->unlink ? s->ops->unlink(s, rest, (int)flags) : -E_ROFS;
	scheme_put(s);
	return err;
}

/* rename inside one scheme; from and to resolved to different ones: EXDEV. */
static int rename_in(const char *from, const char *to)
{
	struct scheme *s, *t;
	const char *from_rest, *to_rest;
	int err = file_resolve(from, &s, &from_rest);
	if (err < 0)
		return err;
	err = file_resolve(to, &t, &to_rest);
	if (err < 0) {
		scheme_put(s);
		return err;
	}
	if (s != t)
		err = -E_XDEV;
	else
		err = s->ops->rename ? s->ops->rename(s, from_rest, to_rest) : -E_ROFS;
	scheme_put(t);
	scheme_put(s);
	return err;
}

long sys_rename(uint64_t ufrom, uint64_t uto, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	char from[PATH_LEN], to[PATH_LEN];
	int err = copy_string_from_user(from, sizeof from, ufrom);
	if (err < 0)
		return err;
	err = copy_string_from_user(to, sizeof to, uto);
	if (err == 0)
		err = proc_abs_path(from);
	if (err == 0)
		err = proc_abs_path(to);
	if (err < 0)
		return err;
	return rename_in(from, to);
}
