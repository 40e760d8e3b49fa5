/*
 * c_fd.c - the "fd" case: one file table, many threads.
 *
 * Threads of a worker open initfs files and directories, dup, dup2, fcntl
 * and close random descriptors 3..FD_MAX-1 while others read, seek, stat,
 * list and fpath them (and unlink or rename initfs paths: EROFS, EXDEV),
 * so a descriptor is closed or replaced while another CPU is inside a
 * call on it. fcntl F_DUPFD must give a descriptor >= its
 * argument. Outcomes checked: every call gives its result
 * or one of the documented errors (EBADF for a closed descriptor, EISDIR,
 * ENOTDIR, EMFILE, ...; EAGAIN and EINVAL from the pipe case's pipes and
 * event files), and fstat's mode is one of the four kinds.
 * fds 0-2 (the console) are never touched: workers print through them.
 *
 * Ownership: the descriptors belong to the worker's file table (the
 * kernel's lock); the case keeps no state of its own but the buffers on
 * each thread's stack.
 */
#include <string.h>
#include "kstress.h"
#include "rb/sys.h"
#include "rb/syscall.h"

#define FD_MAX 24

static const char *const paths[] = {"initfs:/etc/motd", "initfs:/bin/kchild", "initfs:/bin",
				    "initfs:/etc"};

void kst_fd_fini(struct kst_worker *w)
{
	for (int fd = 3; fd < 64; fd++)
		rb_close(fd);
}

static bool one_of(long r, long a, long b, long c)
{
	return r == a || r == b || r == c;
}

/* With the uscheme case on, a descriptor here may be one of its files for a moment (an open
   lands on the lowest free fd before it moves): its server's errors are allowed too. */
static bool us_err(struct kst_thread *t, long r)
{
	return (t->w->cases & (1u << KST_USCHEME)) &&
	       (r == -E_IO || r == -E_PIPE || r == -E_NODEV || r == -E_INTR || r == -E_AGAIN);
}

/*
 * fpath of fd: EBADF, or "name:" and a path without a NUL; an initfs path
 * canonical ("initfs:/..."). Other cases of the worker may have opened
 * other files here (pipes, shm:), so ENOSYS (a scheme that cannot say) and
 * ERANGE (a path longer than buf) are fine too.
 */
static int fd_fpath(struct kst_thread *t, int fd)
{
	char buf[64];
	long r = rb_fpath(fd, buf, sizeof buf);
	if (r == -E_BADF || r == -E_NOSYS || r == -E_RANGE || us_err(t, r))
		return 0;
	bool ok = r > 0 && r <= (long)sizeof buf && memchr(buf, '\0', (size_t)r) == NULL;
	const char *colon = ok ? memchr(buf, ':', (size_t)r) : NULL;
	bool initfs = colon && colon - buf == 6 && memcmp(buf, "initfs", 6) == 0;
	if (colon && (!initfs || (r > 7 && buf[7] == '/')))
		return 0;
	return kst_fail(t, KST_FD, "fpath(%d): %ld %.*s", fd, r, ok ? (int)r : 0, buf);
}

/* unlink or rename an initfs path: read-only, so EROFS (EXDEV to debug:), and no harm. */
static int path_change(struct kst_thread *t)
{
	const char *p = paths[kst_rand(t, 4)];
	long r, want = -E_ROFS;
	switch (kst_rand(t, 3)) {
	case 0:
		r = rb_unlink(p, kst_rand(t, 2) ? RB_AT_REMOVEDIR : 0);
		break;
	case 1:
		r = rb_rename(p, paths[kst_rand(t, 4)]);
		break;
	default:
		r = rb_rename(p, "debug:");
		want = -E_XDEV;
		break;
	}
	return r == want ? 0 : kst_fail(t, KST_FD, "unlink/rename(%s): %ld", p, r);
}

