/*
 * t_irq.c - the irq: kernel scheme (docs/interrupts.md): vector blocks and
 * their alignment, dup "K", fpath, exhaustion without leaks, the "any"
 * pick, interrupts raised with the root-only "test" write and taken by
 * read/poll on every CPU, shared GSI lines, affinity, vectors freed when
 * their holder dies, and EACCES for a process without the irq right.
 *
 * The free vectors per CPU come from irq:/stats's "free" line; other
 * processes allocating meanwhile would disturb the counts, and on a
 * test boot nothing else allocates.
 */
#include <string.h>
#include "ktest.h"
#include "rb/sys.h"
#include "rb/thread.h"

#define NCPU_MAX 64
#define RB_POLL_TIMEOUT 5000000000ll

/* The whole text of irq:/stats, NUL-terminated, in a static buffer (ktest runs its cases one at
   a time): the text, or NULL if it cannot be opened. */
static char *stats_text(void)
{
	static char buf[65536];
	int fd = rb_open("irq:/stats", RB_O_RDONLY);
	if (fd < 0)
		return NULL;
	size_t len = 0;
	long r;
	while ((r = rb_read(fd, buf + len, sizeof buf - 1 - len)) > 0)
		len += (size_t)r;
	rb_close(fd);
	buf[len] = 0;
	return buf;
}

/* The "free" line of irq:/stats into free[] (at most NCPU_MAX): the CPU count, or -1. */
static int stats_free(unsigned *free)
{
	char *l = stats_text();
	if (!l)
		return -1;
	while (l && strncmp(l, "free ", 5) != 0) {
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	if (!l)
		return -1;
	int n = 0;
	char *p = l + 5;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9' || n == NCPU_MAX)
			break;
		unsigned v = 0;
		while (*p >= '0' && *p <= '9')
			v = v * 10 + (unsigned)(*p++ - '0');
		free[n++] = v;
	}
	return n;
}

/* Whether irq:/stats's row of GSI gsi says "masked": 1, 0, or -1 if there is no row. */
static int stats_gsi_masked(unsigned gsi)
{
	char *buf = stats_text();
	if (!buf)
		return -1;
	char key[24];
	rb_snprintf(key, sizeof key, " gsi %u ", gsi);
	char *row = strstr(buf, key);
	if (!row)
		return -1;
	char *end = strchr(row, '\n');
	if (end)
		*end = 0;
	return strstr(row, " masked ") != NULL;
}

/* Parse "irq:/cpu/C/apic/A/vector/V[/gsi/G]": 0 with *cpu, *vec (and *gsi or -1), or -1. */
static int parse_fpath(int fd, unsigned *cpu, unsigned *vec, long *gsi)
{
	char path[128];
	long r = rb_fpath(fd, path, sizeof path - 1);
	if (r < 0)
		return -1;
	path[r] = 0;
	const char *keys[] = {"irq:/cpu/", "/apic/", "/vector/"};
	unsigned vals[3];
	const char *p = path;
	for (int i = 0; i < 3; i++) {
		size_t k = strlen(keys[i]);
		if (strncmp(p, keys[i], k) != 0)
			return -1;
		p += k;
		if (*p < '0' || *p > '9')
			return -1;
		unsigned v = 0;
		while (*p >= '0' && *p <= '9')
			v = v * 10 + (unsigned)(*p++ - '0');
		vals[i] = v;
	}
	*gsi = -1;
	if (!strncmp(p, "/gsi/", 5)) {
		p += 5;
		long g = 0;
		while (*p >= '0' && *p <= '9')
			g = g * 10 + (*p++ - '0');
		*gsi = g;
	}
	if (*p)
		return -1;
	*cpu = vals[0];
	*vec = vals[2];
	return 0;
}

static int open_msi(const char *fmt_cpu, unsigned n)
{
	char path[64];
	rb_snprintf(path, sizeof path, "irq:/msi/%s/%u", fmt_cpu, n);
	return rb_open(path, RB_O_RDWR);
}

