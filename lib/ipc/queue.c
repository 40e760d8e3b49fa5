/*
 * ipc/queue.c - lib/ipc's building blocks (ipc/queue.h): memory counted
 * for ipc:/stats (each block carries its size), actions handed to the
 * caller, packets and their FIFO queues, and deferred requests, each on its
 * handle's wait list and on the state's global list (for CANCEL).
 * No locking: the caller serialises every call (ipc/ipc.h).
 */
#include <string.h>
#include "ipc/queue.h"

/* ---------------------------------------------------------------- memory, actions */

struct mem_hdr {
	size_t n;
	size_t pad;
};

void *ipc_mem_alloc(struct ipc *s, size_t n)
{
	struct mem_hdr *m = s->env.alloc(s->env.ctx, sizeof(*m) + n);
	if (!m)
		return NULL;
	m->n = n;
	s->st.mem += n;
	if (s->st.mem > s->st.mem_peak)
		s->st.mem_peak = s->st.mem;
	return m + 1;
}

void ipc_mem_free(struct ipc *s, void *p)
{
	if (!p)
		return;
	struct mem_hdr *m = (struct mem_hdr *)p - 1;
	s->st.mem -= m->n;
	s->env.free(s->env.ctx, m);
}

void ipc_act_answer(struct ipc *s, uint64_t id, int64_t result, const void *data, size_t len)
{
	struct ipc_act a = {
	    .kind = IPC_ACT_ANSWER, .id = id, .result = result, .data = data, .len = len};
	s->env.act(s->env.ctx, &a);
}

void ipc_act_close_fd(struct ipc *s, int fd)
{
	struct ipc_act a = {.kind = IPC_ACT_CLOSE_FD, .fd = fd};
	s->env.act(s->env.ctx, &a);
}

/* ---------------------------------------------------------------- packets */

void ipc_pkt_free(struct ipc *s, struct ipc_pkt *p)
{
	for (uint32_t i = 0; i < p->nfds; i++)
		ipc_act_close_fd(s, p->fds[i]);
	s->st.packets--;
	s->st.bytes -= p->len;
	ipc_mem_free(s, p);
}

struct ipc_pkt *ipc_pkt_new(struct ipc *s, const void *data, size_t len)
{
	struct ipc_pkt *p = ipc_mem_alloc(s, sizeof(*p) + len);
	if (!p)
		return NULL;
	p->next = NULL;
	p->len = (uint32_t)len;
	p->off = 0;
	p->nfds = 0;
	if (len)
		memcpy(p->data, data, len);
	s->st.packets++;
	s->st.bytes += len;
	return p;
}

void ipc_q_push(struct ipc_queue *q, struct ipc_pkt *p)
{
	p->next = NULL;
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->n++;
}

struct ipc_pkt *ipc_q_pop(struct ipc_queue *q)
{
	struct ipc_pkt *p = q->head;
	q->head = p->next;
	if (!q->head)
		q->tail = NULL;
	q->n--;
	return p;
}

/* ---------------------------------------------------------------- deferred requests */

struct ipc_defer *ipc_defer_add(struct ipc *s, struct ipc_handle *dst, struct ipc_wait *w,
				struct ipc_handle *h, uint64_t id, int op)
{
	struct ipc_defer *d = ipc_mem_alloc(s, sizeof(*d));
	if (!d)
		return NULL;
	memset(d, 0, sizeof(*d));
	d->h = h;
	d->dst = dst;
	d->id = id;
	d->op = op;
	d->list = w;
	d->prev = w->tail;
	if (w->tail)
		w->tail->next = d;
	else
		w->head = d;
	w->tail = d;
	d->gnext = s->dhead;
	if (s->dhead)
		s->dhead->gprev = d;
	s->dhead = d;
	s->st.deferred++;
	return d;
}

/* Take d off its lists and free it; its packet (if any) goes to the caller. */
struct ipc_pkt *ipc_defer_del(struct ipc *s, struct ipc_defer *d)
{
	struct ipc_wait *w = d->list;
	struct ipc_pkt *p = d->pkt;
	if (d->prev)
		d->prev->next = d->next;
	else
		w->head = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		w->tail = d->prev;
	if (d->gprev)
		d->gprev->gnext = d->gnext;
	else
		s->dhead = d->gnext;
	if (d->gnext)
		d->gnext->gprev = d->gprev;
	s->st.deferred--;
	ipc_mem_free(s, d);
	return p;
}

/* Drop d unanswered, closing the rights of its packet. */
void ipc_defer_drop(struct ipc *s, struct ipc_defer *d)
{
	struct ipc_handle *dst = d->dst;
	struct ipc_pkt *p = ipc_defer_del(s, d);
	if (p) {
		dst->fds_in -= p->nfds;
		ipc_pkt_free(s, p);
	}
}

/* Answer every request waiting on w with result and drop it. */
void ipc_defer_fail_all(struct ipc *s, struct ipc_wait *w, int64_t r)
{
	while (w->head) {
		uint64_t id = w->head->id;
		ipc_defer_drop(s, w->head);
		ipc_act_answer(s, id, r, NULL, 0);
	}
}
