/*
 * t_fd.c - ktest cases for file descriptors: write, read, open, lseek,
 * fstat, getdents, dup, dup2 and close, each with its error paths
 * (bad fd, bad pointer, missing file, unknown scheme), the EMFILE bound,
 * and a race: threads on all CPUs read, fstat, dup, dup2 and close the
 * same descriptors at once (a use-after-free and lost fds before the fd
 * table had a lock). Files come from initfs: /bin/init (an ELF file) and
 * the /bin directory.
 */
#include <string.h>
#include "ktest.h"
#include "rb/syscall.h"
#include "rb/thread.h"

#define INIT_PATH "initfs:/bin/init"

static int write_stdout(char *why, size_t n)
{
	static const char msg[] = "ktest: hello from user space\n";
	KEXPECT(rb_write(1, msg, sizeof(msg) - 1), sizeof(msg) - 1);
	KEXPECT(rb_write(1, msg, 0), 0);
	return 0;
}

static int write_bad_fd(char *why, size_t n)
{
	KEXPECT(rb_write(57, "x", 1), -E_BADF);
	KEXPECT(rb_write(-1, "x", 1), -E_BADF);
	KEXPECT(rb_write(1 << 20, "x", 1), -E_BADF);
	return 0;
}

static int read_bad_fd(char *why, size_t n)
{
	char c;
	KEXPECT(rb_read(57, &c, 1), -E_BADF);
	KEXPECT(rb_read(-1, &c, 1), -E_BADF);
	return 0;
}

static int write_bad_pointer(char *why, size_t n)
{
	KEXPECT(rb_write(1, (void *)1, 10), -E_FAULT);
	KEXPECT(rb_write(1, KERNEL_PTR, 10), -E_FAULT);
	return 0;
}

static int open_existing(char *why, size_t n)
{
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open " INIT_PATH ": %d %s", fd, err_name(fd));
	KCHECK(fd > 2, "got fd %d, which should be the console", fd);
	KEXPECT(rb_close(fd), 0);
	return 0;
}

static int open_missing(char *why, size_t n)
{
	KEXPECT(rb_open("initfs:/no/such/file", RB_O_RDONLY), -E_NOENT);
	return 0;
}

static int open_unknown_scheme(char *why, size_t n)
{
	KEXPECT(rb_open("nosuchscheme:/bin/init", RB_O_RDONLY), -E_NOENT);
	return 0;
}

static int open_bad_pointer(char *why, size_t n)
{
	KEXPECT(rb_open((const char *)1, RB_O_RDONLY), -E_FAULT);
	KEXPECT(rb_open(KERNEL_PTR, RB_O_RDONLY), -E_FAULT);
	return 0;
}

static int open_write_readonly(char *why, size_t n)
{
	int fd = rb_open(INIT_PATH, RB_O_WRONLY);
	if (fd >= 0)
		rb_close(fd);
	KEXPECT(fd, -E_ACCES);
	return 0;
}

static int read_elf_magic(char *why, size_t n)
{
	unsigned char m[4] = {0};
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	long r = rb_read(fd, m, 4);
	rb_close(fd);
	KEXPECT(r, 4);
	KCHECK(m[0] == 0x7f && m[1] == 'E' && m[2] == 'L' && m[3] == 'F',
	       "magic %02x %02x %02x %02x", m[0], m[1], m[2], m[3]);
	return 0;
}

static int read_bad_buffer(char *why, size_t n)
{
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	long r1 = rb_read(fd, (void *)1, 16);
	long r2 = rb_read(fd, KERNEL_PTR, 16);
	rb_close(fd);
	KEXPECT(r1, -E_FAULT);
	KEXPECT(r2, -E_FAULT);
	return 0;
}

