/*
 * fuzz_ipc.c - libFuzzer target for lib/ipc (ipcd's state machine).
 *
 * The input is a program: each step's first byte picks an operation (bind,
 * connect, accept, write, a burst of writes, read, sendfd, recvfd, fcntl,
 * close, cancel, stats), the next bytes its handle slot, flags and sizes.
 * Handles come from the answers, as the kernel would see them. After each
 * step the invariants are checked: no request is answered twice, no fd is
 * closed or handed out twice, and no bound (backlog, queue, rights) is
 * exceeded. At the end ipc_fini must free every byte and close every fd
 * ipcd still held, so every fd ever sent is closed or handed out once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/syscall_nr.h"
#include "ipc/ipc.h"
#include "ipc/queue.h"

#define SLOTS 8
#define MAX_REQ 8192
#define MAX_FD 4096

static struct ipc S;
static uint64_t slots[SLOTS];
static unsigned next_slot;
static uint8_t answered[MAX_REQ]; /* by request id */
static uint8_t fd_state[MAX_FD];  /* 1: given to ipcd, 2: closed or handed out */
static uint64_t next_req;
static int next_fd;
static uint64_t last_deferred;

static void *f_alloc(void *ctx, size_t n)
{
	return malloc(n);
}

static void f_free(void *ctx, void *p)
{
	free(p);
}

static void fd_done(int fd)
{
	if (fd < 0 || fd >= MAX_FD || fd_state[fd] != 1)
		abort();
	fd_state[fd] = 2;
}

static void f_act(void *ctx, const struct ipc_act *a)
{
	switch (a->kind) {
	case IPC_ACT_ANSWER:
	case IPC_ACT_ANSWER_FD:
		if (a->id >= MAX_REQ || answered[a->id])
			abort();
		answered[a->id] = 1;
		if (a->kind == IPC_ACT_ANSWER_FD)
			fd_done((int)a->result);
		if (a->has_events && a->result > 0)
			slots[next_slot++ % SLOTS] = (uint64_t)a->result;
		if (a->len > IPC_PKT_MAX)
			abort();
		break;
	case IPC_ACT_CLOSE_FD:
		fd_done(a->fd);
		break;
	case IPC_ACT_EVENT:
		if (!ipc_find(&S, a->handle))
			abort();
		break;
	default:
		abort();
	}
}

static void check_handle(const struct ipc_handle *h)
{
	if (h->rx.n > IPC_QUEUE_MAX || h->nbl > IPC_BACKLOG || h->fds_in > IPC_FDS_QUEUED ||
	    h->npend > IPC_FDS_PER_MSG || h->nrecv > h->fds_in)
		abort();
	if (h->peer && h->peer->peer != h)
		abort();
	/* liveness: nothing waits for what is already there */
	if (h->readers.head && (h->rx.n || h->nbl || (h->role == IPC_CONN && !h->peer)))
		abort();
	if (h->writers.head && h->rx.n < IPC_QUEUE_MAX)
		abort();
}

static void check_all(void)
{
	for (size_t i = 0; i < IPC_HASH; i++)
		for (const struct ipc_handle *h = S.hash[i]; h; h = h->hnext)
			check_handle(h);
}

static const char *const paths[] = {"/stream/a", "/stream/b", "/chan/a", "/dgram/a",
				    "/dgram/b",	 "/stats",    "/bad/x",	 "/stream/"};

static void step(const uint8_t *p)
{
	static char buf[IPC_PKT_MAX];
	uint8_t op = p[0] % 12, arg = p[1], arg2 = p[2];
	struct ipc_call c = {
	    .id = next_req++, .handle = slots[arg % SLOTS], .pid = arg2, .nonblock = arg & 0x80};
	if (c.id >= MAX_REQ)
		return;
	switch (op) {
	case 0:
	case 1:
		c.data = paths[arg2 % 8];
		c.len = strlen(c.data);
		c.a = op == 0 ? RB_O_CREAT : 0;
		ipc_open(&S, &c);
		break;
	case 2:
		c.data = arg2 & 1 ? "accept" : "nope";
		c.len = strlen(c.data);
		ipc_dup(&S, &c);
		break;
	case 3:
		c.data = buf;
		c.len = arg2 == 255 ? IPC_PKT_MAX : arg2;
		ipc_write(&S, &c);
		break;
	case 4:
		for (int i = 0; i < 300 && next_req < MAX_REQ; i++) {
			c.id = next_req++;
			c.data = buf;
			c.len = 1;
			c.nonblock = true;
			ipc_write(&S, &c);
		}
		break;
	case 5:
		c.a = arg2;
		ipc_read(&S, &c);
		break;
	case 6:
		if (next_fd >= MAX_FD)
			return;
		fd_state[next_fd] = 1;
		c.a = (uint64_t)next_fd++;
		ipc_sendfd(&S, &c);
		break;
	case 7:
		ipc_recvfd(&S, &c);
		break;
	case 8:
		c.a = arg2 & 1 ? IPC_FCNTL_PEERPID : 0;
		ipc_fcntl(&S, &c);
		break;
	case 9:
		ipc_close(&S, c.handle);
		slots[arg % SLOTS] = 0;
		break;
	case 10:
		ipc_cancel(&S, arg2 & 1 ? last_deferred : c.id - 1 - (arg2 >> 1));
		break;
	case 11:
		c.a = arg2;
		ipc_fpath(&S, &c);
		break;
	}
	if (c.id < MAX_REQ && !answered[c.id] && op != 9 && op != 10)
		last_deferred = c.id;
	check_all();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipc_env env = {.alloc = f_alloc, .free = f_free, .act = f_act};
	ipc_init(&S, &env);
	memset(slots, 0, sizeof(slots));
	memset(answered, 0, sizeof(answered));
	memset(fd_state, 0, sizeof(fd_state));
	next_slot = 0;
	next_req = 1;
	next_fd = 0;
	last_deferred = 0;
	for (size_t i = 0; i + 3 <= size; i += 3)
		step(data + i);
	ipc_fini(&S);
	struct ipc_stats st;
	ipc_stats(&S, &st);
	if (st.mem || st.handles || st.packets || st.bytes || st.deferred)
		abort();
	for (int fd = 0; fd < next_fd; fd++)
		if (fd_state[fd] != 2)
			abort();
	return 0;
}
