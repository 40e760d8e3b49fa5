/*
 * memlim.c - kchild's memory-limit modes (docs/memory.md, "Memory
 * limits"), for ktest's t_memlim.c. Each becomes uid 1000 first and exits
 * 0 when every check held, else the number of the first that failed:
 *
 * "memrl": RLIMIT_MEM may be lowered, not raised; RLIMIT_UIDMEM and
 * RLIMIT_MEMRESERVE may not be set; the reserve reads non-zero.
 * "mempop": under RLIMIT_MEM 8 MiB, RB_MAP_POPULATE of 4 MiB works, 8 MiB
 * more gets ENOMEM, munmap gives the charge back, and one-page mappings
 * fill the rest to within a few pages of the limit.
 * "memlazy": under RLIMIT_MEM 4 MiB, a read() into untouched memory past
 * the limit gets EFAULT (the process lives); touches 2 MiB apart cost a
 * page table each, so half as many fit; then it touches lazy memory until
 * the kernel kills it (ktest wants status 137, SIGKILL): exit 0 is a
 * failure here.
 * "memthr": under RLIMIT_MEM 2 MiB filled to the brim, a thread (its
 * kernel stack is charged) gets ENOMEM, not EAGAIN; with 16 pages freed,
 * threads start until ENOMEM and run and join.
 * "memuid": ktest lowered RLIMIT_UIDMEM to 16 MiB; mappings of 1 MiB,
 * then of a page, fill it, then a spawn of this uid gets ENOMEM; freed, spawns work until the
 * uid's total is reached again (ENOMEM, not EAGAIN, well before 256
 * processes), and again after they are reaped.
 * "memhog SEED" (kstress's "memlim" case; already uid 1000): lowers its
 * RLIMIT_MEM to 3 MiB and has three threads fill it at once, in random
 * chunks, populated or touched through read() into lazy memory, until
 * ENOMEM / EFAULT, check every chunk's bytes and unmap each its
 * largest; then 64 KiB must fit again (the charges came back); exit
 * frees the rest. Exits 0, or
 * 10 + the check that failed.
 */
#include <stdbool.h>
#include <string.h>
#include "rb/rand.h"
#include "rb/sys.h"
#include "rb/syscall.h"
#include "rb/thread.h"

#define PG 4096ul
#define MIB (1ul << 20)
#define RW (RB_PROT_READ | RB_PROT_WRITE)

static void *populate(size_t len)
{
	return rb_mmap(NULL, len, RW, RB_MAP_POPULATE);
}

static int limit_rules(void)
{
	if (rb_setuid(1000) != 0)
		return 1;
	if (rb_getrlimit(RB_RLIMIT_MEM) != (1l << 40))
		return 2; /* the default, inherited from ktest */
	if (rb_setrlimit(RB_RLIMIT_MEM, 64 * MIB) != 0 || rb_getrlimit(RB_RLIMIT_MEM) != 64 * MIB)
		return 3;
	if (rb_setrlimit(RB_RLIMIT_MEM, 128 * MIB) != -E_PERM)
		return 4;
	if (rb_setrlimit(RB_RLIMIT_MEM, 10 * PG + 5) != 0 || rb_getrlimit(RB_RLIMIT_MEM) != 10 * PG)
		return 5; /* rounded down to pages */
	if (rb_setrlimit(RB_RLIMIT_UIDMEM, 64 * MIB) != -E_PERM)
		return 6;
	if (rb_setrlimit(RB_RLIMIT_MEMRESERVE, 0) != -E_PERM ||
	    rb_getrlimit(RB_RLIMIT_MEMRESERVE) < 4 * (long)MIB)
		return 7;
	return rb_getrlimit(RB_RLIMIT_UIDMEM) > 0 ? 0 : 8;
}

