/*
 * c_sys.c - the "sys" case: random system calls with random arguments.
 *
 * A call number is drawn from 0..SYS_COUNT+20 and each argument from a mix
 * of NULL, small numbers, -1, kernel addresses, unaligned and valid
 * pointers into a scratch mapping, page 1, huge lengths and raw random
 * words. The check: every result is >= 0 or a real error code (-1..-4095),
 * and a number past the table gives ENOSYS. Only what would legitimately
 * end or wedge the worker is tamed (sanitize()): exit, thread_exit,
 * sigreturn, poweroff and reboot become getpid, kill of a group names
 * none; blocking calls get short timeouts or WNOHANG (poll too), pipes are
 * made non-blocking and SIGPIPE is ignored; the console fds 0-2 are left
 * alone; joins and waits never name the worker's own threads or children,
 * nor does setaffinity name a process (pid 0, the calling thread, is
 * left); a thread_create starts a stub that exits at once and is joined; a
 * signal action is never installed from random memory; munmap and
 * mprotect stay inside the scratch mapping unless "mmhuge" is on; with
 * "mm" on they never reach its mappings, and an munmap of scratch becomes
 * an mprotect (keep_off_mm); with "shm" on no call names its fds and no
 * mmap maps an fd, and RLIMIT_NOFILE is never lowered below KST_NOFILE_MIN
 * (nor RLIMIT_MEM below KST_MEM_MIN), and munmap/mprotect keep off its
 * mappings as off the mm case's; with a service case (files, ipc, log,
 * dev) on, no call names the fds 24..39 (c_svc.c). A new system call needs a
 * line in
 * sanitize() if it can block or end the caller.
 *
 * Ownership: the scratch mapping belongs to the worker (mapped once by
 * kst_sys_init before the threads start) and is shared by its threads; its contents are random by
 * design (the kernel writes it).
 */
#include "kstress.h"
#include "rb/signal.h"
#include "rb/syscall.h"
#include "rb/sys.h"

#define SCRATCH_PAGES 16
#define PAGE 4096ul
#define KERNEL_ADDR 0xffff800000000000ul
#define MMAP_AREA 0x100000000000ul /* where rb_mmap(NULL) places mappings */
#define MMAP_AREA_END 0x600000000000ul

static uintptr_t scratch;
/* A thread body that exits at once without touching its stack. */
__asm__(".text\n"
	"kst_stub_thread:\n"
	"	mov $51, %eax\n" /* SYS_THREAD_EXIT */
	"	xor %edi, %edi\n"
	"	syscall\n"
	"	ud2\n");
void kst_stub_thread(void);

void kst_sys_init(struct kst_worker *w)
{
	struct rb_sigaction ign = {RB_SIG_IGN, 0, 0, NULL};
	rb_sigaction(RB_SIGPIPE, &ign, NULL); /* a write to a random pipe must not end us */
	void *a = rb_mmap(NULL, SCRATCH_PAGES * PAGE, RB_PROT_READ | RB_PROT_WRITE, 0);
	scratch = RB_IS_ERR(a) ? 0x2000 : (uintptr_t)a; /* unmapped if there is no memory */
}

static long random_arg(struct kst_thread *t)
{
	uint64_t r = rb_rand_next(&t->rng);
	switch (kst_rand(t, 12)) {
	case 0:
		return 0;
	case 1:
		return (long)(r % 65);
	case 2:
		return -1;
	case 3:
		return (long)(KERNEL_ADDR + (r % (1ul << 30)) * 8);
	case 4:
		return (long)(scratch + 1 + r % (SCRATCH_PAGES * PAGE - 1)); /* unaligned */
	case 5:
	case 6:
		return (long)(scratch + (r % SCRATCH_PAGES) * PAGE);
	case 7:
		return 0x1000;
	case 8:
		return (long)(1ul << (30 + r % 34)); /* huge length */
	case 9:
		return (long)(r % 4096) - 2048;
	default:
		return (long)r;
	}
}

