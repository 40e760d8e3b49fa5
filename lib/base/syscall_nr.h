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
	SYS_FPATH = 13,	    /* (int fd, char *buf, size_t len) -> bytes ("name:rest", no NUL) */
	SYS_UNLINK = 14,    /* (const char *path, int flags: RB_AT_REMOVEDIR) */
	SYS_RENAME = 15,    /* (const char *from, const char *to); one scheme, else EXDEV */
	SYS_PIPE = 16,	    /* (int fds[2], int flags: RB_O_NONBLOCK) fds[0] reads, fds[1] writes */
	SYS_POLL = 17,	    /* (struct rb_pollfd *fds, size_t n, int64 timeout_ns; < 0 forever)
				-> ready entries */
	SYS_DUP_HANDLE = 18, /* (int fd, const char *arg) -> fd: the scheme's dup (a sub-handle) */
	SYS_MMAP = 20,	     /* (void *hint, size_t len, int prot, int flags) -> addr */
	SYS_MUNMAP = 21,     /* (void *addr, size_t len) */
	SYS_MPROTECT = 22,   /* (void *addr, size_t len, int prot) */
	SYS_PHYSMAP = 23,    /* (uint64 paddr, size_t len, int prot) -> addr; privileged */
	SYS_VMQUERY = 24,    /* (void *addr) -> RB_VM_* bits of its page */
	SYS_GETRLIMIT = 25,  /* (int resource: RB_RLIMIT_*) -> the caller's limit */
	SYS_SETRLIMIT = 26,  /* (int resource, uint64 value): lower freely, raise as root */
	SYS_SPAWN = 30,	     /* (const char *path, char *const argv[], char *const envp[],
				 const int *fdmap, int nfd, const struct rb_spawn_attr *attr or NULL)
				 -> pid */
	SYS_WAITPID = 31,    /* (int pid, int *status, int options) -> pid */
	SYS_KILL = 32,	     /* (int pid, int sig) */
	SYS_GETPID = 33,
	SYS_GETPPID = 34,
	SYS_GETUID = 35,
	SYS_SETUID = 36, /* (int uid) */
	SYS_GETGID = 37,
	SYS_SETGID = 38,	  /* (int gid); root only */
	SYS_PROCINFO = 39,	  /* (int pid, struct rb_procinfo *out, size_t size) -> bytes */
	SYS_SIGACTION = 40,	  /* (int sig, const struct rb_sigaction *act, *old) */
	SYS_SIGPROCMASK = 41,	  /* (int how, const uint64 *set, uint64 *old) */
	SYS_SIGRETURN = 42,	  /* () */
	SYS_THREAD_CREATE = 50,	  /* (void (*entry)(void *), void *arg, void *stack_top) -> tid */
	SYS_THREAD_EXIT = 51,	  /* (int code) */
	SYS_THREAD_JOIN = 52,	  /* (int tid, int *code) */
	SYS_SCHED_GETCPU = 53,	  /* () -> the CPU the caller ran on (it may move at once) */
	SYS_FUTEX_WAIT = 60,	  /* (uint32 *addr, uint32 val, uint64 timeout_ns; 0 = forever) */
	SYS_FUTEX_WAKE = 61,	  /* (uint32 *addr, int n, int flags: RB_FUTEX_WAKE_*) -> woken */
	SYS_FUTEX_LOCK_PI = 62,	  /* (uint32 *addr, uint64 timeout_ns) */
	SYS_FUTEX_UNLOCK_PI = 63, /* (uint32 *addr) */
	SYS_NANOSLEEP = 70,	  /* (uint64 ns) */
	SYS_CLOCK_GETTIME = 71,	  /* (int clock, struct rb_timespec *ts) */
	SYS_SCHED_YIELD = 72,
	SYS_SCHED_SETAFFINITY = 73, /* (int pid, size_t size, const uint64 *mask) */
	SYS_SCHED_GETAFFINITY = 74, /* (int pid, size_t size, uint64 *mask) -> bytes */
	SYS_SCHED_SETPARAM = 75,    /* (int pid, int policy, int prio) */
	SYS_SCHEME_CREATE = 80,	    /* (const char *name, int flags: RB_O_NONBLOCK) -> server fd */
	SYS_SENDFD = 81,	    /* (int fd, int sendfd, int flags) -> the server's answer */
	SYS_RECVFD = 82,	    /* (int fd, int flags) -> a new fd the server handed over */
	SYS_POWEROFF = 90,	    /* () privileged: power off through ACPI, else halt */
	SYS_MEMINFO = 91,	    /* () -> free physical pages (heap caches trimmed first) */
	SYS_KSTAT = 92,		    /* (struct rb_kstat *out, size_t size) -> bytes; privileged */
	SYS_CHDIR = 100,	    /* (const char *path): a directory becomes the cwd */
	SYS_GETCWD = 101,	    /* (char *buf, size_t len) -> bytes with the NUL */
	SYS_SETPGID = 102,	    /* (int pid, int pgid); 0: self / pgid = pid */
	SYS_GETPGID = 103,	    /* (int pid) -> pgid; 0: self */
	SYS_SETSID = 104,	    /* () -> the new session id */
	SYS_GETSID = 105,	    /* (int pid) -> sid; 0: self */
	SYS_REBOOT = 106,	    /* () privileged: reset the machine */
	SYS_TCSETPGRP = 107,	    /* (int fd, int pgid): the console's foreground group */
	SYS_TCGETPGRP = 108,	    /* (int fd) -> the foreground group, 0 if none */
	SYS_TCSETMODE = 109,	    /* (int fd, int mode: RB_TC_*) -> the old mode */
	SYS_PROCLIST = 110,	    /* (int *pids, size_t cap) -> live processes; pids ascending */
	SYS_CPUINFO = 111,	    /* (struct rb_cpuinfo *out, size_t n) -> CPUs present */
	SYS_SYSINFO = 112,	    /* (struct rb_sysinfo *out, size_t size) -> bytes */
	SYS_FWTABLES = 113,	    /* (struct rb_fwtable *out, size_t n) -> tables known */
	SYS_HWGRANT = 114,	    /* (pid, kind RB_HW_*, base, len) -> 0 */
	SYS_DMAMAP = 115, /* (size_t len, uint64 *phys) -> addr; the irq right (drivers) */
	SYS_HWSTORE =
	    116, /* (kind RB_HWSTORE_*, addr, width, val): a store with the other CPUs parked */
	SYS_PREAD = 117,  /* (int fd, void *buf, size_t len, uint64 off) -> bytes; offset kept */
	SYS_PWRITE = 118, /* (int fd, const void *buf, size_t len, uint64 off) -> bytes */
	SYS_COUNT = 119,
};

