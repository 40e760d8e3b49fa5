/*
 * ipc/ipc.h - the state machine of ipcd (docs/ipcd.md): named stream
 * sockets, channels (message boundaries kept) and datagram names, their
 * bounded packet queues, fds passed with packets, and the requests that
 * wait ("deferred") until a queue changes.
 *
 * The caller decodes each request of the ipc: scheme into a struct
 * ipc_call and hands it to one ipc_* function. Every request that takes an
 * answer gets exactly one IPC_ACT_ANSWER or IPC_ACT_ANSWER_FD action,
 * either during that call ("answer now") or during a later one ("deferred",
 * woken by another request), unless it is cancelled (ipc_cancel) or the
 * state is torn down (ipc_fini). Readiness changes of handles the kernel
 * knows come out as IPC_ACT_EVENT, fds ipcd must close as IPC_ACT_CLOSE_FD.
 * Actions go through env->act synchronously; their data pointers live only
 * during that callback.
 *
 * Ownership and locking: a struct ipc and everything in it (handles,
 * packets, deferred requests) belongs to its caller, which must serialise
 * all calls (ipcd is single-threaded). Memory comes from env->alloc and
 * goes back to env->free; nothing else is allocated. Bounds: IPC_BACKLOG
 * pending connections per listener, IPC_QUEUE_MAX packets per queue,
 * IPC_FDS_PER_MSG rights per packet, IPC_FDS_QUEUED rights per direction;
 * so memory is bounded by handles x queue bounds plus one packet per
 * deferred writer (the kernel bounds requests in flight per scheme).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPC_BACKLOG 64		 /* connections waiting for accept per listener */
#define IPC_QUEUE_MAX 256	 /* packets per stream direction / datagrams per name */
#define IPC_PKT_MAX 65536	 /* bytes of one packet (one WRITE request) */
#define IPC_FDS_PER_MSG 16	 /* rights attached to one packet */
#define IPC_FDS_QUEUED 64	 /* rights on their way to (or held at) one handle */
#define IPC_NAME_MAX 64		 /* a bound name, NUL included */
#define IPC_HASH 4096		 /* buckets of the handle table */
#define IPC_FCNTL_PEERPID 0x1000 /* fcntl cmd: the peer's pid (rb/socket.h RB_IPC_PEERPID) */

enum ipc_kind { IPC_STREAM, IPC_CHAN, IPC_DGRAM };

enum ipc_role {
	IPC_LISTENER, /* stream/chan name bound with O_CREAT: accepts */
	IPC_CONN,     /* one end of a stream/chan connection */
	IPC_BOUND,    /* dgram name bound with O_CREAT: reads datagrams */
	IPC_SENDER,   /* dgram handle whose writes go to a name */
	IPC_STATS,    /* ipc:/stats */
};

enum ipc_act_kind {
	IPC_ACT_ANSWER,	   /* answer request id with result and data[len] */
	IPC_ACT_ANSWER_FD, /* answer request id with RB_ANS_FD: fd moves to the caller */
	IPC_ACT_EVENT,	   /* handle's readiness is now events */
	IPC_ACT_CLOSE_FD,  /* ipcd no longer needs fd: close it */
};

struct ipc_act {
	int kind;	  /* IPC_ACT_* */
	uint64_t id;	  /* ANSWER*: the request */
	int64_t result;	  /* ANSWER: result; ANSWER_FD: the fd */
	const void *data; /* ANSWER: payload (valid during the callback) */
	size_t len;	  /* ANSWER: payload bytes */
	bool has_events;  /* ANSWER of OPEN/DUP: events is the new handle's readiness */
	uint64_t handle;  /* EVENT */
	uint32_t events;  /* EVENT, has_events: RB_POLL* bits */
	int fd;		  /* CLOSE_FD */
};

struct ipc_env {
	void *ctx;
	void *(*alloc)(void *ctx, size_t n);
	void (*free)(void *ctx, void *p);
	void (*act)(void *ctx, const struct ipc_act *a);
};

/* One decoded request: the fields of struct rb_req the state machine uses. */
struct ipc_call {
	uint64_t id;
	uint64_t handle;
	int pid;
	bool nonblock;	  /* RB_O_NONBLOCK in the caller's file flags */
	uint64_t a;	  /* OPEN: RB_O_* flags; READ: bytes wanted; SENDFD: the fd; FCNTL: cmd */
	const void *data; /* OPEN: path; WRITE: bytes; DUP: arg */
	size_t len;
};

