/*
 * c_irq.c - the "irq" case: the irq: kernel scheme under concurrency.
 *
 * Threads read irq:/stats whole while others (in this worker and the
 * others) open vector blocks and GSI lines, dup them ("K", "cpu=C"), poll
 * and close them, and the supervisor's chaos kills workers in the middle:
 * every table read must be well formed (a "free" line with one count per
 * CPU, none above the 192 allocatable vectors of a CPU). Workers run as
 * uid KST_WORKER_UID but keep the irq right hw.policy gave kstress at
 * spawn (grants survive setuid: docs/hwaccess.md), so the handles are
 * used and closed within one operation; a worker without the right must
 * get EACCES and nothing else. The "fd" case may close or reuse any low fd meanwhile, so
 * errors on a handle after the open are not checked: what is checked is
 * the kernel's side, by the supervisor after each round (open files and
 * heap objects back to where they were: no handle, block or line leaks).
 * The root-only "test" raise and the free-count baseline are covered by
 * ktest's t_irq.c ("threads allocating, raising, moving and closing").
 *
 * Ownership: no state between operations; the stats buffer is the calling
 * thread's own (bufs[] indexed by its number), everything else is on its
 * stack.
 */
#include <string.h>
#include "kstress.h"
#include "rb/sys.h"

#define STATS_MAX 16384

static char bufs[KST_MAX_THREADS][STATS_MAX];

/* Read irq:/stats and check its free line. */
static int stats_op(struct kst_thread *t)
{
	char *buf = bufs[t->idx % KST_MAX_THREADS];
	int fd = rb_open("irq:/stats", RB_O_RDONLY);
	if (kst_svc_transient(fd) || fd == -E_NOMEM)
		return 0; /* fdlim's bursts, the file limit, a signal, memlim */
	if (fd < 0)
		return kst_fail(t, KST_IRQ, "open irq:/stats: %d", fd);
	size_t len = 0;
	long r;
	while (len < STATS_MAX - 1 && (r = rb_read(fd, buf + len, STATS_MAX - 1 - len)) > 0)
		len += (size_t)r;
	rb_close(fd);
	buf[len] = 0;
	if (strncmp(buf, "VEC ", 4) != 0)
		return 0; /* the fd case may have swapped the fd under us: nothing to check */
	char *l = strstr(buf, "\nfree ");
	if (!l) {
		if (len == STATS_MAX - 1)
			return 0; /* cut by our buffer */
		return kst_fail(t, KST_IRQ, "irq:/stats without a free line");
	}
	char *p = l + 6;
	int n = 0;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9')
			break;
		unsigned v = 0;
		while (*p >= '0' && *p <= '9')
			v = v * 10 + (unsigned)(*p++ - '0');
		if (v > 192)
			return kst_fail(t, KST_IRQ, "a CPU with %u free vectors (> 192)", v);
		n++;
	}
	if (n < 1)
		return kst_fail(t, KST_IRQ, "free line with no CPU");
	return 0;
}

static const char *const paths[] = {
    "irq:/msi/any",	     "irq:/msi/0/4",	      "irq:/msix/any/32",
    "irq:/gsi/21/edge-high", "irq:/gsi/21/level-low", "irq:/isa/3",
};

/* Open a random vector path; use and close what it gives. */
static int vector_op(struct kst_thread *t)
{
	const char *path = paths[kst_rand(t, sizeof paths / sizeof paths[0])];
	int fd = rb_open(path, RB_O_RDWR);
	if (fd == -E_ACCES || fd == -E_NOSPC || fd == -E_BUSY || fd == -E_NOENT || fd == -E_MFILE ||
	    fd == -E_NFILE || fd == -E_NOMEM)
		return 0;
	if (fd < 0)
		return kst_fail(t, KST_IRQ, "open %s: %d", path, fd);
	int d1 = rb_dup_handle(fd, kst_rand(t, 2) ? "1" : "cpu=any");
	struct rb_pollfd p = {.fd = fd, .events = RB_POLLIN};
	rb_poll(&p, 1, 0);
	uint64_t ack = 0;
	rb_write(fd, &ack, 8);
	if (d1 >= 0)
		rb_close(d1);
	rb_close(fd);
	return 0;
}

int kst_irq_op(struct kst_thread *t)
{
	kst_fds_share(); /* its fds may be closed and reused under it (kstress.h) */
	int r = kst_rand(t, 3) == 0 ? stats_op(t) : vector_op(t);
	kst_fds_unshare();
	return r;
}
