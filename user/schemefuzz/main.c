/*
 * schemefuzz - a hostile client for the real servers: random opens, reads,
 * writes, seeks, syncs, truncates, directory reads, derived handles and
 * closes on the paths of the schemes it is given, from several threads
 * sharing one table of descriptors (docs/stress.md, "schemefuzz").
 *
 *   schemefuzz [seed=N] [ops=N] [threads=N] [uid=N] [seconds=S] [write=PREFIX]... PATH...
 *
 * Paths: each PATH given (a scheme's root `disk:` or a file such as
 * `drivers:/status`), the names it lists (and the names those list, one
 * level more), and mangled forms of them (a byte
 * flipped, cut, doubled slashes, `..`, a long name, non-ASCII bytes).
 * It drops to uid (default 1000) first, so the servers' permission
 * checks are fuzzed too; as root (uid=0) it writes only to paths
 * starting with a `write=` prefix (so a root run cannot wreck a disk or
 * a device's config space), as another uid anywhere. As root every open
 * is non-blocking: root can open files whose reads wait for data.
 *
 * What it checks: a call's result is an error (-4095..-1) or within its
 * bounds (a read or write at most what was asked, an fd or offset not
 * negative), and every server still answers at the end: each PATH given
 * opens read-only as it did at the start (or fails with the same error).
 *
 * Some reads wait for data by design (a NIC's frames, pci:/events, an
 * interrupt vector): a thread may stay in one. The threads stop taking
 * new operations after S/2 seconds (default 120); at S seconds the run
 * ends whatever is still waiting, and each thread still in a call is
 * printed, `schemefuzz: thread T still in OP of PATH`, for the caller to
 * judge (the boot test allows only reads of net:, pci: and irq:). It prints `schemefuzz: done ops=N
 * ok=N errors=N` and exits 0, or `schemefuzz: FAIL ...` and exits 1. A server that dies is found by
 * the caller (the boot test compares driver restarts before and after). All randomness comes from
 * the seed.
 *
 * Threads share fds[] (a slot holds an fd or -1, swapped atomically:
 * a thread takes a slot's fd out to close it, so one fd is never closed
 * twice; another thread may still be using it in a call, which the
 * kernel must take: the file lives until that call ends). Paths are
 * built before the threads start and only read after.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "rb/malloc.h"
#include "rb/rand.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/thread.h"

#define PATHS_MAX 256
#define PATH_LEN 160
#define SLOTS 16
#define THREADS_MAX 8
#define BUF 65536
#define WRITES_MAX 8

static char paths[PATHS_MAX][PATH_LEN];
static unsigned npaths;
static const char *writes[WRITES_MAX];
static unsigned nwrites;
static int fds[SLOTS];
static uint64_t seed = 1, ops = 2000;
static unsigned nthreads = 4;
static int uid = 1000;
static uint64_t seconds = 120, stop_at;
static unsigned long n_ok, n_err, n_fail;
static uint32_t threads_done; /* futex: threads that finished */
/* What each thread is doing now (its own slot; read by main at the end). */
static const char *volatile cur_op[THREADS_MAX];
static char cur_path[THREADS_MAX][PATH_LEN];

static void add_path(const char *p)
{
	if (npaths < PATHS_MAX && strlen(p) < PATH_LEN)
		strcpy(paths[npaths++], p);
}

/* Add base's entries (base ends in ':' or '/'). */
static void add_listing(const char *base)
{
	static char buf[8192];
	int fd = rb_open(base, RB_O_RDONLY | RB_O_DIRECTORY);
	if (fd < 0)
		return;
	long n;
	while ((n = rb_getdents(fd, buf, sizeof buf)) > 0) {
		for (long off = 0; off < n;) {
			struct rb_dirent *d = (struct rb_dirent *)(buf + off);
			if (d->reclen == 0)
				break;
			char p[PATH_LEN];
			if (strcmp(d->name, ".") && strcmp(d->name, "..") &&
			    rb_snprintf(p, sizeof p, "%s%s", base, d->name) < (int)sizeof p)
				add_path(p);
			off += d->reclen;
		}
	}
	rb_close(fd);
}

static bool may_write(const char *p)
{
	if (uid != 0)
		return true;
	for (unsigned i = 0; i < nwrites; i++)
		if (!strncmp(p, writes[i], strlen(writes[i])))
			return true;
	return false;
}

