/*
 * ipc/queue.h - the pieces lib/ipc's state machine is built from, shared by
 * lib/ipc/ipc.c and lib/ipc/queue.c only: accounted memory, actions,
 * packets and their queues, deferred requests and their wait lists.
 * Ownership and locking as in ipc/ipc.h: all of it belongs to the caller
 * of the struct ipc, which serialises every call.
 */
#pragma once
#include "ipc/ipc.h"

/* One message: data[len], off bytes already read (streams), fds attached. */
struct ipc_pkt {
	struct ipc_pkt *next;
	uint32_t len, off;
	uint32_t nfds;
	int fds[IPC_FDS_PER_MSG];
	uint8_t data[];
};

enum { DEF_READ, DEF_ACCEPT, DEF_WRITE };

/* A request answered later: a read, an accept or a write with its packet. */
struct ipc_defer {
	struct ipc_defer *next, *prev;	 /* on its handle's wait list */
	struct ipc_defer *gnext, *gprev; /* on s->dhead */
	struct ipc_wait *list;
	struct ipc_handle *h;	/* the handle the request named */
	struct ipc_handle *dst; /* the handle whose list holds it */
	uint64_t id;
	int op;
	size_t want;	     /* DEF_READ */
	struct ipc_pkt *pkt; /* DEF_WRITE */
};

/* n bytes counted in s->st.mem (and mem_peak), or NULL. */
void *ipc_mem_alloc(struct ipc *s, size_t n);
/* Give back p from ipc_mem_alloc (NULL is ignored). */
void ipc_mem_free(struct ipc *s, void *p);
/* Emit IPC_ACT_ANSWER for request id. */
void ipc_act_answer(struct ipc *s, uint64_t id, int64_t result, const void *data, size_t len);
/* Emit IPC_ACT_CLOSE_FD for fd. */
void ipc_act_close_fd(struct ipc *s, int fd);
/* A packet holding a copy of data[len] and no fds, or NULL. */
struct ipc_pkt *ipc_pkt_new(struct ipc *s, const void *data, size_t len);
/* Free p, closing the fds it still carries. */
void ipc_pkt_free(struct ipc *s, struct ipc_pkt *p);
/* Append p to q. */
void ipc_q_push(struct ipc_queue *q, struct ipc_pkt *p);
/* Remove and return the head of q (q must not be empty). */
struct ipc_pkt *ipc_q_pop(struct ipc_queue *q);
/* Defer request id (op DEF_*) naming h at the tail of w, a list of dst; NULL if out of memory. */
struct ipc_defer *ipc_defer_add(struct ipc *s, struct ipc_handle *dst, struct ipc_wait *w,
				struct ipc_handle *h, uint64_t id, int op);
/* Take d off its lists and free it; its packet (if any) goes to the caller. */
struct ipc_pkt *ipc_defer_del(struct ipc *s, struct ipc_defer *d);
/* Drop d unanswered, closing the fds of its packet. */
void ipc_defer_drop(struct ipc *s, struct ipc_defer *d);
/* Answer every request waiting on w with result r and drop it. */
void ipc_defer_fail_all(struct ipc *s, struct ipc_wait *w, int64_t r);