static long clamp_to_scratch(long addr, long len)
{
	uintptr_t a = (uintptr_t)addr, end = scratch + SCRATCH_PAGES * PAGE;
	if (a >= scratch && a < end)
		return (uintptr_t)len > end - a ? (long)(end - a) : len;
	return (uintptr_t)len > (1ul << 20) ? (long)(1ul << 20) : len;
}

static long short_timeout(struct kst_thread *t)
{
	return (long)(1 + kst_rand(t, 2 * 1000 * 1000));
}

/*
 * With the mm case on, its touched slots must keep their contents, so an
 * munmap or mprotect here must not reach them: an address in the mmap
 * area (where 1 << 44, a "huge length", also points) is moved into the
 * scratch mapping, and an munmap inside scratch becomes an mprotect, since
 * the hole it left would be handed to the mm case first-fit while this
 * case still writes through scratch pointers.
 */
static void keep_off_mm(long *nr, long a[6])
{
	uintptr_t addr = (uintptr_t)a[0], end = scratch + SCRATCH_PAGES * PAGE;
	if (addr >= MMAP_AREA && addr < MMAP_AREA_END && (addr < scratch || addr >= end))
		a[0] = (long)(scratch + (addr & (SCRATCH_PAGES * PAGE - 1)));
	if (*nr == SYS_MUNMAP && (uintptr_t)a[0] >= scratch && (uintptr_t)a[0] < end)
		*nr = SYS_MPROTECT;
}

/* Whether v names one of the "shm" case's fds. */
static bool shm_fd(long v)
{
	return v >= KST_SHM_FD && v < KST_SHM_FD + KST_SHM_SLOTS;
}

/* Whether v names one of the service cases' fds (c_svc.c). */
static bool svc_fd(long v)
{
	return v >= KST_SVC_FD && v < KST_SVC_FD + KST_SVC_SETS * KST_SVC_SET_FDS;
}

/* Calls whose first argument is an fd. */
static bool takes_fd(long nr)
{
	return (nr >= SYS_WRITE && nr <= SYS_FPATH && nr != SYS_OPEN) || nr == SYS_DUP_HANDLE ||
	       nr == SYS_SENDFD || nr == SYS_RECVFD || nr == SYS_PREAD || nr == SYS_PWRITE;
}