/* A path: a known one, or a known one mangled. */
static void pick_path(struct rb_rand *r, char *out)
{
	strcpy(out, paths[rb_rand_below(r, npaths)]);
	size_t len = strlen(out);
	switch (rb_rand_below(r, 10)) {
	case 0: /* a byte flipped */
		out[rb_rand_below(r, len)] ^= (char)(1 + rb_rand_below(r, 255));
		if (!out[0])
			out[0] = 'x';
		break;
	case 1: /* cut */
		out[1 + rb_rand_below(r, len)] = '\0';
		break;
	case 2: /* junk after it */
	{
		static const char *const tails[] = {"/..",     "//",  "/../..",	   "/.",
						    "/x",      "p9",  "/register", "/status",
						    "/config", "/irq"};
		const char *t = tails[rb_rand_below(r, sizeof tails / sizeof tails[0])];
		if (len + strlen(t) < PATH_LEN)
			strcat(out, t);
		break;
	}
	case 3: /* a long name */
		while (len < PATH_LEN - 1)
			out[len++] = (char)('a' + rb_rand_below(r, 26));
		out[len] = '\0';
		break;
	case 4: /* non-ASCII */
		if (len + 2 < PATH_LEN) {
			out[len] = (char)(0x80 | rb_rand_below(r, 128));
			out[len + 1] = '\0';
		}
		break;
	default:
		break;
	}
}

static void fail(const char *what, const char *path, long r)
{
	__atomic_add_fetch(&n_fail, 1, __ATOMIC_RELAXED);
	rb_printf("schemefuzz: FAIL %s on %s gave %ld\n", what, path, r);
}

/* Count r: an error, or a success that must be at most max (max < 0: at least 0). */
static void check(const char *what, const char *path, long r, long max)
{
	if (r < 0 && r >= -4095) {
		__atomic_add_fetch(&n_err, 1, __ATOMIC_RELAXED);
		return;
	}
	if (r < 0 || (max >= 0 && r > max))
		fail(what, path, r);
	else
		__atomic_add_fetch(&n_ok, 1, __ATOMIC_RELAXED);
}

static void one_op(unsigned t, struct rb_rand *r, uint8_t *buf)
{
	static const int modes[] = {RB_O_RDONLY, RB_O_WRONLY, RB_O_RDWR};
	unsigned slot = (unsigned)rb_rand_below(r, SLOTS);
	int fd = __atomic_load_n(&fds[slot], __ATOMIC_ACQUIRE);
	char path[PATH_LEN];
	if (fd < 0 || rb_rand_below(r, 8) == 0) {
		pick_path(r, path);
		int flags = modes[rb_rand_below(r, 3)];
		if (!may_write(path))
			flags = RB_O_RDONLY;
		if (rb_rand_below(r, 4) == 0 || uid == 0)
			flags |= RB_O_NONBLOCK; /* root reaches files whose reads wait for data */
		if (rb_rand_below(r, 8) == 0)
			flags |= RB_O_DIRECTORY;
		if (rb_rand_below(r, 16) == 0 && may_write(path))
			flags |= RB_O_TRUNC | RB_O_CREAT;
		strcpy(cur_path[t], path);
		cur_op[t] = "open";
		int nfd = rb_open(path, flags);
		check("open", path, nfd, -1);
		if (nfd < 0)
			return;
		int old = __atomic_exchange_n(&fds[slot], nfd, __ATOMIC_ACQ_REL);
		if (old >= 0)
			rb_close(old);
		return;
	}
	long n = rb_fpath(fd, path, sizeof path - 1);
	path[n > 0 ? n : 0] = '\0';
	size_t len = rb_rand_below(r, 4) == 0 ? (size_t)rb_rand_below(r, BUF + 1)
					      : (size_t)rb_rand_below(r, 4097);
	static const char *const names[] = {"read",	"read",	      "read",  "write",
					    "lseek",	"fstat",      "fsync", "ftruncate",
					    "getdents", "dup_handle", "close"};
	unsigned op = (unsigned)rb_rand_below(r, 11);
	strcpy(cur_path[t], path);
	cur_op[t] = names[op];
	switch (op) {
	case 0:
	case 1:
	case 2:
		check("read", path, rb_read(fd, buf, len), (long)len);
		break;
	case 3:
		if (!may_write(path))
			break;
		for (size_t i = 0; i < len && i < 256; i++)
			buf[i] = (uint8_t)rb_rand_next(r);
		check("write", path, rb_write(fd, buf, len), (long)len);
		break;
	case 4: {
		static const long offs[] = {0, 1, 511, 512, 4096, -1, -4096, 1l << 40, -(1l << 62)};
		long off = rb_rand_below(r, 2) ? offs[rb_rand_below(r, 9)]
					       : (long)rb_rand_below(r, 1u << 26);
		check("lseek", path, rb_lseek(fd, off, (int)rb_rand_below(r, 4)), -1);
		break;
	}
	case 5: {
		struct rb_stat st;
		check("fstat", path, rb_fstat(fd, &st), 0);
		break;
	}
	case 6:
		if (may_write(path))
			check("fsync", path, rb_fsync(fd), 0);
		break;
	case 7:
		if (may_write(path))
			check("ftruncate", path,
			      rb_ftruncate(fd, rb_rand_next(r) >> rb_rand_below(r, 64)), 0);
		break;
	case 8:
		check("getdents", path, rb_getdents(fd, buf, len), (long)len);
		break;
	case 9: {
		static const char *const args[] = {"accept", "0", "1", "cpu=0", "cpu=any", "x", ""};
		int nfd = rb_dup_handle(fd, args[rb_rand_below(r, 7)]);
		check("dup_handle", path, nfd, -1);
		if (nfd >= 0)
			rb_close(nfd);
		break;
	}
	default: {
		int old = __atomic_exchange_n(&fds[slot], -1, __ATOMIC_ACQ_REL);
		if (old >= 0)
			check("close", path, rb_close(old), 0);
		break;
	}
	}
}

