/*
 * sys_uscheme.c - the system calls of user-space schemes: scheme_create,
 * sendfd, recvfd, dup_handle (docs/syscalls.md, docs/ipc.md). The
 * scheme-wide path calls (fpath, unlink, rename) are in sys_path.c.
 *
 * The calls own nothing: files come from the caller's fd table with a
 * reference (fdt_get, through sys_file.c's on_fd) held for the whole call
 * and dropped with file_put;
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
	if (err == -E_EXIST)
		scheme_log_conflict(name, proc_current());
	return err < 0 ? err : install(f);
}

static long do_sendfd(struct file *f, uint64_t sendfd, uint64_t flags)
{
	struct file *sf = fdt_get(fdt_self(), fdt_arg(sendfd));
	if (!sf)
		return -E_BADF;
	long r = uscheme_file(f) ? uscheme_sendfd(f, sf, (int)flags) : -E_NOSYS;
	file_put(sf);
	return r;
}

long sys_sendfd(uint64_t fd, uint64_t sendfd, uint64_t flags, uint64_t d, uint64_t e, uint64_t g)
{
	return flags > INT32_MAX ? -E_INVAL : on_fd(fd, do_sendfd, sendfd, flags);
}

static long do_recvfd(struct file *f, uint64_t flags, uint64_t unused)
{
	struct file *got;
	int err = uscheme_file(f) ? uscheme_recvfd(f, (int)flags, &got) : -E_NOSYS;
	return err < 0 ? err : install(got);
}

long sys_recvfd(uint64_t fd, uint64_t flags, uint64_t c, uint64_t d, uint64_t e, uint64_t g)
{
	return flags > INT32_MAX ? -E_INVAL : on_fd(fd, do_recvfd, flags, 0);
}

long sys_dup_handle(uint64_t fd, uint64_t uarg, uint64_t c, uint64_t d, uint64_t e, uint64_t g)
{
	char arg[RB_PATH_MAX];
	int err = copy_string_from_user(arg, sizeof arg, uarg);
	if (err < 0)
		return err;
	struct file *f = fdt_get(fdt_self(), fdt_arg(fd));
	if (!f)
		return -E_BADF;
	struct file *nf;
	err = file_dup(f, arg, &nf);
	file_put(f);
	return err < 0 ? err : install(nf);
}