static int fd_op(struct kst_thread *t)
{
	int fd = 3 + (int)kst_rand(t, FD_MAX - 3), to = 3 + (int)kst_rand(t, FD_MAX - 3);
	char buf[256];
	struct rb_stat st;
	long r;
	switch (kst_rand(t, 12)) {
	case 0: {
		int i = (int)kst_rand(t, 4);
		r = rb_open(paths[i], i >= 2 ? RB_O_DIRECTORY : RB_O_RDONLY);
		if (r < 0 && r != -E_MFILE)
			return kst_fail(t, KST_FD, "open(%s): %ld", paths[i], r);
		if (r >= 0 && r < 3)
			return kst_fail(t, KST_FD, "open gave console fd %ld", r);
		return 0;
	}
	case 1:
		r = rb_dup(fd);
		if (r < 0 && !one_of(r, -E_BADF, -E_MFILE, -E_MFILE))
			return kst_fail(t, KST_FD, "dup(%d): %ld", fd, r);
		return 0;
	case 2:
		r = rb_dup2(fd, to);
		if (r != to && r != -E_BADF)
			return kst_fail(t, KST_FD, "dup2(%d, %d): %ld", fd, to, r);
		return 0;
	case 3:
	case 4:
		r = rb_close(fd);
		if (r != 0 && r != -E_BADF)
			return kst_fail(t, KST_FD, "close(%d): %ld", fd, r);
		return 0;
	case 5: /* a read, or a pread (ESPIPE where the file has no offset) */
		if (kst_rand(t, 2))
			r = rb_read(fd, buf, 1 + kst_rand(t, sizeof buf));
		else
			r = rb_pread(fd, buf, 1 + kst_rand(t, sizeof buf), kst_rand(t, 1u << 20));
		/* EAGAIN, EINVAL: the pipe case's non-blocking pipe ends and event files */
		if (r < 0 && !one_of(r, -E_BADF, -E_ISDIR, -E_AGAIN) && r != -E_INVAL &&
		    r != -E_SPIPE && !us_err(t, r))
			return kst_fail(t, KST_FD, "read(%d): %ld", fd, r);
		return 0;
	case 6:
		r = rb_lseek(fd, (long)kst_rand(t, 64), RB_SEEK_SET);
		if (r < 0 && !one_of(r, -E_BADF, -E_SPIPE, -E_INVAL) && !us_err(t, r))
			return kst_fail(t, KST_FD, "lseek(%d): %ld", fd, r);
		return 0;
	case 7:
		r = rb_fstat(fd, &st);
		if (r < 0 && r != -E_BADF && !us_err(t, r))
			return kst_fail(t, KST_FD, "fstat(%d): %ld", fd, r);
		if (r == 0 && !one_of(st.mode & RB_S_IFMT, RB_S_IFDIR, RB_S_IFREG, RB_S_IFCHR) &&
		    (st.mode & RB_S_IFMT) != RB_S_IFIFO)
			return kst_fail(t, KST_FD, "fstat(%d): mode %#x", fd, st.mode);
		return 0;
	case 8:
		r = rb_syscall3(SYS_FCNTL, fd, 0 /* F_DUPFD */, to);
		if (r < 0 && !one_of(r, -E_BADF, -E_MFILE, -E_MFILE))
			return kst_fail(t, KST_FD, "fcntl(%d, F_DUPFD, %d): %ld", fd, to, r);
		if (r >= 0 && r < to)
			return kst_fail(t, KST_FD, "fcntl(%d, F_DUPFD, %d) gave %ld", fd, to, r);
		return 0;
	case 9:
		return fd_fpath(t, fd);
	case 10:
		return path_change(t);
	default:
		r = rb_getdents(fd, buf, sizeof buf);
		if (r < 0 && !one_of(r, -E_BADF, -E_NOTDIR, -E_INVAL) && !us_err(t, r))
			return kst_fail(t, KST_FD, "getdents(%d): %ld", fd, r);
		return 0;
	}
}

int kst_fd_op(struct kst_thread *t)
{
	kst_fds_share();
	int r = fd_op(t);
	kst_fds_unshare();
	return r;
}