/* One-page populated mappings until one fails; their count, and the error in *err. */
static int fill_pages(void **maps, int cap, int *err)
{
	int n = 0;
	*err = 0;
	while (n < cap) {
		void *p = populate(PG);
		if (RB_IS_ERR(p)) {
			*err = (int)(long)p;
			break;
		}
		maps[n++] = p;
	}
	return n;
}

static void *page_maps[4096];

static int populate_limit(void)
{
	if (rb_setuid(1000) != 0 || rb_setrlimit(RB_RLIMIT_MEM, 8 * MIB) != 0)
		return 1;
	void *a = populate(4 * MIB);
	if (RB_IS_ERR(a))
		return 2;
	if ((long)populate(8 * MIB) != -E_NOMEM)
		return 3;
	if (rb_munmap(a, 4 * MIB) != 0)
		return 4;
	a = populate(4 * MIB); /* the charge came back */
	if (RB_IS_ERR(a))
		return 5;
	int err, n = fill_pages(page_maps, 4096, &err);
	/* 1024 pages are left but for the image, stack, tables and thread */
	if (err != -E_NOMEM || n < 900 || n >= 1024)
		return 6;
	return 0;
}

/* read() one byte of fd into each page of p, stride apart, until it fails: how many worked. */
static int read_until_fault(int fd, volatile char *p, size_t stride, int cap, long *err)
{
	int n = 0;
	for (; n < cap; n++) {
		rb_lseek(fd, 0, 0);
		long r = rb_read(fd, (char *)p + (size_t)n * stride, 1);
		if (r != 1) {
			*err = r;
			break;
		}
	}
	return n;
}

static int lazy_limit(void)
{
	if (rb_setuid(1000) != 0 || rb_setrlimit(RB_RLIMIT_MEM, 4 * MIB) != 0)
		return 1;
	int fd = rb_open("initfs:/bin/kchild", RB_O_RDONLY);
	volatile char *p = rb_mmap(NULL, 16 * MIB, RW, 0);
	if (fd < 0 || RB_IS_ERR(p))
		return 2;
	long err = 0;
	int dense = read_until_fault(fd, p, PG, 4096, &err);
	if (err != -E_FAULT || dense < 800 || dense >= 1024)
		return 3;
	if (rb_munmap((void *)p, 16 * MIB) != 0)
		return 4;
	volatile char *q = rb_mmap(NULL, 2ul << 30, RW, 0);
	if (RB_IS_ERR(q))
		return 5;
	err = 0;
	int sparse = read_until_fault(fd, q, 2 * MIB, 1024, &err);
	/* a page and its page table each: about half as many */
	if (err != -E_FAULT || sparse * 10 > dense * 6 || sparse * 10 < dense * 4)
		return 6;
	for (size_t i = 0; i < (2ul << 30) / PG; i++)
		q[i * PG] = 1; /* past the limit: the kernel kills us */
	return 0;
}

static uint32_t thr_go;

static void raw_thread(void *arg)
{
	while (!__atomic_load_n(&thr_go, __ATOMIC_ACQUIRE))
		rb_futex_wait(&thr_go, 0, 0);
	rb_thread_exit(5);
}

/* A thread on its own stack (no rb_thread_create: its stack would fault in). */
static int raw_create(char *stack_top)
{
	return (int)rb_syscall3(SYS_THREAD_CREATE, (long)raw_thread, 0, (long)stack_top);
}

#define NSTACK 8
#define STACK (16 * 1024ul)

