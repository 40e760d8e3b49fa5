/*
 * syscall.c - the typed system-call wrappers declared in rb/sys.h.
 *
 * Each wrapper casts its arguments to long and issues one rb_syscallN
 * (rb/syscall.h). They hold no state and take no locks.
 */
#include "rb/sys.h"
#include "rb/syscall.h"

void rb_exit(int code)
{
	rb_syscall1(SYS_EXIT, code);
	for (;;)
		__asm__ volatile("ud2");
}

long rb_write(int fd, const void *buf, size_t len)
{
	return rb_syscall3(SYS_WRITE, fd, (long)buf, (long)len);
}

long rb_read(int fd, void *buf, size_t len)
{
	return rb_syscall3(SYS_READ, fd, (long)buf, (long)len);
}

long rb_pread(int fd, void *buf, size_t len, unsigned long long off)
{
	return rb_syscall4(SYS_PREAD, fd, (long)buf, (long)len, (long)off);
}

long rb_pwrite(int fd, const void *buf, size_t len, unsigned long long off)
{
	return rb_syscall4(SYS_PWRITE, fd, (long)buf, (long)len, (long)off);
}

int rb_open(const char *path, int flags)
{
	return (int)rb_syscall2(SYS_OPEN, (long)path, flags);
}

int rb_close(int fd)
{
	return (int)rb_syscall1(SYS_CLOSE, fd);
}

int rb_dup(int fd)
{
	return (int)rb_syscall1(SYS_DUP, fd);
}

int rb_dup2(int fd, int newfd)
{
	return (int)rb_syscall2(SYS_DUP2, fd, newfd);
}

long rb_lseek(int fd, long off, int whence)
{
	return rb_syscall3(SYS_LSEEK, fd, off, whence);
}

int rb_fstat(int fd, struct rb_stat *st)
{
	return (int)rb_syscall2(SYS_FSTAT, fd, (long)st);
}

long rb_getdents(int fd, void *buf, size_t len)
{
	return rb_syscall3(SYS_GETDENTS, fd, (long)buf, (long)len);
}

void *rb_mmap(void *hint, size_t len, int prot, int flags)
{
	return (void *)rb_syscall4(SYS_MMAP, (long)hint, (long)len, prot, flags);
}

int rb_munmap(void *addr, size_t len)
{
	return (int)rb_syscall2(SYS_MUNMAP, (long)addr, (long)len);
}

int rb_mprotect(void *addr, size_t len, int prot)
{
	return (int)rb_syscall3(SYS_MPROTECT, (long)addr, (long)len, prot);
}

int rb_vmquery(const void *addr)
{
	return (int)rb_syscall1(SYS_VMQUERY, (long)addr);
}

int rb_spawn(const char *path, char *const argv[], char *const envp[], const int *fdmap, int nfd)
{
	return rb_spawn_attr(path, argv, envp, fdmap, nfd, 0);
}

int rb_spawn_attr(const char *path, char *const argv[], char *const envp[], const int *fdmap,
		  int nfd, const struct rb_spawn_attr *attr)
{
	return (int)rb_syscall6(SYS_SPAWN, (long)path, (long)argv, (long)envp, (long)fdmap, nfd,
				(long)attr);
}

int rb_waitpid(int pid, int *status, int options)
{
	return (int)rb_syscall3(SYS_WAITPID, pid, (long)status, options);
}

int rb_kill(int pid, int sig)
{
	return (int)rb_syscall2(SYS_KILL, pid, sig);
}

int rb_getpid(void)
{
	return (int)rb_syscall0(SYS_GETPID);
}

int rb_getppid(void)
{
	return (int)rb_syscall0(SYS_GETPPID);
}

int rb_getuid(void)
{
	return (int)rb_syscall0(SYS_GETUID);
}

int rb_setuid(int uid)
{
	return (int)rb_syscall1(SYS_SETUID, uid);
}

long rb_fcntl(int fd, int cmd, long arg)
{
	return rb_syscall3(SYS_FCNTL, fd, cmd, arg);
}

int rb_ftruncate(int fd, uint64_t len)
{
	return (int)rb_syscall2(SYS_FTRUNCATE, fd, (long)len);
}

int rb_fsync(int fd)
{
	return (int)rb_syscall1(SYS_FSYNC, fd);
}

int rb_getgid(void)
{
	return (int)rb_syscall0(SYS_GETGID);
}

int rb_setgid(int gid)
{
	return (int)rb_syscall1(SYS_SETGID, gid);
}

long rb_procinfo(int pid, struct rb_procinfo *out)
{
	return rb_syscall3(SYS_PROCINFO, pid, (long)out, (long)sizeof *out);
}

long rb_fpath(int fd, char *buf, size_t len)
{
	return rb_syscall3(SYS_FPATH, fd, (long)buf, (long)len);
}

int rb_unlink(const char *path, int flags)
{
	return (int)rb_syscall2(SYS_UNLINK, (long)path, flags);
}

int rb_rename(const char *from, const char *to)
{
	return (int)rb_syscall2(SYS_RENAME, (long)from, (long)to);
}

int rb_mkdir(const char *path)
{
	int fd = rb_open(path, RB_O_RDONLY | RB_O_CREAT | RB_O_EXCL | RB_O_DIRECTORY);
	return fd < 0 ? fd : rb_close(fd);
}

int rb_pipe(int fds[2], int flags)
{
	return (int)rb_syscall2(SYS_PIPE, (long)fds, flags);
}

