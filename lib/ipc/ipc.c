/*
 * ipc/ipc.c - ipcd's sockets and channels as a pure state machine
 * (interface and ownership in ipc/ipc.h, design in docs/ipcd.md).
 *
 * A connection is two IPC_CONN handles, each the other's peer; what one
 * writes becomes a packet in the other's rx queue. A datagram sender
 * writes into the rx queue of the IPC_BOUND handle of its name. A WRITE
 * that finds the queue full waits, with its packet already built, on the
 * destination's writers list; a READ (or accept) that finds nothing waits
 * on its handle's readers list. pump() moves packets along a destination
 * until neither list can progress, and is called after every change.
 * Every deferred request is also on one global list, so CANCEL finds it.
 *
 * No locking: the caller serialises every call (ipc/ipc.h).
 */
#include <string.h>
#include "base/err.h"
#include "base/syscall_nr.h"
#include "fmt/fmt.h"
#include "ipc/queue.h"

/* ---------------------------------------------------------------- handles */

static struct ipc_handle **hash_slot(const struct ipc *s, uint64_t id)
{
	return (struct ipc_handle **)&s->hash[id % IPC_HASH];
}

struct ipc_handle *ipc_find(const struct ipc *s, uint64_t id)
{
	for (struct ipc_handle *h = *hash_slot(s, id); h; h = h->hnext)
		if (h->id == id)
			return h;
	return NULL;
}

static struct ipc_handle *handle_new(struct ipc *s, int role, int kind, int pid)
{
	struct ipc_handle *h = ipc_mem_alloc(s, sizeof(*h));
	if (!h)
		return NULL;
	memset(h, 0, sizeof(*h));
	h->id = s->next_id++;
	h->role = (uint8_t)role;
	h->kind = (uint8_t)kind;
	h->pid = pid;
	struct ipc_handle **slot = hash_slot(s, h->id);
	h->hnext = *slot;
	*slot = h;
	s->st.handles++;
	return h;
}

static void handle_unhash(struct ipc *s, struct ipc_handle *h)
{
	for (struct ipc_handle **pp = hash_slot(s, h->id); *pp; pp = &(*pp)->hnext)
		if (*pp == h) {
			*pp = h->hnext;
			return;
		}
}

static struct ipc_handle *name_find(const struct ipc *s, int kind, const char *name)
{
	for (struct ipc_handle *h = s->names; h; h = h->nnext)
		if (h->kind == kind && strcmp(h->name, name) == 0)
			return h;
	return NULL;
}

static void name_remove(struct ipc *s, struct ipc_handle *h)
{
	for (struct ipc_handle **pp = &s->names; *pp; pp = &(*pp)->nnext)
		if (*pp == h) {
			*pp = h->nnext;
			return;
		}
}

/* The RB_POLL* bits that hold for h now. */
static uint32_t ready(const struct ipc_handle *h)
{
	switch (h->role) {
	case IPC_LISTENER:
		return h->nbl ? RB_POLLIN : 0;
	case IPC_CONN: {
		uint32_t ev = h->rx.n ? RB_POLLIN : 0;
		if (!h->peer)
			return ev | RB_POLLIN | RB_POLLHUP;
		if (h->peer->rx.n < IPC_QUEUE_MAX && !h->peer->writers.head)
			ev |= RB_POLLOUT;
		return ev;
	}
	case IPC_BOUND:
		return h->rx.n ? RB_POLLIN : 0;
	default:
		return RB_POLLIN | RB_POLLOUT;
	}
}

/* Tell the kernel h's readiness if it changed. */
static void refresh(struct ipc *s, struct ipc_handle *h)
{
	if (!h || !h->visible)
		return;
	uint32_t ev = ready(h);
	if (ev == h->ev)
		return;
	h->ev = ev;
	struct ipc_act a = {.kind = IPC_ACT_EVENT, .handle = h->id, .events = ev};
	s->env.act(s->env.ctx, &a);
}

