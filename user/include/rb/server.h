/*
 * rb/server.h - the scheme server helper (docs/servers.md).
 *
 * A server fills a struct rb_server_ops with the handlers it has (one per
 * RB_SOP_*; NULL ones answer POSIX's error, see docs/servers.md), calls
 * rb_server_init() to register its scheme and rb_server_run() to serve it
 * from n worker threads. Each worker reads one request from the shared
 * server fd (the kernel hands each request to one reader), decodes and
 * checks it (base/scheme_pkt.h), calls the handler and writes the answer.
 *
 * A handler gets the request (with the caller's pid/uid/gid) and its
 * payload in *c, may put up to c->out_max answer bytes at c->out and set
 * c->out_len, and returns the result (>= 0 or -E_*). It may set c->flags
 * and c->events (RB_ANS_EVENTS for an OPEN/DUP). To answer later (an
 * event-driven server), it returns RB_SERVER_DEFER, keeps c->req->id and
 * calls rb_server_answer() from any thread. A handler whose answer bytes
 * are in a buffer of its own (a block driver's DMA area) may send them
 * from there, with no copy into c->out: it points c->out_at at them, with
 * RB_SERVER_HEADROOM writable bytes just before (the answer's header is
 * put there), and sets c->done, which runs once the answer is sent (or
 * dropped): the handler keeps those bytes until then. Handlers run concurrently on
 * different workers: the server guards its own state. The struct
 * rb_server itself is read-only once rb_server_run() starts.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/syscall_nr.h"

/* A handler's return value: no answer now; rb_server_answer() comes later. */
#define RB_SERVER_DEFER (-0x10000000L)
/* Bytes before c->out_at the helper may overwrite: the answer's header. */
#define RB_SERVER_HEADROOM sizeof(struct rb_ans)

struct rb_server;

struct rb_server_call {
	const struct rb_req *req; /* decoded and checked */
	const void *payload;	  /* req->len bytes (a path's are not NUL-terminated) */
	const char *path, *path2; /* OPEN/UNLINK/DUP's path or arg, RENAME's from and to:
				     NUL-terminated copies; else NULL */
	void *out;		  /* the answer's payload buffer */
	size_t out_max;		  /* its size: min(RB_SCHEME_MAX_IO, req->a for READ-like ops) */
	size_t out_len;		  /* set by the handler: bytes of out to send */
	unsigned int flags;	  /* RB_ANS_* for the answer (0 by default) */
	uint64_t arg, events;	  /* the answer's arg and events fields */
	char *out_at;		  /* or: out_len bytes of the handler's own to send, see above */
	void (*done)(struct rb_server *srv, void *arg); /* after the answer is sent, when set */
	void *done_arg;
};

typedef long (*rb_server_fn)(struct rb_server *srv, struct rb_server_call *c);

struct rb_server_ops {
	rb_server_fn open, close, read, write, seek, fstat, fsync, ftruncate, getdents, fpath,
	    fcntl, dup, fmap, sendfd, recvfd, unlink, rename, cancel;
	/* READ / WRITE at req->b, the handle's offset untouched; NULL: ESPIPE */
	rb_server_fn pread, pwrite;
};

struct rb_server {
	int fd; /* the server fd from rb_scheme_create */
	const struct rb_server_ops *ops;
	void *ctx; /* the server's own state, for its handlers */
};

/* Register scheme name (flags 0) served by ops with ctx: 0 or an error. */
int rb_server_init(struct rb_server *srv, const char *name, const struct rb_server_ops *ops,
		   void *ctx);
/*
 * Serve with nthreads workers (the caller is one of them) until reading
 * the server fd fails for good; that error (every worker is joined first).
 */
int rb_server_run(struct rb_server *srv, int nthreads);
/* Serve one request read into buf (n bytes) and answer it; for custom loops. */
void rb_server_handle(struct rb_server *srv, const void *buf, size_t n, void *ans_buf);
/* Answer deferred request id with result and len payload bytes: 0 or an error. */
int rb_server_answer(struct rb_server *srv, uint64_t id, long result, const void *payload,
		     size_t len);
/* Tell the kernel handle's readiness is now events (RB_POLL*): 0 or an error. */
int rb_server_event(struct rb_server *srv, uint64_t handle, unsigned int events);

/* Bytes rb_server_handle needs at buf and at ans_buf. */
#define RB_SERVER_REQ_BUF (sizeof(struct rb_req) + RB_SCHEME_MAX_IO)
#define RB_SERVER_ANS_BUF (sizeof(struct rb_ans) + RB_SCHEME_MAX_IO)