/* Tame a random call so that it can neither end nor wedge the worker. */
static void sanitize(struct kst_thread *t, long *nr, long a[6])
{
	/* The uscheme case's fds: a read of its server fd would take a request nobody
	   answers, and a file dup2'ed into a client slot would fail its checks. */
	bool us = t->w->cases & (1u << KST_USCHEME);
	if (us && takes_fd(*nr) && a[0] >= KST_USCHEME_FD_MIN && a[0] < 64)
		a[0] += 64;
	if (us && (*nr == SYS_DUP2 || *nr == SYS_SENDFD) && a[1] >= KST_USCHEME_FD_MIN && a[1] < 64)
		a[1] += 64;
	if (t->w->cases & (1u << KST_FILES | 1u << KST_IPC | 1u << KST_LOG | 1u << KST_DEV)) {
		/* the service cases' files are checked against what they sent */
		if (takes_fd(*nr) && svc_fd(a[0]))
			a[0] += 100; /* past every reserved number */
		if ((*nr == SYS_DUP2 || *nr == SYS_SENDFD) && svc_fd(a[1]))
			a[1] += 100;
	}
	if (t->w->cases & (1u << KST_SHM)) {
		/* the shm case's objects are resized and mapped by it alone */
		if (shm_fd(a[0]))
			a[0] += KST_SHM_SLOTS;
		if (*nr == SYS_DUP2 && shm_fd(a[1]))
			a[1] += KST_SHM_SLOTS;
		if (*nr == SYS_MMAP)
			a[3] &= ~(long)RB_MAP_FD;
	}
	switch (*nr) {
	case SYS_SETRLIMIT: /* the fd and shm cases' fds must stay usable */
		if (a[0] == RB_RLIMIT_NOFILE && (unsigned long)a[1] < KST_NOFILE_MIN)
			a[1] = KST_NOFILE_MIN;
		if (a[0] == RB_RLIMIT_MEM && (unsigned long)a[1] < KST_MEM_MIN)
			a[1] = KST_MEM_MIN; /* the other cases' memory must stay usable */
		break;
	case SYS_EXIT:
	case SYS_THREAD_EXIT:
	case SYS_SIGRETURN:
	case SYS_POWEROFF:
	case SYS_REBOOT:
		*nr = SYS_GETPID;
		break;
	case SYS_KILL:
		/* 0 and below name process groups: the workers share kstress's */
		if ((int)a[0] <= 0 || a[0] <= 0)
			a[0] = 1 << 20;
		break;
	case SYS_WRITE:
	case SYS_READ:
	case SYS_PWRITE:
	case SYS_PREAD:
	case SYS_CLOSE:
		if (a[0] >= 0 && a[0] < 3)
			a[0] += 3;
		break;
	case SYS_DUP2:
		if (a[1] >= 0 && a[1] < 3)
			a[1] += 3;
		break;
	case SYS_FCNTL: /* F_DUPFD below 3 only finds a free fd above the console */
		break;
	case SYS_MUNMAP:
	case SYS_MPROTECT:
		if (t->w->cases & (1u << KST_MM | 1u << KST_SHM))
			keep_off_mm(nr, a);
		if (!(t->w->cases & (1u << KST_MMHUGE)) || (uintptr_t)a[0] < 0x600000000000ul)
			a[1] = clamp_to_scratch(a[0], a[1]);
		break;
	case SYS_WAITPID:
		/* pid <= 0 means any child here, and the proc case waits for its own */
		if (t->w->cases & (1u << KST_PROC))
			a[0] = a[0] > 0 ? a[0] + (1 << 20) : 1 << 20;
		a[2] |= RB_WNOHANG;
		break;
	case SYS_THREAD_CREATE:
		a[0] = (long)kst_stub_thread;
		break;
	case SYS_THREAD_JOIN:
		a[0] = a[0] > 0 ? a[0] + (1 << 20) : a[0];
		break;
	case SYS_SCHED_SETAFFINITY:
		/* a process mask (ours, or a sibling worker's: same uid) would move
		   threads whose CPU the sched case checks; it sets its own (c_proc.c).
		   The kernel reads the pid as an int: no high bits may bring one back. */
		if ((int)a[0] > 0)
			a[0] = (1 << 20) + (a[0] & 0xffff);
		break;
	case SYS_SIGACTION:
		if ((uintptr_t)a[1] >= 0x10000 && (uintptr_t)a[1] < KERNEL_ADDR)
			a[1] = 0; /* never a handler taken from random memory */
		break;
	case SYS_FUTEX_WAIT:
		a[2] = short_timeout(t);
		break;
	case SYS_FUTEX_LOCK_PI:
		a[1] = short_timeout(t);
		break;
	case SYS_NANOSLEEP:
		a[0] = (long)kst_rand(t, 1000 * 1000);
		break;
	case SYS_PIPE: /* a blocking pipe would wedge a random read of it */
		if (a[1] == 0)
			a[1] = RB_O_NONBLOCK;
		break;
	case SYS_POLL:
		a[2] = short_timeout(t);
		break;
	}
}

int kst_sys_op(struct kst_thread *t)
{
	long nr = (long)kst_rand(t, SYS_COUNT + 21), a[6];
	for (int i = 0; i < 6; i++)
		a[i] = random_arg(t);
	long orig = nr;
	sanitize(t, &nr, a);
	kst_fds_share(); /* the call may name the uscheme case's new server fd */
	long r = rb_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	kst_fds_unshare();
	if (nr == SYS_THREAD_CREATE && r > 0)
		rb_syscall2(SYS_THREAD_JOIN, r, 0);
	if (orig >= SYS_COUNT && r != -E_NOSYS)
		return kst_fail(t, KST_SYS, "unknown call %ld gave %ld, want ENOSYS", orig, r);
	if (r < -4095)
		return kst_fail(t, KST_SYS, "call %ld(%#lx, %#lx, %#lx) gave %ld", nr, a[0], a[1],
				a[2], r);
	return 0;
}