/* Answer a request that made h (OPEN, accept) and start h's events. */
static void answer_new(struct ipc *s, uint64_t id, struct ipc_handle *h)
{
	h->visible = true;
	h->ev = ready(h);
	struct ipc_act a = {.kind = IPC_ACT_ANSWER,
			    .id = id,
			    .result = (int64_t)h->id,
			    .has_events = true,
			    .events = h->ev};
	s->env.act(s->env.ctx, &a);
}

/* The handle c names, or NULL after answering EBADF. */
static struct ipc_handle *lookup(struct ipc *s, const struct ipc_call *c)
{
	struct ipc_handle *h = ipc_find(s, c->handle);
	if (!h)
		ipc_act_answer(s, c->id, -E_BADF, NULL, 0);
	return h;
}

/* ---------------------------------------------------------------- moving packets */

/* Give reader d of h the head packet of h's rx (one packet, or part of a stream's). */
static void deliver(struct ipc *s, struct ipc_handle *h, uint64_t id, size_t want)
{
	struct ipc_pkt *p = h->rx.head;
	if (p->off == 0) {
		for (uint32_t i = 0; i < p->nfds; i++)
			h->recv[h->nrecv++] = p->fds[i];
		p->nfds = 0;
	}
	size_t n = p->len - p->off;
	if (n > want)
		n = want;
	ipc_act_answer(s, id, (int64_t)n, p->data + p->off, n);
	p->off += (uint32_t)n;
	if (h->kind != IPC_STREAM || p->off == p->len)
		ipc_pkt_free(s, ipc_q_pop(&h->rx));
}

/* Move packets into dst's readers and writers' packets into dst's rx while either can go. */
static void pump(struct ipc *s, struct ipc_handle *dst)
{
	for (;;) {
		if (dst->rx.n && dst->readers.head && dst->readers.head->op == DEF_READ) {
			struct ipc_defer *d = dst->readers.head;
			uint64_t id = d->id;
			size_t want = d->want;
			ipc_defer_del(s, d);
			deliver(s, dst, id, want);
			continue;
		}
		if (dst->writers.head && dst->rx.n < IPC_QUEUE_MAX) {
			uint64_t id = dst->writers.head->id;
			struct ipc_pkt *p = ipc_defer_del(s, dst->writers.head);
			ipc_q_push(&dst->rx, p);
			ipc_act_answer(s, id, p->len, NULL, 0);
			continue;
		}
		break;
	}
	refresh(s, dst);
	if (dst->role == IPC_CONN)
		refresh(s, dst->peer);
}

/* ---------------------------------------------------------------- open */

static int parse_path(const char *path, size_t len, int *kind, char *name)
{
	static const struct {
		const char *pfx;
		int kind;
	} kinds[] = {{"stream/", IPC_STREAM}, {"chan/", IPC_CHAN}, {"dgram/", IPC_DGRAM}};
	while (len && path[len - 1] == '\0')
		len--;
	if (len && path[0] == '/') {
		path++;
		len--;
	}
	if (len == 5 && memcmp(path, "stats", 5) == 0) {
		*kind = -1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t pl = strlen(kinds[i].pfx);
		if (len < pl || memcmp(path, kinds[i].pfx, pl) != 0)
			continue;
		path += pl;
		len -= pl;
		if (len == 0)
			return -E_INVAL;
		if (len >= IPC_NAME_MAX)
			return -E_NAMETOOLONG;
		for (size_t j = 0; j < len; j++)
			if (path[j] == '/' || path[j] == '\0' || (unsigned char)path[j] < 0x20)
				return -E_INVAL;
		memcpy(name, path, len);
		name[len] = '\0';
		*kind = kinds[i].kind;
		return 0;
	}
	return -E_NOENT;
}

static void open_bind(struct ipc *s, const struct ipc_call *c, int kind, const char *name)
{
	if (name_find(s, kind, name)) {
		ipc_act_answer(s, c->id, -E_ADDRINUSE, NULL, 0);
		return;
	}
	struct ipc_handle *h =
	    handle_new(s, kind == IPC_DGRAM ? IPC_BOUND : IPC_LISTENER, kind, c->pid);
	if (!h) {
		ipc_act_answer(s, c->id, -E_NOMEM, NULL, 0);
		return;
	}
	strcpy(h->name, name);
	h->nnext = s->names;
	s->names = h;
	answer_new(s, c->id, h);
}

