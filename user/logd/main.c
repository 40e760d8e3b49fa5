/*
 * logd - the log: scheme server (docs/ipc.md "Services").
 *
 * Registers "log" and serves it on the raw request ABI: one request per
 * read of the server fd, one answer per write (docs/ipc.md "Serving a
 * scheme"). OPEN "log:" names the writer after the opener's program
 * (rb_procinfo of req.pid, at the open), "log:/NAME" after NAME (1 to 31
 * of [A-Za-z0-9._-]). WRITE appends the bytes to the ring of lines
 * (lib/base/logring.h) as that writer, stamped with the monotonic clock;
 * READ (on a handle opened for reading) returns whole lines from the
 * handle's position, which starts at the oldest line kept, and 0 at the
 * end: it never blocks. Followers poll: a reading handle is announced
 * POLLIN (an RB_ANS_EVENT) when lines arrive while it has read them all,
 * and loses POLLIN when a read leaves nothing more; its OPEN answer
 * carries its first readiness (RB_ANS_EVENTS). CLOSE stores the writer's
 * unfinished line. A second thread (messages.c) appends every line to
 * /var/log/messages. Prints "logd: serving log:" when it is ready.
 *
 * State: the handle table belongs to the main thread alone; the ring and
 * the writers and readers in the handles are guarded by log_lock, which
 * the messages thread also takes to read the ring.
 */
#include <stdbool.h>
#include <string.h>
#include "logd.h"
#include "rb/malloc.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define MAX_HANDLES 4096

struct handle {
	bool used, reads, writes;
	bool ready; /* POLLIN announced to the kernel */
	struct logring_writer writer;
	struct logring_reader reader;
};

struct logring log_ring;
struct rb_mutex log_lock = RB_MUTEX_INIT;
uint32_t log_gen;

static char ring_store[LOGRING_DEFAULT_SIZE];
static struct handle **handles; /* handle h is handles[h - 1] */
static size_t nhandles;
static int server_fd;
static unsigned char req_buf[sizeof(struct rb_req) + RB_SCHEME_MAX_IO];
static unsigned char ans_buf[sizeof(struct rb_ans) + RB_SCHEME_MAX_IO];

static struct handle *handle_get(uint64_t h)
{
	return h >= 1 && h <= nhandles ? handles[h - 1] : NULL;
}

/* A free slot for a new handle: its number, or 0 when the table is full. */
static uint64_t handle_alloc(void)
{
	for (size_t i = 0; i < nhandles; i++)
		if (!handles[i]->used)
			return i + 1;
	if (nhandles == MAX_HANDLES)
		return 0;
	struct handle **t = rb_realloc(handles, (nhandles + 1) * sizeof *t);
	if (!t)
		return 0;
	handles = t;
	handles[nhandles] = rb_calloc(1, sizeof(struct handle));
	if (!handles[nhandles])
		return 0;
	return ++nhandles;
}

static int send(const struct rb_ans *ans, const void *payload)
{
	memcpy(ans_buf, ans, sizeof *ans);
	if (ans->len && payload != ans_buf + sizeof *ans)
		memcpy(ans_buf + sizeof *ans, payload, ans->len);
	long n;
	do
		n = rb_write(server_fd, ans_buf, sizeof *ans + ans->len);
	while (n == -E_INTR);
	return n < 0 ? (int)n : 0;
}

static int answer(const struct rb_req *req, long long result, const void *payload, size_t len)
{
	struct rb_ans ans = {.id = req->id, .result = result, .len = (unsigned)len};
	return send(&ans, payload);
}

/* Tell the kernel handle h's readiness (RB_POLL* bits). */
static void announce(uint64_t h, unsigned events)
{
	struct rb_ans ans = {.flags = RB_ANS_EVENT, .arg = h, .events = events};
	send(&ans, NULL);
}

static unsigned readiness(const struct handle *hd)
{
	return RB_POLLOUT | (hd->ready ? RB_POLLIN : 0);
}

