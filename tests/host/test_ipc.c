/*
 * test_ipc.c - lib/ipc, ipcd's state machine: stream echo and partial
 * reads, channel and datagram boundaries and truncation, the backlog bound
 * (64) and ECONNREFUSED, EADDRINUSE, the queue bound (256) with EAGAIN and
 * deferred writers, deferred readers and accepts, EOF/EPIPE on close,
 * rights passing and its bounds (16 per packet, 64 queued), peer pids,
 * CANCEL, readiness events, stats, allocation failure, and that ipc_fini
 * frees every byte and closes every fd it was given.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "base/syscall_nr.h"
#include "ipc/ipc.h"

#define NO_ANSWER (-9999)

struct rec {
	int kind;
	uint64_t id, handle;
	int64_t result;
	size_t len;
	char data[64];
	bool has_events;
	uint32_t events;
	int fd;
};

static struct ipc S;
static struct rec acts[4096];
static size_t nacts;
static uint64_t next_req = 100;
static int fail_alloc; /* fail the allocation after this many (0: never) */
static int allocs_left;
static bool closed[4096]; /* fds ipcd closed */

static void *t_alloc(void *ctx, size_t n)
{
	if (fail_alloc && --allocs_left < 0)
		return NULL;
	return malloc(n);
}

static void t_free(void *ctx, void *p)
{
	free(p);
}

static void t_act(void *ctx, const struct ipc_act *a)
{
	if (a->kind == IPC_ACT_CLOSE_FD) {
		assert_true(a->fd >= 0 && a->fd < 4096);
		if (closed[a->fd])
			fail_msg("fd %d closed twice", a->fd);
		closed[a->fd] = true;
	}
	assert_true(nacts < sizeof(acts) / sizeof(acts[0]));
	struct rec *r = &acts[nacts++];
	memset(r, 0, sizeof(*r));
	r->kind = a->kind;
	r->id = a->id;
	r->handle = a->handle;
	r->result = a->result;
	r->len = a->len;
	if (a->len)
		memcpy(r->data, a->data, a->len < sizeof(r->data) ? a->len : sizeof(r->data));
	r->has_events = a->has_events;
	r->events = a->events;
	r->fd = a->fd;
}

static int setup(void **state)
{
	struct ipc_env env = {.alloc = t_alloc, .free = t_free, .act = t_act};
	ipc_init(&S, &env);
	nacts = 0;
	fail_alloc = 0;
	memset(closed, 0, sizeof(closed));
	return 0;
}

static int teardown(void **state)
{
	ipc_fini(&S);
	struct ipc_stats st;
	ipc_stats(&S, &st);
	assert_int_equal(st.mem, 0);
	assert_int_equal(st.handles, 0);
	assert_int_equal(st.packets, 0);
	assert_int_equal(st.deferred, 0);
	return 0;
}

/* The answer to request id so far, or NULL. */
static struct rec *answer(uint64_t id)
{
	for (size_t i = 0; i < nacts; i++)
		if ((acts[i].kind == IPC_ACT_ANSWER || acts[i].kind == IPC_ACT_ANSWER_FD) &&
		    acts[i].id == id)
			return &acts[i];
	return NULL;
}

static int64_t result(uint64_t id)
{
	struct rec *r = answer(id);
	return r ? r->result : NO_ANSWER;
}

/* The last readiness event of handle h, or -1. */
static int64_t last_event(uint64_t h)
{
	int64_t ev = -1;
	for (size_t i = 0; i < nacts; i++)
		if (acts[i].kind == IPC_ACT_EVENT && acts[i].handle == h)
			ev = acts[i].events;
	return ev;
}

static uint64_t do_open(const char *path, int flags, int pid)
{
	struct ipc_call c = {
	    .id = next_req++, .pid = pid, .a = (uint64_t)flags, .data = path, .len = strlen(path)};
	ipc_open(&S, &c);
	return c.id;
}