/* Take the oldest connection off l's backlog and answer accept request id with it. */
static void accept_one(struct ipc *s, struct ipc_handle *l, uint64_t id, int pid)
{
	struct ipc_handle *sv = l->bl_head;
	l->bl_head = sv->bnext;
	if (!l->bl_head)
		l->bl_tail = NULL;
	l->nbl--;
	sv->bnext = NULL;
	sv->listener = NULL;
	sv->pid = pid;
	if (sv->peer)
		sv->peer->peer_pid = pid;
	answer_new(s, id, sv);
	refresh(s, l);
}

/* Pair a new client end with a new server end on l's backlog. */
static void open_connect(struct ipc *s, const struct ipc_call *c, struct ipc_handle *l)
{
	if (l->nbl >= IPC_BACKLOG) {
		s->st.refused++;
		ipc_act_answer(s, c->id, -E_CONNREFUSED, NULL, 0);
		return;
	}
	struct ipc_handle *cl = handle_new(s, IPC_CONN, l->kind, c->pid);
	struct ipc_handle *sv = cl ? handle_new(s, IPC_CONN, l->kind, l->pid) : NULL;
	if (!sv) {
		if (cl) {
			handle_unhash(s, cl);
			s->st.handles--;
			ipc_mem_free(s, cl);
		}
		ipc_act_answer(s, c->id, -E_NOMEM, NULL, 0);
		return;
	}
	strcpy(cl->name, l->name);
	strcpy(sv->name, l->name);
	cl->peer = sv;
	sv->peer = cl;
	cl->peer_pid = l->pid;
	sv->peer_pid = c->pid;
	sv->listener = l;
	if (l->bl_tail)
		l->bl_tail->bnext = sv;
	else
		l->bl_head = sv;
	l->bl_tail = sv;
	l->nbl++;
	answer_new(s, c->id, cl);
	if (l->readers.head) { /* a deferred accept takes it at once */
		struct ipc_defer *d = l->readers.head;
		uint64_t id = d->id;
		int pid = (int)d->want;
		ipc_defer_del(s, d);
		accept_one(s, l, id, pid);
		return;
	}
	refresh(s, l);
}

void ipc_open(struct ipc *s, const struct ipc_call *c)
{
	char name[IPC_NAME_MAX];
	int kind;
	int r = parse_path(c->data, c->len, &kind, name);
	if (r < 0) {
		ipc_act_answer(s, c->id, r, NULL, 0);
		return;
	}
	if (kind < 0) {
		struct ipc_handle *h = handle_new(s, IPC_STATS, 0, c->pid);
		if (!h) {
			ipc_act_answer(s, c->id, -E_NOMEM, NULL, 0);
			return;
		}
		strcpy(h->name, "stats");
		answer_new(s, c->id, h);
		return;
	}
	if (c->a & RB_O_CREAT) {
		open_bind(s, c, kind, name);
		return;
	}
	struct ipc_handle *l = name_find(s, kind, name);
	if (kind == IPC_DGRAM) {
		struct ipc_handle *h = l ? handle_new(s, IPC_SENDER, kind, c->pid) : NULL;
		if (!h) {
			ipc_act_answer(s, c->id, l ? -E_NOMEM : -E_CONNREFUSED, NULL, 0);
			return;
		}
		strcpy(h->name, name);
		answer_new(s, c->id, h);
		return;
	}
	if (!l) {
		ipc_act_answer(s, c->id, -E_CONNREFUSED, NULL, 0);
		return;
	}
	open_connect(s, c, l);
}