static int blocks_aligned(char *why, size_t n)
{
	for (unsigned cnt = 1; cnt <= 32; cnt *= 2) {
		int fd = open_msi("0", cnt);
		KCHECK(fd >= 0, "open msi/0/%u: %d %s", cnt, fd, err_name(fd));
		unsigned cpu, vec;
		long gsi;
		KEXPECT(parse_fpath(fd, &cpu, &vec, &gsi), 0);
		KEXPECT(cpu, 0);
		KEXPECT(gsi, -1);
		KCHECK(vec % cnt == 0 && vec >= 0x30 && vec + cnt - 1 <= 0xef,
		       "block of %u at %#x: misaligned or outside 0x30-0xef", cnt, vec);
		for (unsigned k = 1; k < cnt; k++) {
			char arg[8];
			rb_snprintf(arg, sizeof arg, "%u", k);
			int d = rb_dup_handle(fd, arg);
			KCHECK(d >= 0, "dup %u: %d %s", k, d, err_name(d));
			unsigned c2, v2;
			KEXPECT(parse_fpath(d, &c2, &v2, &gsi), 0);
			KEXPECT(c2, 0);
			KEXPECT(v2, vec + k);
			rb_close(d);
		}
		char arg[8];
		rb_snprintf(arg, sizeof arg, "%u", cnt);
		KEXPECT(rb_dup_handle(fd, arg), -E_INVAL);
		KEXPECT(rb_dup_handle(fd, "0"), -E_INVAL);
		KEXPECT(rb_dup_handle(fd, "x"), -E_INVAL);
		rb_close(fd);
	}
	KEXPECT(rb_open("irq:/msi/0/3", RB_O_RDWR), -E_INVAL);
	KEXPECT(rb_open("irq:/msi/0/64", RB_O_RDWR), -E_INVAL);
	KEXPECT(rb_open("irq:/msi/0/0", RB_O_RDWR), -E_INVAL);
	KEXPECT(rb_open("irq:/msi/255", RB_O_RDWR), -E_INVAL);
	KEXPECT(rb_open("irq:/msi/", RB_O_RDWR), -E_INVAL);
	KEXPECT(rb_open("irq:/gsi/1/sideways", RB_O_RDWR), -E_INVAL);
	KEXPECT(rb_open("irq:/isa/16", RB_O_RDWR), -E_INVAL);
	KEXPECT(rb_open("irq:/nothing", RB_O_RDWR), -E_NOENT);
	/* msix is the same allocation, labelled differently; /N may be left out. */
	int fd = rb_open("irq:/msix/any", RB_O_RDWR);
	KCHECK(fd >= 0, "open msix/any: %d %s", fd, err_name(fd));
	KEXPECT(rb_dup_handle(fd, "1"), -E_INVAL);
	rb_close(fd);
	return 0;
}

static int exhaustion(char *why, size_t n)
{
	unsigned before[NCPU_MAX], after[NCPU_MAX];
	int ncpu = stats_free(before);
	KCHECK(ncpu > 0, "irq:/stats has no free line");
	static int fds[256];
	unsigned got = 0;
	int fd;
	while (got < 256 && (fd = open_msi("0", 1)) >= 0)
		fds[got++] = fd;
	KCHECK(got < 256, "256 vectors on one CPU: the matrix has no bound");
	KEXPECT(fd, -E_NOSPC);
	KEXPECT(got, before[0]);
	KEXPECT(open_msi("0", 1), -E_NOSPC);
	KEXPECT(stats_free(after), ncpu);
	KEXPECT(after[0], 0);
	/* A full CPU 0 does not stop "any" when there is another CPU. */
	if (ncpu > 1) {
		int a = open_msi("any", 1);
		KCHECK(a >= 0, "any with CPU 0 full: %d %s", a, err_name(a));
		rb_close(a);
	}
	for (unsigned i = 0; i < got; i++)
		rb_close(fds[i]);
	KEXPECT(stats_free(after), ncpu);
	for (int c = 0; c < ncpu; c++)
		KEXPECT(after[c], before[c]);
	return 0;
}

/* The CPU "any" should pick: most free, lowest id on ties. */
static int emptiest(const unsigned *free, int ncpu)
{
	int best = 0;
	for (int c = 1; c < ncpu; c++)
		if (free[c] > free[best])
			best = c;
	return best;
}

static int any_pick(char *why, size_t n)
{
	unsigned free[NCPU_MAX];
	int ncpu = stats_free(free);
	KCHECK(ncpu > 0, "irq:/stats has no free line");
	int fds[8];
	for (int i = 0; i < 8; i++) {
		KEXPECT(stats_free(free), ncpu);
		int want = emptiest(free, ncpu);
		fds[i] = open_msi("any", 16);
		KCHECK(fds[i] >= 0, "open msi/any/16: %d %s", fds[i], err_name(fds[i]));
		unsigned cpu, vec;
		long gsi;
		KEXPECT(parse_fpath(fds[i], &cpu, &vec, &gsi), 0);
		KEXPECT(cpu, want);
	}
	for (int i = 0; i < 8; i++)
		rb_close(fds[i]);
	return 0;
}

