/*
 * rb/sys.h - typed wrappers for the Red Bear system calls.
 *
 * Each rb_<name> is the POSIX call of that name, thinly: it returns what
 * the kernel returned, >= 0 on success or a negative E_* code from
 * base/err.h (there is no errno). Sizes and offsets are the kernel's
 * (lib/base/syscall_nr.h, docs/syscalls.md). Threads, futexes and the
 * mutex are in rb/thread.h, signals in rb/signal.h, printing in
 * rb/stdio.h, memory allocation in rb/malloc.h.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "base/err.h"
#include "base/syscall_nr.h"

/* getdents records: struct rb_dirent in base/syscall_nr.h; RB_DT_DIR/RB_DT_REG there. */
#define RB_S_IFMT 0xF000
#define RB_S_IFDIR 0x4000
#define RB_S_IFREG 0x8000
#define RB_S_IFCHR 0x2000
#define RB_S_IFIFO 0x1000 /* a pipe end */

/*
 * waitpid status (the kernel's, kernel/proc/proc.h): the exit code (0..255)
 * of a process that exited, or 128 + the signal that killed it.
 */
#define RB_WEXITSTATUS(s) ((s)&0xff)

/* True when a value returned as a pointer or long is an error code. */
#define RB_IS_ERR(v) ((unsigned long)(v) >= (unsigned long)-4095)

/* Exit the whole process with code (never returns). */
NORETURN void rb_exit(int code);
/* Write len bytes from buf to fd; bytes written or an error. */
long rb_write(int fd, const void *buf, size_t len);
/* Read up to len bytes from fd into buf; bytes read (0 at end) or an error. */
long rb_read(int fd, void *buf, size_t len);
/* rb_read / rb_write at byte off, leaving fd's offset alone (ESPIPE: fd has none). */
long rb_pread(int fd, void *buf, size_t len, unsigned long long off);
long rb_pwrite(int fd, const void *buf, size_t len, unsigned long long off);
/* Open the scheme path ("initfs:/bin/init") with RB_O_* flags; fd or error. */
int rb_open(const char *path, int flags);
/* Close fd; 0 or an error. */
int rb_close(int fd);
/* Duplicate fd onto the lowest free descriptor; the new fd or an error. */
int rb_dup(int fd);
/* Make newfd refer to what fd refers to (closing newfd first); newfd or error. */
int rb_dup2(int fd, int newfd);
/* Move fd's offset (RB_SEEK_*); the new offset or an error. */
long rb_lseek(int fd, long off, int whence);
/* Fill *st for fd; 0 or an error. */
int rb_fstat(int fd, struct rb_stat *st);
/* Read directory records (struct rb_dirent) into buf; bytes, 0 at end, or error. */
long rb_getdents(int fd, void *buf, size_t len);
/* Map len bytes of zeroed anonymous memory; the address or an error (RB_IS_ERR). */
void *rb_mmap(void *hint, size_t len, int prot, int flags);
/* Unmap [addr, addr + len); 0 or an error. */
int rb_munmap(void *addr, size_t len);
/* Change the protection of [addr, addr + len); 0 or an error. */
int rb_mprotect(void *addr, size_t len, int prot);
/* How the page at addr is mapped: RB_VM_* bits, or an error. */
int rb_vmquery(const void *addr);
/*
 * Start the program at path with argv and envp (NULL-terminated; envp may
 * be NULL). fdmap[i] is the parent fd that becomes the child's fd i, for
 * i < nfd; with nfd == 0 the child starts with no fds at all (pass
 * {0, 1, 2} to give it the console). Pid or error.
 */
int rb_spawn(const char *path, char *const argv[], char *const envp[], const int *fdmap, int nfd);
/* rb_spawn with attr (NULL: none): RB_SPAWN_SETPGROUP puts the child in group attr->pgid
   (0: its own) before it runs; RB_SPAWN_FOREGROUND also gives that group the console. */
int rb_spawn_attr(const char *path, char *const argv[], char *const envp[], const int *fdmap,
		  int nfd, const struct rb_spawn_attr *attr);
/* Wait for child pid (-1: any) to exit; its pid, 0 with RB_WNOHANG, or error. */
int rb_waitpid(int pid, int *status, int options);
/* Send signal sig to process pid; 0 or an error. */
int rb_kill(int pid, int sig);
/* The calling process's id. */
int rb_getpid(void);
/* The parent's process id. */
int rb_getppid(void);
/* The calling process's user id. */
int rb_getuid(void);
/* Set the user id; 0 or an error. */
int rb_setuid(int uid);
/* A file-control command on fd; the command's result or an error. */
long rb_fcntl(int fd, int cmd, long arg);
/* Set fd's size to len; 0 or an error. */
int rb_ftruncate(int fd, uint64_t len);
/* Write fd's buffered data out; 0 or an error. */
int rb_fsync(int fd);
/* The calling process's group id. */
int rb_getgid(void);
/* Set the group id (root only, or to the present one); 0 or an error. */
int rb_setgid(int gid);
/* What the kernel knows of pid (0: self) now; bytes filled or an error. */
long rb_procinfo(int pid, struct rb_procinfo *out);
/* fd's path ("name:rest", no NUL) into buf; bytes or an error. */
long rb_fpath(int fd, char *buf, size_t len);
/* Remove path (RB_AT_REMOVEDIR: an empty directory); 0 or an error. */
int rb_unlink(const char *path, int flags);
/* Rename from to to (same scheme, else -E_XDEV); 0 or an error. */
int rb_rename(const char *from, const char *to);
/* Make a directory: an O_CREAT|O_EXCL|O_DIRECTORY open, closed at once; 0 or an error. */
int rb_mkdir(const char *path);
/* A pipe: fds[0] reads, fds[1] writes (flags: RB_O_NONBLOCK); 0 or an error. */
int rb_pipe(int fds[2], int flags);
/* Wait until an entry of fds is ready or timeout_ns passes (< 0: forever);
   the number of entries with revents set, or an error. */
