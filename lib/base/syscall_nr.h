/*
 * syscall_nr.h - system call numbers and shared ABI constants.
 *
 * Shared by the kernel (kernel/syscall/syscall.c) and user space (user/lib).
 * Calling convention (x86-64 SYSCALL): number in rax; arguments in rdi,
 * rsi, rdx, r10, r8, r9; result in rax: >= 0 on success, a negative E_*
 * code from base/err.h on failure. rcx and r11 are clobbered. Every
 * pointer argument is checked: a bad one gets -E_FAULT, never a fault.
 * File descriptors, waitpid's and kill's pid, kill's signal, open's
 * flags, lseek's whence and fcntl's cmd are checked as the full 64-bit
 * register: a value outside int's range is an error, never cut to its
 * low 32 bits.
 * docs/syscalls.md describes each call.
 */
#pragma once

enum {
	SYS_EXIT = 0,	    /* (int code) */
	SYS_WRITE = 1,	    /* (int fd, const void *buf, size_t len) -> bytes */
	SYS_READ = 2,	    /* (int fd, void *buf, size_t len) -> bytes */
	SYS_OPEN = 3,	    /* (const char *path, int flags) -> fd */
	SYS_CLOSE = 4,	    /* (int fd) */
	SYS_DUP = 5,	    /* (int fd) -> fd */
	SYS_DUP2 = 6,	    /* (int fd, int newfd) -> newfd */
	SYS_LSEEK = 7,	    /* (int fd, int64 off, int whence) -> new offset */
	SYS_FSTAT = 8,	    /* (int fd, struct rb_stat *st) */
	SYS_FSYNC = 9,	    /* (int fd) */
	SYS_FTRUNCATE = 10, /* (int fd, uint64 len) */
	SYS_FCNTL = 11,	    /* (int fd, int cmd, long arg) */
	SYS_GETDENTS = 12,  /* (int fd, void *buf, size_t len) -> bytes */
	SYS_MMAP = 20,	    /* (void *hint, size_t len, int prot, int flags) -> addr */
	SYS_MUNMAP = 21,    /* (void *addr, size_t len) */
	SYS_MPROTECT = 22,  /* (void *addr, size_t len, int prot) */
	SYS_PHYSMAP = 23,   /* (uint64 paddr, size_t len, int prot) -> addr; privileged */
	SYS_VMQUERY = 24,   /* (void *addr) -> RB_VM_* bits of its page */
	SYS_SPAWN = 30,	    /* (const char *path, char *const argv[], char *const envp[],
				const int *fdmap, int nfd) -> pid */
	SYS_WAITPID = 31,   /* (int pid, int *status, int options) -> pid */
	SYS_KILL = 32,	    /* (int pid, int sig) */
	SYS_GETPID = 33,
	SYS_GETPPID = 34,
	SYS_GETUID = 35,
	SYS_SETUID = 36,	  /* (int uid) */
	SYS_SIGACTION = 40,	  /* (int sig, const struct rb_sigaction *act, *old) */
	SYS_SIGPROCMASK = 41,	  /* (int how, const uint64 *set, uint64 *old) */
	SYS_SIGRETURN = 42,	  /* () */
	SYS_THREAD_CREATE = 50,	  /* (void (*entry)(void *), void *arg, void *stack_top) -> tid */
	SYS_THREAD_EXIT = 51,	  /* (int code) */
	SYS_THREAD_JOIN = 52,	  /* (int tid, int *code) */
	SYS_SCHED_GETCPU = 53,	  /* () -> the CPU the caller ran on (it may move at once) */
	SYS_FUTEX_WAIT = 60,	  /* (uint32 *addr, uint32 val, uint64 timeout_ns; 0 = forever) */
	SYS_FUTEX_WAKE = 61,	  /* (uint32 *addr, int n) -> woken */
	SYS_FUTEX_LOCK_PI = 62,	  /* (uint32 *addr, uint64 timeout_ns) */
	SYS_FUTEX_UNLOCK_PI = 63, /* (uint32 *addr) */
	SYS_NANOSLEEP = 70,	  /* (uint64 ns) */
	SYS_CLOCK_GETTIME = 71,	  /* (int clock, struct rb_timespec *ts) */
	SYS_SCHED_YIELD = 72,
	SYS_SCHED_SETAFFINITY = 73, /* (int pid, size_t size, const uint64 *mask) */
	SYS_SCHED_GETAFFINITY = 74, /* (int pid, size_t size, uint64 *mask) -> bytes */
	SYS_SCHED_SETPARAM = 75,    /* (int pid, int policy, int prio) */
	SYS_POWEROFF = 90,	    /* () privileged: power off through ACPI, else halt */
	SYS_MEMINFO = 91,	    /* () -> free physical pages (heap caches trimmed first) */
	SYS_KSTAT = 92,		    /* (struct rb_kstat *out, size_t size) -> bytes; privileged */
	SYS_COUNT = 93,
};