/* Raise fd's vector with "test", then wait for it with poll and read: 0 or a failure. */
static int raise_and_take(char *why, size_t n, int fd)
{
	uint64_t cnt = 0;
	struct rb_pollfd p = {.fd = fd, .events = RB_POLLIN};
	KEXPECT(rb_poll(&p, 1, 0), 0);
	KEXPECT(rb_write(fd, "test", 4), 4);
	KEXPECT(rb_poll(&p, 1, RB_POLL_TIMEOUT), 1);
	KCHECK(p.revents & RB_POLLIN, "revents %#x without POLLIN", p.revents);
	KEXPECT(rb_read(fd, &cnt, 8), 8);
	KCHECK(cnt >= 1, "read gave %lu interrupts", (unsigned long)cnt);
	KEXPECT(rb_write(fd, &cnt, 8), 8); /* acknowledge: a no-op for MSI */
	p.revents = 0;
	KEXPECT(rb_poll(&p, 1, 0), 0);
	return 0;
}

static int raise_every_cpu(char *why, size_t n)
{
	unsigned free[NCPU_MAX];
	int ncpu = stats_free(free);
	KCHECK(ncpu > 0, "irq:/stats has no free line");
	for (int c = 0; c < ncpu; c++) {
		char cs[8];
		rb_snprintf(cs, sizeof cs, "%d", c);
		int fd = open_msi(cs, 2);
		KCHECK(fd >= 0, "open msi/%d/2: %d %s", c, fd, err_name(fd));
		if (raise_and_take(why, n, fd) < 0)
			return -1;
		int d = rb_dup_handle(fd, "1");
		KCHECK(d >= 0, "dup 1: %d", d);
		if (raise_and_take(why, n, d) < 0)
			return -1;
		/* Blocking read: an interrupt already pending returns at once. */
		KEXPECT(rb_write(d, "test", 4), 4);
		uint64_t cnt = 0;
		KEXPECT(rb_read(d, &cnt, 8), 8);
		KCHECK(cnt >= 1, "blocking read gave %lu", (unsigned long)cnt);
		/* Vector 0 got nothing from vector 1's interrupts. */
		struct rb_pollfd p = {.fd = fd, .events = RB_POLLIN};
		KEXPECT(rb_poll(&p, 1, 0), 0);
		KEXPECT(rb_write(fd, "label ktest-irq", 15), 15);
		KEXPECT(rb_write(fd, "bogus", 5), -E_INVAL);
		KEXPECT(rb_read(fd, &cnt, 4), -E_INVAL);
		rb_close(d);
		rb_close(fd);
	}
	/* O_NONBLOCK: EAGAIN while nothing is pending. */
	int fd = rb_open("irq:/msi/any", RB_O_RDWR | RB_O_NONBLOCK);
	KCHECK(fd >= 0, "open nonblocking: %d", fd);
	uint64_t cnt;
	KEXPECT(rb_read(fd, &cnt, 8), -E_AGAIN);
	rb_close(fd);
	return 0;
}

/* A GSI no device on the test machines drives (q35 and i440fx PCI lines end at 23). */
#define TEST_GSI 22

