/*
 * t_limits.c - ktest cases for the resource limits (docs/ipc.md, Limits):
 * RLIMIT_NOFILE (default 1024, the fd table grows past its first 64
 * slots, EMFILE at the limit, lowering and raising), RLIMIT_NFILE
 * (ENFILE across processes), the per-uid process bound and the bound on
 * regions per address space. Each case restores every limit it changes
 * (ktest runs as root) and closes what it opened.
 */
#include "ktest.h"
#include "rb/syscall.h"

#define FILE_PATH "initfs:/bin/kchild"
#define NOFILE 1024

/* Close fds [from, to). */
static void close_range(int from, int to)
{
	for (int fd = from; fd < to; fd++)
		rb_close(fd);
}

/* Open FILE_PATH until it fails: the error; *top is the last fd it gave (-1: none). */
static int open_until_fail(int *top, int *count)
{
	*top = -1;
	*count = 0;
	for (;;) {
		int fd = rb_open(FILE_PATH, RB_O_RDONLY);
		if (fd < 0)
			return fd;
		*top = fd;
		++*count;
	}
}

/* Whether FILE_PATH can still be opened and read. */
static int open_and_read(void)
{
	int fd = rb_open(FILE_PATH, RB_O_RDONLY);
	if (fd < 0)
		return fd;
	char c[4];
	long r = rb_read(fd, c, sizeof c);
	rb_close(fd);
	return r == sizeof c ? 0 : -E_IO;
}

static int nofile_default(char *why, size_t n)
{
	KEXPECT(rb_getrlimit(RB_RLIMIT_NOFILE), NOFILE);
	int top, count;
	int err = open_until_fail(&top, &count);
	int dup_full = rb_dup(1);
	/* the table grew past its 64 inline slots: a high fd works */
	struct rb_stat st;
	int st_top = top >= 0 ? rb_fstat(top, &st) : -1;
	char c;
	long rd = top >= 0 ? rb_read(top, &c, 1) : -1;
	close_range(3, NOFILE);
	KEXPECT(err, -E_MFILE);
	KEXPECT(dup_full, -E_MFILE);
	KEXPECT(top, NOFILE - 1);
	KEXPECT(st_top, 0);
	KEXPECT(rd, 1);
	KEXPECT(rb_dup2(1, NOFILE), -E_BADF);
	KEXPECT(open_and_read(), 0);
	return 0;
}

static int nofile_lower(char *why, size_t n)
{
	KEXPECT(rb_dup2(1, 20), 20);
	KEXPECT(rb_setrlimit(RB_RLIMIT_NOFILE, 10), 0);
	KEXPECT(rb_getrlimit(RB_RLIMIT_NOFILE), 10);
	int top, count;
	int err = open_until_fail(&top, &count);
	struct rb_stat st;
	int st20 = rb_fstat(20, &st); /* above the new limit: still open */
	int d30 = rb_dup2(1, 30);
	int fd9 = rb_syscall3(SYS_FCNTL, 1, 0, 9);
	close_range(3, 10);
	int close20 = rb_close(20);
	int restore = rb_setrlimit(RB_RLIMIT_NOFILE, NOFILE);
	KEXPECT(err, -E_MFILE);
	KEXPECT(top, 9);
	KEXPECT(st20, 0);
	KEXPECT(d30, -E_BADF);
	KEXPECT(fd9, -E_MFILE); /* fd 9 was taken by then */
	KEXPECT(close20, 0);
	KEXPECT(restore, 0);
	KEXPECT(rb_setrlimit(RB_RLIMIT_NOFILE, 0), -E_INVAL);
	KEXPECT(rb_setrlimit(RB_RLIMIT_NOFILE, 65537), -E_INVAL);
	KEXPECT(rb_getrlimit(99), -E_INVAL);
	return 0;
}

/* Root may raise it: an fd far above the default works, and the table shrinks at nothing. */
static int nofile_raise_root(char *why, size_t n)
{
	KEXPECT(rb_setrlimit(RB_RLIMIT_NOFILE, 4096), 0);
	int d = rb_dup2(1, 3000);
	int f = (int)rb_syscall3(SYS_FCNTL, 1, 0, 2000);
	long w = rb_write(3000, "", 0);
	rb_close(3000);
	rb_close(f);
	int restore = rb_setrlimit(RB_RLIMIT_NOFILE, NOFILE);
	KEXPECT(d, 3000);
	KEXPECT(f, 2000);
	KEXPECT(w, 0);
	KEXPECT(restore, 0);
	KEXPECT(rb_dup2(1, 3000), -E_BADF);
	return 0;
}

/* As uid 1000: lowering works, raising NOFILE/SHM and setting NFILE give EPERM. */
static int rlimit_unprivileged(char *why, size_t n)
{
	KEXPECT(kt_run_kchild("rlimit"), 0);
	return 0;
}

/* Two threads of a uid 1000 process lower the same limit at once: it never rises. */
static int rlimit_lower_race(char *why, size_t n)
{
	KEXPECT(kt_run_kchild("limrace"), 0);
	return 0;
}

