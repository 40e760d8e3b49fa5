/*
 * t_ramfs.c - the file: server (user/ramfsd) seen by its clients.
 *
 * The first case spawns /bin/ramfsd (unless file: is already served) and
 * leaves it running for the later cases and tables. Then: /etc/motd read
 * through file: and as the plain path /etc/motd, file ops in /tmp
 * (create, write, read, seek, truncate, append, unlink, rename, mkdir,
 * rmdir, ENOTEMPTY, EEXIST), pread and pwrite (on initfs and a pipe
 * too), getdents of /, fpath, an unlinked file kept
 * alive by its fd, EACCES for a non-root child in /etc (and success in
 * /tmp), ENOSPC from a second, small instance serving "test-ramfs"
 * (killed at the end of its case), four threads working on their own
 * files at once through the two workers, and timed round trips. The
 * child of the EACCES case is ktest itself ("ramfs-child PATH").
 */
#include <stdbool.h>
#include <string.h>
#include "ktest.h"
#include "ramfs/ramfs.h"
#include "rb/syscall.h"
#include "rb/thread.h"

#define RAMFSD "initfs:/bin/ramfsd"
#define KTEST "initfs:/bin/ktest"
#define READY_NS (60ull * 1000 * 1000 * 1000) /* seeding copies all of initfs under TCG */

/*
 * Wait until path opens (its server has registered), trying every
 * millisecond up to READY_NS: the fd, or the last error. This is a
 * readiness wait on a process we started, bounded, not synchronisation
 * by sleeping: the open itself tells us the server is up.
 */
static int open_when_ready(const char *path, int flags)
{
	uint64_t end = rb_now_ns() + READY_NS;
	int fd;
	while ((fd = rb_open(path, flags)) == -E_NOENT && rb_now_ns() < end)
		rb_nanosleep(1000 * 1000);
	return fd;
}

/* ramfsd's stdin, stdout and stderr: ours (the console). */
static const int console[] = {0, 1, 2};

static long ftruncate_fd(int fd, long len)
{
	return rb_syscall2(SYS_FTRUNCATE, fd, len);
}

static int ramfsd_pid; /* the ramfsd serving file: if we started it, else 0 */

static int starts(char *why, size_t n)
{
	int fd = rb_open("file:/", RB_O_RDONLY);
	if (fd < 0) {
		char *argv[] = {"ramfsd", NULL};
		int pid = rb_spawn(RAMFSD, argv, NULL, console, 3);
		KCHECK(pid > 0, "spawn ramfsd: %d %s", pid, err_name(pid));
		ramfsd_pid = pid;
		fd = open_when_ready("file:/", RB_O_RDONLY);
	}
	KCHECK(fd >= 0, "open file:/: %d %s", fd, err_name(fd));
	struct rb_stat st;
	KEXPECT(rb_fstat(fd, &st), 0);
	KEXPECT(st.mode & RB_S_IFMT, RB_S_IFDIR);
	KEXPECT(rb_close(fd), 0);
	return 0;
}

/* Read all of path (at most n - 1 bytes) into buf, NUL-terminated: bytes or an error. */
static long slurp(const char *path, char *buf, size_t n)
{
	int fd = rb_open(path, RB_O_RDONLY);
	if (fd < 0)
		return fd;
	long r = rb_read(fd, buf, n - 1);
	rb_close(fd);
	if (r >= 0)
		buf[r] = 0;
	return r;
}

static int put(const char *path, const char *s)
{
	int fd = rb_open(path, RB_O_WRONLY | RB_O_CREAT | RB_O_TRUNC);
	if (fd < 0)
		return fd;
	long r = rb_write(fd, s, strlen(s));
	rb_close(fd);
	return r == (long)strlen(s) ? 0 : -E_IO;
}