/* Open that must succeed: the handle. */
static uint64_t xopen(const char *path, int flags, int pid)
{
	int64_t r = result(do_open(path, flags, pid));
	assert_true(r > 0);
	return (uint64_t)r;
}

static uint64_t do_accept(uint64_t l, bool nonblock, int pid)
{
	struct ipc_call c = {.id = next_req++,
			     .handle = l,
			     .pid = pid,
			     .nonblock = nonblock,
			     .data = "accept",
			     .len = 6};
	ipc_dup(&S, &c);
	return c.id;
}

static uint64_t xaccept(uint64_t l)
{
	int64_t r = result(do_accept(l, false, 7));
	assert_true(r > 0);
	return (uint64_t)r;
}

static uint64_t do_write(uint64_t h, const char *data, size_t len, bool nonblock)
{
	struct ipc_call c = {.id = next_req++,
			     .handle = h,
			     .pid = 1,
			     .nonblock = nonblock,
			     .data = data,
			     .len = len};
	ipc_write(&S, &c);
	return c.id;
}

static uint64_t do_read(uint64_t h, size_t want, bool nonblock)
{
	struct ipc_call c = {
	    .id = next_req++, .handle = h, .pid = 1, .nonblock = nonblock, .a = want};
	ipc_read(&S, &c);
	return c.id;
}

static uint64_t do_simple(void (*fn)(struct ipc *, const struct ipc_call *), uint64_t h, uint64_t a)
{
	struct ipc_call c = {.id = next_req++, .handle = h, .pid = 1, .a = a};
	fn(&S, &c);
	return c.id;
}

/* A connected pair on stream/chan name: *cl client end, *sv accepted end. */
static uint64_t pair(const char *path, uint64_t *cl, uint64_t *sv)
{
	uint64_t l = xopen(path, RB_O_CREAT, 5);
	*cl = xopen(path, 0, 6);
	*sv = xaccept(l);
	return l;
}

static void test_stream_echo(void **state)
{
	uint64_t cl, sv;
	pair("/stream/echo", &cl, &sv);
	assert_int_equal(result(do_write(cl, "hello", 5, false)), 5);
	uint64_t r = do_read(sv, 2, false);
	assert_int_equal(result(r), 2);
	assert_memory_equal(answer(r)->data, "he", 2);
	r = do_read(sv, 100, false);
	assert_int_equal(result(r), 3);
	assert_memory_equal(answer(r)->data, "llo", 3);
	assert_int_equal(result(do_write(sv, "back", 4, false)), 4);
	r = do_read(cl, 100, false);
	assert_int_equal(result(r), 4);
	assert_memory_equal(answer(r)->data, "back", 4);
	assert_int_equal(result(do_read(cl, 100, true)), -E_AGAIN);
	assert_int_equal(result(do_write(cl, "", 0, false)), 0);
	assert_int_equal(result(do_read(sv, 100, true)), -E_AGAIN);
	assert_int_equal(result(do_read(sv, 0, false)), 0);
}

static void test_chan_boundaries(void **state)
{
	uint64_t cl, sv;
	pair("chan/c", &cl, &sv);
	assert_int_equal(result(do_write(cl, "ab", 2, false)), 2);
	assert_int_equal(result(do_write(cl, "cdefghij", 8, false)), 8);
	assert_int_equal(result(do_write(cl, "", 0, false)), 0);
	uint64_t r = do_read(sv, 100, false);
	assert_int_equal(result(r), 2);
	r = do_read(sv, 3, false); /* truncated: the rest is gone */
	assert_int_equal(result(r), 3);
	assert_memory_equal(answer(r)->data, "cde", 3);
	assert_int_equal(result(do_read(sv, 100, false)), 0); /* the empty message */
	assert_int_equal(result(do_read(sv, 100, true)), -E_AGAIN);
}

