/*
 * c_log.c - the "log" case: logd (log:) lines written and read back.
 *
 * A thread holding an fd set (c_svc.c) opens a reader on "log:" (A; its
 * position is the oldest line kept) and a writer "log:/kstW" (B), writes
 * one line tagged with its pid, set, a counter and a random word (in one
 * write, in two, or without its newline and then closes the writer: logd
 * keeps the unfinished line at CLOSE), and reads the reader to the end
 * (0): the line must come back once, whole, as "[ seconds] kstW: TAG",
 * unless logd dropped lines meanwhile (the reader then gets "... N lines
 * dropped"). A read never blocks; its fstat size is the ring's bytes.
 * EINTR (the signal case) ends the operation and EMFILE/ENFILE (fdlim)
 * skip it. Every line also goes to /var/log/messages in ramfsd, which the
 * supervisor truncates at each round's end.
 *
 * Ownership: a set's fds, buffer and counter belong to the thread holding
 * the set.
 */
#include <string.h>
#include "kstress.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define RBUF 16384

enum { A, B };

static char rbufs[KST_SVC_SETS][RBUF + 1];
static unsigned counter[KST_SVC_SETS];
static char writer[16]; /* log:/kstW */

void kst_log_init(struct kst_worker *w)
{
	kst_svc_init(w);
	rb_snprintf(writer, sizeof writer, "log:/kst%d", w->idx);
}

/* Write the tagged line through fd in one of three ways; 0, 1 to skip, or a failure. */
static int write_line(struct kst_thread *t, int fd, const char *tag, size_t len)
{
	int how = (int)kst_rand(t, 3);
	char line[96];
	memcpy(line, tag, len);
	line[len] = '\n';
	/* 0: the whole line; 1: in two writes; 2: without its newline, then CLOSE */
	size_t first = how == 0 ? len + 1 : how == 2 ? len : 1 + kst_rand(t, len);
	for (size_t off = 0, n = first; off < (how == 2 ? len : len + 1); off += n) {
		n = off ? len + 1 - off : first;
		long r = rb_write(fd, line + off, n);
		if (kst_svc_transient(r))
			return 1;
		if (r != (long)n)
			return kst_fail(t, KST_LOG, "write %zu bytes of a line (way %d): %ld", n,
					how, r);
	}
	if (how == 2)
		kst_svc_park(fd); /* logd stores the unfinished line at CLOSE */
	return 0;
}

/* Whether the line at p (up to its '\n') is "[...] NAME: tag". */
static bool is_ours(const char *p, const char *name, const char *tag, size_t tlen)
{
	const char *e = strchr(p, '\n');
	const char *c = kst_find(p, "] ");
	if (!e || !c || c > e)
		return false;
	c += 2;
	size_t nl = strlen(name);
	if (memcmp(c, name, nl) != 0 || c[nl] != ':' || c[nl + 1] != ' ')
		return false;
	c += nl + 2;
	return (size_t)(e - c) == tlen && memcmp(c, tag, tlen) == 0;
}

/* Read the reader at fd to its end; 0 if the line came back once (or lines were dropped). */
static int read_back(struct kst_thread *t, int fd, const char *tag, size_t tlen)
{
	char *buf = rbufs[t->idx % KST_SVC_SETS];
	const char *name = writer + 5;
	int found = 0;
	bool dropped = false;
	long r;
	while ((r = rb_read(fd, buf, RBUF)) > 0) {
		buf[r] = 0;
		for (char *p = buf; p < buf + r; p = strchr(p, '\n') + 1) {
			if (!strchr(p, '\n'))
				return kst_fail(t, KST_LOG, "a read ends inside a line: %.40s", p);
			if (strncmp(p, "... ", 4) == 0 && kst_find(p, " lines dropped\n"))
				dropped = true;
			found += is_ours(p, name, tag, tlen);
		}
	}
	if (r == -E_INTR)
		return 0;
	if (r != 0)
		return kst_fail(t, KST_LOG, "read: %ld", r);
	if (found == 1 || (found == 0 && dropped))
		return 0;
	return kst_fail(t, KST_LOG, "line \"%s\" read back %d times (dropped lines: %d)", tag,
			found, dropped);
}

int kst_log_op(struct kst_thread *t)
{
	int base = kst_svc_begin(t), s = t->idx % KST_SVC_SETS, r = 0;
	char tag[64];
	int len = rb_snprintf(tag, sizeof tag, "kstlog %d.%d.%u %016llx", rb_getpid(), s,
			      counter[s]++, (unsigned long long)kst_rand(t, ~0ull));
	long fd = kst_svc_open("log:", RB_O_RDONLY, base + A);
	if (kst_svc_transient(fd))
		goto out;
	if (fd != base + A) {
		r = kst_fail(t, KST_LOG, "open log: for reading: %ld", fd);
		goto out;
	}
	struct rb_stat st;
	long sr = rb_fstat(base + A, &st);
	if (sr != 0 && sr != -E_INTR) {
		r = kst_fail(t, KST_LOG, "fstat: %ld", sr);
		goto out;
	}
	fd = kst_svc_open(writer, RB_O_WRONLY, base + B);
	if (kst_svc_transient(fd))
		goto out;
	if (fd != base + B) {
		r = kst_fail(t, KST_LOG, "open %s: %ld", writer, fd);
		goto out;
	}
	r = write_line(t, base + B, tag, (size_t)len);
	if (r == 0)
		r = read_back(t, base + A, tag, (size_t)len);
out:
	kst_svc_end(t);
	return r < 0 ? r : 0;
}