/* SYS_FUTEX_WAKE flags. SYNC: the caller blocks next (say, a driver's
   completion thread going back to wait for its interrupt), so the first
   thread woken may be moved to the caller's CPU (docs/sched.md). */
#define RB_FUTEX_WAKE_SYNC 1

#define RB_CLOCK_REALTIME 0
#define RB_CLOCK_MONOTONIC 1

#define RB_O_RDONLY 0
#define RB_O_WRONLY 1
#define RB_O_RDWR 2
#define RB_O_ACCMODE 3
#define RB_O_CREAT 0x40
#define RB_O_EXCL 0x80
#define RB_O_TRUNC 0x200
#define RB_O_APPEND 0x400
#define RB_O_NONBLOCK 0x800
#define RB_O_DIRECTORY 0x10000

#define RB_AT_REMOVEDIR 0x200 /* SYS_UNLINK: remove an empty directory */

#define RB_PROT_READ 1
#define RB_PROT_WRITE 2
#define RB_PROT_EXEC 4

#define RB_MAP_POPULATE 1 /* mmap flag: map every page now, not on first touch */
#define RB_MAP_FD 2	  /* mmap flag: map file fd (5th argument) from offset (6th), shared */

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

/*
 * SYS_SPAWN's optional 6th argument. RB_SPAWN_SETPGROUP puts the child in
 * process group pgid (0: a new group whose id is the child's pid) before it
 * runs; RB_SPAWN_FOREGROUND (with SETPGROUP) also makes that group the
 * console's foreground group, under SYS_TCSETPGRP's rules; RB_SPAWN_SETUID
 * (root only) starts the child as user uid, group gid (init's services
 * with a `user`), so that it is charged and limited as that user from its
 * first page.
 */
