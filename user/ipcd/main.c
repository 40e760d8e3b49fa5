/*
 * ipcd - serves the ipc: scheme: named Unix-domain stream and datagram
 * sockets and channels, with fd passing (docs/ipcd.md).
 *
 * One thread, event driven: it reads one request at a time from its
 * server fd (docs/ipc.md), decodes it, hands it to lib/ipc and writes the
 * answers and readiness events lib/ipc emits. A request that cannot be
 * answered yet (a read of an empty queue, a write to a full one, an accept
 * with no connection) is kept by lib/ipc and answered later, when another
 * request changes its queue, so no request ever blocks the loop. All state
 * (struct ipc) is owned by this one thread: no locks. fds passed to ipcd
 * live in its fd table until lib/ipc hands them out (RB_ANS_FD moves them)
 * or says to close them.
 */
#include <stdbool.h>
#include <string.h>
#include "ipc/ipc.h"
#include "rb/malloc.h"
#include "rb/stdio.h"
#include "rb/sys.h"

static struct ipc state;
static int srv_fd;
static bool verbose; /* "ipcd -v": log every request and answer */
static _Alignas(16) unsigned char req_buf[sizeof(struct rb_req) + IPC_PKT_MAX];
static _Alignas(16) unsigned char ans_buf[sizeof(struct rb_ans) + IPC_PKT_MAX];

static void *env_alloc(void *ctx, size_t n)
{
	return rb_malloc(n);
}

static void env_free(void *ctx, void *p)
{
	rb_free(p);
}

/* Write one answer; a caller that gave up makes it fail, which is fine. */
static void send_ans(const struct rb_ans *a, const void *data, size_t len)
{
	struct rb_ans *out = (struct rb_ans *)ans_buf;
	*out = *a;
	out->len = (unsigned int)len;
	if (len)
		memcpy(ans_buf + sizeof(*out), data, len);
	long r = rb_write(srv_fd, ans_buf, sizeof(*out) + len);
	if (verbose)
		rb_printf("ipcd: ans %llu f%u r%lld ev%llx h%llu -> %ld\n",
			  (unsigned long long)a->id, a->flags, (long long)a->result,
			  (unsigned long long)a->events, (unsigned long long)a->arg, r);
	static int logged;
	if (r < 0 && logged < 20) { /* expected only for callers that gave up */
		logged++;
		rb_printf("ipcd: answer %llu (flags %u, result %lld, %zu bytes) refused: %s\n",
			  (unsigned long long)a->id, a->flags, (long long)a->result, len,
			  err_name((int)r));
	}
}

static void env_act(void *ctx, const struct ipc_act *act)
{
	struct rb_ans a = {0};
	switch (act->kind) {
	case IPC_ACT_ANSWER:
		a.id = act->id;
		a.result = act->result;
		if (act->has_events) {
			a.flags = RB_ANS_EVENTS;
			a.events = act->events;
		}
		send_ans(&a, act->data, act->len);
		break;
	case IPC_ACT_ANSWER_FD:
		a.id = act->id;
		a.result = act->result;
		a.flags = RB_ANS_FD;
		send_ans(&a, NULL, 0);
		break;
	case IPC_ACT_EVENT:
		a.flags = RB_ANS_EVENT;
		a.arg = act->handle;
		a.events = act->events;
		send_ans(&a, NULL, 0);
		break;
	case IPC_ACT_CLOSE_FD:
		rb_close(act->fd);
		break;
	}
}

/* Answer ops lib/ipc does not serve. */
static void answer_plain(const struct rb_req *r)
{
	struct rb_ans a = {.id = r->id};
	struct rb_stat st = {.mode = RB_S_IFCHR};
	switch (r->op) {
	case RB_SOP_FSTAT:
		send_ans(&a, &st, sizeof(st));
		return;
	case RB_SOP_FSYNC:
		a.result = 0;
		break;
	case RB_SOP_SEEK:
		a.result = -E_SPIPE;
		break;
	default:
		a.result = -E_NOSYS;
		break;
	}
	send_ans(&a, NULL, 0);
}

static void dispatch(const struct rb_req *r, const void *payload, size_t len)
{
	struct ipc_call c = {.id = r->id,
			     .handle = r->handle,
			     .pid = r->pid,
			     .nonblock = (r->flags & RB_O_NONBLOCK) != 0,
			     .a = r->a,
			     .data = payload,
			     .len = len};
	switch (r->op) {
	case RB_SOP_OPEN:
		ipc_open(&state, &c);
		break;
	case RB_SOP_READ:
		if (c.a > IPC_PKT_MAX)
			c.a = IPC_PKT_MAX;
		ipc_read(&state, &c);
		break;
	case RB_SOP_WRITE:
		ipc_write(&state, &c);
		break;
	case RB_SOP_DUP:
		ipc_dup(&state, &c);
		break;
	case RB_SOP_SENDFD:
		ipc_sendfd(&state, &c);
		break;
	case RB_SOP_RECVFD:
		ipc_recvfd(&state, &c);
		break;
	case RB_SOP_FCNTL:
		ipc_fcntl(&state, &c);
		break;
	case RB_SOP_FPATH:
		ipc_fpath(&state, &c);
		break;
	case RB_SOP_CLOSE:
		ipc_close(&state, r->handle);
		break;
	case RB_SOP_CANCEL:
		ipc_cancel(&state, r->a);
		break;
	default:
		answer_plain(r);
		break;
	}
}

int main(int argc, char **argv, char **envp)
{
	struct ipc_env env = {.alloc = env_alloc, .free = env_free, .act = env_act};
	verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	ipc_init(&state, &env);
	srv_fd = rb_scheme_create("ipc", 0);
	if (srv_fd < 0) {
		rb_printf("ipcd: cannot register ipc: %s\n", err_name(srv_fd));
		return 1;
	}
	rb_printf("ipcd: serving ipc:\n");
	for (;;) {
		long n = rb_read(srv_fd, req_buf, sizeof(req_buf));
		if (n == -E_INTR || n == -E_AGAIN)
			continue;
		if (n < 0) {
			rb_printf("ipcd: read: %s\n", err_name((int)n));
			return 1;
		}
		const struct rb_req *r = (const struct rb_req *)req_buf;
		if ((size_t)n < sizeof(*r) || r->len > (size_t)n - sizeof(*r))
			continue; /* the kernel never does this; skip it */
		if (verbose)
			rb_printf("ipcd: req %llu op%u h%llu pid%d a%llu len%u\n",
				  (unsigned long long)r->id, r->op, (unsigned long long)r->handle,
				  r->pid, (unsigned long long)r->a, r->len);
		dispatch(r, req_buf + sizeof(*r), r->len);
	}
}