#define RB_CLOCK_REALTIME 0
#define RB_CLOCK_MONOTONIC 1

#define RB_O_RDONLY 0
#define RB_O_WRONLY 1
#define RB_O_RDWR 2
#define RB_O_DIRECTORY 0x10000

#define RB_PROT_READ 1
#define RB_PROT_WRITE 2
#define RB_PROT_EXEC 4

#define RB_MAP_POPULATE 1 /* mmap flag: map every page now, not on first touch */

/* SYS_VMQUERY result bits for one page. */
#define RB_VM_REGION 1	  /* inside a mapping (mmap or physmap) */
#define RB_VM_PRESENT 2	  /* a physical page is mapped now */
#define RB_VM_WRITE 4	  /* writable */
#define RB_VM_EXEC 8	  /* executable */
#define RB_VM_UNCACHED 16 /* uncached (device memory) */

#define RB_SEEK_SET 0
#define RB_SEEK_CUR 1
#define RB_SEEK_END 2

#define RB_WNOHANG 1

#define RB_SIGINT 2
#define RB_SIGKILL 9
#define RB_SIGSEGV 11
#define RB_SIGTERM 15
#define RB_SIGCHLD 17

/*
 * SYS_SIGACTION's action, read and written by the kernel in exactly this
 * layout: handler (RB_SIG_DFL, RB_SIG_IGN, else a user function), mask
 * (bit n-1 blocks signal n while the handler runs), flags (none yet),
 * restorer (the return address the handler gets; it must issue
 * SYS_SIGRETURN).
 */
struct rb_sigaction {
	void (*handler)(int);
	unsigned long long mask;
	unsigned long long flags;
	void (*restorer)(void);
};
#define RB_SIG_DFL ((void (*)(int))0)
#define RB_SIG_IGN ((void (*)(int))1)

/* SYS_SIGPROCMASK "how" values (as Linux). */
#define RB_SIG_BLOCK 0
#define RB_SIG_UNBLOCK 1
#define RB_SIG_SETMASK 2

/* The bit of signal sig in a user-visible mask. */
#define RB_SIGBIT(sig) (1ull << ((sig)-1))

struct rb_timespec {
	long long sec;
	long long nsec;
};

struct rb_stat {
	unsigned long long size;
	unsigned int mode; /* 0x4000 directory, 0x8000 regular, 0x2000 character device */
	unsigned int pad;
};

/*
 * SYS_GETDENTS fills buf with records, each 8-byte aligned:
 *   uint16 reclen (whole record, a multiple of 8), uint8 type, then the
 *   NUL-terminated name. It returns the bytes filled, 0 at the end.
 */
#define RB_DT_DIR 4
#define RB_DT_REG 8
struct rb_dirent {
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/*
 * SYS_KSTAT: kernel-wide counts at the moment of the call, for leak checks
 * (kstress). The kernel fills min(size, sizeof) bytes; version and size
 * say which fields a caller can trust. Counts of different lines are not
 * taken at one instant.
 */
#define RB_KSTAT_VERSION 1
struct rb_kstat {
	unsigned int version;		  /* RB_KSTAT_VERSION */
	unsigned int size;		  /* sizeof (struct rb_kstat) in the kernel */
	unsigned long long procs_live;	  /* in the process table, not yet exited */
	unsigned long long procs_zombie;  /* exited, not yet reaped by waitpid */
	unsigned long long threads_live;  /* user threads of the processes above */
	unsigned long long futex_waiters; /* threads queued in futex_wait */
	unsigned long long free_pages;	  /* after the heap caches were trimmed */
	unsigned long long heap_bytes;	  /* requested bytes of live kmalloc objects */
	unsigned long long heap_objects;  /* live kmalloc objects */
	unsigned long long heap_pages;	  /* pages the heap holds */
};
