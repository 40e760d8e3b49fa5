/*
 * sys_cwd.c - the working directory: SYS_CHDIR, SYS_GETCWD, and the
 * resolution of relative paths for open, unlink, rename, spawn and chdir.
 *
 * Each process keeps its working directory as a canonical string
 * "scheme:/a/b" (path_resolve, lib/base/path.c) in p->cwd, not as an open
 * file: chdir checks that the path opens as a directory and keeps its
 * name, so a directory removed or renamed later makes relative paths fail
 * (ENOENT) instead of pinning a scheme's object. The first process starts
 * in "file:/"; spawn copies the parent's. Threads share it. p->cwd is
 * guarded by p->lock: chdir writes it whole under the lock, and every
 * reader takes a copy under the lock (proc_cwd), so it never sees half a
 * string. No lock is held while a scheme opens the directory, which may
 * sleep.
 */
#include <string.h>
#include "base/err.h"
#include "base/path.h"
#include "base/syscall_nr.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "scheme/file.h"
#include "sync/irqlock.h"
#include "syscall/syscall.h"

void proc_cwd(char *buf)
{
	struct proc *p = proc_current();
	uint64_t f = spin_lock_irqsave(&p->lock);
	memcpy(buf, p->cwd, RB_PATH_MAX);
	spin_unlock_irqrestore(&p->lock, f);
}

int proc_abs_path(char *path)
{
	if (!path_is_relative(path))
		return 0;
	char cwd[RB_PATH_MAX], out[RB_PATH_MAX];
	proc_cwd(cwd);
	int err = path_resolve(cwd, path, out, sizeof out);
	if (err < 0)
		return err;
	memcpy(path, out, sizeof out);
	return 0;
}

/* 0 if path opens as a directory, else -E_NOENT, -E_NOTDIR, ... */
static int check_dir(const char *path)
{
	struct file *file;
	int err = file_open(path, RB_O_RDONLY | RB_O_DIRECTORY, &file);
	if (err < 0)
		return err;
	struct rb_stat st;
	err = file_fstat(file, &st);
	if (err == 0 && !(st.mode & 0x4000))
		err = -E_NOTDIR; /* a scheme that ignored RB_O_DIRECTORY */
	file_put(file);
	return err;
}

long sys_chdir(uint64_t upath, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	char path[RB_PATH_MAX], cwd[RB_PATH_MAX], canon[RB_PATH_MAX];
	int err = copy_string_from_user(path, sizeof path, upath);
	if (err < 0)
		return err;
	proc_cwd(cwd);
	err = path_resolve(cwd, path, canon, sizeof canon);
	if (err == 0)
		err = check_dir(canon);
	if (err < 0)
		return err;
	struct proc *p = proc_current();
	uint64_t fl = spin_lock_irqsave(&p->lock);
	memcpy(p->cwd, canon, sizeof canon);
	spin_unlock_irqrestore(&p->lock, fl);
	return 0;
}

long sys_getcwd(uint64_t ubuf, uint64_t len, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	char cwd[RB_PATH_MAX];
	proc_cwd(cwd);
	size_t n = strlen(cwd) + 1;
	if (len < n)
		return -E_RANGE;
	int err = copy_to_user(ubuf, cwd, n);
	return err < 0 ? err : (long)n;
}
