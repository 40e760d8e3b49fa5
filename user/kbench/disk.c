/*
 * disk.c - "kbench disk": disk read figures, the same loops on Red Bear
 * (through diskd, disk:/NAME) and on Linux (the block device, O_DIRECT).
 *
 *     kbench disk [mib=M] [ops=N] [threads=T] NAME=PATH [irq.NAME=TEXT] ...
 *
 * For each disk, over its first M MiB (default 32): sequential reads of
 * 1 MiB ("bench: disk_NAME_seq_read ns=<ns per MiB> MB/s=R"); N (default
 * 2000) reads of 4 KiB at random 4 KiB-aligned offsets from one thread,
 * queue depth 1 ("disk_NAME_randread_qd1 ns=<ns per read> IOPS=K"); and N
 * such reads shared by T threads (default 32), each with its own handle
 * doing one read at a time, which is how a synchronous API keeps T reads
 * in flight ("disk_NAME_randread_qd32", ns = wall time / N). The offsets
 * come from a fixed seed (per thread), so both systems read the same
 * blocks. Each figure is followed by the interrupts the disk's driver took
 * per CPU during it ("bench: disk_NAME_seq_read irqs cpu0=A cpu1=B"),
 * from the interrupt table (os_irq_table, lib/irq/count.c) before and
 * after: the rows that contain TEXT (default NAME). The harness passes
 * what each table calls the disk: Red Bear's owner "msix 0000:00:05.0"
 * (the PCI function), Linux's "virtio0-req.0", "nvme0q1" (its queues).
 * The run ends with "bench: disk done" (", with errors" when a figure
 * could not be measured: it then shows ns=0). One pass each: the harness
 * repeats boots (scripts/bench/bench.py).
 *
 * State: the arguments and the read buffers belong to the main thread;
 * a QD32 worker owns its struct worker slot and buffer page; the start
 * word is a futex the main thread sets once every worker has opened its
 * handle and counted itself in the ready word (atomics, futex wake);
 * results are read after the joins.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "disk.h"
#include "irq/count.h"
#include "os.h"

#define MIB (1024 * 1024)
#define BLOCK 4096
#define MAX_DISKS 4
#define MAX_THREADS 32
#define MAX_CPUS 64
#define TABLE_SIZE 65536

static const char usage[] =
    "usage: kbench disk [mib=M] [ops=N] [threads=T] NAME=PATH [irq.NAME=TEXT] ...\n"
    "Read figures of each disk PATH (Red Bear disk:/virtio0, Linux /dev/vda):\n"
    "sequential 1 MiB reads over the first M MiB (default 32), N (default 2000)\n"
    "random 4 KiB reads from one thread and from T threads (default 32, at most\n"
    "32); and the interrupts per CPU during each of the interrupt table's rows\n"
    "that contain TEXT (default NAME). See docs/performance.md.\n";

static uint64_t mib = 32, ops = 2000, threads = MAX_THREADS;
static int errors;
static char table[TABLE_SIZE];

struct worker {
	const char *path;
	unsigned char *buf;
	uint64_t seed, n, blocks;
	uint32_t *start, *ready;
	int fd, err;
};

static struct worker workers[MAX_THREADS];

/* Append s to out (size bytes, NUL-terminated); cut at the end. */
static void put(char *out, size_t size, const char *s)
{
	size_t k = strlen(out);
	while (*s && k + 1 < size)
		out[k++] = *s++;
	out[k] = '\0';
}

static void put_u64(char *out, size_t size, uint64_t v)
{
	char d[24];
	int i = (int)sizeof d - 1;
	d[i] = '\0';
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(out, size, d + i);
}

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* Read n bytes at off whole (a system may return fewer per call); 0 or error. */
static int read_at(int fd, unsigned char *buf, size_t n, uint64_t off)
{
	for (size_t got = 0; got < n;) {
		long r = os_disk_pread(fd, buf + got, n - got, off + got);
		if (r <= 0)
			return r < 0 ? (int)r : -1;
		got += (size_t)r;
	}
	return 0;
}

/* The interrupts per CPU now of the rows that contain match, into c; the CPU count, or 0. */
static int irq_now(const char *match, uint64_t *c)
{
	long n = os_irq_table(table, sizeof table);
	if (n <= 0)
		return 0;
	int r = irqcount_sum(table, (size_t)n, match, c, MAX_CPUS);
	return r < 0 ? 0 : r;
}