static int thread_limit(void)
{
	char *stacks = populate(NSTACK * STACK);
	if (rb_setuid(1000) != 0 || RB_IS_ERR(stacks) || rb_setrlimit(RB_RLIMIT_MEM, 2 * MIB) != 0)
		return 1;
	int err, n = fill_pages(page_maps, 1024, &err);
	if (err != -E_NOMEM || n < 16)
		return 2;
	if (raw_create(stacks + STACK) != -E_NOMEM)
		return 3;
	for (int i = 1; i <= 16; i++)
		if (rb_munmap(page_maps[n - i], PG) != 0)
			return 4;
	int tids[NSTACK], t = 0, r = 0;
	while (t < NSTACK && (r = raw_create(stacks + (size_t)(t + 1) * STACK)) > 0)
		tids[t++] = r;
	__atomic_store_n(&thr_go, 1, __ATOMIC_RELEASE);
	rb_futex_wake(&thr_go, NSTACK);
	int bad = 0;
	for (int i = 0; i < t; i++) {
		int code = 0;
		if (rb_thread_join(tids[i], &code) != 0 || code != 5)
			bad = 1;
	}
	if (bad)
		return 5;
	/* 16 pages hold two threads of 6 charged pages, not three */
	if (r != -E_NOMEM || t != 2)
		return 6;
	return 0;
}

static int uid_total(void)
{
	static void *mib_maps[64];
	static int pids[256];
	if (rb_setuid(1000) != 0)
		return 1;
	int n = 0;
	void *m = NULL;
	while (n < 64 && !RB_IS_ERR(m = populate(MIB)))
		mib_maps[n++] = m;
	if ((long)m != -E_NOMEM || n < 8 || n >= 16)
		return 2; /* 16 MiB for all of uid 1000, this process's image included */
	int err, np = fill_pages(page_maps, 4096, &err); /* the last pages, up to the total */
	char *sargv[] = {"kchild", "block", NULL};
	int full = rb_spawn("initfs:/bin/kchild", sargv, NULL, NULL, 0);
	for (int i = 0; i < n; i++)
		rb_munmap(mib_maps[i], MIB);
	for (int i = 0; i < np; i++)
		rb_munmap(page_maps[i], PG);
	if (full > 0) {
		rb_kill(full, RB_SIGKILL);
		rb_waitpid(full, NULL, 0);
		return 3;
	}
	if (full != -E_NOMEM || err != -E_NOMEM || np >= 256)
		return 4;
	int count = 0, pid = 0;
	while (count < 256 && (pid = rb_spawn("initfs:/bin/kchild", sargv, NULL, NULL, 0)) > 0)
		pids[count++] = pid;
	for (int i = 0; i < count; i++)
		rb_kill(pids[i], RB_SIGKILL);
	for (int i = 0; i < count; i++)
		rb_waitpid(pids[i], NULL, 0);
	if (pid != -E_NOMEM || count < 16 || count >= 255)
		return 5;
	int again = rb_spawn("initfs:/bin/kchild", sargv, NULL, NULL, 0);
	if (again < 0)
		return 6;
	rb_kill(again, RB_SIGKILL);
	rb_waitpid(again, NULL, 0);
	return 0;
}

#define HOG_THREADS 3
#define HOG_CHUNKS 64

static uint32_t hog_go, hog_ready;
static int hog_bad;
static uint64_t hog_seed;

struct hog_chunk {
	volatile uint64_t *p;
	size_t len;
};