static int gsi_shared(char *why, size_t n)
{
	int a = rb_open("irq:/gsi/22/level-low", RB_O_RDWR);
	KCHECK(a >= 0, "open gsi/22/level-low: %d %s", a, err_name(a));
	int b = rb_open("irq:/gsi/22/level-low/0", RB_O_RDWR);
	KCHECK(b >= 0, "second open of the line: %d %s", b, err_name(b));
	KEXPECT(rb_open("irq:/gsi/22/edge-high", RB_O_RDWR), -E_BUSY);
	KEXPECT(rb_open("irq:/gsi/100000/edge-high", RB_O_RDWR), -E_NOENT);
	unsigned ca, va, cb, vb;
	long ga, gb;
	KEXPECT(parse_fpath(a, &ca, &va, &ga), 0);
	KEXPECT(parse_fpath(b, &cb, &vb, &gb), 0);
	KEXPECT(ga, TEST_GSI);
	KEXPECT(gb, TEST_GSI);
	KEXPECT(cb, ca); /* one vector for the line, whatever /CPU the joiner asked */
	KEXPECT(vb, va);
	/* One raise reaches both handles. */
	KEXPECT(rb_write(a, "test", 4), 4);
	uint64_t x = 0, y = 0;
	KEXPECT(rb_read(a, &x, 8), 8);
	KEXPECT(rb_read(b, &y, 8), 8);
	KCHECK(x >= 1 && y >= 1, "shared line: %lu and %lu", (unsigned long)x, (unsigned long)y);
	/* A level line stays masked until every handle it reached has acknowledged. */
	KEXPECT(stats_gsi_masked(TEST_GSI), 1);
	KEXPECT(rb_write(a, &x, 8), 8);
	KEXPECT(stats_gsi_masked(TEST_GSI), 1);
	KEXPECT(rb_write(a, &x, 8), 8); /* a second ack by the same handle counts once */
	KEXPECT(stats_gsi_masked(TEST_GSI), 1);
	KEXPECT(rb_write(b, &y, 8), 8);
	KEXPECT(stats_gsi_masked(TEST_GSI), 0);
	/* Affinity: move the line to the last CPU; both old handles follow. */
	unsigned free[NCPU_MAX];
	int ncpu = stats_free(free);
	KCHECK(ncpu > 0, "no free line");
	char arg[16];
	rb_snprintf(arg, sizeof arg, "cpu=%d", ncpu - 1);
	int m = rb_dup_handle(a, arg);
	KCHECK(m >= 0, "dup %s: %d %s", arg, m, err_name(m));
	unsigned cm, vm;
	long gm;
	KEXPECT(parse_fpath(m, &cm, &vm, &gm), 0);
	KEXPECT(cm, ncpu - 1);
	KEXPECT(gm, TEST_GSI);
	KEXPECT(parse_fpath(b, &cb, &vb, &gb), 0);
	KEXPECT(cb, cm);
	KEXPECT(vb, vm);
	KEXPECT(rb_write(b, "test", 4), 4);
	KEXPECT(rb_read(m, &x, 8), 8);
	KEXPECT(rb_read(a, &x, 8), 8);
	KEXPECT(rb_read(b, &x, 8), 8);
	KEXPECT(rb_dup_handle(a, "1"), -E_INVAL); /* no vector 1 on a line */
	KEXPECT(rb_dup_handle(a, "cpu=999"), -E_INVAL);
	rb_close(a);
	rb_close(b);
	rb_close(m);
	/* The line is gone: a new trigger is accepted now. */
	int e = rb_open("irq:/gsi/22/edge-high", RB_O_RDWR);
	KCHECK(e >= 0, "line not freed: %d %s", e, err_name(e));
	/* Moving an edge line gives its handles one count each: an interrupt
	   in flight to the old vector is not missed. */
	struct rb_pollfd p = {.fd = e, .events = RB_POLLIN};
	KEXPECT(rb_poll(&p, 1, 0), 0);
	rb_snprintf(arg, sizeof arg, "cpu=%d", ncpu - 1);
	m = rb_dup_handle(e, arg);
	KCHECK(m >= 0, "dup %s of an edge line: %d %s", arg, m, err_name(m));
	KEXPECT(rb_poll(&p, 1, 0), 1);
	KEXPECT(rb_read(e, &x, 8), 8);
	KEXPECT(x, 1);
	rb_close(m);
	rb_close(e);
	/* ISA IRQ 4 is the kernel's console. */
	KEXPECT(rb_open("irq:/isa/4", RB_O_RDWR), -E_BUSY);
	return 0;
}

static int msi_affinity(char *why, size_t n)
{
	unsigned free[NCPU_MAX];
	int ncpu = stats_free(free);
	KCHECK(ncpu > 0, "no free line");
	int fd = open_msi("0", 4);
	KCHECK(fd >= 0, "open: %d", fd);
	char arg[16];
	rb_snprintf(arg, sizeof arg, "cpu=%d", ncpu - 1);
	int m = rb_dup_handle(fd, arg);
	KCHECK(m >= 0, "dup %s: %d %s", arg, m, err_name(m));
	unsigned c0, v0, c1, v1;
	long g;
	KEXPECT(parse_fpath(fd, &c0, &v0, &g), 0);
	KEXPECT(parse_fpath(m, &c1, &v1, &g), 0);
	KEXPECT(c0, 0);
	KEXPECT(c1, ncpu - 1);
	KEXPECT(v1 % 4, 0);
	int d = rb_dup_handle(m, "3"); /* a fresh block of the same size */
	KCHECK(d >= 0, "dup 3 of the moved block: %d", d);
	rb_close(d);
	if (raise_and_take(why, n, m) < 0)
		return -1;
	rb_close(fd);
	rb_close(m);
	return 0;
}