/* "bench: FIG irqs cpu0=.. cpu1=..": the difference of two tables. */
static void irq_line(const char *fig, int ncpu, const uint64_t *a, const uint64_t *b)
{
	char line[64 + MAX_CPUS * 24] = "";
	put(line, sizeof line, fig);
	put(line, sizeof line, " irqs");
	if (!ncpu)
		put(line, sizeof line, " unknown (no interrupt table)");
	for (int i = 0; i < ncpu; i++) {
		put(line, sizeof line, " cpu");
		put_u64(line, sizeof line, (uint64_t)i);
		put(line, sizeof line, "=");
		put_u64(line, sizeof line, b[i] >= a[i] ? b[i] - a[i] : 0);
	}
	os_note(line);
}

static void name_of(char *out, size_t size, const char *disk, const char *what)
{
	out[0] = '\0';
	put(out, size, "disk_");
	put(out, size, disk);
	put(out, size, what);
}

static uint64_t seq_read(int fd, unsigned char *buf)
{
	uint64_t t0 = os_now_ns();
	for (uint64_t i = 0; i < mib; i++)
		if (read_at(fd, buf, MIB, i * MIB) < 0)
			return 0;
	return (os_now_ns() - t0) / mib + 1;
}

static int random_reads(int fd, unsigned char *buf, uint64_t seed, uint64_t n, uint64_t blocks)
{
	for (uint64_t i = 0; i < n; i++)
		if (read_at(fd, buf, BLOCK, xorshift(&seed) % blocks * BLOCK) < 0)
			return -1;
	return 0;
}

static uint64_t qd1(int fd, unsigned char *buf)
{
	uint64_t t0 = os_now_ns();
	if (random_reads(fd, buf, 0x9e3779b97f4a7c15ull, ops, mib * (MIB / BLOCK)) < 0)
		return 0;
	return (os_now_ns() - t0) / ops + 1;
}

static int worker_main(void *arg)
{
	struct worker *w = arg;
	__atomic_add_fetch(w->ready, 1, __ATOMIC_ACQ_REL);
	os_futex_wake(w->ready);
	while (__atomic_load_n(w->start, __ATOMIC_ACQUIRE) == 0)
		os_futex_wait(w->start, 0);
	w->err = random_reads(w->fd, w->buf, w->seed, w->n, w->blocks);
	return 0;
}

/* T threads, each with its own handle, share the ops reads; ns per read or 0. */
static uint64_t qdn(const char *path, unsigned char *bufs)
{
	static uint32_t start, ready;
	int tids[MAX_THREADS], nt = 0;
	bool ok = true;
	start = ready = 0;
	for (uint64_t i = 0; i < threads; i++) {
		struct worker *w = &workers[i];
		*w = (struct worker){.path = path,
				     .buf = bufs + i * BLOCK,
				     .seed = 0x2545f4914f6cdd1dull + i,
				     .n = ops / threads + (i < ops % threads),
				     .blocks = mib * (MIB / BLOCK),
				     .start = &start,
				     .ready = &ready,
				     .fd = os_disk_open(path, 0)};
		if (w->fd < 0) {
			ok = false;
			break;
		}
		tids[nt] = os_thread_start(worker_main, w);
		if (tids[nt] < 0) {
			os_close(w->fd);
			ok = false;
			break;
		}
		nt++;
	}
	uint32_t r; /* every worker is up and waiting: the clock starts at the release */
	while ((r = __atomic_load_n(&ready, __ATOMIC_ACQUIRE)) < (uint32_t)nt)
		os_futex_wait(&ready, r);
	uint64_t t0 = os_now_ns();
	__atomic_store_n(&start, 1, __ATOMIC_RELEASE);
	os_futex_wake_all(&start);
	for (int i = 0; i < nt; i++) {
		if (os_thread_join(tids[i]) < 0 || workers[i].err < 0)
			ok = false;
		os_close(workers[i].fd);
	}
	uint64_t ns = os_now_ns() - t0;
	return ok ? ns / ops + 1 : 0;
}