static int motd(char *why, size_t n)
{
	char a[256], b[256];
	long la = slurp("file:/etc/motd", a, sizeof a);
	long lb = slurp("initfs:/etc/motd", b, sizeof b);
	KCHECK(la > 0 && la == lb && memcmp(a, b, (size_t)la) == 0, "file: %ld, initfs: %ld", la,
	       lb);
	KCHECK(strncmp(a, "Welcome", 7) == 0, "motd: %s", a);
	/* a plain absolute path names file: (the namespace, docs/ipc.md) */
	long lc = slurp("/etc/motd", b, sizeof b);
	KCHECK(lc == la && memcmp(a, b, (size_t)la) == 0, "plain path: %ld %s", lc,
	       err_name((int)lc));
	KEXPECT(put("/tmp/plain", "p"), 0);
	KEXPECT(slurp("file:/tmp/plain", b, sizeof b), 1);
	KEXPECT(rb_unlink("/tmp/plain", 0), 0);
	int fd = rb_open("file:/bin/ktest", RB_O_RDONLY);
	KCHECK(fd >= 0, "open file:/bin/ktest: %d", fd);
	struct rb_stat st, st2;
	KEXPECT(rb_fstat(fd, &st), 0);
	rb_close(fd);
	fd = rb_open(KTEST, RB_O_RDONLY);
	KEXPECT(rb_fstat(fd, &st2), 0);
	rb_close(fd);
	KEXPECT(st.size, st2.size); /* seeded whole */
	return 0;
}

static int tmp_file_ops(char *why, size_t n)
{
	char buf[64];
	int fd = rb_open("file:/tmp/t1", RB_O_RDWR | RB_O_CREAT | RB_O_EXCL);
	KCHECK(fd >= 0, "create: %d %s", fd, err_name(fd));
	KEXPECT(rb_open("file:/tmp/t1", RB_O_RDWR | RB_O_CREAT | RB_O_EXCL), -E_EXIST);
	KEXPECT(rb_write(fd, "hello, world", 12), 12);
	KEXPECT(rb_lseek(fd, 0, RB_SEEK_CUR), 12);
	KEXPECT(rb_lseek(fd, 7, RB_SEEK_SET), 7);
	KEXPECT(rb_read(fd, buf, sizeof buf), 5);
	KCHECK(memcmp(buf, "world", 5) == 0, "read %.5s", buf);
	KEXPECT(rb_read(fd, buf, sizeof buf), 0); /* end of file */
	KEXPECT(rb_lseek(fd, -5, RB_SEEK_END), 7);
	KEXPECT(rb_write(fd, "there", 5), 5);
	KEXPECT(rb_lseek(fd, -1, RB_SEEK_SET), -E_INVAL);
	KEXPECT(rb_lseek(fd, 20, RB_SEEK_SET), 20);
	KEXPECT(rb_write(fd, "!", 1), 1); /* a hole from 12 to 20 */
	struct rb_stat st;
	KEXPECT(rb_fstat(fd, &st), 0);
	KEXPECT(st.size, 21);
	KEXPECT(st.mode & RB_S_IFMT, RB_S_IFREG);
	KEXPECT(rb_lseek(fd, 0, RB_SEEK_SET), 0);
	KEXPECT(rb_read(fd, buf, sizeof buf), 21);
	KCHECK(memcmp(buf, "hello, there\0\0\0\0\0\0\0\0!", 21) == 0, "content %.21s", buf);
	KEXPECT(ftruncate_fd(fd, 5), 0);
	KEXPECT(rb_fstat(fd, &st), 0);
	KEXPECT(st.size, 5);
	KEXPECT(rb_close(fd), 0);

	/* O_APPEND writes at the end whatever the offset; O_TRUNC empties */
	fd = rb_open("file:/tmp/t1", RB_O_WRONLY | RB_O_APPEND);
	KCHECK(fd >= 0, "open append: %d", fd);
	KEXPECT(rb_lseek(fd, 0, RB_SEEK_SET), 0);
	KEXPECT(rb_write(fd, "++", 2), 2);
	KEXPECT(rb_close(fd), 0);
	KEXPECT(slurp("file:/tmp/t1", buf, sizeof buf), 7);
	KCHECK(strcmp(buf, "hello++") == 0, "appended: %s", buf);
	fd = rb_open("file:/tmp/t1", RB_O_RDONLY);
	KEXPECT(rb_write(fd, "x", 1), -E_BADF); /* not open for writing */
	KEXPECT(ftruncate_fd(fd, 0), -E_INVAL);
	KEXPECT(rb_close(fd), 0);
	fd = rb_open("file:/tmp/t1", RB_O_WRONLY | RB_O_TRUNC);
	KEXPECT(rb_read(fd, buf, 1), -E_BADF);
	KEXPECT(rb_close(fd), 0);
	KEXPECT(slurp("file:/tmp/t1", buf, sizeof buf), 0);
	KEXPECT(rb_unlink("file:/tmp/t1", 0), 0);
	KEXPECT(rb_open("file:/tmp/t1", RB_O_RDONLY), -E_NOENT);
	KEXPECT(rb_unlink("file:/tmp/t1", 0), -E_NOENT);
	return 0;
}

