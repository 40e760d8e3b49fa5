/*
 * t_memlim.c - ktest cases for the memory limits (docs/memory.md, "Memory
 * limits"): RLIMIT_MEM per process (mmap with RB_MAP_POPULATE, faults on
 * lazy memory, page tables and threads are charged), the per-uid total
 * (RLIMIT_UIDMEM, several processes of one uid) and the kernel's reserve
 * (root too stops short of it, and the system keeps working). Each child
 * runs kchild as uid 1000 (user/kchild/memlim.c); every case checks that
 * the free pages are back once its children are reaped, and restores the
 * limits it changed (ktest runs as root).
 */
#include "ktest.h"
#include "rb/syscall.h"

#define KCHILD "initfs:/bin/kchild"
#define PG 4096ul
#define MIB (1ul << 20)
#define RW (RB_PROT_READ | RB_PROT_WRITE)

/* Run kchild mode; want its status, and every page back afterwards. */
static int child_case(const char *mode, int want, char *why, size_t n)
{
	KEXPECT(kt_run_kchild("7"), 7); /* warm the heap caches a spawn uses */
	long f0 = rb_meminfo();
	int status = kt_run_kchild(mode);
	long f1 = rb_meminfo();
	KEXPECT(status, want);
	KCHECK(f1 == f0, "free pages %ld before, %ld after", f0, f1);
	KEXPECT(kt_run_kchild("7"), 7);
	return 0;
}

static int rlimit_rules(char *why, size_t n)
{
	KEXPECT(rb_getrlimit(RB_RLIMIT_MEM), 1l << 40);
	KCHECK(rb_getrlimit(RB_RLIMIT_UIDMEM) >= 64 * (long)MIB, "uid total %ld",
	       rb_getrlimit(RB_RLIMIT_UIDMEM));
	KEXPECT(rb_setrlimit(RB_RLIMIT_MEM, (1ul << 40) + PG), -E_INVAL);
	KEXPECT(rb_setrlimit(RB_RLIMIT_UIDMEM, 0), -E_INVAL);
	return child_case("memrl", 0, why, n);
}

static int populate_limit(char *why, size_t n)
{
	return child_case("mempop", 0, why, n);
}

static int lazy_limit(char *why, size_t n)
{
	return child_case("memlazy", 128 + RB_SIGKILL, why, n);
}

static int thread_limit(char *why, size_t n)
{
	return child_case("memthr", 0, why, n);
}

static int uid_total(char *why, size_t n)
{
	long old = rb_getrlimit(RB_RLIMIT_UIDMEM);
	KEXPECT(rb_setrlimit(RB_RLIMIT_UIDMEM, 16 * MIB), 0);
	int r = child_case("memuid", 0, why, n);
	KEXPECT(rb_setrlimit(RB_RLIMIT_UIDMEM, (uint64_t)old), 0);
	return r;
}

static void *big[256], *small[4096];

/* Map populated chunks of len into maps until that fails; their count, the error in *err. */
static int fill(void **maps, int cap, size_t len, long *err)
{
	int k = 0;
	*err = 0;
	while (k < cap) {
		void *p = rb_mmap(NULL, len, RW, RB_MAP_POPULATE);
		if (RB_IS_ERR(p)) {
			*err = (long)p;
			break;
		}
		maps[k++] = p;
	}
	return k;
}

/* Whether a file opens and reads, and a pipe carries a byte. */
static int kernel_works(void)
{
	int fd = rb_open(KCHILD, RB_O_RDONLY);
	char c[4];
	long r = fd >= 0 ? rb_read(fd, c, sizeof c) : fd;
	if (fd >= 0)
		rb_close(fd);
	if (r != sizeof c)
		return -1;
	int p[2];
	if (rb_pipe(p, 0) != 0)
		return -2;
	long w = rb_write(p[1], "x", 1), rd = rb_read(p[0], c, 1);
	rb_close(p[0]);
	rb_close(p[1]);
	return w == 1 && rd == 1 && c[0] == 'x' ? 0 : -3;
}

/* Write 1 MiB into a new shm: object: what write() returns. */
static long shm_write_mib(void)
{
	static char buf[MIB];
	int fd = rb_open("shm:", RB_O_RDWR);
	if (fd < 0)
		return fd;
	long r = rb_write(fd, buf, MIB);
	rb_close(fd);
	return r;
}

/*
 * Root, with no limit of its own, maps populated memory until ENOMEM:
 * it stops at the kernel's reserve, not at zero. With that much taken a
 * spawn gets ENOMEM, and so do the pages of a shm: object (at most the
 * few the heap gave back meanwhile), while the kernel's own work (files,
 * pipes) goes on;
 * once it is unmapped, everything is back.
 */
static int reserve_kept(char *why, size_t n)
{
	long reserve = rb_getrlimit(RB_RLIMIT_MEMRESERVE) / (long)PG;
	KCHECK(reserve >= 1024, "reserve %ld pages", reserve);
	KEXPECT(kt_run_kchild("7"), 7);
	long f0 = rb_meminfo(), err1, err2;
	int nb = fill(big, 256, 4 * MIB, &err1);
	int ns = fill(small, 4096, PG, &err2);
	long low = rb_meminfo();
	int spawn = kt_run_kchild("7");
	int works = kernel_works();
	long shm = shm_write_mib();
	for (int i = 0; i < nb; i++)
		rb_munmap(big[i], 4 * MIB);
	for (int i = 0; i < ns; i++)
		rb_munmap(small[i], PG);
	long f1 = rb_meminfo();
	KEXPECT(err1, -E_NOMEM);
	KEXPECT(err2, -E_NOMEM);
	KCHECK(low >= reserve - 64 && low <= reserve + 64,
	       "%ld pages free at ENOMEM, reserve %ld (%d + %d maps)", low, reserve, nb, ns);
	KEXPECT(spawn, -E_NOMEM);
	KEXPECT(works, 0);
	KCHECK(shm == -E_NOMEM || (shm >= 0 && shm < 64 * (long)PG),
	       "a shm: write of 1 MiB at the reserve: %ld", shm);
	/* the page tables of the mappings stay with the space */
	KCHECK(f1 + 64 + nb * 4 + ns / 256 >= f0, "free pages %ld before, %ld after", f0, f1);
	KEXPECT(kt_run_kchild("7"), 7);
	return 0;
}

const struct kcase memlim_cases[] = {
    {"memlim: RLIMIT_MEM lowers, not raises; UIDMEM and MEMRESERVE are root's", rlimit_rules},
    {"memlim: mmap populate past RLIMIT_MEM gives ENOMEM, munmap gives back", populate_limit},
    {"memlim: lazy memory past RLIMIT_MEM: EFAULT in read, tables count, fault kills", lazy_limit},
    {"memlim: threads past RLIMIT_MEM give ENOMEM (kernel stacks count)", thread_limit},
    {"memlim: processes of one uid share RLIMIT_UIDMEM (mmap and spawn ENOMEM)", uid_total},
    {"memlim: root stops at the kernel reserve; the kernel keeps working", reserve_kept},
    {NULL, NULL},
};