/* Spawn ktest irq-child mode: its pid, or a negative error. */
static int spawn_child(const char *mode)
{
	char *argv[] = {"ktest", "irq-child", (char *)mode, NULL};
	int fds[3] = {0, 1, 2};
	return rb_spawn("initfs:/bin/ktest", argv, NULL, fds, 3);
}

static bool same_free(const unsigned *a, const unsigned *b, int ncpu)
{
	for (int c = 0; c < ncpu; c++)
		if (a[c] != b[c])
			return false;
	return true;
}

static int child_dies(char *why, size_t n)
{
	unsigned before[NCPU_MAX], now[NCPU_MAX];
	int ncpu = stats_free(before);
	KCHECK(ncpu > 0, "no free line");
	/* A child that allocates and exits without closing. */
	int pid = spawn_child("exit");
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	int status = -1;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(status, 0);
	KEXPECT(stats_free(now), ncpu);
	KCHECK(same_free(before, now, ncpu), "vectors leaked by a child that exited");
	/* A child killed while blocked in read. */
	pid = spawn_child("block");
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	uint64_t end = rb_now_ns() + 20000000000ull;
	while (stats_free(now) == ncpu && same_free(before, now, ncpu) && rb_now_ns() < end)
		rb_sched_yield();
	KCHECK(!same_free(before, now, ncpu), "the blocking child never allocated");
	KEXPECT(rb_kill(pid, RB_SIGKILL), 0);
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(stats_free(now), ncpu);
	KCHECK(same_free(before, now, ncpu), "vectors leaked by a killed child");
	return 0;
}

static int no_right(char *why, size_t n)
{
	/* Started as uid 1000: hw.policy grants irq to ktest as uid 0 only.
	   (A setuid after spawn would keep the grant: docs/hwaccess.md.) */
	char *argv[] = {"ktest", "irq-child", "user", NULL};
	int fds[3] = {0, 1, 2};
	struct rb_spawn_attr guest = {RB_SPAWN_SETUID, 0, 1000, 1000};
	int pid = rb_spawn_attr("initfs:/bin/ktest", argv, NULL, fds, 3, &guest);
	KCHECK(pid > 0, "spawn: %d %s", pid, err_name(pid));
	int status = -1;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(status, 0);
	return 0;
}

void kt_irq_child(const char *mode)
{
	if (!strcmp(mode, "exit")) {
		int a = open_msi("any", 8), b = rb_open("irq:/gsi/21/edge-high", RB_O_RDWR);
		int c = a >= 0 ? rb_dup_handle(a, "5") : -1;
		rb_exit(a >= 0 && b >= 0 && c >= 0 ? 0 : 1); /* the kernel closes them */
	}
	if (!strcmp(mode, "block")) {
		int a = open_msi("0", 4);
		if (a < 0)
			rb_exit(1);
		uint64_t cnt;
		rb_read(a, &cnt, 8); /* nothing raises it: blocks until killed */
		rb_exit(2);
	}
	if (!strcmp(mode, "user")) {
		if (rb_getuid() != 1000)
			rb_exit(3);
		int bad = rb_open("irq:/msi/any", RB_O_RDWR) != -E_ACCES;
		bad |= rb_open("irq:/gsi/21/edge-high", RB_O_RDWR) != -E_ACCES;
		int s = rb_open("irq:/stats", RB_O_RDONLY); /* anyone may read the table */
		char c;
		bad |= s < 0 || rb_read(s, &c, 1) != 1;
		rb_exit(bad ? 1 : 0);
	}
	rb_exit(4);
}

/* ---- concurrent storm: threads allocate, raise, read, dup, move and close ---- */

#define STORM_THREADS 4
#define STORM_SLOTS 8
#define STORM_OPS 400

static int storm_ncpu;
static int storm_fail[STORM_THREADS];