static int lseek_and_size(char *why, size_t n)
{
	struct rb_stat st;
	char m[4];
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	int r = rb_fstat(fd, &st);
	long end = rb_lseek(fd, 0, RB_SEEK_END);
	long at_end = rb_read(fd, m, 4);
	long set = rb_lseek(fd, 1, RB_SEEK_SET);
	long got = rb_read(fd, m, 3);
	long cur = rb_lseek(fd, 0, RB_SEEK_CUR);
	long bad = rb_lseek(fd, 0, 99);
	rb_close(fd);
	KEXPECT(r, 0);
	KCHECK(st.size > 64, "fstat size %llu", st.size);
	KEXPECT(end, (long)st.size);
	KEXPECT(at_end, 0);
	KEXPECT(set, 1);
	KEXPECT(got, 3);
	KCHECK(memcmp(m, "ELF", 3) == 0, "read after SEEK_SET 1 is not \"ELF\"");
	KEXPECT(cur, 4);
	KEXPECT(bad, -E_INVAL);
	return 0;
}

static int fstat_modes(char *why, size_t n)
{
	struct rb_stat st = {0};
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	int r = rb_fstat(fd, &st);
	rb_close(fd);
	KEXPECT(r, 0);
	KEXPECT(st.mode & RB_S_IFMT, RB_S_IFREG);
	fd = rb_open("initfs:/bin", RB_O_RDONLY | RB_O_DIRECTORY);
	KCHECK(fd >= 0, "open initfs:/bin: %d %s", fd, err_name(fd));
	r = rb_fstat(fd, &st);
	rb_close(fd);
	KEXPECT(r, 0);
	KEXPECT(st.mode & RB_S_IFMT, RB_S_IFDIR);
	KEXPECT(rb_fstat(1, &st), 0);
	KEXPECT(st.mode & RB_S_IFMT, RB_S_IFCHR);
	return 0;
}

static int fstat_errors(char *why, size_t n)
{
	struct rb_stat st;
	KEXPECT(rb_fstat(57, &st), -E_BADF);
	KEXPECT(rb_fstat(1, (struct rb_stat *)1), -E_FAULT);
	return 0;
}

/* Read initfs:/bin in small chunks; 0 when both init and ktest are listed. */
static int getdents_bin(char *why, size_t n)
{
	/* Small on purpose, so the listing takes several calls. */
	_Alignas(8) char buf[128];
	int seen_init = 0, seen_ktest = 0, records = 0;
	int fd = rb_open("initfs:/bin", RB_O_RDONLY | RB_O_DIRECTORY);
	KCHECK(fd >= 0, "open initfs:/bin: %d %s", fd, err_name(fd));
	for (int calls = 0; calls < 256; calls++) {
		long r = rb_getdents(fd, buf, sizeof(buf));
		if (r == 0)
			break;
		if (r < 0) {
			rb_close(fd);
			KFAIL("getdents: %ld %s", r, err_name((int)r));
		}
		for (long off = 0; off < r;) {
			struct rb_dirent *d = (struct rb_dirent *)(buf + off);
			if (d->reclen < sizeof(*d) + 1 || d->reclen % 8 || off + d->reclen > r) {
				rb_close(fd);
				KFAIL("bad reclen %u at %ld of %ld", d->reclen, off, r);
			}
			if (strcmp(d->name, "init") == 0)
				seen_init = d->type == RB_DT_REG ? 1 : -1;
			if (strcmp(d->name, "ktest") == 0)
				seen_ktest = d->type == RB_DT_REG ? 1 : -1;
			records++;
			off += d->reclen;
		}
	}
	rb_close(fd);
	KCHECK(seen_init == 1 && seen_ktest == 1, "%d records; init %d, ktest %d", records,
	       seen_init, seen_ktest);
	return 0;
}

static int getdents_errors(char *why, size_t n)
{
	_Alignas(8) char buf[64];
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	long r = rb_getdents(fd, buf, sizeof(buf));
	rb_close(fd);
	KEXPECT(r, -E_NOTDIR);
	KEXPECT(rb_getdents(57, buf, sizeof(buf)), -E_BADF);
	return 0;
}

static int dup_shares_offset(char *why, size_t n)
{
	char b[2];
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	long r = rb_read(fd, b, 2);
	int d = rb_dup(fd);
	int c = rb_close(fd);
	long r2 = d >= 0 ? rb_read(d, b, 2) : -1;
	int c2 = d >= 0 ? rb_close(d) : -1;
	KEXPECT(r, 2);
	KCHECK(d >= 0 && d != fd, "dup gave %d for %d", d, fd);
	KEXPECT(c, 0);
	KEXPECT(r2, 2);
	KCHECK(b[0] == 'L' && b[1] == 'F', "dup does not share the offset");
	KEXPECT(c2, 0);
	KEXPECT(rb_read(d, b, 1), -E_BADF);
	KEXPECT(rb_dup(57), -E_BADF);
	return 0;
}