/* pread / pwrite on a ramfs file, on initfs (offsets kept by the kernel) and on a pipe. */
static int positioned_io(char *why, size_t n)
{
	char buf[16];
	int fd = rb_open("file:/tmp/t-pio", RB_O_RDWR | RB_O_CREAT | RB_O_TRUNC);
	KCHECK(fd >= 0, "create: %d", fd);
	KEXPECT(rb_write(fd, "0123456789", 10), 10);
	KEXPECT(rb_pread(fd, buf, 4, 3), 4);
	KCHECK(memcmp(buf, "3456", 4) == 0, "pread %.4s", buf);
	KEXPECT(rb_pwrite(fd, "ab", 2, 1), 2);
	KEXPECT(rb_lseek(fd, 0, RB_SEEK_CUR), 10); /* neither moved the offset */
	KEXPECT(rb_pread(fd, buf, sizeof buf, 0), 10);
	KCHECK(memcmp(buf, "0ab3456789", 10) == 0, "content %.10s", buf);
	KEXPECT(rb_pread(fd, buf, 4, 10), 0);		     /* end of file */
	KEXPECT(rb_pread(fd, buf, 4, 1ull << 63), -E_INVAL); /* not an off_t */
	KEXPECT(rb_close(fd), 0);
	KEXPECT(rb_unlink("file:/tmp/t-pio", 0), 0);
	fd = rb_open("initfs:/bin/ktest", RB_O_RDONLY);
	KCHECK(fd >= 0, "open ktest: %d", fd);
	KEXPECT(rb_pread(fd, buf, 3, 1), 3);
	KCHECK(memcmp(buf, "ELF", 3) == 0, "initfs pread %.3s", buf);
	KEXPECT(rb_lseek(fd, 0, RB_SEEK_CUR), 0);
	KEXPECT(rb_close(fd), 0);
	int p[2];
	KEXPECT(rb_pipe(p, 0), 0);
	KEXPECT(rb_pread(p[0], buf, 1, 0), -E_SPIPE);
	KEXPECT(rb_pwrite(p[1], "x", 1, 0), -E_SPIPE);
	rb_close(p[0]);
	rb_close(p[1]);
	return 0;
}

static int tmp_tree_ops(char *why, size_t n)
{
	char buf[64];
	KEXPECT(rb_mkdir("file:/tmp/d"), 0);
	KEXPECT(rb_mkdir("file:/tmp/d"), -E_EXIST);
	KEXPECT(rb_mkdir("file:/tmp/d/e"), 0);
	KEXPECT(put("file:/tmp/d/e/f", "F"), 0);
	KEXPECT(rb_open("file:/tmp/d/e/f/g", RB_O_RDONLY), -E_NOTDIR);
	KEXPECT(rb_open("file:/tmp/d/../d", RB_O_RDONLY), -E_INVAL);
	KEXPECT(rb_open("file:/tmp/d", RB_O_RDWR), -E_ISDIR);
	KEXPECT(rb_unlink("file:/tmp/d", RB_AT_REMOVEDIR), -E_NOTEMPTY);
	KEXPECT(rb_unlink("file:/tmp/d", 0), -E_ISDIR);
	KEXPECT(rb_unlink("file:/tmp/d/e/f", RB_AT_REMOVEDIR), -E_NOTDIR);
	KEXPECT(rb_rename("file:/tmp/d", "file:/tmp/d/e/x"), -E_INVAL); /* into itself */
	KEXPECT(rb_rename("file:/tmp/d/e/f", "file:/tmp/f2"), 0);
	KEXPECT(slurp("file:/tmp/f2", buf, sizeof buf), 1);
	KEXPECT(rb_open("file:/tmp/d/e/f", RB_O_RDONLY), -E_NOENT);
	KEXPECT(put("file:/tmp/f3", "three"), 0);
	KEXPECT(rb_rename("file:/tmp/f3", "file:/tmp/f2"), 0); /* replaces a file */
	KEXPECT(slurp("file:/tmp/f2", buf, sizeof buf), 5);
	KEXPECT(rb_rename("file:/tmp/d", "file:/tmp/d2"), 0); /* a whole directory */
	KEXPECT(rb_unlink("file:/tmp/d2/e", RB_AT_REMOVEDIR), 0);
	KEXPECT(rb_unlink("file:/tmp/d2", RB_AT_REMOVEDIR), 0);
	KEXPECT(rb_unlink("file:/tmp/f2", 0), 0);
	KEXPECT(rb_rename("file:/tmp/nope", "file:/tmp/x"), -E_NOENT);
	KEXPECT(rb_rename("file:/tmp/x", "initfs:/x"), -E_XDEV);
	return 0;
}