void ipc_dup(struct ipc *s, const struct ipc_call *c)
{
	struct ipc_handle *l = lookup(s, c);
	if (!l)
		return;
	size_t len = c->len;
	const char *arg = c->data;
	while (len && arg[len - 1] == '\0')
		len--;
	if (l->role != IPC_LISTENER || len != 6 || memcmp(arg, "accept", 6) != 0) {
		ipc_act_answer(s, c->id, -E_INVAL, NULL, 0);
		return;
	}
	if (l->nbl && !l->readers.head) {
		accept_one(s, l, c->id, c->pid);
		return;
	}
	if (c->nonblock) {
		ipc_act_answer(s, c->id, -E_AGAIN, NULL, 0);
		return;
	}
	struct ipc_defer *d = ipc_defer_add(s, l, &l->readers, l, c->id, DEF_ACCEPT);
	if (!d) {
		ipc_act_answer(s, c->id, -E_NOMEM, NULL, 0);
		return;
	}
	d->want = (size_t)c->pid;
}

/* ---------------------------------------------------------------- read, write */

static void read_stats(struct ipc *s, const struct ipc_call *c, struct ipc_handle *h)
{
	char buf[256];
	int n = fmt_snprintf(buf, sizeof(buf),
			     "handles %llu\npackets %llu\nbytes %llu\ndeferred %llu\n"
			     "mem %llu\nmem_peak %llu\nrefused %llu\n",
			     (unsigned long long)s->st.handles, (unsigned long long)s->st.packets,
			     (unsigned long long)s->st.bytes, (unsigned long long)s->st.deferred,
			     (unsigned long long)s->st.mem, (unsigned long long)s->st.mem_peak,
			     (unsigned long long)s->st.refused);
	size_t len = n < 0 ? 0 : (size_t)n >= sizeof(buf) ? sizeof(buf) - 1 : (size_t)n;
	size_t off = h->off;
	size_t k = off < len ? len - off : 0;
	if (k > c->a)
		k = c->a;
	h->off = (uint32_t)(off + k);
	ipc_act_answer(s, c->id, (int64_t)k, buf + off, k);
}

void ipc_read(struct ipc *s, const struct ipc_call *c)
{
	struct ipc_handle *h = lookup(s, c);
	if (!h)
		return;
	if (h->role == IPC_STATS) {
		read_stats(s, c, h);
		return;
	}
	if (h->role != IPC_CONN && h->role != IPC_BOUND) {
		ipc_act_answer(s, c->id, -E_NOTCONN, NULL, 0);
		return;
	}
	if (c->a == 0) {
		ipc_act_answer(s, c->id, 0, NULL, 0);
		return;
	}
	if (h->rx.n && !h->readers.head) {
		deliver(s, h, c->id, c->a);
		pump(s, h);
		return;
	}
	if (h->role == IPC_CONN && !h->peer && !h->rx.n) {
		ipc_act_answer(s, c->id, 0, NULL, 0); /* end of file */
		return;
	}
	if (c->nonblock) {
		ipc_act_answer(s, c->id, -E_AGAIN, NULL, 0);
		return;
	}
	struct ipc_defer *d = ipc_defer_add(s, h, &h->readers, h, c->id, DEF_READ);
	if (!d) {
		ipc_act_answer(s, c->id, -E_NOMEM, NULL, 0);
		return;
	}
	d->want = c->a;
}

/* Where a write on h goes, or NULL after answering the error. */
static struct ipc_handle *write_dst(struct ipc *s, const struct ipc_call *c, struct ipc_handle *h)
{
	int r = -E_NOTCONN;
	if (h->role == IPC_CONN) {
		if (h->peer)
			return h->peer;
		r = -E_PIPE;
	} else if (h->role == IPC_SENDER) {
		struct ipc_handle *b = name_find(s, IPC_DGRAM, h->name);
		if (b)
			return b;
		r = -E_CONNREFUSED;
	} else if (h->role == IPC_STATS) {
		r = -E_INVAL;
	}
	ipc_act_answer(s, c->id, r, NULL, 0);
	return NULL;
}

