/*
 * server.c - the scheme server helper (see rb/server.h, docs/servers.md).
 *
 * Each worker owns two heap buffers (a request and an answer, each with
 * room for RB_SCHEME_MAX_IO bytes of payload, 1 MiB: mapped as they are
 * touched, and too big for a 64 KiB thread stack) and loops: read one request
 * from the server fd, decode it with scheme_pkt, dispatch to the handler
 * or the default error, write one answer. Nothing is shared between
 * workers but the read-only struct rb_server; the kernel serialises reads
 * and writes on the server fd. A packet that fails to decode is answered
 * -E_INVAL when its id can be read, and the worker goes on.
 */
#include "rb/server.h"
#include "base/scheme_pkt.h"
#include "rb/malloc.h"
#include "rb/sys.h"
#include "rb/thread.h"
#include <string.h>

int rb_server_init(struct rb_server *srv, const char *name, const struct rb_server_ops *ops,
		   void *ctx)
{
	int fd = rb_scheme_create(name, 0);
	if (fd < 0)
		return fd;
	srv->fd = fd;
	srv->ops = ops;
	srv->ctx = ctx;
	return 0;
}

/* The handler of op, or NULL. */
static rb_server_fn handler_of(const struct rb_server_ops *o, unsigned op)
{
	switch (op) {
	case RB_SOP_OPEN:
		return o->open;
	case RB_SOP_CLOSE:
		return o->close;
	case RB_SOP_READ:
		return o->read;
	case RB_SOP_WRITE:
		return o->write;
	case RB_SOP_SEEK:
		return o->seek;
	case RB_SOP_FSTAT:
		return o->fstat;
	case RB_SOP_FSYNC:
		return o->fsync;
	case RB_SOP_FTRUNCATE:
		return o->ftruncate;
	case RB_SOP_GETDENTS:
		return o->getdents;
	case RB_SOP_FPATH:
		return o->fpath;
	case RB_SOP_FCNTL:
		return o->fcntl;
	case RB_SOP_DUP:
		return o->dup;
	case RB_SOP_FMAP:
		return o->fmap;
	case RB_SOP_SENDFD:
		return o->sendfd;
	case RB_SOP_RECVFD:
		return o->recvfd;
	case RB_SOP_UNLINK:
		return o->unlink;
	case RB_SOP_RENAME:
		return o->rename;
	case RB_SOP_CANCEL:
		return o->cancel;
	case RB_SOP_PREAD:
		return o->pread;
	case RB_SOP_PWRITE:
		return o->pwrite;
	default:
		return NULL;
	}
}

/* POSIX's answer when op has no handler (docs/scheme.md's table). */
static long missing(unsigned op)
{
	switch (op) {
	case RB_SOP_READ:
	case RB_SOP_WRITE:
		return -E_BADF;
	case RB_SOP_SEEK:
	case RB_SOP_PREAD:
	case RB_SOP_PWRITE:
		return -E_SPIPE;
	case RB_SOP_GETDENTS:
		return -E_NOTDIR;
	case RB_SOP_FMAP:
		return -E_NODEV;
	case RB_SOP_FSYNC:
	case RB_SOP_FTRUNCATE:
	case RB_SOP_FCNTL:
		return -E_INVAL;
	default:
		return -E_NOSYS; /* OPEN, FSTAT, FPATH, DUP, SENDFD, RECVFD, UNLINK, RENAME */
	}
}

static size_t out_max_of(const struct rb_req *r)
{
	bool sized = r->op == RB_SOP_READ || r->op == RB_SOP_PREAD || r->op == RB_SOP_GETDENTS ||
		     r->op == RB_SOP_FPATH;
	return sized && r->a < RB_SCHEME_MAX_IO ? (size_t)r->a : RB_SCHEME_MAX_IO;
}

/* Write the answer whose header and payload are at ans_buf. */
static int send(struct rb_server *srv, void *ans_buf)
{
	struct rb_ans a;
	memcpy(&a, ans_buf, sizeof a); /* in place before a handler's bytes: any alignment */
	long r = rb_write(srv->fd, ans_buf, sizeof a + a.len);
	return r < 0 ? (int)r : 0;
}