static void hog_fail(int code)
{
	int none = 0;
	__atomic_compare_exchange_n(&hog_bad, &none, code, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
}

/* Map chunks of random size, populated or faulted in by read(), until
   the limit refuses one; the count. */
static int hog_fill(struct rb_rand *r, int fd, struct hog_chunk *c, uint64_t tag)
{
	int n = 0;
	while (n < HOG_CHUNKS) {
		size_t len = (16 + rb_rand_below(r, 240)) * PG; /* 64 KiB..1 MiB: few munmaps */
		bool lazy = rb_rand_below(r, 2);
		volatile uint64_t *p = rb_mmap(NULL, len, RW, lazy ? 0 : RB_MAP_POPULATE);
		if (RB_IS_ERR(p)) {
			if ((long)p != -E_NOMEM)
				hog_fail(11);
			return n;
		}
		long err = 0;
		if (lazy && read_until_fault(fd, (volatile char *)p, PG, (int)(len / PG), &err) !=
				(int)(len / PG)) {
			if (err != -E_FAULT)
				hog_fail(12);
			if (rb_munmap((void *)p, len) != 0)
				hog_fail(13);
			return n;
		}
		if (p[0] != (lazy ? 0x7f : 0) || p[len / 8 - 1] != 0)
			hog_fail(14); /* fresh pages are zero but for what read() put there */
		p[0] = tag + (uint64_t)n;
		p[len / 8 - 1] = tag + (uint64_t)n;
		c[n++] = (struct hog_chunk){p, len};
	}
	return n;
}

/* Fault in 16 KiB of this thread's stack while the limit is high. */
static __attribute__((noinline)) void touch_stack(void)
{
	volatile char b[16384];
	for (size_t i = 0; i < sizeof b; i += 512)
		b[i] = 0;
}

static int hog_thread(void *arg)
{
	touch_stack();
	__atomic_add_fetch(&hog_ready, 1, __ATOMIC_RELEASE);
	struct rb_rand r;
	rb_rand_seed(&r, rb_rand_derive(hog_seed, (uint64_t)(long)arg, 0));
	static struct hog_chunk chunks[HOG_THREADS + 1][HOG_CHUNKS];
	struct hog_chunk *c = chunks[(long)arg];
	int fd = rb_open("initfs:/bin/kchild", RB_O_RDONLY);
	if (fd < 0)
		hog_fail(15);
	while (!__atomic_load_n(&hog_go, __ATOMIC_ACQUIRE))
		rb_futex_wait(&hog_go, 0, 0);
	uint64_t tag = (uint64_t)(long)arg << 32;
	int n = fd >= 0 ? hog_fill(&r, fd, c, tag) : 0, big = -1;
	for (int i = 0; i < n; i++) {
		if (c[i].p[0] != tag + (uint64_t)i || c[i].p[c[i].len / 8 - 1] != tag + (uint64_t)i)
			hog_fail(16);
		if (big < 0 || c[i].len > c[big].len)
			big = i;
	}
	/* One munmap (each is a shootdown of every CPU); exit frees the rest. */
	if (big >= 0 && rb_munmap((void *)c[big].p, c[big].len) != 0)
		hog_fail(17);
	if (fd >= 0)
		rb_close(fd);
	return 0;
}

static int memhog(const char *seed)
{
	for (; *seed; seed++)
		hog_seed = hog_seed * 10 + (uint64_t)(*seed - '0');
	int tids[HOG_THREADS];
	for (long i = 0; i < HOG_THREADS; i++)
		if ((tids[i] = rb_thread_create(hog_thread, (void *)(i + 1))) < 0)
			return 1;
	while (__atomic_load_n(&hog_ready, __ATOMIC_ACQUIRE) < HOG_THREADS)
		rb_sched_yield(); /* their stacks are faulted in before the limit drops */
	if (rb_setrlimit(RB_RLIMIT_MEM, 3 * MIB) != 0)
		return 2;
	__atomic_store_n(&hog_go, 1, __ATOMIC_RELEASE);
	rb_futex_wake(&hog_go, HOG_THREADS);
	for (int i = 0; i < HOG_THREADS; i++)
		if (rb_thread_join(tids[i], NULL) != 0)
			return 3;
	if (hog_bad)
		return 10 + hog_bad;
	void *p = populate(64 * 1024); /* at least one chunk of 64 KiB or more went back */
	return RB_IS_ERR(p) ? 4 : 0;
}

int kchild_memlim(int argc, char **argv)
{
	const char *mode = argv[1];
	if (strcmp(mode, "memhog") == 0 && argc > 2)
		return memhog(argv[2]);
	if (strcmp(mode, "memrl") == 0)
		return limit_rules();
	if (strcmp(mode, "mempop") == 0)
		return populate_limit();
	if (strcmp(mode, "memlazy") == 0)
		return lazy_limit();
	if (strcmp(mode, "memthr") == 0)
		return thread_limit();
	if (strcmp(mode, "memuid") == 0)
		return uid_total();
	return 99;
}