/* Does the getdents listing of path hold name with type? */
static int dir_has(const char *path, const char *name, int type)
{
	unsigned char buf[512];
	int fd = rb_open(path, RB_O_RDONLY | RB_O_DIRECTORY), found = 0;
	if (fd < 0)
		return fd;
	long r;
	while ((r = rb_getdents(fd, buf, sizeof buf)) > 0)
		for (long off = 0; off < r; off += ((struct rb_dirent *)(buf + off))->reclen) {
			struct rb_dirent *d = (struct rb_dirent *)(buf + off);
			if (d->reclen == 0) {
				rb_close(fd);
				return -E_IO;
			}
			if (strcmp(d->name, name) == 0 && d->type == type)
				found = 1;
		}
	rb_close(fd);
	return r < 0 ? (int)r : found;
}

static int getdents_root(char *why, size_t n)
{
	KEXPECT(dir_has("file:/", "bin", RB_DT_DIR), 1);
	KEXPECT(dir_has("file:/", "etc", RB_DT_DIR), 1);
	KEXPECT(dir_has("file:/", "tmp", RB_DT_DIR), 1);
	KEXPECT(dir_has("file:/", "var", RB_DT_DIR), 1);
	KEXPECT(dir_has("file:/var", "log", RB_DT_DIR), 1);
	KEXPECT(dir_has("file:/var", "run", RB_DT_DIR), 1);
	KEXPECT(dir_has("file:/etc", "motd", RB_DT_REG), 1);
	KEXPECT(dir_has("file:/bin", "ramfsd", RB_DT_REG), 1);
	KEXPECT(dir_has("file:/", "motd", RB_DT_REG), 0);
	KEXPECT(dir_has("file:/etc/motd", "x", RB_DT_REG), -E_NOTDIR);
	return 0;
}

static int fpath(char *why, size_t n)
{
	char buf[64];
	KEXPECT(rb_mkdir("file:/tmp/fp"), 0);
	int fd = rb_open("file:/tmp/fp/name", RB_O_RDWR | RB_O_CREAT);
	KCHECK(fd >= 0, "create: %d", fd);
	long r = rb_fpath(fd, buf, sizeof buf);
	KCHECK(r == 17 && memcmp(buf, "file:/tmp/fp/name", 17) == 0, "fpath %ld %.*s", r,
	       (int)(r > 0 ? r : 0), buf);
	KEXPECT(rb_rename("file:/tmp/fp", "file:/tmp/fq"), 0);
	r = rb_fpath(fd, buf, sizeof buf);
	KCHECK(r == 17 && memcmp(buf, "file:/tmp/fq/name", 17) == 0, "after rename %ld %.*s", r,
	       (int)(r > 0 ? r : 0), buf);
	KEXPECT(rb_unlink("file:/tmp/fq/name", 0), 0);
	KEXPECT(rb_fpath(fd, buf, sizeof buf), -E_NOENT);
	KEXPECT(rb_close(fd), 0);
	KEXPECT(rb_unlink("file:/tmp/fq", RB_AT_REMOVEDIR), 0);
	return 0;
}

static int unlinked_open(char *why, size_t n)
{
	char buf[16];
	int fd = rb_open("file:/tmp/ghost", RB_O_RDWR | RB_O_CREAT | RB_O_EXCL);
	KCHECK(fd >= 0, "create: %d", fd);
	int fd2 = rb_dup_handle(fd, ""); /* a second handle on the node, own offset */
	KCHECK(fd2 >= 0, "dup_handle: %d %s", fd2, err_name(fd2));
	KEXPECT(rb_write(fd, "boo", 3), 3);
	KEXPECT(rb_unlink("file:/tmp/ghost", 0), 0);
	KEXPECT(rb_open("file:/tmp/ghost", RB_O_RDONLY), -E_NOENT);
	KEXPECT(rb_read(fd2, buf, sizeof buf), 3);
	KCHECK(memcmp(buf, "boo", 3) == 0, "ghost read %.3s", buf);
	KEXPECT(rb_write(fd2, "!", 1), 1);
	KEXPECT(rb_close(fd2), 0);
	KEXPECT(rb_lseek(fd, 0, RB_SEEK_SET), 0);
	KEXPECT(rb_read(fd, buf, sizeof buf), 4);
	KEXPECT(rb_close(fd), 0);
	return 0;
}