void rb_server_handle(struct rb_server *srv, const void *buf, size_t n, void *ans_buf)
{
	struct rb_req req;
	struct rb_ans *ans = ans_buf;
	struct rb_server_call c = {.req = &req, .out = (char *)ans_buf + sizeof *ans};
	uint64_t id;
	if (scheme_req_decode(buf, n, &req, &c.payload) < 0) {
		if (scheme_req_peek_id(buf, n, &id)) {
			scheme_ans_init(ans, id, -E_INVAL, 0);
			(void)send(srv, ans_buf);
		}
		return;
	}
	char paths[2 * RB_PATH_MAX];
	if (req.op == RB_SOP_OPEN || req.op == RB_SOP_UNLINK || req.op == RB_SOP_DUP ||
	    req.op == RB_SOP_RENAME) {
		/* checked by the decoder: at most 2 * (RB_PATH_MAX - 1) + 1 bytes */
		if (req.len)
			memcpy(paths, c.payload, req.len);
		paths[req.len] = '\0';
		c.path = paths;
		if (req.op == RB_SOP_RENAME)
			c.path2 = paths + strlen(paths) + 1;
	}
	c.out_max = out_max_of(&req);
	rb_server_fn fn = handler_of(srv->ops, req.op);
	long result = fn ? fn(srv, &c) : missing(req.op);
	if (req.op == RB_SOP_SENDFD && result < 0)
		rb_close(
		    (int)req.a); /* refused: the file the kernel put in our table is not kept */
	if (scheme_op_answers(req.op) && result != RB_SERVER_DEFER) {
		if (result < 0 || c.out_len > c.out_max)
			c.out_len = 0; /* no payload with an error; never more than asked */
		scheme_ans_init(ans, req.id, result, (unsigned)c.out_len);
		ans->flags = c.flags;
		ans->arg = c.arg;
		ans->events = c.events;
		if (c.out_at && c.out_len) {
			/* the header goes just before the handler's bytes: one write, no copy */
			memcpy(c.out_at - sizeof *ans, ans, sizeof *ans);
			ans_buf = c.out_at - sizeof *ans;
		}
		(void)send(srv, ans_buf);
	}
	if (c.done)
		c.done(srv, c.done_arg);
}

int rb_server_answer(struct rb_server *srv, uint64_t id, long result, const void *payload,
		     size_t len)
{
	if (len > RB_SCHEME_MAX_IO)
		return -E_MSGSIZE;
	char *buf = rb_malloc(sizeof(struct rb_ans) + len);
	if (!buf)
		return -E_NOMEM;
	scheme_ans_init((struct rb_ans *)buf, id, result, (unsigned)len);
	if (len)
		memcpy(buf + sizeof(struct rb_ans), payload, len);
	int r = send(srv, buf);
	rb_free(buf);
	return r;
}

int rb_server_event(struct rb_server *srv, uint64_t handle, unsigned int events)
{
	struct rb_ans a;
	scheme_ans_event(&a, handle, events);
	return send(srv, &a);
}

/* One worker: read, handle, answer until the server fd fails for good. */
static int worker(void *arg)
{
	struct rb_server *srv = arg;
	void *req = rb_malloc(RB_SERVER_REQ_BUF), *ans = rb_malloc(RB_SERVER_ANS_BUF);
	long n = -E_NOMEM;
	while (req && ans) {
		n = rb_read(srv->fd, req, RB_SERVER_REQ_BUF);
		if (n == -E_INTR || n == -E_AGAIN)
			continue;
		if (n < 0)
			break;
		rb_server_handle(srv, req, (size_t)n, ans);
	}
	rb_free(req);
	rb_free(ans);
	return (int)n;
}

int rb_server_run(struct rb_server *srv, int nthreads)
{
	enum { MAX_WORKERS = 32 };
	int tids[MAX_WORKERS], started = 0;
	if (nthreads < 1 || nthreads > MAX_WORKERS)
		return -E_INVAL;
	for (int i = 1; i < nthreads; i++) {
		int tid = rb_thread_create(worker, srv);
		if (tid < 0)
			break; /* serve with fewer workers */
		tids[started++] = tid;
	}
	int r = worker(srv);
	for (int i = 0; i < started; i++)
		rb_thread_join(tids[i], NULL);
	return r;
}
