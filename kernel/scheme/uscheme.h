/*
 * uscheme.h - schemes served by user-space processes (docs/ipc.md,
 * "Serving a scheme"; the machinery is in uscheme.c, the forwarded file
 * ops in uscheme_ops.c, the system calls in sys_uscheme.c).
 *
 * A struct uscheme embeds the struct scheme it registers; it lives until
 * the registry, the server fd and every client file have dropped their
 * references (scheme.h's refs). A struct usreq is one request: the
 * caller owns it until it is queued, the scheme from then until it is
 * answered (then the caller again, which frees it) or abandoned (then the
 * scheme frees it when its answer comes or the scheme dies). us->lock (a
 * spinlock, interrupts off) guards the queues, the in-flight table, the
 * handle map, count, dead, and every request's state fields; nothing is
 * copied to or from user memory and nothing sleeps under it. write_room
 * is written under it and read without it (__atomic): a stale value only
 * sizes one more WRITE request as before.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "base/syscall_nr.h"
#include "scheme/scheme.h"
#include "sync/spinlock.h"
#include "sync/waitq.h"

struct file;
struct thread;

#define USCHEME_MAX_REQS 4096 /* pending + in flight per scheme: EAGAIN beyond */
#define USCHEME_HASH 64	      /* buckets of the in-flight table and the handle map */

enum us_state {
	US_NEW,	      /* not queued yet: the caller's */
	US_PENDING,   /* on the pending FIFO */
	US_READING,   /* a server thread is copying it out */
	US_INFLIGHT,  /* in the in-flight table, waiting for its answer */
	US_ANSWERING, /* a server thread is checking and copying its answer */
	US_DONE,      /* answered (or failed: dead scheme); the caller's again */
};

struct usreq {
	struct usreq *next; /* pending FIFO or in-flight chain */
	struct rb_req hdr;
	enum us_state state;
	bool abandoned; /* the caller gave up: the scheme frees it */
	bool waited;	/* a caller sleeps on it (not CLOSE or CANCEL) */
	struct thread *waiter;
	void *data; /* request payload: hdr.len bytes (a WRITE's may be cut at read) */
	size_t data_len;
	void *ans; /* answer payload buffer: ans_cap bytes, ans_len filled */
	size_t ans_cap, ans_len;
	/* A direct answer (a READ's bytes): the caller dst (a reference) waits for them at
	   dst_va; the answer writes the first ans_off there itself, and only the rest, if any,
	   goes through ans, which is allocated then (docs/ipc.md, "Direct answers"). */
	struct proc *dst;
	uint64_t dst_va;
	size_t ans_off;
	long result;
	unsigned ans_flags;
	uint64_t ans_arg;
	uint64_t ans_events;
	struct file *file; /* SENDFD: the file to hand over; RB_ANS_FD: the server's file */
};

/* One open handle of a client (f->priv of a user-scheme file). */
struct uhandle {
	struct uhandle *hnext; /* in us->handles (us->lock) */
	struct uscheme *us;
	uint64_t handle;
	unsigned events;	 /* RB_POLL* readiness (us->lock) */
	struct waitq wq;	 /* woken when events change or the scheme dies */
	struct usreq *close_req; /* preallocated at open, queued by the last put */
	bool hashed;
	struct file *fwd; /* RB_ANS_FWD: takes PREAD/PWRITE; cleared under us->lock, put after */
};

struct uscheme {
	struct scheme s; /* s.priv == this */
	struct spinlock lock;
	bool dead; /* also read without the lock as a hint */
	bool nonblock;
	struct usreq *pend_head, *pend_tail;
	struct usreq *inflight[USCHEME_HASH];
	struct uhandle *handles[USCHEME_HASH];
	unsigned count; /* waited requests pending, being read, in flight or answering */
	uint64_t next_id;
	struct waitq wq; /* server threads waiting for a request; server-fd pollers */
	/* The data a WRITE request carries at most: RB_SCHEME_MAX_IO, lowered to the room of a
	   server read too short for a WRITE's data (its server's buffers are that small). */
	size_t write_room;
};

extern const struct scheme_ops uscheme_ops;

/* Register name (valid, policy checked by the caller) and make its server file: 0 or -E_*. */
MUST_CHECK int uscheme_create(const char *name, int flags, struct file **out);
/* A request of op on handle with payload data[0..len) (copied; data NULL: the caller fills
   r->data) and an answer buffer of ans_cap bytes, with the calling process's credentials. */
struct usreq *usreq_new(unsigned op, uint64_t handle, const void *data, size_t len, size_t ans_cap);
/* Make r (a READ, PREAD or GETDENTS of len bytes) a direct answer into the current process's
   va (see struct usreq). */
void usreq_direct(struct usreq *r, uint64_t va, size_t len);
/* Free r and what it holds. */
void usreq_free(struct usreq *r);
/* Queue r and sleep until it is answered: 0 (r->result holds the answer; r is the caller's), or
   -E_INTR, -E_PIPE, -E_AGAIN, -E_NODEV (r is gone). */
MUST_CHECK int usreq_call(struct uscheme *us, struct usreq *r);
/* Queue a request nobody waits for (CLOSE, CANCEL); on a dead scheme it is freed. */
void usreq_post(struct uscheme *us, struct usreq *r);
/* Add / remove uh in us's handle map (for RB_ANS_EVENT). */
void uscheme_add_handle(struct uscheme *us, struct uhandle *uh);
void uscheme_remove_handle(struct uscheme *us, struct uhandle *uh);
/* Is f a client file of a user scheme? */
bool uscheme_file(struct file *f);
/* Is f a client file of a user scheme whose handle has a forward (RB_ANS_FWD)? */
bool uscheme_file_forwards(struct file *f);
/* Read up to len bytes of f (a uscheme_file) at its offset into kernel memory buf, in
   RB_SCHEME_MAX_IO requests, for exec: bytes read (short at end of file) or -E_*. Sleeps. */
long uscheme_read_kernel(struct file *f, void *buf, size_t len);
/* Hand sendf to f's server (SYS_SENDFD): the server's result or -E_*. */
long uscheme_sendfd(struct file *f, struct file *sendf, int flags);
/* A file from f's server (SYS_RECVFD): 0 with *out, or -E_*. */
MUST_CHECK int uscheme_recvfd(struct file *f, int flags, struct file **out);