struct rb_spawn_attr {
	unsigned int flags; /* RB_SPAWN_* */
	int pgid;
	int uid, gid; /* RB_SPAWN_SETUID */
};
#define RB_SPAWN_SETPGROUP 1
#define RB_SPAWN_FOREGROUND 2
#define RB_SPAWN_SETUID 4

/* SYS_TCSETMODE bits: RB_TC_ISIG makes Ctrl-C (0x03) send SIGINT and
   Ctrl-\ (0x1c) SIGQUIT to the foreground group instead of being read. */
#define RB_TC_ISIG 1

#define RB_SIGINT 2
#define RB_SIGQUIT 3
#define RB_SIGKILL 9
#define RB_SIGSEGV 11
#define RB_SIGPIPE 13
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

/* SYS_GETRLIMIT / SYS_SETRLIMIT resources. */
#define RB_RLIMIT_NOFILE 0 /* open fds of this process (default 1024): EMFILE beyond */
#define RB_RLIMIT_SHM 1	   /* bytes of shared memory this process may create (default 64 MiB) */
#define RB_RLIMIT_NFILE 2  /* system-wide open files (ENFILE beyond); set by root only */
/* Bytes of memory charged to this process: anonymous pages, image, stack,
   page tables, 24 KiB per thread (default 1 TiB: no bound but the uid's);
   ENOMEM beyond (a fault past it kills the process). Rounded down to pages. */
#define RB_RLIMIT_MEM 3
/* Bytes all processes of one non-root uid may hold together (system-wide
   setting, root sets it; default half of the memory left after the
   kernel's reserve). */
#define RB_RLIMIT_UIDMEM 4
/* Bytes of free memory the kernel keeps for itself: user memory of any
   uid gets ENOMEM rather than take them. Read-only. */
#define RB_RLIMIT_MEMRESERVE 5

/*
 * SYS_PROCINFO: what anyone may know of a live process, read at the call.
 * The kernel fills min(size, sizeof) bytes: fields after name came later
 * (the returned size says whether they are there).
 */
struct rb_procinfo {
	int pid, ppid, uid, gid;
	char name[32]; /* its program, as spawned */
	int pgid, sid;
	int nthreads; /* live threads */
	char state;   /* 'R' a thread is runnable or running, 'S' all wait */
	char pad[3];
	unsigned long long cpu_ns;   /* CPU time of all its threads, exited ones too */
	unsigned long long start_ns; /* CLOCK_MONOTONIC when it was spawned */
};

/* SYS_CPUINFO: one record per present CPU, in logical id order. */
struct rb_cpuinfo {
	unsigned int cpu;      /* logical id, 0 = the boot CPU */
	unsigned int apic_id;  /* valid when online */
	unsigned int node;     /* NUMA node (valid when online) */
	unsigned int flags;    /* RB_CPU_* */
	unsigned int runnable; /* threads on its run queue, the running one included */
	unsigned int pad;
	unsigned long long busy_ns; /* time running a thread since it came online */
	unsigned long long idle_ns; /* time in its idle loop since it came online */
};
#define RB_CPU_ONLINE 1

/*
 * SYS_SYSINFO: machine-wide figures anyone may read (free, uptime, ps).
 * min(size, sizeof) bytes are filled; each figure exact at some moment of
 * the call, not all at one instant.
 */
