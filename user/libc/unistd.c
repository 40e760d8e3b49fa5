/*
 * unistd.c - the POSIX calls that map one to one onto system calls: fds,
 * paths, ids, sleeping, poll, mmap, fcntl.
 *
 * Each returns the kernel's result, or -1 with errno = the kernel's E_*
 * code (libc_ret). No state of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "libc.h"
#include "rb/sys.h"
#include "rb/thread.h"

ssize_t read(int fd, void *buf, size_t n)
{
	return libc_ret(rb_read(fd, buf, n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return libc_ret(rb_write(fd, buf, n));
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return off < 0 ? libc_ret(-E_INVAL)
		       : libc_ret(rb_pread(fd, buf, n, (unsigned long long)off));
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return off < 0 ? libc_ret(-E_INVAL)
		       : libc_ret(rb_pwrite(fd, buf, n, (unsigned long long)off));
}

int close(int fd)
{
	return (int)libc_ret(rb_close(fd));
}

off_t lseek(int fd, off_t off, int whence)
{
	return libc_ret(rb_lseek(fd, off, whence));
}

int dup(int fd)
{
	return (int)libc_ret(rb_dup(fd));
}

int dup2(int fd, int newfd)
{
	return (int)libc_ret(rb_dup2(fd, newfd));
}

int pipe(int fds[2])
{
	return (int)libc_ret(rb_pipe(fds, 0));
}

int open(const char *path, int flags, ...)
{
	/* The mode argument (with O_CREAT) is ignored: there are no permissions yet. */
	return (int)libc_ret(rb_open(path, flags & ~O_CLOEXEC));
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	long arg = va_arg(ap, long);
	va_end(ap);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return (int)libc_ret(rb_fcntl(fd, 0, arg));
	case F_GETFD:
	case F_SETFD: /* no exec, so close-on-exec means nothing; check fd */
	{
		struct rb_stat st;
		if (libc_ret(rb_fstat(fd, &st)) < 0)
			return -1;
		return cmd == F_GETFD ? FD_CLOEXEC : 0;
	}
	default:
		errno = EINVAL; /* F_GETFL/F_SETFL: the kernel has no such command yet */
		return -1;
	}
}

int unlink(const char *path)
{
	return (int)libc_ret(rb_unlink(path, 0));
}

int rmdir(const char *path)
{
	return (int)libc_ret(rb_unlink(path, RB_AT_REMOVEDIR));
}

int rename(const char *from, const char *to)
{
	return (int)libc_ret(rb_rename(from, to));
}

int mkdir(const char *path, mode_t mode)
{
	return (int)libc_ret(rb_mkdir(path));
}

int ftruncate(int fd, off_t len)
{
	if (len < 0) {
		errno = EINVAL;
		return -1;
	}
	return (int)libc_ret(rb_ftruncate(fd, (uint64_t)len));
}

int fsync(int fd)
{
	return (int)libc_ret(rb_fsync(fd));
}

int access(const char *path, int mode)
{
	int fd = rb_open(path, (mode & W_OK) ? RB_O_WRONLY : RB_O_RDONLY);
	if (fd == -E_ISDIR && !(mode & W_OK))
		fd = rb_open(path, RB_O_RDONLY | RB_O_DIRECTORY);
	if (fd < 0)
		return (int)libc_ret(fd);
	rb_close(fd);
	return 0;
}

int isatty(int fd)
{
	char path[RB_PATH_MAX];
	long n = rb_fpath(fd, path, sizeof path);
	if (n < 0) {
		errno = (int)-n;
		return 0;
	}
	if (n >= 6 && memcmp(path, "debug:", 6) == 0)
		return 1;
	errno = ENOTTY;
	return 0;
}

pid_t getpid(void)
{
	return rb_getpid();
}

pid_t getppid(void)
{
	return rb_getppid();
}

/* The cwd is the kernel's: a "scheme:/dir" string (docs/syscalls.md). */
int chdir(const char *path)
{
	return (int)libc_ret(rb_chdir(path));
}

char *getcwd(char *buf, size_t size)
{
	return libc_ret(rb_getcwd(buf, size)) < 0 ? NULL : buf;
}

int setpgid(pid_t pid, pid_t pgid)
{
	return (int)libc_ret(rb_setpgid(pid, pgid));
}

pid_t getpgid(pid_t pid)
{
	return (pid_t)libc_ret(rb_getpgid(pid));
}

pid_t getpgrp(void)
{
	return getpgid(0);
}

pid_t setsid(void)
{
	return (pid_t)libc_ret(rb_setsid());
}

pid_t getsid(pid_t pid)
{
	return (pid_t)libc_ret(rb_getsid(pid));
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	return (int)libc_ret(rb_tcsetpgrp(fd, pgrp));
}

pid_t tcgetpgrp(int fd)
{
	return (pid_t)libc_ret(rb_tcgetpgrp(fd));
}

uid_t getuid(void)
{
	return (uid_t)rb_getuid();
}

uid_t geteuid(void)
{
	return (uid_t)rb_getuid();
}

gid_t getgid(void)
{
	return (gid_t)rb_getgid();
}

gid_t getegid(void)
{
	return (gid_t)rb_getgid();
}

int setuid(uid_t uid)
{
	return (int)libc_ret(rb_setuid((int)uid));
}

int setgid(gid_t gid)
{
	return (int)libc_ret(rb_setgid((int)gid));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!req || req->tv_nsec < 0 || req->tv_nsec >= 1000000000L || req->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	if (rem)
		*rem = (struct timespec){0, 0}; /* the kernel does not say how much was left */
	return (int)libc_ret(
	    rb_nanosleep((uint64_t)req->tv_sec * 1000000000ull + (uint64_t)req->tv_nsec));
}

unsigned sleep(unsigned seconds)
{
	struct timespec ts = {seconds, 0};
	nanosleep(&ts, NULL);
	return 0;
}

int usleep(unsigned long usec)
{
	struct timespec ts = {(time_t)(usec / 1000000), (long)(usec % 1000000) * 1000};
	return nanosleep(&ts, NULL);
}

int poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	int64_t ns = timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000000;
	return (int)libc_ret(rb_poll((struct rb_pollfd *)fds, n, ns));
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p;
	int rbflags = (flags & MAP_POPULATE) ? RB_MAP_POPULATE : 0;
	if (flags & MAP_FIXED) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	if (flags & MAP_ANONYMOUS)
		p = rb_mmap(addr, len, prot, rbflags);
	else if (flags & MAP_SHARED)
		p = rb_mmap_fd(addr, len, prot, rbflags, fd, (uint64_t)off);
	else {
		errno = ENOTSUP; /* private file mappings: not yet */
		return MAP_FAILED;
	}
	if (RB_IS_ERR(p)) {
		errno = (int)-(long)p;
		return MAP_FAILED;
	}
	return p;
}

int munmap(void *addr, size_t len)
{
	return (int)libc_ret(rb_munmap(addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return (int)libc_ret(rb_mprotect(addr, len, prot));
}

int sched_yield(void)
{
	return rb_sched_yield();
}

long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE:
		return 4096;
	case _SC_OPEN_MAX:
		return rb_getrlimit(RB_RLIMIT_NOFILE);
	case _SC_NPROCESSORS_ONLN: {
		uint64_t mask[4] = {0};
		int n = rb_sched_getaffinity(0, sizeof mask, mask), cpus = 0;
		for (int i = 0; i < n / 8; i++)
			cpus += __builtin_popcountll(mask[i]);
		return cpus > 0 ? cpus : 1;
	}
	default:
		errno = EINVAL;
		return -1;
	}
}