/* The child side: as uid 1000, create argv[2]: exit 0, or the error number. */
void kt_ramfs_child(const char *path)
{
	if (rb_setuid(1000) < 0)
		rb_exit(99);
	int fd = rb_open(path, RB_O_WRONLY | RB_O_CREAT);
	if (fd < 0)
		rb_exit(-fd);
	int r = rb_write(fd, "u", 1) == 1 ? 0 : 98;
	rb_close(fd);
	rb_exit(r);
}

/* Run the child on path: its exit status, or -1. */
static int child_create(const char *path)
{
	char *argv[] = {"ktest", "ramfs-child", (char *)path, NULL};
	int pid = rb_spawn(KTEST, argv, NULL, NULL, 0), status = -1;
	if (pid < 0 || rb_waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int permissions(char *why, size_t n)
{
	KEXPECT(child_create("file:/etc/evil"), E_ACCES); /* root's 0755 directory */
	KEXPECT(rb_open("file:/etc/evil", RB_O_RDONLY), -E_NOENT);
	KEXPECT(child_create("file:/etc/motd"), E_ACCES); /* root's 0644 file */
	KEXPECT(child_create("file:/tmp/users"), 0);	  /* 1777 */
	char buf[8];
	KEXPECT(slurp("file:/tmp/users", buf, sizeof buf), 1);
	KEXPECT(rb_unlink("file:/tmp/users", 0), 0); /* root may, sticky or not */
	return 0;
}

static int nospc(char *why, size_t n)
{
	static char block[1024];
	char *argv[] = {"ramfsd", "-n", "test-ramfs", "-s", "8K", NULL};
	int pid = rb_spawn(RAMFSD, argv, NULL, console, 3), status = -1;
	KCHECK(pid > 0, "spawn: %d", pid);
	int fd = open_when_ready("test-ramfs:/tmp/fill", RB_O_RDWR | RB_O_CREAT);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	/* fill it exactly: blocks of 1024, then halves down to one byte */
	long total = 0, r, first_err = 0;
	memset(block, 'f', sizeof block);
	for (size_t b = sizeof block; b > 0; b /= 2) {
		while ((r = rb_write(fd, block, b)) == (long)b)
			total += r;
		if (b == sizeof block)
			first_err = r;
	}
	struct rb_stat st;
	int err = rb_fstat(fd, &st);
	int fd2 = rb_open("test-ramfs:/tmp/more", RB_O_RDWR | RB_O_CREAT);
	int mk = rb_mkdir("test-ramfs:/tmp/dir");
	long trunc = ftruncate_fd(fd, 0);
	int fd3 = rb_open("test-ramfs:/tmp/more", RB_O_RDWR | RB_O_CREAT);
	rb_close(fd);
	rb_close(fd3);
	KEXPECT(rb_kill(pid, RB_SIGKILL), 0);
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(first_err, -E_NOSPC);
	KEXPECT(r, -E_NOSPC);
	KEXPECT(total, 8192 - 3 * RAMFS_NODE_COST); /* the root, /tmp and the file */
	KEXPECT(err, 0);
	KEXPECT(st.size, total); /* the failed writes left nothing behind */
	KEXPECT(fd2, -E_NOSPC);
	KEXPECT(mk, -E_NOSPC);
	KEXPECT(trunc, 0);
	KCHECK(fd3 >= 0, "create after freeing: %d", fd3);
	return 0;
}

#define NWORKERS 4
#define ROUNDS 12

/* One thread: write, read back and check its own file ROUNDS times. */
static int file_worker(void *arg)
{
	long me = (long)arg;
	char path[32], buf[256], back[256];
	rb_snprintf(path, sizeof path, "file:/tmp/w%ld", me);
	for (int k = 0; k < ROUNDS; k++) {
		int fd = rb_open(path, RB_O_RDWR | RB_O_CREAT | RB_O_TRUNC);
		if (fd < 0)
			return 1;
		size_t len = 1 + (size_t)((me * 31 + k * 7) % sizeof buf);
		memset(buf, (int)('a' + (me + k) % 26), len);
		bool ok =
		    rb_write(fd, buf, len) == (long)len && rb_lseek(fd, 0, RB_SEEK_SET) == 0 &&
		    rb_read(fd, back, sizeof back) == (long)len && memcmp(buf, back, len) == 0;
		rb_close(fd);
		if (!ok)
			return 2;
	}
	return rb_unlink(path, 0) == 0 ? 0 : 3;
}

static int threads(char *why, size_t n)
{
	int tids[NWORKERS], bad = 0;
	uint64_t t0 = rb_now_ns();
	for (long i = 0; i < NWORKERS; i++)
		tids[i] = rb_thread_create(file_worker, (void *)i);
	for (int i = 0; i < NWORKERS; i++) {
		int code = -1;
		if (tids[i] < 0 || rb_thread_join(tids[i], &code) < 0 || code != 0)
			bad++;
	}
	uint64_t took = rb_now_ns() - t0;
	rb_printf("# ramfs: %d threads x %d rounds of open/write/seek/read/close: %llu ms\n",
		  NWORKERS, ROUNDS, (unsigned long long)(took / 1000000));
	KEXPECT(bad, 0);
	KEXPECT(dir_has("file:/tmp", "w0", RB_DT_REG), 0);
	return 0;
}

#define TRIPS 200

/* Microseconds per fstat of fd over TRIPS calls; *bad counts failures. */
static unsigned long long fstat_us(int fd, int *bad)
{
	struct rb_stat st;
	uint64_t t0 = rb_now_ns();
	for (int i = 0; i < TRIPS; i++)
		*bad += rb_fstat(fd, &st) != 0;
	return (rb_now_ns() - t0) / TRIPS / 1000;
}

/*
 * Time fstat round trips on file: and on initfs: (a kernel scheme), and
 * on file: with ktest and ramfsd both pinned to CPU 0 (no cross-CPU
 * wake-up); print them.
 */
static int round_trip(char *why, size_t n)
{
	int fd = rb_open("file:/etc/motd", RB_O_RDONLY), kfd = rb_open("initfs:/etc/motd", 0);
	KCHECK(fd >= 0 && kfd >= 0, "open: %d %d", fd, kfd);
	int bad = 0;
	unsigned long long us = fstat_us(fd, &bad), kus = fstat_us(kfd, &bad), pus = 0;
	uint64_t one = 1, all = ~0ull;
	if (ramfsd_pid > 0 && rb_sched_setaffinity(0, sizeof one, &one) == 0 &&
	    rb_sched_setaffinity(ramfsd_pid, sizeof one, &one) == 0)
		pus = fstat_us(fd, &bad);
	rb_sched_setaffinity(0, sizeof all, &all);
	if (ramfsd_pid > 0)
		rb_sched_setaffinity(ramfsd_pid, sizeof all, &all);
	rb_printf("# ramfs: fstat round trip %llu us on file:, %llu us on file: with client and "
		  "server on one CPU, %llu us on initfs:\n",
		  us, pus, kus);
	rb_close(fd);
	rb_close(kfd);
	KEXPECT(bad, 0);
	return 0;
}

const struct kcase ramfs_cases[] = {
    {"ramfs: ramfsd starts and serves file:", starts},
    {"ramfs: /etc/motd and /bin are seeded from initfs", motd},
    {"ramfs: create, write, seek, read, truncate, append, unlink in /tmp", tmp_file_ops},
    {"ramfs: pread and pwrite leave the offset alone; a pipe has none", positioned_io},
    {"ramfs: mkdir, rename, rmdir, ENOTEMPTY, EEXIST", tmp_tree_ops},
    {"ramfs: getdents of / and below", getdents_root},
    {"ramfs: fpath follows a rename and fails once unlinked", fpath},
    {"ramfs: an unlinked file lives while it is open", unlinked_open},
    {"ramfs: a non-root child gets EACCES in /etc, not in /tmp", permissions},
    {"ramfs: a small instance fails with ENOSPC, nothing half-done", nospc},
    {"ramfs: 4 threads on their own files at once", threads},
    {"ramfs: fstat round trips (time printed)", round_trip},
    {NULL, NULL},
};
