/*
 * logd - the log: scheme server (docs/ipc.md "Services").
 *
 * Registers "log" and serves it with the server helper (rb/server.h, one
 * worker: the main thread), a handler per op. OPEN "log:" names the writer after the opener's
 * program (rb_procinfo of req.pid, at the open), "log:/NAME" after NAME (1 to 31 of
 * [A-Za-z0-9._-]). WRITE appends the bytes to the ring of lines (lib/base/logring.h) as that
 * writer, stamped with the monotonic clock; READ (on a handle opened for reading) returns whole
 * lines from the handle's position, which starts at the oldest line kept, and 0 at the end: it
 * never blocks. Followers poll: a reading handle is announced POLLIN (an RB_ANS_EVENT) when lines
 * arrive while it has read them all, and loses POLLIN when a read leaves nothing more; its OPEN
 * answer carries its first readiness (RB_ANS_EVENTS). CLOSE stores the writer's unfinished line. A
 * second thread (messages.c) appends every line to /var/log/messages. Prints "logd: serving log:"
 * when it is ready.
 *
 * SENDFD is refused with ENOSYS (the helper closes the fd it was handed),
 * SEEK with ESPIPE.
 *
 * State: the handle table belongs to the main thread, the only worker; the ring and
 * the writers and readers in the handles are guarded by log_lock, which
 * the messages thread also takes to read the ring.
 */
#include <stdbool.h>
#include <string.h>
#include "logd.h"
#include "rb/malloc.h"
#include "rb/server.h"
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
static struct rb_server srv;

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

/* Tell the kernel handle h's readiness (RB_POLL* bits). */
static void announce(uint64_t h, unsigned events)
{
	(void)rb_server_event(&srv, h, events);
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
static int writer_name(const char *path, int pid, char *name, size_t size)
{
	while (*path == '/')
		path++;
	size_t len = strlen(path);
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
	rb_snprintf(name, size, "%s", path);
	return 0;
}

/* The open handle a request names, or NULL. */
static struct handle *handle_of(const struct rb_server_call *c)
{
	struct handle *hd = handle_get(c->req->handle);
	return hd && hd->used ? hd : NULL;
}

static long do_open(struct rb_server *s, struct rb_server_call *c)
{
	char name[LOGRING_NAME_MAX + 1];
	if (c->req->a & RB_O_DIRECTORY)
		return -E_NOTDIR;
	int err = writer_name(c->path, c->req->pid, name, sizeof name);
	if (err < 0)
		return err;
	uint64_t h = handle_alloc();
	if (!h)
		return -E_NFILE;
	struct handle *hd = handles[h - 1];
	int mode = (int)(c->req->a & RB_O_ACCMODE);
	*hd = (struct handle){.used = true,
			      .reads = mode == RB_O_RDONLY || mode == RB_O_RDWR,
			      .writes = mode == RB_O_WRONLY || mode == RB_O_RDWR};
	logring_writer_init(&hd->writer, name, strlen(name));
	rb_mutex_lock(&log_lock);
	logring_reader_oldest(&log_ring, &hd->reader);
	hd->ready = hd->reads && logring_readable(&log_ring, &hd->reader);
	rb_mutex_unlock(&log_lock);
	c->flags = RB_ANS_EVENTS;
	c->events = readiness(hd);
	return (long)h;
}

static long do_write(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *hd = handle_of(c);
	if (!hd || !hd->writes)
		return -E_BADF;
	rb_mutex_lock(&log_lock);
	size_t lines = logring_write(&log_ring, &hd->writer, c->payload, c->req->len, rb_now_ns());
	rb_mutex_unlock(&log_lock);
	if (lines) { /* before the answer: once the write returns, readers poll POLLIN */
		messages_kick();
		wake_readers();
	}
	return (long)c->req->len;
}

static long do_read(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *hd = handle_of(c);
	if (!hd || !hd->reads)
		return -E_BADF;
	rb_mutex_lock(&log_lock);
	long n = logring_read(&log_ring, &hd->reader, c->out, c->out_max);
	bool more = logring_readable(&log_ring, &hd->reader);
	rb_mutex_unlock(&log_lock);
	if (hd->ready && !more) { /* before the answer: a poll after it must not see POLLIN */
		hd->ready = false;
		announce(c->req->handle, readiness(hd));
	}
	c->out_len = n > 0 ? (size_t)n : 0;
	return n;
}

static long do_fstat(struct rb_server *s, struct rb_server_call *c)
{
	if (!handle_of(c))
		return -E_BADF;
	rb_mutex_lock(&log_lock);
	struct rb_stat st = {.size = log_ring.head - log_ring.tail, .mode = RB_S_IFCHR};
	rb_mutex_unlock(&log_lock);
	memcpy(c->out, &st, sizeof st);
	c->out_len = sizeof st;
	return 0;
}

static long do_fpath(struct rb_server *s, struct rb_server_call *c)
{
	const struct handle *hd = handle_of(c);
	if (!hd)
		return -E_BADF;
	char path[LOGRING_NAME_MAX + 2];
	int n = rb_snprintf(path, sizeof path, "/%s", hd->writer.name);
	c->out_len = MIN((size_t)n, c->out_max); /* cut, as POSIX, without a NUL */
	memcpy(c->out, path, c->out_len);
	return (long)c->out_len;
}

static long do_fsync(struct rb_server *s, struct rb_server_call *c)
{
	return handle_of(c) ? 0 : -E_BADF;
}

static long do_close(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *hd = handle_of(c);
	if (!hd)
		return 0;
	rb_mutex_lock(&log_lock);
	size_t lines = logring_flush(&log_ring, &hd->writer);
	rb_mutex_unlock(&log_lock);
	hd->used = false;
	if (lines) {
		messages_kick();
		wake_readers();
	}
	return 0;
}

/* SEEK gets ESPIPE and the rest POSIX's errors from the helper; CANCEL has nothing to do. */
static const struct rb_server_ops ops = {
    .open = do_open,
    .close = do_close,
    .read = do_read,
    .write = do_write,
    .fstat = do_fstat,
    .fsync = do_fsync,
    .fpath = do_fpath,
};

int main(int argc, char **argv)
{
	if (logring_init(&log_ring, ring_store, sizeof ring_store) < 0)
		return 1;
	int err = rb_server_init(&srv, "log", &ops, NULL);
	if (err < 0) {
		rb_printf("logd: cannot register log: (%s)\n", err_name(err));
		return 1;
	}
	err = messages_start();
	if (err < 0)
		rb_printf("logd: no /var/log/messages: %s\n", err_name(err));
	rb_printf("logd: serving log:\n");
	err = rb_server_run(&srv, 1); /* one worker: the handle table is its alone */
	rb_printf("logd: reading requests failed: %s\n", err_name(err));
	return 1;
}