static void test_dgram(void **state)
{
	assert_int_equal(result(do_open("/dgram/d", 0, 1)), -E_CONNREFUSED);
	uint64_t b = xopen("/dgram/d", RB_O_CREAT, 1);
	assert_int_equal(result(do_open("/dgram/d", RB_O_CREAT, 1)), -E_ADDRINUSE);
	uint64_t s1 = xopen("/dgram/d", 0, 2), s2 = xopen("/dgram/d", 0, 3);
	assert_int_equal(result(do_write(s1, "one", 3, false)), 3);
	assert_int_equal(result(do_write(s2, "second", 6, false)), 6);
	uint64_t r = do_read(b, 100, false);
	assert_int_equal(result(r), 3);
	assert_memory_equal(answer(r)->data, "one", 3);
	r = do_read(b, 2, false);
	assert_int_equal(result(r), 2);
	assert_memory_equal(answer(r)->data, "se", 2);
	assert_int_equal(result(do_read(b, 100, true)), -E_AGAIN);
	assert_int_equal(result(do_write(b, "x", 1, false)), -E_NOTCONN);
	assert_int_equal(result(do_read(s1, 10, false)), -E_NOTCONN);
	/* a deferred read is woken by the next datagram */
	r = do_read(b, 100, false);
	assert_int_equal(result(r), NO_ANSWER);
	assert_int_equal(result(do_write(s1, "late", 4, false)), 4);
	assert_int_equal(result(r), 4);
	/* full queue: EAGAIN, or a deferred writer refused when the name goes */
	for (int i = 0; i < IPC_QUEUE_MAX; i++)
		assert_int_equal(result(do_write(s1, "q", 1, false)), 1);
	assert_int_equal(result(do_write(s2, "q", 1, true)), -E_AGAIN);
	uint64_t w = do_write(s2, "q", 1, false);
	assert_int_equal(result(w), NO_ANSWER);
	ipc_close(&S, b);
	assert_int_equal(result(w), -E_CONNREFUSED);
	assert_int_equal(result(do_write(s1, "x", 1, false)), -E_CONNREFUSED);
}

static void test_backlog(void **state)
{
	uint64_t l = xopen("/stream/b", RB_O_CREAT, 1);
	for (int i = 0; i < IPC_BACKLOG; i++)
		xopen("/stream/b", 0, 2);
	assert_int_equal(result(do_open("/stream/b", 0, 2)), -E_CONNREFUSED);
	struct ipc_stats st;
	ipc_stats(&S, &st);
	assert_int_equal(st.refused, 1);
	assert_true(last_event(l) & RB_POLLIN);
	xaccept(l);
	xopen("/stream/b", 0, 2);
	assert_int_equal(result(do_open("/stream/none", 0, 2)), -E_CONNREFUSED);
	assert_int_equal(result(do_open("/chan/b", 0, 2)), -E_CONNREFUSED); /* kinds apart */
	ipc_close(&S, l); /* the unaccepted ends go with it */
	xopen("/stream/b", RB_O_CREAT, 1);
}

static void test_addrinuse(void **state)
{
	uint64_t l = xopen("/stream/x", RB_O_CREAT, 1);
	assert_int_equal(result(do_open("/stream/x", RB_O_CREAT, 1)), -E_ADDRINUSE);
	xopen("/chan/x", RB_O_CREAT, 1);
	ipc_close(&S, l);
	xopen("/stream/x", RB_O_CREAT, 1);
}

static void test_paths(void **state)
{
	assert_int_equal(result(do_open("/bogus/x", 0, 1)), -E_NOENT);
	assert_int_equal(result(do_open("/stream/", 0, 1)), -E_INVAL);
	assert_int_equal(result(do_open("/stream/a/b", 0, 1)), -E_INVAL);
	char longp[128] = "/stream/";
	memset(longp + 8, 'a', 100);
	assert_int_equal(result(do_open(longp, RB_O_CREAT, 1)), -E_NAMETOOLONG);
	assert_int_equal(result(do_read(12345, 1, false)), -E_BADF);
	assert_int_equal(result(do_write(12345, "x", 1, false)), -E_BADF);
	uint64_t l = xopen("/stream/p", RB_O_CREAT, 1);
	assert_int_equal(result(do_read(l, 1, false)), -E_NOTCONN);
	struct ipc_call c = {.id = next_req++, .handle = l, .data = "bogus", .len = 5};
	ipc_dup(&S, &c);
	assert_int_equal(result(c.id), -E_INVAL);
	uint64_t r = do_simple(ipc_fpath, l, 100);
	assert_int_equal(result(r), 9);
	assert_memory_equal(answer(r)->data, "/stream/p", 9);
}

