/*
 * sys_uscheme.c - the system calls of user-space schemes and of the
 * scheme-wide file calls: scheme_create, sendfd, recvfd, dup_handle,
 * fpath, unlink, rename (docs/syscalls.md, docs/ipc.md).
 *
 * The calls own nothing: files come from the caller's fd table with a
 * reference (fdt_get) held for the whole call and dropped with file_put;
 * schemes named by a path come from scheme_lookup with a reference
 * dropped with scheme_put. Strings are copied in before anything else;
 * no lock is held here.
 */
#include <string.h>
#include "base/err.h"
#include "base/syscall_nr.h"
#include "mm/mem.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "scheme/fdtable.h"
#include "scheme/file.h"
#include "scheme/policy.h"
#include "scheme/uscheme.h"
#include "syscall/syscall.h"

#define FPATH_MAX 4096 /* bytes SYS_FPATH returns at most */

static struct fdtable *fdt_self(void)
{
	return &proc_current()->fdt;
}

static int fd_arg(uint64_t fd)
{
	return fd < MAX_FDS ? (int)fd : -1;
}

/* Install f (a reference the table takes over) in the caller's table: the fd, or -E_* (f put). */
static long install(struct file *f)
{
	int fd = fdt_install(fdt_self(), f, 0);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_scheme_create(uint64_t uname, uint64_t flags, uint64_t c, uint64_t d, uint64_t e,
		       uint64_t g)
{
	char name[SCHEME_NAME_MAX + 1];
	int err = copy_string_from_user(name, sizeof name, uname);
	if (err < 0)
		return err == -E_NAMETOOLONG ? -E_INVAL : err;
	if (flags & ~(uint64_t)RB_O_NONBLOCK || !scheme_name_valid(name, strlen(name)))
		return -E_INVAL;
	err = scheme_policy_check(name, proc_current());
	if (err < 0)
		return err;
	struct file *f;
	err = uscheme_create(name, (int)flags, &f);
	return err < 0 ? err : install(f);
}

long sys_sendfd(uint64_t fd, uint64_t sendfd, uint64_t flags, uint64_t d, uint64_t e, uint64_t g)
{
	if (flags > INT32_MAX)
		return -E_INVAL;
	struct file *f = fdt_get(fdt_self(), fd_arg(fd));
	if (!f)
		return -E_BADF;
	struct file *sf = fdt_get(fdt_self(), fd_arg(sendfd));
	long r = !sf ? -E_BADF : uscheme_file(f) ? uscheme_sendfd(f, sf, (int)flags) : -E_NOSYS;
	if (sf)
		file_put(sf);
	file_put(f);
	return r;
}

long sys_recvfd(uint64_t fd, uint64_t flags, uint64_t c, uint64_t d, uint64_t e, uint64_t g)
{
	if (flags > INT32_MAX)
		return -E_INVAL;
	struct file *f = fdt_get(fdt_self(), fd_arg(fd));
	if (!f)
		return -E_BADF;
	struct file *got;
	int err = uscheme_file(f) ? uscheme_recvfd(f, (int)flags, &got) : -E_NOSYS;
	file_put(f);
	return err < 0 ? err : install(got);
}

long sys_dup_handle(uint64_t fd, uint64_t uarg, uint64_t c, uint64_t d, uint64_t e, uint64_t g)
{
	char arg[RB_PATH_MAX];
	int err = copy_string_from_user(arg, sizeof arg, uarg);
	if (err < 0)
		return err;
	struct file *f = fdt_get(fdt_self(), fd_arg(fd));
	if (!f)
		return -E_BADF;
	struct file *nf;
	err = file_dup(f, arg, &nf);
	file_put(f);
	return err < 0 ? err : install(nf);
}

/* "name:" then f's path into kbuf (cap bytes): the bytes, or -E_*. */
static long full_path(struct file *f, char *kbuf, size_t cap)
{
	size_t nl = strlen(f->scheme->name);
	if (cap < nl + 1)
		return -E_RANGE;
	memcpy(kbuf, f->scheme->name, nl);
	kbuf[nl] = ':';
	long r = file_fpath(f, kbuf + nl + 1, cap - nl - 1);
	return r < 0 ? r : (long)(nl + 1) + r;
}

long sys_fpath(uint64_t fd, uint64_t ubuf, uint64_t len, uint64_t d, uint64_t e, uint64_t g)
{
	if (!user_range_ok(ubuf, len))
		return -E_FAULT;
	size_t cap = len < FPATH_MAX ? len : FPATH_MAX;
	char *kbuf = kmalloc(cap ? cap : 1);
	if (!kbuf)
		return -E_NOMEM;
	struct file *f = fdt_get(fdt_self(), fd_arg(fd));
	long r = f ? full_path(f, kbuf, cap) : -E_BADF;
	if (f)
		file_put(f);
	if (r > 0 && copy_to_user(ubuf, kbuf, (size_t)r) < 0)
		r = -E_FAULT;
	kfree(kbuf);
	return r;
}

long sys_unlink(uint64_t upath, uint64_t flags, uint64_t c, uint64_t d, uint64_t e, uint64_t g)
{
	char path[RB_PATH_MAX];
	int err = copy_string_from_user(path, sizeof path, upath);
	if (err < 0)
		return err;
	if (flags & ~(uint64_t)RB_AT_REMOVEDIR)
		return -E_INVAL;
	struct scheme *s;
	const char *rest;
	err = scheme_resolve(path, &s, &rest);
	if (err < 0)
		return err;
	err = s->ops->unlink ? s->ops->unlink(s, rest, (int)flags) : -E_ROFS;
	scheme_put(s);
	return err;
}

long sys_rename(uint64_t ufrom, uint64_t uto, uint64_t c, uint64_t d, uint64_t e, uint64_t g)
{
	char from[RB_PATH_MAX], to[RB_PATH_MAX];
	int err = copy_string_from_user(from, sizeof from, ufrom);
	if (err == 0)
		err = copy_string_from_user(to, sizeof to, uto);
	if (err < 0)
		return err;
	struct scheme *s, *s2 = NULL;
	const char *rest_from, *rest_to;
	err = scheme_resolve(from, &s, &rest_from);
	if (err < 0)
		return err;
	err = scheme_resolve(to, &s2, &rest_to);
	if (err == 0 && s2 != s)
		err = -E_XDEV;
	if (err == 0)
		err = s->ops->rename ? s->ops->rename(s, rest_from, rest_to) : -E_ROFS;
	if (s2)
		scheme_put(s2);
	scheme_put(s);
	return err;
}