static int thread_main(void *arg)
{
	unsigned t = (unsigned)(uintptr_t)arg;
	struct rb_rand r;
	rb_rand_seed(&r, rb_rand_derive(seed, t, 0));
	uint8_t *buf = rb_malloc(BUF);
	if (!buf)
		return 1;
	for (uint64_t i = 0; i < ops && rb_now_ns() < stop_at; i++)
		one_op(t, &r, buf);
	cur_op[t] = NULL;
	rb_free(buf);
	__atomic_add_fetch(&threads_done, 1, __ATOMIC_RELEASE);
	rb_futex_wake(&threads_done, 1);
	return 0;
}

static uint64_t number(const char *s)
{
	return strtoull(s, NULL, 0);
}

int main(int argc, char **argv)
{
	const char *schemes[16]; /* the PATHs given */
	unsigned nschemes = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "seed=", 5))
			seed = number(a + 5);
		else if (!strncmp(a, "ops=", 4))
			ops = number(a + 4);
		else if (!strncmp(a, "threads=", 8))
			nthreads = (unsigned)number(a + 8);
		else if (!strncmp(a, "uid=", 4))
			uid = (int)number(a + 4);
		else if (!strncmp(a, "seconds=", 8))
			seconds = number(a + 8);
		else if (!strncmp(a, "write=", 6) && nwrites < WRITES_MAX)
			writes[nwrites++] = a + 6;
		else if (strchr(a, ':') && nschemes < 16)
			schemes[nschemes++] = a;
		else {
			rb_printf("usage: schemefuzz [seed=N] [ops=N] [threads=N] [uid=N] "
				  "[seconds=S] [write=PREFIX]... PATH...\n");
			return 2;
		}
	}
	if (!nschemes || nthreads < 1 || nthreads > THREADS_MAX) {
		rb_printf("schemefuzz: name at least one path; threads 1..%d\n", THREADS_MAX);
		return 2;
	}
	int first_open[16];
	for (unsigned i = 0; i < nschemes; i++) {
		add_path(schemes[i]);
		unsigned first = npaths;
		add_listing(schemes[i]);
		for (unsigned k = first, end = npaths; k < end; k++) {
			char sub[PATH_LEN];
			if (rb_snprintf(sub, sizeof sub, "%s/", paths[k]) < (int)sizeof sub)
				add_listing(sub);
		}
	}
	for (unsigned i = 0; i < SLOTS; i++)
		fds[i] = -1;
	if (uid != rb_getuid() && (rb_setgid(uid) < 0 || rb_setuid(uid) < 0)) {
		rb_printf("schemefuzz: cannot become uid %d\n", uid);
		return 2;
	}
	for (unsigned i = 0; i < nschemes; i++) { /* as the uid the end's check runs as */
		first_open[i] = rb_open(schemes[i], RB_O_RDONLY);
		if (first_open[i] >= 0)
			rb_close(first_open[i]);
	}
	rb_printf("schemefuzz: seed %#llx, %u paths, %u threads x %llu ops, uid %d\n",
		  (unsigned long long)seed, npaths, nthreads, (unsigned long long)ops, uid);
	uint64_t t0 = rb_now_ns(), end = t0 + seconds * 1000000000ull;
	stop_at = t0 + seconds * 500000000ull;
	unsigned started = 0;
	for (unsigned t = 0; t < nthreads; t++)
		started += rb_thread_create(thread_main, (void *)(uintptr_t)t) >= 0;
	uint32_t done;
	while ((done = __atomic_load_n(&threads_done, __ATOMIC_ACQUIRE)) < started) {
		uint64_t now = rb_now_ns();
		if (now >= end)
			break;
		rb_futex_wait(&threads_done, done, end - now);
	}
	for (unsigned t = 0; t < nthreads; t++) {
		const char *op = cur_op[t];
		if (op)
			rb_printf("schemefuzz: thread %u still in %s of %s\n", t, op, cur_path[t]);
	}
	if (done == started)
		for (unsigned i = 0; i < SLOTS; i++)
			if (fds[i] >= 0)
				rb_close(fds[i]);
	/* every server still answers as it did */
	for (unsigned i = 0; i < nschemes; i++) {
		int fd = rb_open(schemes[i], RB_O_RDONLY);
		if (fd >= 0)
			rb_close(fd);
		if ((fd >= 0) != (first_open[i] >= 0) || (fd < 0 && fd != first_open[i]))
			fail("open at the end", schemes[i], fd);
	}
	rb_printf("schemefuzz: done ops=%llu ok=%lu errors=%lu%s\n",
		  (unsigned long long)ops * nthreads, n_ok, n_err, n_fail ? " FAILED" : "");
	return n_fail ? 1 : 0;
}