int rb_poll(struct rb_pollfd *fds, size_t n, int64_t timeout_ns)
{
	return (int)rb_syscall3(SYS_POLL, (long)fds, (long)n, (long)timeout_ns);
}

int rb_dup_handle(int fd, const char *arg)
{
	return (int)rb_syscall2(SYS_DUP_HANDLE, fd, (long)arg);
}

void *rb_mmap_fd(void *hint, size_t len, int prot, int flags, int fd, uint64_t off)
{
	return (void *)rb_syscall6(SYS_MMAP, (long)hint, (long)len, prot, flags | RB_MAP_FD, fd,
				   (long)off);
}

long rb_getrlimit(int resource)
{
	return rb_syscall1(SYS_GETRLIMIT, resource);
}

int rb_setrlimit(int resource, uint64_t value)
{
	return (int)rb_syscall2(SYS_SETRLIMIT, resource, (long)value);
}

int rb_scheme_create(const char *name, int flags)
{
	return (int)rb_syscall2(SYS_SCHEME_CREATE, (long)name, flags);
}

int rb_sendfd(int fd, int sendfd, int flags)
{
	return (int)rb_syscall3(SYS_SENDFD, fd, sendfd, flags);
}

int rb_recvfd(int fd, int flags)
{
	return (int)rb_syscall2(SYS_RECVFD, fd, flags);
}

int rb_nanosleep(uint64_t ns)
{
	return (int)rb_syscall1(SYS_NANOSLEEP, (long)ns);
}

int rb_clock_gettime(int clock, struct rb_timespec *ts)
{
	return (int)rb_syscall2(SYS_CLOCK_GETTIME, clock, (long)ts);
}

uint64_t rb_now_ns(void)
{
	struct rb_timespec ts;
	if (rb_clock_gettime(RB_CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (uint64_t)ts.sec * 1000000000ull + (uint64_t)ts.nsec;
}

int rb_sched_yield(void)
{
	return (int)rb_syscall0(SYS_SCHED_YIELD);
}

int rb_sched_setaffinity(int pid, size_t size, const uint64_t *mask)
{
	return (int)rb_syscall3(SYS_SCHED_SETAFFINITY, pid, (long)size, (long)mask);
}

int rb_sched_getaffinity(int pid, size_t size, uint64_t *mask)
{
	return (int)rb_syscall3(SYS_SCHED_GETAFFINITY, pid, (long)size, (long)mask);
}

int rb_sched_setparam(int pid, int policy, int prio)
{
	return (int)rb_syscall3(SYS_SCHED_SETPARAM, pid, policy, prio);
}

int rb_poweroff(void)
{
	return (int)rb_syscall0(SYS_POWEROFF);
}

int rb_reboot(void)
{
	return (int)rb_syscall0(SYS_REBOOT);
}

int rb_chdir(const char *path)
{
	return (int)rb_syscall1(SYS_CHDIR, (long)path);
}

long rb_getcwd(char *buf, size_t len)
{
	return rb_syscall2(SYS_GETCWD, (long)buf, (long)len);
}

int rb_setpgid(int pid, int pgid)
{
	return (int)rb_syscall2(SYS_SETPGID, pid, pgid);
}

int rb_getpgid(int pid)
{
	return (int)rb_syscall1(SYS_GETPGID, pid);
}

int rb_setsid(void)
{
	return (int)rb_syscall0(SYS_SETSID);
}

int rb_getsid(int pid)
{
	return (int)rb_syscall1(SYS_GETSID, pid);
}

int rb_tcsetpgrp(int fd, int pgid)
{
	return (int)rb_syscall2(SYS_TCSETPGRP, fd, pgid);
}

int rb_tcgetpgrp(int fd)
{
	return (int)rb_syscall1(SYS_TCGETPGRP, fd);
}

int rb_tcsetmode(int fd, int mode)
{
	return (int)rb_syscall2(SYS_TCSETMODE, fd, mode);
}

long rb_meminfo(void)
{
	return rb_syscall0(SYS_MEMINFO);
}

long rb_kstat(struct rb_kstat *out)
{
	return rb_syscall2(SYS_KSTAT, (long)out, (long)sizeof *out);
}

long rb_proclist(int *pids, size_t cap)
{
	return rb_syscall2(SYS_PROCLIST, (long)pids, (long)cap);
}

long rb_cpuinfo(struct rb_cpuinfo *out, size_t n)
{
	return rb_syscall2(SYS_CPUINFO, (long)out, (long)n);
}

long rb_sysinfo(struct rb_sysinfo *out)
{
	return rb_syscall2(SYS_SYSINFO, (long)out, (long)sizeof *out);
}

long rb_fwtables(struct rb_fwtable *out, size_t n)
{
	return rb_syscall2(SYS_FWTABLES, (long)out, (long)n);
}

long rb_hwgrant(int pid, int kind, unsigned long long base, unsigned long long len)
{
	return rb_syscall4(SYS_HWGRANT, pid, kind, (long)base, (long)len);
}

long rb_dmamap(size_t len, unsigned long long *phys)
{
	return rb_syscall2(SYS_DMAMAP, (long)len, (long)phys);
}

long rb_hwstore(int kind, unsigned long long addr, unsigned width, unsigned val)
{
	return rb_syscall4(SYS_HWSTORE, kind, (long)addr, width, val);
}