struct ipc_pkt;
struct ipc_defer;
struct ipc_handle;

struct ipc_queue {
	struct ipc_pkt *head, *tail;
	uint32_t n;
};

/* Deferred requests waiting on one handle, oldest first. */
struct ipc_wait {
	struct ipc_defer *head, *tail;
};

struct ipc_handle {
	struct ipc_handle *hnext; /* hash chain */
	struct ipc_handle *nnext; /* names list (LISTENER, BOUND) */
	struct ipc_handle *bnext; /* a listener's backlog (unaccepted CONN) */
	uint64_t id;
	uint8_t role, kind;
	bool visible; /* answered to the kernel: events may be sent */
	uint32_t ev;  /* readiness last told to the kernel */
	int pid, peer_pid;
	struct ipc_handle *peer;	      /* CONN: the other end, NULL once it closed */
	struct ipc_handle *listener;	      /* CONN on a backlog: its listener */
	struct ipc_handle *bl_head, *bl_tail; /* LISTENER: backlog */
	uint32_t nbl;
	struct ipc_queue rx;	   /* packets written to this handle */
	struct ipc_wait readers;   /* READ (and accept) requests on it */
	struct ipc_wait writers;   /* WRITE requests whose packet goes into rx */
	int pend[IPC_FDS_PER_MSG]; /* rights for the next packet written */
	uint32_t npend;
	int recv[IPC_FDS_QUEUED]; /* rights read with packets, for RECVFD */
	uint32_t nrecv;
	uint32_t fds_in; /* rights bound here: peer's pend, writers', rx, recv */
	uint32_t off;	 /* STATS: read offset */
	char name[IPC_NAME_MAX];
};

struct ipc_stats {
	uint64_t handles, packets, bytes, deferred;
	uint64_t mem, mem_peak; /* bytes allocated through env now / at most */
	uint64_t refused;	/* connects refused because the backlog was full */
};

struct ipc {
	struct ipc_env env;
	struct ipc_handle *hash[IPC_HASH];
	struct ipc_handle *names;
	struct ipc_defer *dhead; /* every deferred request, for CANCEL */
	uint64_t next_id;
	struct ipc_stats st;
};

/* Start an empty state that allocates and acts through env. */
void ipc_init(struct ipc *s, const struct ipc_env *env);
/* Free everything: close every fd held, drop deferred requests unanswered. */
void ipc_fini(struct ipc *s);

/* OPEN of c->data[c->len] ("/stream/NAME", ...) with RB_O_* flags c->a. */
void ipc_open(struct ipc *s, const struct ipc_call *c);
/* READ of at most c->a bytes. */
void ipc_read(struct ipc *s, const struct ipc_call *c);
/* WRITE of c->data[c->len]: one packet. */
void ipc_write(struct ipc *s, const struct ipc_call *c);
/* DUP with arg c->data[c->len]: "accept" on a listener. */
void ipc_dup(struct ipc *s, const struct ipc_call *c);
/* SENDFD: fd c->a (now ipcd's) joins the rights of the next packet. */
void ipc_sendfd(struct ipc *s, const struct ipc_call *c);
/* RECVFD: hand over the oldest right received on the handle. */
void ipc_recvfd(struct ipc *s, const struct ipc_call *c);
/* FCNTL cmd c->a (IPC_FCNTL_PEERPID). */
void ipc_fcntl(struct ipc *s, const struct ipc_call *c);
/* FPATH: the handle's path after "ipc:", at most c->a bytes. */
void ipc_fpath(struct ipc *s, const struct ipc_call *c);
/* CLOSE of handle: no answer. */
void ipc_close(struct ipc *s, uint64_t handle);
/* CANCEL of request id: it is dropped if deferred; no answer. */
void ipc_cancel(struct ipc *s, uint64_t id);
/* Counts at this moment. */
void ipc_stats(const struct ipc *s, struct ipc_stats *out);
/* The handle named id, or NULL (for tests). */
struct ipc_handle *ipc_find(const struct ipc *s, uint64_t id);