static int dup2_and_close(char *why, size_t n)
{
	static const char msg[] = "ktest: written through fd 20\n";
	KEXPECT(rb_dup2(1, 20), 20);
	KEXPECT(rb_write(20, msg, sizeof(msg) - 1), sizeof(msg) - 1);
	KEXPECT(rb_dup2(1, 20), 20); /* onto an open fd: closes it first */
	KEXPECT(rb_close(20), 0);
	KEXPECT(rb_write(20, msg, sizeof(msg) - 1), -E_BADF);
	KEXPECT(rb_close(20), -E_BADF);
	KEXPECT(rb_dup2(57, 21), -E_BADF);
	KEXPECT(rb_dup2(1, -1), -E_BADF);
	return 0;
}

static int close_twice(char *why, size_t n)
{
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	KEXPECT(rb_close(fd), 0);
	KEXPECT(rb_close(fd), -E_BADF);
	KEXPECT(rb_close(-1), -E_BADF);
	return 0;
}

/* The debug scheme is a stream: write works, lseek ESPIPE, no ftruncate. */
static int scheme_debug_stream(char *why, size_t n)
{
	static const char msg[] = "ktest: written through debug:\n";
	struct rb_stat st = {0};
	int fd = rb_open("debug:", RB_O_RDWR);
	KCHECK(fd >= 0, "open debug:: %d %s", fd, err_name(fd));
	long w = rb_write(fd, msg, sizeof(msg) - 1);
	long seek = rb_lseek(fd, 0, RB_SEEK_SET);
	int fs = rb_fstat(fd, &st);
	long sync = rb_syscall1(SYS_FSYNC, fd);
	long trunc = rb_syscall2(SYS_FTRUNCATE, fd, 0);
	long fcntl = rb_syscall3(SYS_FCNTL, fd, 99, 0);
	KEXPECT(rb_close(fd), 0);
	KEXPECT(w, sizeof(msg) - 1);
	KEXPECT(seek, -E_SPIPE);
	KEXPECT(fs, 0);
	KEXPECT(st.mode & RB_S_IFMT, RB_S_IFCHR);
	KEXPECT(sync, 0);
	KEXPECT(trunc, -E_INVAL);
	KEXPECT(fcntl, -E_INVAL);
	return 0;
}

/* Paths that name no scheme, or an invalid one, give ENOENT; "initfs:" is the root. */
static int scheme_paths(char *why, size_t n)
{
	KEXPECT(rb_open("/bin/init", RB_O_RDONLY), -E_NOENT);
	KEXPECT(rb_open("", RB_O_RDONLY), -E_NOENT);
	KEXPECT(rb_open(":/bin/init", RB_O_RDONLY), -E_NOENT);
	KEXPECT(rb_open("InitFS:/bin/init", RB_O_RDONLY), -E_NOENT);
	KEXPECT(rb_open("init:/bin/init", RB_O_RDONLY), -E_NOENT);
	KEXPECT(rb_open("initfsx:/bin/init", RB_O_RDONLY), -E_NOENT);
	int fd = rb_open("initfs:", RB_O_RDONLY | RB_O_DIRECTORY);
	KCHECK(fd >= 0, "open initfs:: %d %s", fd, err_name(fd));
	_Alignas(8) char buf[256];
	long r = rb_getdents(fd, buf, sizeof(buf));
	KEXPECT(rb_close(fd), 0);
	KCHECK(r > 0, "getdents of the root: %ld %s", r, err_name((int)r));
	return 0;
}

/* fcntl F_DUPFD: the lowest free fd >= arg; EINVAL past the table, EBADF on a closed fd. */
static int fcntl_dupfd(char *why, size_t n)
{
	long d = rb_syscall3(SYS_FCNTL, 1, 0, 30);
	KCHECK(d >= 30 && d < 40, "F_DUPFD 30 gave %ld", d);
	KEXPECT(rb_close((int)d), 0);
	KEXPECT(rb_syscall3(SYS_FCNTL, 1, 0, rb_getrlimit(RB_RLIMIT_NOFILE)), -E_INVAL);
	KEXPECT(rb_syscall3(SYS_FCNTL, 57, 0, 0), -E_BADF);
	KEXPECT(rb_syscall3(SYS_FCNTL, 57, 99, 0), -E_BADF);
	return 0;
}

