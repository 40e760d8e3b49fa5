/*
 * unistd.h - POSIX system interface (user/libc/unistd.c, getopt.c).
 *
 * Every call returns -1 and sets errno on failure. Paths are the kernel's:
 * "scheme:/path", or a plain "/path" which the file: scheme (ramfsd)
 * serves. There is no fork or exec: start programs with posix_spawn
 * (<spawn.h>). There is no working directory yet (docs/libc.md).
 */
#pragma once
#include <stddef.h>
#include <sys/types.h>
#include "base/compiler.h"

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

extern char **environ;
extern char *optarg;
extern int optind, opterr, optopt;

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
ssize_t pread(int fd, void *buf, size_t n, off_t off);
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off);
int close(int fd);
off_t lseek(int fd, off_t off, int whence);
int dup(int fd);
int dup2(int fd, int newfd);
int pipe(int fds[2]);
int unlink(const char *path);
int rmdir(const char *path);
int ftruncate(int fd, off_t len);
int fsync(int fd);
int access(const char *path, int mode);
int isatty(int fd);
pid_t getpid(void);
pid_t getppid(void);
int chdir(const char *path);
char *getcwd(char *buf, size_t size);
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
pid_t setsid(void);
pid_t getsid(pid_t pid);
int tcsetpgrp(int fd, pid_t pgrp);
pid_t tcgetpgrp(int fd);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
int setuid(uid_t uid);
int setgid(gid_t gid);
unsigned sleep(unsigned seconds);
int usleep(unsigned long usec);
NORETURN void _exit(int code);
int getopt(int argc, char *const argv[], const char *optstring);
long sysconf(int name);
#define _SC_PAGESIZE 30
#define _SC_PAGE_SIZE _SC_PAGESIZE
#define _SC_OPEN_MAX 4
#define _SC_NPROCESSORS_ONLN 84