#define RB_SYSINFO_VERSION 1
struct rb_sysinfo {
	unsigned int version;		/* RB_SYSINFO_VERSION */
	unsigned int size;		/* sizeof (struct rb_sysinfo) in the kernel */
	unsigned long long uptime_ns;	/* CLOCK_MONOTONIC now */
	unsigned long long page_size;	/* bytes per page (4096) */
	unsigned long long total_pages; /* RAM the page allocator manages */
	unsigned long long free_pages;	/* free now (heap caches trimmed first) */
	unsigned long long procs;	/* live processes */
	unsigned long long threads;	/* their threads */
	unsigned long long cpus_online; /* CPUs running */
};

/*
 * SYS_FWTABLES: the firmware tables the kernel found at boot, for acpid
 * and pcid (docs/hwaccess.md). Entry 0 is the RSDP itself (sig "RSD "),
 * then every table the RSDT/XSDT lists, then the DSDT and FACS the FADT
 * names, in that order. phys/len are what a physmap of the table needs.
 */
struct rb_fwtable {
	char sig[4];		 /* "DSDT", "SSDT", "APIC", ... (not NUL-terminated) */
	unsigned int len;	 /* the table's length field (RSDP: 20 or 36) */
	unsigned long long phys; /* physical address of its first byte */
};

/* SYS_HWSTORE kinds: where the store goes. */
#define RB_HWSTORE_MMIO 0     /* addr: the caller's mapping of a register */
#define RB_HWSTORE_PCI_PORT 1 /* addr: the 0xCF8 dword | the byte of 0xCFC */

/* SYS_HWGRANT kinds: hand a range the caller holds to another process. */
#define RB_HW_PORT 1 /* I/O ports [base, base + len) */
#define RB_HW_PHYS 2 /* physical memory [base, base + len) for physmap */
#define RB_HW_IRQ 3  /* the right to open irq: (base, len ignored) */

/* SYS_POLL: one entry per fd (values as Linux's). */
struct rb_pollfd {
	int fd;
	short events;  /* RB_POLLIN | RB_POLLOUT wanted */
	short revents; /* filled in: wanted bits that hold, and ERR/HUP/NVAL always */
};
#define RB_POLLIN 0x1
#define RB_POLLPRI 0x2
#define RB_POLLOUT 0x4
#define RB_POLLERR 0x8
#define RB_POLLHUP 0x10
#define RB_POLLNVAL 0x20

/*
 * The event: scheme (docs/ipc.md): write struct rb_event records to an
 * event fd to watch fd for events (0: stop watching; data is returned as
 * given); read returns records for watched fds whose events hold now.
 */
struct rb_event {
	unsigned long long data;
	int fd;
	unsigned int events; /* RB_POLL* */
};

/*
 * User-space scheme servers (docs/ipc.md). A server's fd from
 * SYS_SCHEME_CREATE yields one request per read: a struct rb_req, then
 * req.len payload bytes (the path for OPEN, UNLINK and DUP, "from\0to" for
 * RENAME, the data for WRITE). A read buffer shorter than RB_REQ_MIN_BUF
 * gets EINVAL; a WRITE's data is cut to what fits (req.len <= a: the
 * server takes at most req.len bytes; if it takes them all, the kernel
 * sends the rest in further requests of that size). The server answers with one write of a struct
 * rb_ans followed by ans.len payload bytes (the data of READ, GETDENTS
 * and FPATH, a struct rb_stat for FSTAT). CLOSE and CANCEL take no answer.
 */