/*
 * Close during a long read: a thread reads all of /bin/ktest while the
 * main thread closes the fd. The read holds its own reference, so it
 * either finished with every byte intact or never started (EBADF).
 */
#define KTEST_PATH "initfs:/bin/ktest"
static volatile int long_fd, long_go;
static char *long_buf;
static long long_size;

static int long_reader(void *arg)
{
	long_go = 1;
	long r = rb_read(long_fd, long_buf, (size_t)long_size);
	return r == long_size ? 0 : r == -E_BADF ? 1 : 2;
}

static int close_during_read(char *why, size_t n)
{
	struct rb_stat st;
	int fd = rb_open(KTEST_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	KEXPECT(rb_fstat(fd, &st), 0);
	long_size = (long)st.size;
	char *ref = rb_mmap(NULL, 2 * st.size, RB_PROT_READ | RB_PROT_WRITE, 0);
	KCHECK(ref && (long)ref > 0, "mmap: %ld", (long)ref);
	long_buf = ref + st.size;
	long got = rb_read(fd, ref, st.size);
	rb_close(fd);
	KEXPECT(got, long_size);
	int whole = 0, refused = 0, bad = 0;
	for (int round = 0; round < 20; round++) {
		memset(long_buf, 0, st.size);
		long_go = 0;
		long_fd = rb_open(KTEST_PATH, RB_O_RDONLY);
		KCHECK(long_fd >= 0, "open: %d %s", long_fd, err_name(long_fd));
		int tid = rb_thread_create(long_reader, NULL);
		KCHECK(tid > 0, "thread_create: %d %s", tid, err_name(tid));
		while (!long_go)
			;
		int c = rb_close(long_fd);
		int code = -1;
		rb_thread_join(tid, &code);
		if (c != 0 || code == 2 || (code == 0 && memcmp(ref, long_buf, st.size) != 0))
			bad++;
		whole += code == 0;
		refused += code == 1;
	}
	rb_munmap(ref, 2 * st.size);
	KCHECK(bad == 0, "%d bad rounds (%d whole reads, %d EBADF)", bad, whole, refused);
	KEXPECT(whole + refused, 20);
	return 0;
}

/* Open /bin/init until the table is full: EMFILE at RLIMIT_NOFILE (lowered to 64 here). */
static int open_until_emfile(char *why, size_t n)
{
	int fds[64], count = 0, last = 0;
	long old = rb_getrlimit(RB_RLIMIT_NOFILE);
	KEXPECT(rb_setrlimit(RB_RLIMIT_NOFILE, 64), 0);
	while (count < 64) {
		last = rb_open(INIT_PATH, RB_O_RDONLY);
		if (last < 0)
			break;
		fds[count++] = last;
	}
	int dup_full = rb_dup(1);
	for (int i = 0; i < count; i++)
		rb_close(fds[i]);
	int d64 = rb_dup2(1, 64);
	KEXPECT(rb_setrlimit(RB_RLIMIT_NOFILE, (uint64_t)old), 0);
	KEXPECT(last, -E_MFILE);
	KEXPECT(dup_full, -E_MFILE);
	KCHECK(count > 50 && count < 64, "%d fds opened before EMFILE", count);
	KEXPECT(d64, -E_BADF);
	KEXPECT(rb_dup2(1, 1 << 20), -E_BADF);
	return 0;
}

/*
 * The race: two closers both dup2 the shared file onto fds 40 and 41 and
 * close one of them, a reader reads and fstats them, two dupers dup fd 40
 * and close the copy. Every call must give a result it may give (a byte, EBADF),
 * and a dup'ed fd belongs to its duper alone, so its close must succeed.
 */
enum { RACE_ROUNDS = 50000, RACE_FD_A = 40, RACE_FD_B = 41 };
#define RACE_NS 2000000000ull /* each racer stops after 2 s or RACE_ROUNDS rounds */
static uint64_t race_deadline;
static int race_src;
static unsigned long race_size;
static volatile int race_bad;
static volatile long race_bad_value;
static volatile int race_bad_what;

static volatile int race_ready;

/* Wait until all five racers are running, so their rounds overlap. */
static void race_start(void)
{
	__atomic_fetch_add(&race_ready, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&race_ready, __ATOMIC_SEQ_CST) < 5)
		;
}