static int storm_thread(void *varg)
{
	int idx = (int)(intptr_t)varg;
	uint32_t seed = 0x9e3779b9u * (uint32_t)(idx + 1);
	int fds[STORM_SLOTS];
	for (int i = 0; i < STORM_SLOTS; i++)
		fds[i] = -1;
	for (int op = 0; op < STORM_OPS && !storm_fail[idx]; op++) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = seed >> 8;
		int slot = (int)(r % STORM_SLOTS);
		int fd = fds[slot];
		switch ((r >> 4) % 6) {
		case 0: { /* allocate on a random CPU or any */
			if (fd >= 0)
				rb_close(fd);
			char cs[8];
			int c = (int)((r >> 8) % (unsigned)(storm_ncpu + 1));
			if (c == storm_ncpu)
				rb_snprintf(cs, sizeof cs, "any");
			else
				rb_snprintf(cs, sizeof cs, "%d", c);
			fd = open_msi(cs, 1u << ((r >> 12) % 4));
			if (fd < 0 && fd != -E_NOSPC)
				storm_fail[idx] = 1;
			fds[slot] = fd < 0 ? -1 : fd;
			break;
		}
		case 1: /* raise and take it */
			if (fd >= 0) {
				uint64_t cnt = 0;
				if (rb_write(fd, "test", 4) != 4 || rb_read(fd, &cnt, 8) != 8 ||
				    cnt < 1)
					storm_fail[idx] = 2;
			}
			break;
		case 2: /* close */
			if (fd >= 0)
				rb_close(fd);
			fds[slot] = -1;
			break;
		case 3: { /* dup vector 1 (EINVAL on a block of one) */
			if (fd < 0)
				break;
			int d = rb_dup_handle(fd, "1");
			if (d >= 0)
				rb_close(d);
			else if (d != -E_INVAL)
				storm_fail[idx] = 3;
			break;
		}
		case 4: { /* move to another CPU, keep the new block */
			if (fd < 0)
				break;
			char arg[16];
			rb_snprintf(arg, sizeof arg, "cpu=%u", (r >> 8) % (unsigned)storm_ncpu);
			int d = rb_dup_handle(fd, arg);
			if (d >= 0) {
				rb_close(fd);
				fds[slot] = d;
			} else if (d != -E_NOSPC) {
				storm_fail[idx] = 4;
			}
			break;
		}
		default: { /* non-blocking read: nothing or a count, never an error */
			if (fd < 0)
				break;
			struct rb_pollfd p = {.fd = fd, .events = RB_POLLIN};
			if (rb_poll(&p, 1, 0) < 0)
				storm_fail[idx] = 5;
			break;
		}
		}
	}
	for (int i = 0; i < STORM_SLOTS; i++)
		if (fds[i] >= 0)
			rb_close(fds[i]);
	return 0;
}

static int storm(char *why, size_t n)
{
	unsigned before[NCPU_MAX], now[NCPU_MAX];
	storm_ncpu = stats_free(before);
	KCHECK(storm_ncpu > 0, "no free line");
	int tids[STORM_THREADS];
	for (int i = 0; i < STORM_THREADS; i++) {
		storm_fail[i] = 0;
		tids[i] = rb_thread_create(storm_thread, (void *)(intptr_t)i);
		KCHECK(tids[i] > 0, "thread: %d", tids[i]);
	}
	/* Meanwhile a child is killed blocked in read, and another exits holding vectors. */
	int k = spawn_child("block"), e = spawn_child("exit");
	KCHECK(k > 0 && e > 0, "spawn: %d %d", k, e);
	int status;
	KEXPECT(rb_waitpid(e, &status, 0), e); /* its status: it may have met a full CPU */
	int kr = rb_kill(k, RB_SIGKILL);
	KCHECK(kr == 0 || kr == -E_SRCH, "kill: %d", kr);
	KEXPECT(rb_waitpid(k, &status, 0), k);
	for (int i = 0; i < STORM_THREADS; i++) {
		int code;
		KEXPECT(rb_thread_join(tids[i], &code), 0);
		KCHECK(!storm_fail[i], "thread %d failed at step kind %d", i, storm_fail[i]);
	}
	KEXPECT(stats_free(now), storm_ncpu);
	KCHECK(same_free(before, now, storm_ncpu), "free vectors not back to the baseline");
	return 0;
}

const struct kcase irq_cases[] = {
    {"irq: blocks are aligned, dup K and fpath name each vector, bad paths EINVAL", blocks_aligned},
    {"irq: exhausting a CPU gives ENOSPC and closing frees every vector", exhaustion},
    {"irq: any picks the CPU with the most free vectors", any_pick},
    {"irq: a raised vector is read and polled on every CPU", raise_every_cpu},
    {"irq: a GSI line is shared, a trigger clash is EBUSY, cpu= reroutes", gsi_shared},
    {"irq: cpu= on an MSI block gives a fresh block there", msi_affinity},
    {"irq: a child's vectors are freed when it exits or is killed", child_dies},
    {"irq: a process without the irq right gets EACCES", no_right},
    {"irq: threads allocating, raising, moving and closing leak no vector", storm},
    {NULL, NULL},
};