/* After lines were stored: announce POLLIN to every reader that had read all. */
static void wake_readers(void)
{
	for (size_t i = 0; i < nhandles; i++) {
		struct handle *hd = handles[i];
		if (!hd->used || !hd->reads || hd->ready)
			continue;
		rb_mutex_lock(&log_lock);
		hd->ready = logring_readable(&log_ring, &hd->reader);
		rb_mutex_unlock(&log_lock);
		if (hd->ready)
			announce(i + 1, readiness(hd));
	}
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

/* The writer name for an open of path by pid into name; 0 or -E_INVAL. */
static int writer_name(const char *path, size_t len, int pid, char *name, size_t size)
{
	while (len > 0 && *path == '/') {
		path++;
		len--;
	}
	if (len == 0) {
		struct rb_procinfo info;
		if (rb_procinfo(pid, &info) < 0)
			rb_snprintf(name, size, "pid%d", pid);
		else
			rb_snprintf(name, size, "%.*s", (int)sizeof info.name, info.name);
		return 0;
	}
	if (len > LOGRING_NAME_MAX)
		return -E_NAMETOOLONG;
	for (size_t i = 0; i < len; i++)
		if (!name_char(path[i]))
			return -E_INVAL;
	rb_snprintf(name, size, "%.*s", (int)len, path);
	return 0;
}

static int do_open(const struct rb_req *req, const char *path)
{
	char name[LOGRING_NAME_MAX + 1];
	if (req->a & RB_O_DIRECTORY)
		return answer(req, -E_NOTDIR, NULL, 0);
	int err = writer_name(path, strnlen(path, req->len), req->pid, name, sizeof name);
	if (err < 0)
		return answer(req, err, NULL, 0);
	uint64_t h = handle_alloc();
	if (!h)
		return answer(req, -E_NFILE, NULL, 0);
	struct handle *hd = handles[h - 1];
	int mode = (int)(req->a & RB_O_ACCMODE);
	*hd = (struct handle){.used = true,
			      .reads = mode == RB_O_RDONLY || mode == RB_O_RDWR,
			      .writes = mode == RB_O_WRONLY || mode == RB_O_RDWR};
	logring_writer_init(&hd->writer, name, strlen(name));
	rb_mutex_lock(&log_lock);
	logring_reader_oldest(&log_ring, &hd->reader);
	hd->ready = hd->reads && logring_readable(&log_ring, &hd->reader);
	rb_mutex_unlock(&log_lock);
	struct rb_ans ans = {
	    .id = req->id, .result = (long long)h, .flags = RB_ANS_EVENTS, .events = readiness(hd)};
	return send(&ans, NULL);
}

static int do_write(const struct rb_req *req, struct handle *hd, const void *data)
{
	if (!hd->writes)
		return answer(req, -E_BADF, NULL, 0);
	rb_mutex_lock(&log_lock);
	size_t lines = logring_write(&log_ring, &hd->writer, data, req->len, rb_now_ns());
	rb_mutex_unlock(&log_lock);
	if (lines) { /* before the answer: once the write returns, readers poll POLLIN */
		messages_kick();
		wake_readers();
	}
	return answer(req, req->len, NULL, 0);
}

static int do_read(const struct rb_req *req, uint64_t h, struct handle *hd)
{
	if (!hd->reads)
		return answer(req, -E_BADF, NULL, 0);
	size_t want = req->a < RB_SCHEME_MAX_IO ? (size_t)req->a : RB_SCHEME_MAX_IO;
	char *out = (char *)ans_buf + sizeof(struct rb_ans); /* where send() puts the payload */
	rb_mutex_lock(&log_lock);
	long n = logring_read(&log_ring, &hd->reader, out, want);
	bool more = logring_readable(&log_ring, &hd->reader);
	rb_mutex_unlock(&log_lock);
	if (hd->ready && !more) { /* before the answer: a poll after it must not see POLLIN */
		hd->ready = false;
		announce(h, readiness(hd));
	}
	return answer(req, n, out, n > 0 ? (size_t)n : 0);
}

static int do_fstat(const struct rb_req *req)
{
	rb_mutex_lock(&log_lock);
	struct rb_stat st = {.size = log_ring.head - log_ring.tail, .mode = RB_S_IFCHR};
	rb_mutex_unlock(&log_lock);
	return answer(req, 0, &st, sizeof st);
}

static int do_fpath(const struct rb_req *req, const struct handle *hd)
{
	char path[LOGRING_NAME_MAX + 2];
	int n = rb_snprintf(path, sizeof path, "/%s", hd->writer.name);
	size_t len = MIN((size_t)n, (size_t)req->a);
	return answer(req, (long long)len, path, len);
}

static void do_close(struct handle *hd)
{
	rb_mutex_lock(&log_lock);
	size_t lines = logring_flush(&log_ring, &hd->writer);
	rb_mutex_unlock(&log_lock);
	hd->used = false;
	if (lines) {
		messages_kick();
		wake_readers();
	}
}

/* Serve one request of n bytes in req_buf; 0, or the error of writing an answer. */
static int serve(size_t n)
{
	struct rb_req req;
	if (n < sizeof req)
		return 0; /* the kernel never sends this: ignore it */
	memcpy(&req, req_buf, sizeof req);
	if (req.len != n - sizeof req)
		return answer(&req, -E_INVAL, NULL, 0);
	const char *payload = (const char *)req_buf + sizeof req;
	if (req.op == RB_SOP_OPEN)
		return do_open(&req, payload);
	if (req.op == RB_SOP_CANCEL)
		return 0; /* every request is answered at once: nothing to cancel */
	struct handle *hd = handle_get(req.handle);
	if (!hd || !hd->used)
		return req.op == RB_SOP_CLOSE ? 0 : answer(&req, -E_BADF, NULL, 0);
	switch (req.op) {
	case RB_SOP_CLOSE:
		do_close(hd);
		return 0;
	case RB_SOP_WRITE:
		return do_write(&req, hd, payload);
	case RB_SOP_READ:
		return do_read(&req, req.handle, hd);
	case RB_SOP_FSTAT:
		return do_fstat(&req);
	case RB_SOP_FPATH:
		return do_fpath(&req, hd);
	case RB_SOP_FSYNC:
		return answer(&req, 0, NULL, 0);
	case RB_SOP_SEEK:
		return answer(&req, -E_SPIPE, NULL, 0);
	default:
		return answer(&req, -E_NOSYS, NULL, 0);
	}
}

int main(int argc, char **argv)
{
	if (logring_init(&log_ring, ring_store, sizeof ring_store) < 0)
		return 1;
	server_fd = rb_scheme_create("log", 0);
	if (server_fd < 0) {
		rb_printf("logd: cannot register log: (%s)\n", err_name(server_fd));
		return 1;
	}
	int err = messages_start();
	if (err < 0)
		rb_printf("logd: no /var/log/messages: %s\n", err_name(err));
	rb_printf("logd: serving log:\n");
	bool warned = false;
	for (;;) {
		long n = rb_read(server_fd, req_buf, sizeof req_buf);
		if (n == -E_INTR)
			continue;
		if (n < 0) {
			rb_printf("logd: reading requests failed: %s\n", err_name((int)n));
			return 1;
		}
		err = serve((size_t)n);
		if (err < 0 && !warned) { /* a caller that gave up: its answer is refused */
			rb_printf("logd: an answer was refused: %s (said once)\n", err_name(err));
			warned = true;
		}
	}
}