/* Whether round i should run: below RACE_ROUNDS and before the deadline. */
static int race_more(int i)
{
	return i < RACE_ROUNDS && (i % 64 || rb_now_ns() < race_deadline);
}

static void race_fail(int what, long value)
{
	if (__atomic_fetch_add(&race_bad, 1, __ATOMIC_RELAXED) == 0) {
		race_bad_what = what;
		race_bad_value = value;
	}
}

static int race_closer(void *arg)
{
	int mine = (int)(long)arg;
	race_start();
	for (int i = 0; race_more(i); i++) {
		int a = rb_dup2(race_src, RACE_FD_A), b = rb_dup2(race_src, RACE_FD_B);
		if (a != RACE_FD_A || b != RACE_FD_B)
			race_fail(1, a != RACE_FD_A ? a : b);
		int r = rb_close((i & 1) ? RACE_FD_A : mine);
		if (r != 0 && r != -E_BADF)
			race_fail(2, r);
	}
	return 0;
}

static int race_reader(void *arg)
{
	race_start();
	for (int i = 0; race_more(i); i++) {
		char c;
		long r = rb_read(RACE_FD_A, &c, 1);
		if (r != 1 && r != 0 && r != -E_BADF)
			race_fail(3, r);
		struct rb_stat st;
		int s = rb_fstat(RACE_FD_B, &st);
		if (s != -E_BADF && (s != 0 || st.size != race_size))
			race_fail(4, s ? s : (long)st.size);
		rb_lseek(RACE_FD_A, 0, RB_SEEK_SET);
	}
	return 0;
}

static int race_duper(void *arg)
{
	race_start();
	for (int i = 0; race_more(i); i++) {
		int d = rb_dup(RACE_FD_A);
		if (d == -E_BADF)
			continue;
		if (d < 0 || d == RACE_FD_A || d == RACE_FD_B)
			race_fail(5, d);
		else if (rb_close(d) != 0)
			race_fail(6, d); /* someone else was handed the same fd */
	}
	return 0;
}

static int race_read_dup_close(char *why, size_t n)
{
	struct rb_stat st;
	race_bad = 0;
	race_ready = 0;
	race_deadline = rb_now_ns() + RACE_NS;
	race_src = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(race_src >= 0, "open: %d %s", race_src, err_name(race_src));
	KEXPECT(rb_fstat(race_src, &st), 0);
	race_size = st.size;
	static int (*const fns[])(void *) = {race_closer, race_closer, race_reader, race_duper,
					     race_duper};
	static const long args[] = {RACE_FD_A, RACE_FD_B, 0, 0, 0};
	int tids[5], started = 0;
	for (int i = 0; i < 5; i++) {
		tids[i] = rb_thread_create(fns[i], (void *)args[i]);
		if (tids[i] > 0)
			started++;
		else
			__atomic_fetch_add(&race_ready, 1,
					   __ATOMIC_SEQ_CST); /* do not wait for it */
	}
	for (int i = 0; i < 5; i++)
		if (tids[i] > 0)
			rb_thread_join(tids[i], NULL);
	unsigned char m[4] = {0};
	long off = rb_lseek(race_src, 0, RB_SEEK_SET);
	long got = rb_read(race_src, m, 4);
	rb_close(RACE_FD_A);
	rb_close(RACE_FD_B);
	int c = rb_close(race_src);
	KEXPECT(started, 5);
	KCHECK(race_bad == 0, "%d bad results, first: check %d gave %ld", race_bad, race_bad_what,
	       race_bad_value);
	KEXPECT(off, 0);
	KEXPECT(got, 4);
	KCHECK(m[0] == 0x7f && m[1] == 'E', "shared file corrupted: %02x %02x", m[0], m[1]);
	KEXPECT(c, 0);
	return 0;
}