/* One figure: run it between two interrupt tables; print its line and the interrupts. */
static void figure(const char *disk, const char *match, const char *what, int kind, int fd,
		   const char *path, unsigned char *buf)
{
	char name[64];
	uint64_t a[MAX_CPUS], b[MAX_CPUS];
	name_of(name, sizeof name, disk, what);
	int ncpu = irq_now(match, a);
	uint64_t ns = kind == 0 ? seq_read(fd, buf) : kind == 1 ? qd1(fd, buf) : qdn(path, buf);
	int ncpu2 = irq_now(match, b);
	if (!ns) {
		errors++;
		os_note("# could not measure the next figure");
	}
	if (kind == 0 && ns)
		os_report_rate(name, ns, MIB);
	else if (ns)
		os_report_iops(name, ns);
	else
		os_report(name, 0);
	irq_line(name, ncpu == ncpu2 ? ncpu : 0, a, b);
}

static void one_disk(const char *disk, const char *match, const char *path, unsigned char *buf)
{
	int fd = os_disk_open(path, 1);
	if (fd < 0) {
		char line[160] = "# cannot open ";
		put(line, sizeof line, path);
		os_note(line);
	}
	static const char *const what[3] = {"_seq_read", "_randread_qd1", "_randread_qd32"};
	for (int k = 0; k < 3; k++) {
		if (fd >= 0) {
			figure(disk, match, what[k], k, fd, path, buf);
			continue;
		}
		char name[64];
		errors++;
		name_of(name, sizeof name, disk, what[k]);
		os_report(name, 0);
	}
	if (fd >= 0)
		os_close(fd);
}

static bool arg_u64(const char *a, const char *key, uint64_t *out)
{
	size_t k = strlen(key);
	if (strncmp(a, key, k) != 0 || a[k] != '=' || !a[k + 1])
		return false;
	uint64_t v = 0;
	for (a += k + 1; *a; a++) {
		if (*a < '0' || *a > '9' || v > UINT64_MAX / 10 - 9)
			return false;
		v = v * 10 + (uint64_t)(*a - '0');
	}
	*out = v;
	return true;
}

/* A disk argument NAME=PATH with NAME [a-z0-9]{1,16}: the '=' or NULL. */
static const char *disk_arg(const char *a)
{
	const char *eq = strchr(a, '=');
	if (!eq || eq == a || eq - a > 16 || !eq[1])
		return NULL;
	for (const char *p = a; p < eq; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			return NULL;
	return eq;
}

int disk_main(int argc, char **argv)
{
	static char names[MAX_DISKS][17];
	const char *paths[MAX_DISKS], *irqs[MAX_DISKS][2]; /* irq.NAME=TEXT: name, TEXT */
	int nd = 0, ni = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;
		if (strcmp(a, "--help") == 0) {
			os_print(usage);
			return 0;
		}
		if (arg_u64(a, "mib", &mib) || arg_u64(a, "ops", &ops) ||
		    arg_u64(a, "threads", &threads))
			continue;
		if (strncmp(a, "irq.", 4) == 0 && (eq = disk_arg(a + 4)) && ni < MAX_DISKS) {
			irqs[ni][0] = a + 4;
			irqs[ni++][1] = eq + 1;
			continue;
		}
		if ((eq = disk_arg(a)) && nd < MAX_DISKS) {
			memcpy(names[nd], a, (size_t)(eq - a));
			names[nd][eq - a] = '\0';
			paths[nd++] = eq + 1;
			continue;
		}
		os_print(usage);
		return 2;
	}
	if (!nd || mib < 1 || mib > 4096 || ops < 1 || threads < 1 || threads > MAX_THREADS) {
		os_print(usage);
		return 2;
	}
	/* page-aligned, as Linux's O_DIRECT wants; the QD32 buffers share the region */
	size_t len = MIB > MAX_THREADS * BLOCK ? MIB : MAX_THREADS * BLOCK;
	unsigned char *buf = os_map(len);
	if (!buf) {
		os_note("disk done, with errors");
		return 1;
	}
	for (int d = 0; d < nd; d++) {
		const char *match = names[d];
		size_t k = strlen(names[d]);
		for (int i = 0; i < ni; i++)
			if (strncmp(irqs[i][0], names[d], k) == 0 && irqs[i][0][k] == '=')
				match = irqs[i][1];
		one_disk(names[d], match, paths[d], buf);
	}
	os_unmap(buf, len);
	os_note(errors ? "disk done, with errors" : "disk done");
	return errors ? 1 : 0;
}
