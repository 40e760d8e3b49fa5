/*
 * t_path.c - ktest cases for the generic path calls and the namespace:
 * fpath of initfs files, directories and the root (canonical, no NUL,
 * ERANGE when the buffer is short) and of the debug console; unlink and
 * rename on initfs (read-only: EROFS), rename across schemes (EXDEV);
 * bad pointers (EFAULT), overlong paths (ENAMETOOLONG), flags and fds
 * with high bits set; plain paths ("/etc/motd", "tmp/x") going to file:,
 * which nobody serves under ktest (ENOENT); the registration policy as
 * ktest sees it; and threads on all CPUs asking fpath of an fd that
 * another thread keeps replacing and closing.
 */
#include <string.h>
#include "ktest.h"
#include "rb/syscall.h"
#include "rb/thread.h"

#define MOTD "initfs:/etc/motd"
#define SENTINEL 0x5a

/* fpath of fd into a buffer of len bytes (of a larger one filled with
   SENTINEL): its result; *tail is 0 if no byte past the result changed. */
static long fpath_into(int fd, char *buf, size_t cap, size_t len, int *tail)
{
	memset(buf, SENTINEL, cap);
	long r = rb_fpath(fd, buf, len);
	size_t from = r > 0 ? (size_t)r : 0;
	*tail = 0;
	for (size_t i = from; i < cap; i++)
		if ((unsigned char)buf[i] != SENTINEL)
			*tail = 1;
	return r;
}

/* fpath of path (opened with flags) must be want, exactly, with no NUL. */
static int fpath_is(char *why, size_t n, const char *path, int flags, const char *want)
{
	char buf[300];
	int fd = rb_open(path, flags), tail;
	KCHECK(fd >= 0, "open %s: %d %s", path, fd, err_name(fd));
	long r = fpath_into(fd, buf, sizeof buf, sizeof buf, &tail);
	rb_close(fd);
	KCHECK(r == (long)strlen(want), "fpath(%s) = %ld, want %d", path, r, (int)strlen(want));
	KCHECK(memcmp(buf, want, (size_t)r) == 0, "fpath(%s) = %.*s", path, (int)r, buf);
	KCHECK(!tail, "fpath(%s) wrote past its result (a NUL?)", path);
	return 0;
}

static int fpath_initfs(char *why, size_t n)
{
	if (fpath_is(why, n, MOTD, RB_O_RDONLY, MOTD) < 0)
		return -1;
	if (fpath_is(why, n, "initfs:/bin/ktest", RB_O_RDONLY, "initfs:/bin/ktest") < 0)
		return -1;
	if (fpath_is(why, n, "initfs:/bin", RB_O_RDONLY | RB_O_DIRECTORY, "initfs:/bin") < 0)
		return -1;
	return fpath_is(why, n, "initfs:/", RB_O_RDONLY | RB_O_DIRECTORY, "initfs:/");
}

/* The path initfs reports is its own, not the one the caller spelled. */
static int fpath_canonical(char *why, size_t n)
{
	if (fpath_is(why, n, "initfs://etc/./motd", RB_O_RDONLY, MOTD) < 0)
		return -1;
	if (fpath_is(why, n, "initfs:etc/motd", RB_O_RDONLY, MOTD) < 0)
		return -1;
	return fpath_is(why, n, "initfs:/bin/", RB_O_RDONLY, "initfs:/bin");
}

static int fpath_debug(char *why, size_t n)
{
	if (fpath_is(why, n, "debug:", RB_O_RDWR, "debug:") < 0)
		return -1;
	if (fpath_is(why, n, "debug:/anything", RB_O_RDWR, "debug:") < 0)
		return -1;
	char buf[16];
	KEXPECT(rb_fpath(1, buf, sizeof buf), 6); /* ktest's stdout is the console */
	KCHECK(memcmp(buf, "debug:", 6) == 0, "fd 1 is %.6s", buf);
	return 0;
}