/* A descriptor whose low 32 bits name an open fd is still bad: the kernel
   once checked (int)fd and then indexed its table with the 64-bit value. */
static int fd_high_bits(char *why, size_t n)
{
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	long wide = (long)(1ull << 32 | (unsigned)fd);
	KEXPECT(rb_syscall1(SYS_CLOSE, wide), -E_BADF);
	KEXPECT(rb_syscall1(SYS_DUP, wide), -E_BADF);
	KEXPECT(rb_syscall2(SYS_DUP2, wide, 20), -E_BADF);
	char c;
	KEXPECT(rb_syscall3(SYS_READ, wide, (long)&c, 1), -E_BADF);
	KEXPECT(rb_close(fd), 0); /* still open: the wide close did not touch it */
	return 0;
}

/* open's flags and lseek's whence are checked as 64-bit values too: high
   bits above a valid RB_O_RDONLY or RB_SEEK_SET are refused. */
static int flags_high_bits(char *why, size_t n)
{
	long wide = (long)(1ull << 32);
	KEXPECT(rb_syscall2(SYS_OPEN, (long)INIT_PATH, wide | RB_O_RDONLY), -E_INVAL);
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	long r = rb_syscall3(SYS_LSEEK, fd, 0, wide | RB_SEEK_SET);
	long c = rb_syscall3(SYS_FCNTL, fd, wide, 0);
	KEXPECT(rb_close(fd), 0);
	KEXPECT(r, -E_INVAL);
	KEXPECT(c, -E_INVAL);
	return 0;
}

/* kill's pid and signal are checked as 64-bit values: a pid whose low 32
   bits name this process, or a signal whose low bits are 0, is refused. */
static int kill_high_bits(char *why, size_t n)
{
	long me = rb_getpid();
	KEXPECT(rb_syscall2(SYS_KILL, (long)(1ull << 32) | me, 0), -E_NOENT);
	KEXPECT(rb_syscall2(SYS_KILL, me, (long)(1ull << 32)), -E_INVAL);
	KEXPECT(rb_syscall2(SYS_KILL, me, 0), 0);
	return 0;
}

const struct kcase fd_cases[] = {
    {"write: fd 1 prints a line", write_stdout},
    {"write: bad fd gives EBADF", write_bad_fd},
    {"read: bad fd gives EBADF", read_bad_fd},
    {"write: bad pointer gives EFAULT", write_bad_pointer},
    {"open: initfs:/bin/init exists", open_existing},
    {"open: missing file gives ENOENT", open_missing},
    {"open: unknown scheme gives ENOENT", open_unknown_scheme},
    {"open: bad path pointer gives EFAULT", open_bad_pointer},
    {"open: initfs for writing gives EACCES", open_write_readonly},
    {"read: /bin/init starts with the ELF magic", read_elf_magic},
    {"read: bad buffer gives EFAULT", read_bad_buffer},
    {"lseek: offsets agree with fstat size", lseek_and_size},
    {"fstat: file, directory and console modes", fstat_modes},
    {"fstat: bad fd and bad pointer", fstat_errors},
    {"getdents: initfs:/bin lists init and ktest", getdents_bin},
    {"getdents: on a file gives ENOTDIR", getdents_errors},
    {"dup: copy shares the offset, then EBADF", dup_shares_offset},
    {"dup2: onto fd 20, close, then EBADF", dup2_and_close},
    {"close: twice gives EBADF", close_twice},
    {"open: a full table gives EMFILE", open_until_emfile},
    {"scheme: debug: is a stream (ESPIPE, EINVAL)", scheme_debug_stream},
    {"scheme: plain, invalid and unknown names give ENOENT", scheme_paths},
    {"fcntl: F_DUPFD bounds and EBADF", fcntl_dupfd},
    {"race: read/fstat/dup/dup2/close on shared fds", race_read_dup_close},
    {"race: close during a long read keeps the file alive", close_during_read},
    {"fd: a descriptor above 32 bits gives EBADF, never a fault", fd_high_bits},
    {"open, lseek: flags and whence above 32 bits give EINVAL", flags_high_bits},
    {"kill: a pid or signal above 32 bits is refused", kill_high_bits},
    {NULL, NULL},
};