void ipc_write(struct ipc *s, const struct ipc_call *c)
{
	struct ipc_handle *h = lookup(s, c);
	if (!h)
		return;
	struct ipc_handle *dst = write_dst(s, c, h);
	if (!dst)
		return;
	if (c->len > IPC_PKT_MAX) {
		ipc_act_answer(s, c->id, -E_MSGSIZE, NULL, 0);
		return;
	}
	if (c->len == 0 && h->kind == IPC_STREAM) {
		ipc_act_answer(s, c->id, 0, NULL, 0);
		return;
	}
	bool room = dst->rx.n < IPC_QUEUE_MAX && !dst->writers.head;
	if (!room && c->nonblock) {
		ipc_act_answer(s, c->id, -E_AGAIN, NULL, 0);
		return;
	}
	struct ipc_pkt *p = ipc_pkt_new(s, c->data, c->len);
	struct ipc_defer *d =
	    p && !room ? ipc_defer_add(s, dst, &dst->writers, h, c->id, DEF_WRITE) : NULL;
	if (!p || (!room && !d)) {
		if (p)
			ipc_pkt_free(s, p);
		ipc_act_answer(s, c->id, -E_NOMEM, NULL, 0);
		return;
	}
	memcpy(p->fds, h->pend, h->npend * sizeof(int));
	p->nfds = h->npend;
	h->npend = 0;
	if (d) {
		d->pkt = p;
		refresh(s, h);
		return;
	}
	ipc_q_push(&dst->rx, p);
	ipc_act_answer(s, c->id, (int64_t)c->len, NULL, 0);
	pump(s, dst);
}

/* ---------------------------------------------------------------- rights, fcntl, fpath */

void ipc_sendfd(struct ipc *s, const struct ipc_call *c)
{
	int fd = (int)c->a;
	struct ipc_handle *h = ipc_find(s, c->handle);
	int r = 0;
	if (!h)
		r = -E_BADF;
	else if (h->role != IPC_CONN)
		r = -E_NOTSUP;
	else if (!h->peer)
		r = -E_PIPE;
	else if (h->npend >= IPC_FDS_PER_MSG)
		r = -E_INVAL;
	else if (h->peer->fds_in >= IPC_FDS_QUEUED)
		r = -E_AGAIN;
	if (r < 0) {
		ipc_act_close_fd(s, fd);
		ipc_act_answer(s, c->id, r, NULL, 0);
		return;
	}
	h->pend[h->npend++] = fd;
	h->peer->fds_in++;
	ipc_act_answer(s, c->id, 0, NULL, 0);
}

void ipc_recvfd(struct ipc *s, const struct ipc_call *c)
{
	struct ipc_handle *h = lookup(s, c);
	if (!h)
		return;
	if (h->nrecv == 0 || h->role != IPC_CONN) {
		ipc_act_answer(s, c->id, -E_AGAIN, NULL, 0);
		return;
	}
	int fd = h->recv[0];
	h->nrecv--;
	memmove(h->recv, h->recv + 1, h->nrecv * sizeof(int));
	h->fds_in--;
	struct ipc_act a = {.kind = IPC_ACT_ANSWER_FD, .id = c->id, .result = fd};
	s->env.act(s->env.ctx, &a);
}

void ipc_fcntl(struct ipc *s, const struct ipc_call *c)
{
	struct ipc_handle *h = lookup(s, c);
	if (!h)
		return;
	int64_t r = -E_INVAL;
	if (c->a == IPC_FCNTL_PEERPID)
		r = h->role == IPC_CONN && h->peer ? h->peer_pid : -E_NOTCONN;
	ipc_act_answer(s, c->id, r, NULL, 0);
}

void ipc_fpath(struct ipc *s, const struct ipc_call *c)
{
	static const char *const dirs[] = {"/stream/", "/chan/", "/dgram/"};
	struct ipc_handle *h = lookup(s, c);
	if (!h)
		return;
	char buf[IPC_NAME_MAX + 16];
	int n = fmt_snprintf(buf, sizeof(buf), "%s%s", h->role == IPC_STATS ? "/" : dirs[h->kind],
			     h->name);
	size_t len = (size_t)n < c->a ? (size_t)n : c->a;
	ipc_act_answer(s, c->id, (int64_t)len, buf, len);
}