static void test_queue_full(void **state)
{
	uint64_t cl, sv;
	pair("/stream/q", &cl, &sv);
	char msg[8];
	for (int i = 0; i < IPC_QUEUE_MAX; i++) {
		msg[0] = (char)i;
		assert_int_equal(result(do_write(cl, msg, 1, false)), 1);
	}
	assert_false(last_event(cl) & RB_POLLOUT);
	assert_int_equal(result(do_write(cl, "z", 1, true)), -E_AGAIN);
	uint64_t w1 = do_write(cl, "A", 1, false), w2 = do_write(cl, "B", 1, false);
	assert_int_equal(result(w1), NO_ANSWER);
	uint64_t r = do_read(sv, 10, false);
	assert_int_equal(answer(r)->data[0], 0);
	assert_int_equal(result(w1), 1); /* woken by the drain */
	assert_int_equal(result(w2), NO_ANSWER);
	for (int i = 1; i < IPC_QUEUE_MAX; i++) {
		r = do_read(sv, 1, false);
		assert_int_equal((unsigned char)answer(r)->data[0], i);
	}
	r = do_read(sv, 1, false);
	assert_int_equal(answer(r)->data[0], 'A');
	r = do_read(sv, 1, false);
	assert_int_equal(answer(r)->data[0], 'B');
	assert_int_equal(result(w2), 1);
	assert_true(last_event(cl) & RB_POLLOUT);
	assert_int_equal(result(do_write(cl, "x", IPC_PKT_MAX + 1, false)), -E_MSGSIZE);
}

static void test_deferred_read_accept(void **state)
{
	uint64_t l = xopen("/stream/d", RB_O_CREAT, 1);
	assert_int_equal(result(do_accept(l, true, 9)), -E_AGAIN);
	uint64_t a = do_accept(l, false, 9);
	assert_int_equal(result(a), NO_ANSWER);
	uint64_t cl = xopen("/stream/d", 0, 2);
	uint64_t sv = (uint64_t)result(a);
	assert_true(answer(a)->has_events);
	uint64_t r = do_read(sv, 10, false);
	assert_int_equal(result(r), NO_ANSWER);
	assert_int_equal(result(do_write(cl, "hi", 2, false)), 2);
	assert_int_equal(result(r), 2);
	assert_memory_equal(answer(r)->data, "hi", 2);
	assert_int_equal(result(do_simple(ipc_fcntl, cl, IPC_FCNTL_PEERPID)), 9);
	assert_int_equal(result(do_simple(ipc_fcntl, sv, IPC_FCNTL_PEERPID)), 2);
	assert_int_equal(result(do_simple(ipc_fcntl, sv, 1)), -E_INVAL);
}

static void test_close_eof_epipe(void **state)
{
	uint64_t cl, sv;
	pair("/stream/e", &cl, &sv);
	assert_int_equal(result(do_write(cl, "last", 4, false)), 4);
	uint64_t r = do_read(cl, 10, false); /* waits on the server */
	ipc_close(&S, cl);
	(void)r;
	assert_int_equal(result(do_read(sv, 10, false)), 4); /* data first */
	assert_int_equal(result(do_read(sv, 10, false)), 0); /* then end of file */
	assert_int_equal(result(do_write(sv, "x", 1, false)), -E_PIPE);
	assert_true(last_event(sv) & RB_POLLHUP);
	assert_int_equal(result(do_simple(ipc_fcntl, sv, IPC_FCNTL_PEERPID)), -E_NOTCONN);

	pair("/stream/f", &cl, &sv);
	r = do_read(cl, 10, false);
	ipc_close(&S, sv);
	assert_int_equal(result(r), 0); /* a waiting reader sees end of file */

	pair("/stream/g", &cl, &sv);
	for (int i = 0; i < IPC_QUEUE_MAX; i++)
		do_write(cl, "x", 1, false);
	uint64_t w = do_write(cl, "y", 1, false);
	ipc_close(&S, sv);
	assert_int_equal(result(w), -E_PIPE); /* a waiting writer gets EPIPE */
}