enum {
	RB_SOP_OPEN = 1,  /* payload path; a = RB_O_* flags -> handle */
	RB_SOP_CLOSE = 2, /* the last fd of handle is gone; no answer */
	RB_SOP_READ = 3,  /* a = bytes wanted (<= RB_SCHEME_MAX_IO) -> payload, result = bytes */
	RB_SOP_WRITE = 4, /* payload data; a = bytes offered -> bytes taken */
	RB_SOP_SEEK = 5,  /* a = offset (int64), b = whence -> new offset */
	RB_SOP_FSTAT = 6, /* -> payload struct rb_stat */
	RB_SOP_FSYNC = 7, /* -> 0 */
	RB_SOP_FTRUNCATE = 8, /* a = length -> 0 */
	RB_SOP_GETDENTS = 9,  /* a = bytes wanted -> payload rb_dirent records */
	RB_SOP_FPATH = 10,    /* a = bytes wanted -> payload: the path after "name:" */
	RB_SOP_FCNTL = 11,    /* a = cmd, b = arg -> result */
	RB_SOP_DUP = 12,      /* payload arg -> new handle */
	RB_SOP_FMAP = 13,   /* a = offset, b = RB_PROT_* -> RB_ANS_FD (kept), arg = offset in it */
	RB_SOP_SENDFD = 14, /* a = the fd now in the server's table -> result for the caller */
	RB_SOP_RECVFD = 15, /* a = flags -> RB_ANS_FD (moved to the caller) */
	RB_SOP_UNLINK = 16, /* payload path; a = RB_AT_* flags -> 0 */
	RB_SOP_RENAME = 17, /* payload "from\0to" -> 0 */
	RB_SOP_CANCEL = 18, /* a = id of a request whose caller gave up; no answer */
	RB_SOP_PREAD = 19,  /* READ at offset b, the handle's offset untouched (ESPIPE: cannot) */
	RB_SOP_PWRITE = 20, /* WRITE at offset b, the handle's offset untouched */
	RB_SOP_COUNT
};

#define RB_SCHEME_MAX_IO 1048576 /* payload bytes of one READ/WRITE (bigger calls are split) */
#define RB_PATH_MAX 256		 /* a path, NUL included */

struct rb_req {
	unsigned long long id;	   /* the kernel's tag: echo it in rb_ans.id */
	unsigned int op;	   /* RB_SOP_* */
	unsigned int len;	   /* payload bytes that follow */
	unsigned long long handle; /* the server's handle (OPEN: 0) */
	int pid, uid, gid;	   /* the caller, as the kernel knows it at the call */
	unsigned int flags;	   /* RB_O_* flags of the caller's open file */
	unsigned long long a, b, c;
};
#define RB_REQ_MIN_BUF (sizeof(struct rb_req) + 2 * RB_PATH_MAX)

#define RB_ANS_FD 1	/* result is a server fd to give the caller (see RB_SOP_*) */
#define RB_ANS_EVENT 2	/* not an answer: handle arg's readiness is now events; id unused */
#define RB_ANS_EVENTS 4 /* OPEN/DUP answer: events is the new handle's first readiness */
/* OPEN/DUP answer: arg is a server fd (moved out of its table) whose file takes the new
   handle's PREAD and PWRITE straight from the caller while it works (docs/ipc.md) */
#define RB_ANS_FWD 8

struct rb_ans {
	unsigned long long id;	   /* the request's id */
	long long result;	   /* >= 0, or -E_* */
	unsigned int flags;	   /* RB_ANS_* */
	unsigned int len;	   /* payload bytes that follow */
	unsigned long long arg;	   /* RB_ANS_EVENT: the handle; FMAP: offset in the fd's file */
	unsigned long long events; /* RB_ANS_EVENT / RB_ANS_EVENTS: RB_POLL* bits */
};

struct rb_timespec {
	long long sec;
	long long nsec;
};

struct rb_stat {
	unsigned long long size;
	unsigned int mode; /* 0x4000 directory, 0x8000 regular, 0x2000 character device;
			      | permission bits (07777) where the scheme has them, else 0 */
	unsigned int pad;
	int uid, gid; /* the owner where the scheme has one (ramfsd), else 0 */
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
	unsigned long long files_open;	  /* struct files alive (RLIMIT_NFILE counts these) */
	unsigned long long shm_pages;	  /* pages held by shm: objects */
};