/* ---------------------------------------------------------------- close, cancel */

static void close_fds(struct ipc *s, const int *fds, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		ipc_act_close_fd(s, fds[i]);
}

static void handle_free(struct ipc *s, struct ipc_handle *h);

/* h's peer loses h: its readers see end of file, its queued writes EPIPE. */
static void conn_hangup(struct ipc *s, struct ipc_handle *h)
{
	struct ipc_handle *p = h->peer;
	if (!p)
		return;
	p->peer = NULL;
	h->peer = NULL;
	p->fds_in -= h->npend;		 /* h's pending rights were on their way to p */
	close_fds(s, p->pend, p->npend); /* p's can never be delivered now */
	p->npend = 0;
	ipc_defer_fail_all(s, &p->readers, 0);
	ipc_defer_fail_all(s, &h->writers, -E_PIPE);
	refresh(s, p);
}

static void listener_drop_backlog(struct ipc *s, struct ipc_handle *l)
{
	while (l->bl_head) {
		struct ipc_handle *sv = l->bl_head;
		l->bl_head = sv->bnext;
		l->nbl--;
		sv->listener = NULL;
		handle_free(s, sv);
	}
	l->bl_tail = NULL;
}

/* Drop every deferred request naming h (the kernel sends none after CLOSE). */
static void drop_requests_of(struct ipc *s, struct ipc_handle *h)
{
	struct ipc_defer *d = s->dhead;
	while (d) {
		struct ipc_defer *next = d->gnext;
		if (d->h == h)
			ipc_defer_drop(s, d);
		d = next;
	}
}

static void handle_free(struct ipc *s, struct ipc_handle *h)
{
	drop_requests_of(s, h);
	if (h->role == IPC_CONN)
		conn_hangup(s, h);
	if (h->role == IPC_LISTENER)
		listener_drop_backlog(s, h);
	if (h->role == IPC_LISTENER || h->role == IPC_BOUND) {
		name_remove(s, h);
		ipc_defer_fail_all(s, &h->writers, -E_CONNREFUSED);
	}
	while (h->rx.n)
		ipc_pkt_free(s, ipc_q_pop(&h->rx));
	close_fds(s, h->recv, h->nrecv);
	close_fds(s, h->pend, h->npend);
	handle_unhash(s, h);
	s->st.handles--;
	ipc_mem_free(s, h);
}

void ipc_close(struct ipc *s, uint64_t handle)
{
	struct ipc_handle *h = ipc_find(s, handle);
	if (!h)
		return;
	if (h->listener) { /* defensive: the kernel never saw an unaccepted end */
		struct ipc_handle *l = h->listener, **pp = &l->bl_head, *prev = NULL;
		for (; *pp != h; pp = &(*pp)->bnext)
			prev = *pp;
		*pp = h->bnext;
		if (l->bl_tail == h)
			l->bl_tail = prev;
		l->nbl--;
	}
	handle_free(s, h);
}

void ipc_cancel(struct ipc *s, uint64_t id)
{
	for (struct ipc_defer *d = s->dhead; d; d = d->gnext) {
		if (d->id != id)
			continue;
		struct ipc_handle *dst = d->dst;
		ipc_defer_drop(s, d);
		pump(s, dst);
		return;
	}
}

/* ---------------------------------------------------------------- whole state */

void ipc_init(struct ipc *s, const struct ipc_env *env)
{
	memset(s, 0, sizeof(*s));
	s->env = *env;
	s->next_id = 1;
}

void ipc_fini(struct ipc *s)
{
	for (size_t i = 0; i < IPC_HASH; i++)
		while (s->hash[i]) {
			struct ipc_handle *h = s->hash[i];
			if (h->listener)
				ipc_close(s, h->listener->id);
			else
				ipc_close(s, h->id);
		}
}

void ipc_stats(const struct ipc *s, struct ipc_stats *out)
{
	*out = s->st;
}