static uint64_t do_sendfd(uint64_t h, int fd)
{
	return do_simple(ipc_sendfd, h, (uint64_t)fd);
}

static void test_rights(void **state)
{
	uint64_t cl, sv;
	pair("/chan/r", &cl, &sv);
	for (int fd = 10; fd < 13; fd++)
		assert_int_equal(result(do_sendfd(cl, fd)), 0);
	assert_int_equal(result(do_write(cl, "m", 1, false)), 1);
	assert_int_equal(result(do_simple(ipc_recvfd, sv, 0)), -E_AGAIN); /* not read yet */
	assert_int_equal(result(do_read(sv, 10, false)), 1);
	for (int fd = 10; fd < 13; fd++) {
		uint64_t r = do_simple(ipc_recvfd, sv, 0);
		assert_int_equal(answer(r)->kind, IPC_ACT_ANSWER_FD);
		assert_int_equal(result(r), fd);
	}
	assert_int_equal(result(do_simple(ipc_recvfd, sv, 0)), -E_AGAIN);

	/* 16 per packet: the 17th is refused and closed */
	for (int fd = 20; fd < 20 + IPC_FDS_PER_MSG; fd++)
		assert_int_equal(result(do_sendfd(cl, fd)), 0);
	assert_int_equal(result(do_sendfd(cl, 99)), -E_INVAL);
	assert_true(closed[99]);
	assert_int_equal(result(do_write(cl, "a", 1, false)), 1);
	/* 64 on their way: the 65th is refused */
	for (int fd = 100; fd < 100 + 3 * IPC_FDS_PER_MSG; fd++) {
		assert_int_equal(result(do_sendfd(cl, fd)), 0);
		if ((fd - 100) % IPC_FDS_PER_MSG == IPC_FDS_PER_MSG - 1)
			do_write(cl, "b", 1, false);
	}
	assert_int_equal(result(do_sendfd(cl, 200)), -E_AGAIN);
	assert_true(closed[200]);
	assert_int_equal(result(do_sendfd(sv, 201)), 0); /* the other direction is apart */
	/* reading moves rights to receivable, still counted */
	assert_int_equal(result(do_read(sv, 10, false)), 1);
	assert_int_equal(result(do_sendfd(cl, 202)), -E_AGAIN);
	assert_int_equal(result(do_simple(ipc_recvfd, sv, 0)), 20);
	assert_int_equal(result(do_sendfd(cl, 205)), 0);
	assert_false(closed[205]);
	/* unreceived rights are closed with the handle, the peer's pending ones too */
	ipc_close(&S, sv);
	assert_true(closed[21] && closed[100] && closed[147] && closed[205] && closed[201]);
	assert_false(closed[20]);
	assert_int_equal(result(do_sendfd(cl, 203)), -E_PIPE);
	assert_true(closed[203]);

	uint64_t d = xopen("/dgram/r", RB_O_CREAT, 1);
	assert_int_equal(result(do_sendfd(d, 204)), -E_NOTSUP);
	assert_true(closed[204]);
}