int rb_poll(struct rb_pollfd *fds, size_t n, int64_t timeout_ns);
/* A new handle from fd's scheme, derived by arg (e.g. "accept"); fd or an error. */
int rb_dup_handle(int fd, const char *arg);
/* Map len bytes of file fd from offset off (shared); the address or an error (RB_IS_ERR). */
void *rb_mmap_fd(void *hint, size_t len, int prot, int flags, int fd, uint64_t off);
/* Resource limit (RB_RLIMIT_*) of the caller; the value or an error
   (RB_RLIMIT_MEM, _UIDMEM and _MEMRESERVE are in bytes). */
long rb_getrlimit(int resource);
/* Set a resource limit (lower freely; raise as root); 0 or an error. */
int rb_setrlimit(int resource, uint64_t value);
/* Register scheme name; the server fd (docs/ipc.md) or an error. */
int rb_scheme_create(const char *name, int flags);
/* Hand fd's server a reference to sendfd; the server's answer. */
int rb_sendfd(int fd, int sendfd, int flags);
/* Take a file fd's server hands over; the new fd or an error. */
int rb_recvfd(int fd, int flags);
/* Sleep at least ns nanoseconds; 0 or an error. */
int rb_nanosleep(uint64_t ns);
/* Read clock (RB_CLOCK_*) into *ts; 0 or an error. */
int rb_clock_gettime(int clock, struct rb_timespec *ts);
/* Monotonic time in nanoseconds (0 if the clock cannot be read). */
uint64_t rb_now_ns(void);
/* Give the CPU to another runnable thread; 0. */
int rb_sched_yield(void);
/* Restrict pid (0: self) to the CPUs in mask (size bytes); 0 or an error. */
int rb_sched_setaffinity(int pid, size_t size, const uint64_t *mask);
/* Read pid's CPU mask into mask (size bytes); bytes written or an error. */
int rb_sched_getaffinity(int pid, size_t size, uint64_t *mask);
/* Set pid's scheduling policy and priority; 0 or an error. */
int rb_sched_setparam(int pid, int policy, int prio);
/* Power the machine off (privileged); returns only on failure. */
int rb_poweroff(void);
/* Reset the machine (privileged); returns only on failure. */
int rb_reboot(void);
/* Make directory path (relative: to the cwd) the working directory; 0 or an error. */
int rb_chdir(const char *path);
/* The working directory ("scheme:/dir") with its NUL into buf; bytes or an error (ERANGE). */
long rb_getcwd(char *buf, size_t len);
/* Put pid (0: self) in process group pgid (0: pid); 0 or an error. */
int rb_setpgid(int pid, int pgid);
/* The process group of pid (0: self), or an error. */
int rb_getpgid(int pid);
/* Start a new session and group led by the caller; its id or an error. */
int rb_setsid(void);
/* The session of pid (0: self), or an error. */
int rb_getsid(int pid);
/* Make pgid the console's foreground group (fd: a debug: file); 0 or an error. */
int rb_tcsetpgrp(int fd, int pgid);
/* The console's foreground group (0: none), or an error. */
int rb_tcgetpgrp(int fd);
/* Set the console's mode (RB_TC_ISIG or 0); the old mode or an error. */
int rb_tcsetmode(int fd, int mode);
/* Free physical pages, after the kernel trimmed its heap caches. */
long rb_meminfo(void);
/* Kernel-wide counts (privileged): bytes filled, or -E_PERM etc. */
long rb_kstat(struct rb_kstat *out);
/* Pids of live processes, ascending, into pids[0..cap); how many exist (may exceed cap). */
long rb_proclist(int *pids, size_t cap);
/* One record per present CPU into out[0..n); how many CPUs are present (may exceed n). */
long rb_cpuinfo(struct rb_cpuinfo *out, size_t n);
/* Memory totals, uptime, process and CPU counts (anyone): bytes filled or an error. */
long rb_sysinfo(struct rb_sysinfo *out);
/* Firmware tables (privileged): out[0..n) filled; how many there are (may exceed n). */
long rb_fwtables(struct rb_fwtable *out, size_t n);
/* Give process pid a hardware range the caller holds (RB_HW_*): 0 or an error. */
long rb_hwgrant(int pid, int kind, unsigned long long base, unsigned long long len);
/* len bytes (at most 4 MiB) of physically contiguous zeroed RAM for a
   device, mapped read-write: its address, *phys its physical address
   (a process with the irq right; EPERM, EINVAL, ENOMEM). munmap frees it. */
long rb_dmamap(size_t len, unsigned long long *phys);
/* One device register store of width 1/2/4 made while every other CPU is
   parked (RB_HWSTORE_MMIO: addr is the caller's mapping; RB_HWSTORE_PCI_PORT:
   the 0xCF8 dword | the byte of 0xCFC); the irq right. 0 or an error. */
long rb_hwstore(int kind, unsigned long long addr, unsigned width, unsigned val);