/* A buffer one byte short: ERANGE and nothing written; exactly long enough: all of it. */
static int fpath_range(char *why, size_t n)
{
	char buf[64];
	int tail, fd = rb_open(MOTD, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	size_t want = strlen(MOTD);
	long short_r = fpath_into(fd, buf, sizeof buf, want - 1, &tail);
	int short_tail = tail;
	long one_r = fpath_into(fd, buf, sizeof buf, 1, &tail);
	long exact_r = fpath_into(fd, buf, sizeof buf, want, &tail);
	rb_close(fd);
	KEXPECT(short_r, -E_RANGE);
	KCHECK(!short_tail, "ERANGE but the buffer was written");
	KEXPECT(one_r, -E_RANGE);
	KEXPECT(exact_r, (long)want);
	KCHECK(!tail && memcmp(buf, MOTD, want) == 0, "exact buffer: %.*s", (int)want, buf);
	KEXPECT(rb_fpath(1, buf, 5), -E_RANGE);
	KEXPECT(rb_fpath(1, buf, 6), 6);
	return 0;
}

static int fpath_errors(char *why, size_t n)
{
	char buf[64];
	int fd = rb_open(MOTD, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	long bad_ptr = rb_fpath(fd, KERNEL_PTR, 64);
	long null_ptr = rb_fpath(fd, NULL, 64);
	long wrap = rb_fpath(fd, buf, ~(size_t)0);
	long high = rb_syscall3(SYS_FPATH, (1L << 32) | fd, (long)buf, sizeof buf);
	rb_close(fd);
	KEXPECT(bad_ptr, -E_FAULT);
	KEXPECT(null_ptr, -E_FAULT);
	KEXPECT(wrap, -E_FAULT);
	KEXPECT(high, -E_BADF);
	KEXPECT(rb_fpath(fd, buf, sizeof buf), -E_BADF); /* closed */
	KEXPECT(rb_fpath(-1, buf, sizeof buf), -E_BADF);
	KEXPECT(rb_fpath(1000000, buf, sizeof buf), -E_BADF);
	return 0;
}

static int unlink_rename_readonly(char *why, size_t n)
{
	KEXPECT(rb_unlink(MOTD, 0), -E_ROFS);
	KEXPECT(rb_unlink("initfs:/bin", RB_AT_REMOVEDIR), -E_ROFS);
	KEXPECT(rb_rename(MOTD, "initfs:/etc/motd2"), -E_ROFS);
	KEXPECT(rb_rename(MOTD, MOTD), -E_ROFS);
	KEXPECT(rb_unlink("debug:", 0), -E_ROFS);
	KEXPECT(rb_rename("debug:a", "debug:b"), -E_ROFS);
	/* the file is still there */
	int fd = rb_open(MOTD, RB_O_RDONLY);
	KCHECK(fd >= 0, "open after unlink: %d %s", fd, err_name(fd));
	rb_close(fd);
	return 0;
}

static int rename_cross_scheme(char *why, size_t n)
{
	KEXPECT(rb_rename(MOTD, "debug:motd"), -E_XDEV);
	KEXPECT(rb_rename("debug:", "initfs:/x"), -E_XDEV);
	/* a side that names no scheme is ENOENT, not EXDEV */
	KEXPECT(rb_rename(MOTD, "nosuch:/x"), -E_NOENT);
	KEXPECT(rb_rename("nosuch:/x", MOTD), -E_NOENT);
	KEXPECT(rb_rename(MOTD, "Bad:/x"), -E_NOENT);
	return 0;
}

static int path_calls_bad_args(char *why, size_t n)
{
	KEXPECT(rb_unlink(KERNEL_PTR, 0), -E_FAULT);
	KEXPECT(rb_unlink(NULL, 0), -E_FAULT);
	KEXPECT(rb_rename(KERNEL_PTR, MOTD), -E_FAULT);
	KEXPECT(rb_rename(MOTD, KERNEL_PTR), -E_FAULT);
	KEXPECT(rb_rename(NULL, NULL), -E_FAULT);
	KEXPECT(rb_unlink(MOTD, 1), -E_INVAL); /* no such flag */
	KEXPECT(rb_syscall2(SYS_UNLINK, (long)MOTD, 1L << 32), -E_INVAL);
	KEXPECT(rb_syscall2(SYS_UNLINK, (long)MOTD, (1L << 32) | RB_AT_REMOVEDIR), -E_INVAL);
	return 0;
}

static int path_calls_too_long(char *why, size_t n)
{
	static char path[400];
	memcpy(path, "initfs:/", 8);
	memset(path + 8, 'a', sizeof path - 9);
	path[sizeof path - 1] = '\0';
	KEXPECT(rb_unlink(path, 0), -E_NAMETOOLONG);
	KEXPECT(rb_rename(path, MOTD), -E_NAMETOOLONG);
	KEXPECT(rb_rename(MOTD, path), -E_NAMETOOLONG);
	KEXPECT(rb_open(path, RB_O_RDONLY), -E_NAMETOOLONG);
	path[255] = '\0'; /* 255 bytes and the NUL: the longest path a call takes */
	KEXPECT(rb_unlink(path, 0), -E_ROFS);
	path[255] = 'a';
	path[256] = '\0';
	KEXPECT(rb_unlink(path, 0), -E_NAMETOOLONG);
	return 0;
}

/* No ':' before the first '/': the path is file:'s, and nobody serves file: here. */
static int plain_path_no_file_scheme(char *why, size_t n)
{
	KEXPECT(rb_open("/etc/motd", RB_O_RDONLY), -E_NOENT);
	KEXPECT(rb_open("etc/motd", RB_O_RDONLY), -E_NOENT);
	KEXPECT(rb_open("tmp/initfs:/etc/motd", RB_O_RDONLY), -E_NOENT);
	KEXPECT(rb_open("/initfs:/etc/motd", RB_O_RDONLY), -E_NOENT);
	KEXPECT(rb_open("file:/etc/motd", RB_O_RDONLY), -E_NOENT);
	KEXPECT(rb_unlink("/etc/motd", 0), -E_NOENT);
	KEXPECT(rb_unlink("motd", 0), -E_NOENT);
	KEXPECT(rb_rename("/a", "/b"), -E_NOENT);
	KEXPECT(rb_rename(MOTD, "/etc/motd"), -E_NOENT);
	KEXPECT(rb_rename("/etc/motd", MOTD), -E_NOENT);
	return 0;
}

/*
 * The registration policy (initfs:/etc/scheme.policy) as ktest sees it:
 * test* is ktest's; file, log, ipc, stress* and bench* belong to other
 * programs. SYS_SCHEME_CREATE comes with the user-scheme branch; until
 * it is there every call is ENOSYS and the case checks only that.
 */
static int policy_as_ktest(char *why, size_t n)
{
	int fd = rb_scheme_create("test-policy", 0);
	if (fd == -E_NOSYS) {
		KEXPECT(rb_scheme_create("file", 0), -E_NOSYS);
		return 0;
	}
	KCHECK(fd >= 0, "scheme_create(test-policy): %d %s", fd, err_name(fd));
	rb_close(fd);
	KEXPECT(rb_scheme_create("file", 0), -E_ACCES);
	KEXPECT(rb_scheme_create("log", 0), -E_ACCES);
	KEXPECT(rb_scheme_create("ipc", 0), -E_ACCES);
	KEXPECT(rb_scheme_create("stress-1", 0), -E_ACCES);
	KEXPECT(rb_scheme_create("bench", 0), -E_ACCES);
	KEXPECT(rb_scheme_create("xtest", 0), -E_ACCES); /* the glob covers the whole name */
	fd = rb_scheme_create("test", 0);
	KCHECK(fd >= 0, "scheme_create(test): %d %s", fd, err_name(fd));
	rb_close(fd);
	return 0;
}

/*
 * Threads on all CPUs ask fpath of FPATH_FD while two others keep
 * replacing it (dup2 of an initfs file or the console) and closing it:
 * every answer must be one of the two paths, whole, or EBADF. fpath holds
 * its file for the whole call, so a close on another CPU cannot free it
 * under the copy.
 */
enum { FPATH_FD = 45, FPATH_ROUNDS = 20000, FPATH_THREADS = 5 };
#define FPATH_NS 1500000000ull
static int fpath_src[2];
static volatile int fpath_ready, fpath_bad;
static volatile long fpath_bad_value;
static uint64_t fpath_deadline;

static void fpath_start(void)
{
	__atomic_fetch_add(&fpath_ready, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&fpath_ready, __ATOMIC_SEQ_CST) < FPATH_THREADS)
		;
}

static int fpath_more(int i)
{
	return i < FPATH_ROUNDS && (i % 64 || rb_now_ns() < fpath_deadline);
}

static void fpath_fail(long v)
{
	if (__atomic_fetch_add(&fpath_bad, 1, __ATOMIC_RELAXED) == 0)
		fpath_bad_value = v;
}

static int fpath_asker(void *arg)
{
	fpath_start();
	for (int i = 0; fpath_more(i); i++) {
		char buf[32];
		long r = rb_fpath(FPATH_FD, buf, sizeof buf);
		if (r == -E_BADF)
			continue;
		if (r == (long)strlen(MOTD) && memcmp(buf, MOTD, (size_t)r) == 0)
			continue;
		if (r == 6 && memcmp(buf, "debug:", 6) == 0)
			continue;
		fpath_fail(r);
	}
	return 0;
}

static int fpath_changer(void *arg)
{
	int k = (int)(long)arg;
	fpath_start();
	for (int i = 0; fpath_more(i); i++) {
		int r = rb_dup2(fpath_src[(i + k) & 1], FPATH_FD);
		if (r != FPATH_FD)
			fpath_fail(1000 + r);
		if (i % 3 == k)
			rb_close(FPATH_FD);
	}
	return 0;
}

static int fpath_race_close(char *why, size_t n)
{
	fpath_ready = 0;
	fpath_bad = 0;
	fpath_deadline = rb_now_ns() + FPATH_NS;
	fpath_src[0] = rb_open(MOTD, RB_O_RDONLY);
	fpath_src[1] = rb_open("debug:", RB_O_RDWR);
	KCHECK(fpath_src[0] >= 0 && fpath_src[1] >= 0, "open: %d %d", fpath_src[0], fpath_src[1]);
	static int (*const fns[FPATH_THREADS])(void *) = {fpath_changer, fpath_changer, fpath_asker,
							  fpath_asker, fpath_asker};
	static const long args[FPATH_THREADS] = {0, 1, 0, 0, 0};
	int tids[FPATH_THREADS], started = 0;
	for (int i = 0; i < FPATH_THREADS; i++) {
		tids[i] = rb_thread_create(fns[i], (void *)args[i]);
		if (tids[i] > 0)
			started++;
		else
			__atomic_fetch_add(&fpath_ready, 1,
					   __ATOMIC_SEQ_CST); /* do not wait for it */
	}
	for (int i = 0; i < FPATH_THREADS; i++)
		if (tids[i] > 0)
			rb_thread_join(tids[i], NULL);
	rb_close(FPATH_FD);
	int c0 = rb_close(fpath_src[0]), c1 = rb_close(fpath_src[1]);
	KEXPECT(started, FPATH_THREADS);
	KCHECK(fpath_bad == 0, "%d bad results, first %ld", fpath_bad, fpath_bad_value);
	KEXPECT(c0, 0);
	KEXPECT(c1, 0);
	return 0;
}

const struct kcase path_cases[] = {
    {"fpath: initfs files, directories and the root", fpath_initfs},
    {"fpath: initfs names its file canonically", fpath_canonical},
    {"fpath: debug is \"debug:\"", fpath_debug},
    {"fpath: ERANGE for a short buffer, nothing written", fpath_range},
    {"fpath: EFAULT, EBADF (high bits too)", fpath_errors},
    {"unlink/rename: initfs and debug are read-only (EROFS)", unlink_rename_readonly},
    {"rename: across schemes EXDEV, unknown scheme ENOENT", rename_cross_scheme},
    {"unlink/rename: EFAULT, EINVAL flags (64 bits)", path_calls_bad_args},
    {"unlink/rename: ENAMETOOLONG past 255 bytes", path_calls_too_long},
    {"namespace: a plain path is file:'s (none here: ENOENT)", plain_path_no_file_scheme},
    {"policy: ktest may register test* only", policy_as_ktest},
    {"fpath: threads race dup2/close on 4 CPUs", fpath_race_close},
    {NULL, NULL},
};