static void test_cancel(void **state)
{
	uint64_t cl, sv;
	pair("/stream/k", &cl, &sv);
	uint64_t r1 = do_read(sv, 10, false), r2 = do_read(sv, 10, false);
	ipc_cancel(&S, r1);
	ipc_cancel(&S, 424242); /* unknown: ignored */
	assert_int_equal(result(do_write(cl, "x", 1, false)), 1);
	assert_int_equal(result(r1), NO_ANSWER);
	assert_int_equal(result(r2), 1);
	/* a cancelled deferred writer's packet never arrives */
	for (int i = 0; i < IPC_QUEUE_MAX; i++)
		do_write(cl, "q", 1, false);
	uint64_t w = do_write(cl, "W", 1, false);
	ipc_cancel(&S, w);
	for (int i = 0; i < IPC_QUEUE_MAX; i++)
		assert_int_equal(answer(do_read(sv, 1, false))->data[0], 'q');
	assert_int_equal(result(do_read(sv, 1, true)), -E_AGAIN);
	assert_int_equal(result(w), NO_ANSWER);
	/* a cancelled accept */
	uint64_t l = xopen("/stream/k2", RB_O_CREAT, 1);
	uint64_t a = do_accept(l, false, 1);
	ipc_cancel(&S, a);
	xopen("/stream/k2", 0, 1);
	assert_int_equal(result(a), NO_ANSWER);
	assert_true(last_event(l) & RB_POLLIN);
}

static void test_events(void **state)
{
	uint64_t l = xopen("/stream/v", RB_O_CREAT, 1);
	uint64_t o = do_open("/stream/v", 0, 2);
	uint64_t cl = (uint64_t)result(o);
	assert_true(answer(o)->has_events);
	assert_int_equal(answer(o)->events, RB_POLLOUT);
	assert_int_equal(last_event(l), RB_POLLIN);
	uint64_t a = do_accept(l, false, 3);
	uint64_t sv = (uint64_t)result(a);
	assert_int_equal(answer(a)->events, RB_POLLOUT);
	assert_int_equal(last_event(l), 0);
	do_write(cl, "x", 1, false);
	assert_int_equal(last_event(sv), RB_POLLIN | RB_POLLOUT);
	do_read(sv, 1, false);
	assert_int_equal(last_event(sv), RB_POLLOUT);
	ipc_close(&S, cl);
	assert_int_equal(last_event(sv), RB_POLLIN | RB_POLLHUP);
}

static void test_stats(void **state)
{
	uint64_t cl, sv;
	pair("/stream/s", &cl, &sv);
	do_write(cl, "12345", 5, false);
	uint64_t st = xopen("/stats", 0, 1);
	uint64_t r = do_read(st, 63, false);
	assert_true(result(r) > 20);
	assert_memory_equal(answer(r)->data, "handles 4\npackets 1\nbytes 5\n", 28);
	while (result(r) > 0)
		r = do_read(st, 63, false);
	assert_int_equal(result(r), 0);
	struct ipc_stats s;
	ipc_stats(&S, &s);
	assert_true(s.mem_peak >= s.mem && s.mem > 0);
}

static void test_nomem(void **state)
{
	uint64_t l = xopen("/stream/n", RB_O_CREAT, 1);
	uint64_t cl = xopen("/stream/n", 0, 1);
	uint64_t sv = xaccept(l);
	fail_alloc = 1;
	allocs_left = 0;
	assert_int_equal(result(do_open("/stream/n", 0, 1)), -E_NOMEM);
	assert_int_equal(result(do_open("/stream/m", RB_O_CREAT, 1)), -E_NOMEM);
	assert_int_equal(result(do_write(cl, "x", 1, false)), -E_NOMEM);
	assert_int_equal(result(do_read(sv, 1, false)), -E_NOMEM);
	allocs_left = 1; /* the client end but not the server end */
	assert_int_equal(result(do_open("/stream/n", 0, 1)), -E_NOMEM);
	fail_alloc = 0;
	assert_int_equal(result(do_read(sv, 1, true)), -E_AGAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_stream_echo, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chan_boundaries, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dgram, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_backlog, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_addrinuse, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_queue_full, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deferred_read_accept, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_close_eof_epipe, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rights, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_events, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nomem, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