static int nfile_exhausted(char *why, size_t n)
{
	struct rb_kstat k;
	KEXPECT(rb_kstat(&k), sizeof k);
	long old = rb_getrlimit(RB_RLIMIT_NFILE);
	KEXPECT(old, 65536);
	KCHECK(k.files_open >= 3 && k.files_open < 1000, "files_open %llu", k.files_open);
	KEXPECT(rb_setrlimit(RB_RLIMIT_NFILE, k.files_open + 50), 0);
	int fds[20], mine = 0;
	while (mine < 20 && (fds[mine] = rb_open(FILE_PATH, RB_O_RDONLY)) >= 0)
		mine++;
	int child = kt_run_kchild("nfile"); /* opens the rest until ENFILE */
	int top, count;
	int err = open_until_fail(&top, &count);
	/* files the kernel makes itself count too, and fail the same way */
	int pfds[2];
	int pipe_full = rb_pipe(pfds, 0);
	int srv_full = rb_scheme_create("test-nfile", 0);
	if (pipe_full == 0) { /* wrongly made: do not leave them */
		rb_close(pfds[0]);
		rb_close(pfds[1]);
	}
	if (srv_full >= 0)
		rb_close(srv_full);
	close_range(3, top + 1);
	for (int i = 0; i < mine; i++)
		rb_close(fds[i]);
	int restore = rb_setrlimit(RB_RLIMIT_NFILE, (uint64_t)old);
	KEXPECT(mine, 20);
	KEXPECT(child, 0);
	KEXPECT(err, -E_NFILE);
	KEXPECT(pipe_full, -E_NFILE);
	KEXPECT(srv_full, -E_NFILE);
	KCHECK(count <= 30, "opened %d after the child", count);
	KEXPECT(restore, 0);
	KEXPECT(kt_run_kchild("7"), 7);
	KEXPECT(open_and_read(), 0);
	return 0;
}

/*
 * A child whose table grew past its 64 inline slots exits: every file it
 * held is put exactly once (the inline slots kept stale copies once, and
 * the second sweep at release put them again: a double free).
 */
static int grown_table_exit(char *why, size_t n)
{
	struct rb_kstat k0, k1;
	KEXPECT(rb_kstat(&k0), sizeof k0);
	KEXPECT(kt_run_kchild("fdgrow"), 0);
	KEXPECT(rb_kstat(&k1), sizeof k1);
	KEXPECT(k1.files_open, k0.files_open);
	KEXPECT(rb_write(1, "", 0), 0);
	KEXPECT(kt_run_kchild("fdgrow"), 0);
	KEXPECT(open_and_read(), 0);
	return 0;
}

/* The table grows under threads that use fds in it (kchild growrace), 10 times. */
static int grow_under_readers(char *why, size_t n)
{
	struct rb_kstat k0, k1;
	KEXPECT(rb_kstat(&k0), sizeof k0);
	for (int i = 0; i < 10; i++)
		KEXPECT(kt_run_kchild("growrace"), 0);
	KEXPECT(rb_kstat(&k1), sizeof k1);
	KEXPECT(k1.files_open, k0.files_open);
	return 0;
}

/* kchild "uidprocs" becomes uid 1000 and spawns until EAGAIN. */
static int procs_per_uid(char *why, size_t n)
{
	KEXPECT(kt_run_kchild("uidprocs"), 0);
	return 0;
}

/* One-page mappings until ENOMEM: the region count is bounded (4096). */
static int regions_bounded(char *why, size_t n)
{
	static void *maps[4200];
	int count = 0;
	void *p = NULL;
	while (count < 4200) {
		p = rb_mmap(NULL, 4096, RB_PROT_READ, 0);
		if (RB_IS_ERR(p))
			break;
		maps[count++] = p;
	}
	for (int i = 0; i < count; i++)
		rb_munmap(maps[i], 4096);
	KEXPECT((long)p, -E_NOMEM);
	KCHECK(count > 3900 && count <= 4096, "%d mappings before ENOMEM", count);
	p = rb_mmap(NULL, 4096, RB_PROT_READ, 0);
	KCHECK(!RB_IS_ERR(p), "mmap after the munmaps: %ld", (long)p);
	KEXPECT(rb_munmap(p, 4096), 0);
	return 0;
}

const struct kcase limits_cases[] = {
    {"limits: EMFILE at the default RLIMIT_NOFILE (1024)", nofile_default},
    {"limits: a lowered RLIMIT_NOFILE (10) gives EMFILE at 10", nofile_lower},
    {"limits: root raises RLIMIT_NOFILE past 1024", nofile_raise_root},
    {"limits: non-root cannot raise limits (EPERM)", rlimit_unprivileged},
    {"limits: racing lowerings never raise a limit", rlimit_lower_race},
    {"limits: a grown fd table is closed once at exit", grown_table_exit},
    {"limits: the fd table grows under threads using it", grow_under_readers},
    {"limits: RLIMIT_NFILE exhausted across a child gives ENFILE", nfile_exhausted},
    {"limits: 256 processes per non-root uid, then EAGAIN", procs_per_uid},
    {"limits: regions per address space are bounded", regions_bounded},
    {NULL, NULL},
};
