/*
 * t_pipe.c - ktest cases for pipes, poll, event: and kmsg: (docs/ipc.md):
 * blocking reads woken by a writer thread, end of file after the last
 * writer (also one in a child that exits), EPIPE with SIGPIPE (handled,
 * ignored, and the default action killing a child), non-blocking EAGAIN
 * both ways, 4096-byte writes from 4 threads that never interleave, a
 * full 64 KiB ring, fstat, poll over a mix of files, its timeout and its
 * EINTR, event: watches and their limits, poll and event: waits on a
 * user-scheme file whose server dies, the kernel log, and bad
 * arguments. Nothing here sleeps to wait for another thread: a case that
 * needs an order either does not depend on it or retries until it holds.
 */
#include <string.h>
#include "ktest.h"
#include "rb/signal.h"
#include "rb/syscall.h"
#include "rb/thread.h"

#define KCHILD "initfs:/bin/kchild"
#define RING (64 * 1024)
#define ATOMIC 4096
#define POLL_LIMIT 1024 /* the default RLIMIT_NOFILE */

static int pipe_basic(char *why, size_t n)
{
	int fds[2];
	char buf[8];
	KEXPECT(rb_pipe(fds, 0), 0);
	KCHECK(fds[0] > 2 && fds[1] > 2 && fds[0] != fds[1], "fds %d %d", fds[0], fds[1]);
	KEXPECT(rb_write(fds[1], "abc", 3), 3);
	struct rb_stat st;
	KEXPECT(rb_fstat(fds[0], &st), 0);
	KEXPECT(st.mode & RB_S_IFMT, RB_S_IFIFO);
	KEXPECT(st.size, 3);
	KEXPECT(rb_read(fds[0], buf, sizeof buf), 3);
	KCHECK(memcmp(buf, "abc", 3) == 0, "read back %.3s", buf);
	KEXPECT(rb_read(fds[1], buf, 1), -E_BADF);
	KEXPECT(rb_write(fds[0], "x", 1), -E_BADF);
	KEXPECT(rb_lseek(fds[0], 0, RB_SEEK_SET), -E_SPIPE);
	KEXPECT(rb_close(fds[1]), 0);
	KEXPECT(rb_read(fds[0], buf, sizeof buf), 0);
	KEXPECT(rb_close(fds[0]), 0);
	return 0;
}

static int pipe_bad_args(char *why, size_t n)
{
	int fds[2];
	KEXPECT(rb_pipe(kt_bad_ptr(1), 0), -E_FAULT);
	KEXPECT(rb_pipe(KERNEL_PTR, 0), -E_FAULT);
	KEXPECT(rb_pipe(fds, RB_O_CREAT), -E_INVAL);
	KEXPECT(rb_syscall2(SYS_PIPE, (long)fds, (long)(1ull << 32)), -E_INVAL);
	KEXPECT(rb_pipe(fds, RB_O_NONBLOCK), 0);
	KEXPECT(rb_write(fds[1], kt_bad_ptr(1), 4), -E_FAULT);
	KEXPECT(rb_write(fds[1], "data", 4), 4);
	KEXPECT(rb_read(fds[0], KERNEL_PTR, 4), -E_FAULT);
	char buf[4];
	KEXPECT(rb_read(fds[0], buf, 4), 4); /* a failed copy took nothing */
	KEXPECT(rb_close(fds[0]), 0);
	KEXPECT(rb_close(fds[1]), 0);
	return 0;
}

static int write_x(void *arg)
{
	return rb_write((int)(long)arg, "x", 1) == 1 ? 0 : 1;
}

static int pipe_read_blocks(char *why, size_t n)
{
	int fds[2];
	char c = 0;
	KEXPECT(rb_pipe(fds, 0), 0);
	int tid = rb_thread_create(write_x, (void *)(long)fds[1]);
	KCHECK(tid > 0, "thread_create: %d", tid);
	KEXPECT(rb_read(fds[0], &c, 1), 1); /* blocks until the thread wrote */
	KEXPECT(c, 'x');
	int code = -1;
	KEXPECT(rb_thread_join(tid, &code), 0);
	KEXPECT(code, 0);
	KEXPECT(rb_close(fds[0]), 0);
	KEXPECT(rb_close(fds[1]), 0);
	return 0;
}

static int pipe_child_writer_eof(char *why, size_t n)
{
	int fds[2];
	KEXPECT(rb_pipe(fds, 0), 0);
	int map[] = {-1, fds[1], 2};
	char *argv[] = {"kchild", "pipew", NULL};
	int pid = rb_spawn(KCHILD, argv, NULL, map, 3);
	KCHECK(pid > 0, "spawn: %d", pid);
	KEXPECT(rb_close(fds[1]), 0); /* the child's is now the only writer */
	char buf[8];
	size_t got = 0;
	long r;
	while ((r = rb_read(fds[0], buf + got, sizeof buf - got)) > 0)
		got += (size_t)r;
	KEXPECT(r, 0); /* EOF once the child exited */
	KEXPECT(got, 2);
	KCHECK(memcmp(buf, "hi", 2) == 0, "got %.2s", buf);
	int status = -1;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(status, 0);
	KEXPECT(rb_close(fds[0]), 0);
	return 0;
}

static int sigpipe_seen;

static void on_sigpipe(int sig)
{
	if (sig == RB_SIGPIPE)
		__atomic_fetch_add(&sigpipe_seen, 1, __ATOMIC_RELAXED);
}

static int pipe_epipe_signal(char *why, size_t n)
{
	int fds[2];
	KEXPECT(rb_pipe(fds, 0), 0);
	KEXPECT(rb_close(fds[0]), 0);
	struct rb_sigaction act = {on_sigpipe, 0, 0, NULL}, dfl = {RB_SIG_DFL, 0, 0, NULL};
	struct rb_sigaction ign = {RB_SIG_IGN, 0, 0, NULL};
	KEXPECT(rb_sigaction(RB_SIGPIPE, &act, NULL), 0);
	sigpipe_seen = 0;
	long r = rb_write(fds[1], "x", 1);
	int seen = __atomic_load_n(&sigpipe_seen, __ATOMIC_RELAXED);
	KEXPECT(rb_sigaction(RB_SIGPIPE, &ign, NULL), 0);
	KEXPECT(r, -E_PIPE);
	KEXPECT(seen, 1); /* the handler ran on the way out of the write */
	KEXPECT(rb_write(fds[1], "x", 1), -E_PIPE); /* ignored: just the error */
	KEXPECT(rb_sigaction(RB_SIGPIPE, &dfl, NULL), 0);
	KEXPECT(rb_close(fds[1]), 0);
	return 0;
}

static int pipe_sigpipe_kills_child(char *why, size_t n)
{
	int fds[2];
	KEXPECT(rb_pipe(fds, 0), 0);
	KEXPECT(rb_close(fds[0]), 0);
	int map[] = {-1, fds[1], 2};
	char *argv[] = {"kchild", "pipesig", NULL};
	int pid = rb_spawn(KCHILD, argv, NULL, map, 3);
	KCHECK(pid > 0, "spawn: %d", pid);
	KEXPECT(rb_close(fds[1]), 0);
	int status = -1;
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(status, 128 + RB_SIGPIPE);
	return 0;
}

static int pipe_nonblock(char *why, size_t n)
{
	int fds[2];
	static char big[RING];
	char c;
	KEXPECT(rb_pipe(fds, RB_O_NONBLOCK), 0);
	KEXPECT(rb_read(fds[0], &c, 1), -E_AGAIN);
	KEXPECT(rb_write(fds[1], big, sizeof big), RING);
	KEXPECT(rb_write(fds[1], "x", 1), -E_AGAIN);
	KEXPECT(rb_read(fds[0], big, 100), 100);
	KEXPECT(rb_write(fds[1], big, 4000), -E_AGAIN); /* atomic: all or nothing */
	KEXPECT(rb_write(fds[1], big, 8000), 100);	/* not atomic: what fits */
	KEXPECT(rb_close(fds[0]), 0);
	KEXPECT(rb_close(fds[1]), 0);
	return 0;
}

static int pipe_full_blocks(char *why, size_t n)
{
	int fds[2];
	static char big[RING];
	KEXPECT(rb_pipe(fds, 0), 0);
	KEXPECT(rb_write(fds[1], big, sizeof big), RING);
	int tid = rb_thread_create(write_x, (void *)(long)fds[1]);
	KCHECK(tid > 0, "thread_create: %d", tid);
	struct rb_stat st;
	KEXPECT(rb_fstat(fds[0], &st), 0);
	KEXPECT(st.size, RING); /* the thread's byte cannot be in yet */
	char c;
	KEXPECT(rb_read(fds[0], &c, 1), 1);
	int code = -1;
	KEXPECT(rb_thread_join(tid, &code), 0); /* it could finish only now */
	KEXPECT(code, 0);
	KEXPECT(rb_fstat(fds[0], &st), 0);
	KEXPECT(st.size, RING);
	KEXPECT(rb_close(fds[0]), 0);
	KEXPECT(rb_close(fds[1]), 0);
	return 0;
}

#define WRITERS 4
#define BLOCKS 8
static int atomic_wfd;

static int atomic_writer(void *arg)
{
	static char blocks[WRITERS][ATOMIC];
	int id = (int)(long)arg;
	memset(blocks[id], 'A' + id, ATOMIC);
	for (int i = 0; i < BLOCKS; i++)
		if (rb_write(atomic_wfd, blocks[id], ATOMIC) != ATOMIC)
			return 1;
	return 0;
}

static int pipe_atomic_writes(char *why, size_t n)
{
	static char got[WRITERS * BLOCKS * ATOMIC];
	int fds[2], tids[WRITERS];
	KEXPECT(rb_pipe(fds, 0), 0);
	atomic_wfd = fds[1];
	for (int i = 0; i < WRITERS; i++) {
		tids[i] = rb_thread_create(atomic_writer, (void *)(long)i);
		KCHECK(tids[i] > 0, "thread_create: %d", tids[i]);
	}
	size_t total = 0;
	while (total < sizeof got) {
		long r = rb_read(fds[0], got + total, 1000); /* odd sizes on purpose */
		KCHECK(r > 0, "read at %zu: %ld", total, r);
		total += (size_t)r;
	}
	for (int i = 0; i < WRITERS; i++) {
		int code = -1;
		KEXPECT(rb_thread_join(tids[i], &code), 0);
		KEXPECT(code, 0);
	}
	for (size_t b = 0; b < sizeof got; b += ATOMIC)
		for (size_t i = 1; i < ATOMIC; i++)
			KCHECK(got[b + i] == got[b], "block at %zu mixed at +%zu", b, i);
	KEXPECT(rb_close(fds[0]), 0);
	KEXPECT(rb_close(fds[1]), 0);
	return 0;
}

static int poll_mix(char *why, size_t n)
{
	int fds[2];
	KEXPECT(rb_pipe(fds, 0), 0);
	int file = rb_open("initfs:/bin/init", RB_O_RDONLY);
	KCHECK(file >= 0, "open: %d", file);
	struct rb_pollfd p[5] = {
	    {fds[0], RB_POLLIN, 0}, {fds[1], RB_POLLOUT, 0}, {file, RB_POLLIN, 0},
	    {60, RB_POLLIN, 0},	    {-1, RB_POLLIN, 0},
	};
	KEXPECT(rb_poll(p, 5, 0), 3);
	KEXPECT(p[0].revents, 0);
	KEXPECT(p[1].revents, RB_POLLOUT);
	KEXPECT(p[2].revents, RB_POLLIN);
	KEXPECT(p[3].revents, RB_POLLNVAL);
	KEXPECT(p[4].revents, 0);
	KEXPECT(rb_write(fds[1], "x", 1), 1);
	KEXPECT(rb_poll(p, 1, -1), 1);
	KEXPECT(p[0].revents, RB_POLLIN);
	KEXPECT(rb_close(fds[0]), 0);
	KEXPECT(rb_poll(&p[1], 1, 0), 1);
	KEXPECT(p[1].revents, RB_POLLOUT | RB_POLLERR);
	KEXPECT(rb_close(fds[1]), 0);
	KEXPECT(rb_close(file), 0);
	return 0;
}

static int poll_hup(char *why, size_t n)
{
	int fds[2];
	KEXPECT(rb_pipe(fds, 0), 0);
	struct rb_pollfd p = {fds[0], RB_POLLIN, 0};
	int tid = rb_thread_create(write_x, (void *)(long)fds[1]);
	KCHECK(tid > 0, "thread_create: %d", tid);
	KEXPECT(rb_poll(&p, 1, -1), 1); /* woken by the thread's write */
	KEXPECT(p.revents, RB_POLLIN);
	KEXPECT(rb_thread_join(tid, NULL), 0);
	KEXPECT(rb_close(fds[1]), 0);
	KEXPECT(rb_poll(&p, 1, -1), 1);
	KEXPECT(p.revents, RB_POLLIN | RB_POLLHUP);
	KEXPECT(rb_close(fds[0]), 0);
	return 0;
}

static int poll_timeout(char *why, size_t n)
{
	int fds[2];
	KEXPECT(rb_pipe(fds, 0), 0);
	struct rb_pollfd p = {fds[0], RB_POLLIN, 0};
	KEXPECT(rb_poll(&p, 1, 0), 0);
	KEXPECT(rb_poll(&p, 1, 3000000), 0);
	KEXPECT(p.revents, 0);
	KEXPECT(rb_poll(NULL, 0, 1000000), 0); /* nothing to watch: just the timeout */
	KEXPECT(rb_close(fds[0]), 0);
	KEXPECT(rb_close(fds[1]), 0);
	return 0;
}

static int poll_bad_args(char *why, size_t n)
{
	static struct rb_pollfd many[POLL_LIMIT + 1];
	KEXPECT(rb_poll(kt_bad_ptr(1), 1, 0), -E_FAULT);
	KEXPECT(rb_poll(KERNEL_PTR, 1, 0), -E_FAULT);
	KEXPECT(rb_poll(many, POLL_LIMIT + 1, 0), -E_INVAL);
	KEXPECT(rb_syscall3(SYS_POLL, (long)many, -1L, 0), -E_INVAL);
	for (int i = 0; i < POLL_LIMIT; i++)
		many[i] = (struct rb_pollfd){1, RB_POLLOUT, 0};
	KEXPECT(rb_poll(many, POLL_LIMIT, 0), POLL_LIMIT); /* the console, 1024 times */
	return 0;
}

static int intr_seen, intr_done;

static void on_term(int sig)
{
	__atomic_store_n(&intr_seen, 1, __ATOMIC_RELAXED);
}

/* Send SIGTERM to the process (only the main thread takes it) until told to stop. */
static int term_sender(void *arg)
{
	uint64_t all = 1ull << (RB_SIGTERM - 1);
	rb_sigprocmask(RB_SIG_BLOCK, &all, NULL);
	while (!__atomic_load_n(&intr_done, __ATOMIC_ACQUIRE)) {
		rb_kill(rb_getpid(), RB_SIGTERM);
		rb_sched_yield();
	}
	return 0;
}

static int poll_eintr(char *why, size_t n)
{
	int fds[2];
	KEXPECT(rb_pipe(fds, 0), 0);
	struct rb_sigaction act = {on_term, 0, 0, NULL}, dfl = {RB_SIG_DFL, 0, 0, NULL};
	KEXPECT(rb_sigaction(RB_SIGTERM, &act, NULL), 0);
	intr_done = 0;
	int tid = rb_thread_create(term_sender, NULL);
	KCHECK(tid > 0, "thread_create: %d", tid);
	struct rb_pollfd p = {fds[0], RB_POLLIN, 0};
	int r = rb_poll(&p, 1, -1);
	char c;
	long rr = rb_read(fds[0], &c, 1); /* a blocking read ends the same way */
	long cr = rb_read(0, &c, 1);	  /* and so does one of the console (no input) */
	__atomic_store_n(&intr_done, 1, __ATOMIC_RELEASE);
	KEXPECT(rb_thread_join(tid, NULL), 0);
	KEXPECT(rb_sigaction(RB_SIGTERM, &dfl, NULL), 0);
	KEXPECT(r, -E_INTR);
	KEXPECT(rr, -E_INTR);
	KEXPECT(cr, -E_INTR);
	KEXPECT(intr_seen, 1);
	KEXPECT(rb_close(fds[0]), 0);
	KEXPECT(rb_close(fds[1]), 0);
	return 0;
}

static int ev_write(int efd, int fd, unsigned events, unsigned long long data)
{
	struct rb_event rec = {data, fd, events};
	long r = rb_write(efd, &rec, sizeof rec);
	return r == (long)sizeof rec ? 0 : (int)r;
}

static int event_watch(char *why, size_t n)
{
	int fds[2];
	struct rb_event got[4];
	KEXPECT(rb_pipe(fds, 0), 0);
	int efd = rb_open("event:", RB_O_RDWR | RB_O_NONBLOCK);
	KCHECK(efd >= 0, "open event: %d", efd);
	KEXPECT(ev_write(efd, fds[0], RB_POLLIN, 42), 0);
	KEXPECT(rb_read(efd, got, sizeof got), -E_AGAIN);
	struct rb_pollfd p = {efd, RB_POLLIN, 0};
	KEXPECT(rb_poll(&p, 1, 0), 0);
	KEXPECT(rb_write(fds[1], "x", 1), 1);
	KEXPECT(rb_poll(&p, 1, 0), 1);
	KEXPECT(rb_read(efd, got, sizeof got), sizeof got[0]);
	KEXPECT(got[0].data, 42);
	KEXPECT(got[0].fd, fds[0]);
	KEXPECT(got[0].events, RB_POLLIN);
	KEXPECT(rb_read(efd, got, sizeof got), sizeof got[0]); /* level triggered */
	KEXPECT(ev_write(efd, fds[1], RB_POLLOUT, 7), 0);
	KEXPECT(rb_read(efd, got, sizeof got), 2 * sizeof got[0]);
	KEXPECT(ev_write(efd, fds[1], 0, 0), 0); /* removed */
	KEXPECT(ev_write(efd, fds[1], 0, 0), -E_NOENT);
	char c;
	KEXPECT(rb_read(fds[0], &c, 1), 1);
	KEXPECT(rb_read(efd, got, sizeof got), -E_AGAIN);
	KEXPECT(ev_write(efd, fds[0], RB_POLLIN, 43), 0); /* changed in place */
	KEXPECT(rb_close(fds[1]), 0);			  /* EOF is readable */
	KEXPECT(rb_read(efd, got, sizeof got), sizeof got[0]);
	KEXPECT(got[0].data, 43);
	KEXPECT(got[0].events, RB_POLLIN | RB_POLLHUP);
	KEXPECT(rb_close(fds[0]), 0); /* the watch keeps its file open */
	KEXPECT(rb_read(efd, got, sizeof got), sizeof got[0]);
	KEXPECT(rb_close(efd), 0);
	return 0;
}

static int event_blocking_read(char *why, size_t n)
{
	int fds[2];
	struct rb_event got;
	KEXPECT(rb_pipe(fds, 0), 0);
	int efd = rb_open("event:", RB_O_RDWR);
	KCHECK(efd >= 0, "open event: %d", efd);
	KEXPECT(ev_write(efd, fds[0], RB_POLLIN, 9), 0);
	int tid = rb_thread_create(write_x, (void *)(long)fds[1]);
	KCHECK(tid > 0, "thread_create: %d", tid);
	KEXPECT(rb_read(efd, &got, sizeof got), sizeof got); /* blocks until the write */
	KEXPECT(got.data, 9);
	KEXPECT(rb_thread_join(tid, NULL), 0);
	KEXPECT(rb_close(efd), 0);
	KEXPECT(rb_close(fds[0]), 0);
	KEXPECT(rb_close(fds[1]), 0);
	return 0;
}

#define SCHEME_WAIT_NS (20ull * 1000 * 1000 * 1000) /* bound on every wait of the next case */

struct hup_waiter {
	int fd, efd;
	int poll_r, read_r;
	struct rb_pollfd p;
	struct rb_event ev;
};

static int poll_until_hup(void *arg)
{
	struct hup_waiter *w = arg;
	w->p = (struct rb_pollfd){w->fd, RB_POLLPRI, 0};
	w->poll_r = rb_poll(&w->p, 1, (int64_t)SCHEME_WAIT_NS);
	return 0;
}

static int read_event_until_hup(void *arg)
{
	struct hup_waiter *w = arg;
	w->read_r = (int)rb_read(w->efd, &w->ev, sizeof w->ev);
	return 0;
}

/* A poll and a blocking event: read waiting for POLLPRI on a user-scheme
   file (its server never reports it: the handle has the default
   POLLIN | POLLOUT) end with POLLHUP when the server is killed (the
   poll's bound turns a missed wake-up into a failure). */
static int poll_scheme_dies(char *why, size_t n)
{
	char *argv[] = {"kchild", "ushang", "test-phup", NULL};
	int status = -1, pid = rb_spawn(KCHILD, argv, NULL, NULL, 0);
	KCHECK(pid > 0, "spawn: %d", pid);
	uint64_t end = rb_now_ns() + SCHEME_WAIT_NS;
	struct hup_waiter w = {0};
	while ((w.fd = rb_open("test-phup:x", RB_O_RDWR)) == -E_NOENT && rb_now_ns() < end)
		rb_sched_yield();
	KCHECK(w.fd >= 0, "open: %d %s", w.fd, err_name(w.fd));
	w.efd = rb_open("event:", RB_O_RDWR);
	KCHECK(w.efd >= 0, "open event: %d", w.efd);
	KEXPECT(ev_write(w.efd, w.fd, RB_POLLPRI, 5), 0); /* never reported: IN|OUT only */
	int t1 = rb_thread_create(poll_until_hup, &w);
	int t2 = rb_thread_create(read_event_until_hup, &w);
	KCHECK(t1 > 0 && t2 > 0, "thread_create: %d %d", t1, t2);
	KEXPECT(rb_kill(pid, RB_SIGKILL), 0);
	KEXPECT(rb_waitpid(pid, &status, 0), pid);
	KEXPECT(rb_thread_join(t1, NULL), 0);
	KEXPECT(rb_thread_join(t2, NULL), 0);
	KEXPECT(w.poll_r, 1);
	KEXPECT(w.p.revents, RB_POLLHUP | RB_POLLERR);
	KEXPECT(w.read_r, sizeof w.ev);
	KEXPECT(w.ev.data, 5);
	KEXPECT(w.ev.events, RB_POLLHUP | RB_POLLERR);
	KEXPECT(rb_close(w.efd), 0);
	KEXPECT(rb_close(w.fd), 0);
	return 0;
}

#define EVENT_LIMIT 1024

static int event_bad_args(char *why, size_t n)
{
	int efd = rb_open("event:", RB_O_RDWR | RB_O_NONBLOCK);
	int efd2 = rb_open("event:", RB_O_RDWR);
	KCHECK(efd >= 0 && efd2 >= 0, "open event: %d %d", efd, efd2);
	KEXPECT(ev_write(efd, 60, RB_POLLIN, 0), -E_BADF);
	KEXPECT(ev_write(efd, -1, RB_POLLIN, 0), -E_BADF);
	KEXPECT(ev_write(efd, efd, RB_POLLIN, 0), -E_INVAL);
	KEXPECT(ev_write(efd, efd2, RB_POLLIN, 0), -E_INVAL);
	KEXPECT(rb_write(efd, "abc", 3), -E_INVAL);
	KEXPECT(rb_write(efd, kt_bad_ptr(1), sizeof(struct rb_event)), -E_FAULT);
	KEXPECT(ev_write(efd, 1, RB_POLLOUT, 5), 0); /* the console: always writable */
	char small[4];
	KEXPECT(rb_read(efd, small, sizeof small), -E_INVAL);
	KEXPECT(rb_read(efd, KERNEL_PTR, sizeof(struct rb_event)), -E_FAULT);
	KEXPECT(rb_open("event:/x", RB_O_RDWR), -E_NOENT);
	/* Watch every fd the table gives: all fit below the limit; one more is ENOSPC. */
	int fds[EVENT_LIMIT + 1], nfd = 0, err = 0;
	while (nfd < EVENT_LIMIT + 1 && (fds[nfd] = rb_dup(1)) >= 0)
		nfd++;
	for (int i = 0; i < nfd && !err; i++) {
		int r = ev_write(efd2, fds[i], RB_POLLOUT, 0);
		if (r != (i < EVENT_LIMIT ? 0 : -E_NOSPC))
			err = r ? r : -1;
	}
	for (int i = 0; i < nfd; i++)
		rb_close(fds[i]);
	KEXPECT(err, 0);
	KCHECK(nfd > 8, "only %d fds", nfd);
	KEXPECT(rb_close(efd), 0);
	KEXPECT(rb_close(efd2), 0);
	return 0;
}

static const char kmsg_mark[] = "ktest: kmsg marker 7d1f\n";

static int write_mark(void *arg)
{
	return rb_write(1, kmsg_mark, sizeof kmsg_mark - 1) > 0 ? 0 : 1;
}

/* Read fd to its end; whether the bytes read hold mark. */
static int read_finds(int fd, const char *mark, long *total)
{
	static char buf[4096 + 64];
	size_t keep = 0, ml = strlen(mark);
	int found = 0;
	long r;
	*total = 0;
	while ((r = rb_read(fd, buf + keep, 4096)) > 0) {
		*total += r;
		size_t have = keep + (size_t)r;
		for (size_t i = 0; i + ml <= have && !found; i++)
			found = memcmp(buf + i, mark, ml) == 0;
		keep = have < ml ? have : ml;
		memmove(buf, buf + have - keep, keep);
	}
	return r < 0 ? (int)r : found;
}

static int kmsg_read_poll(char *why, size_t n)
{
	KEXPECT(rb_open("kmsg:", RB_O_WRONLY), -E_ACCES);
	int fd = rb_open("kmsg:", RB_O_RDONLY);
	KCHECK(fd >= 0, "open kmsg: %d", fd);
	long total;
	KEXPECT(read_finds(fd, "ktest: pid 1, starting", &total), 1);
	KCHECK(total > 0, "empty log");
	int tid = rb_thread_create(write_mark, NULL);
	KCHECK(tid > 0, "thread_create: %d", tid);
	struct rb_pollfd p = {fd, RB_POLLIN, 0};
	KEXPECT(rb_poll(&p, 1, -1), 1); /* woken once the log grew */
	KEXPECT(p.revents, RB_POLLIN);
	KEXPECT(rb_thread_join(tid, NULL), 0);
	KEXPECT(rb_read(fd, kt_bad_ptr(1), 64), -E_FAULT); /* and the bytes stay unread */
	KEXPECT(read_finds(fd, "kmsg marker 7d1f", &total), 1);
	KEXPECT(rb_write(fd, "x", 1), -E_BADF);
	KEXPECT(rb_close(fd), 0);
	return 0;
}

static int console_poll(char *why, size_t n)
{
	struct rb_pollfd p[2] = {{0, RB_POLLIN, 0}, {1, RB_POLLOUT, 0}};
	KEXPECT(rb_poll(p, 2, 0), 1);
	KEXPECT(p[0].revents, 0); /* nobody types at ktest */
	KEXPECT(p[1].revents, RB_POLLOUT);
	KEXPECT(rb_poll(p, 1, 25000000), 0); /* still nothing */
	int fd = rb_open("debug:", RB_O_RDONLY | RB_O_NONBLOCK);
	KCHECK(fd >= 0, "open debug: %d", fd);
	char c;
	KEXPECT(rb_read(fd, &c, 1), -E_AGAIN); /* interrupt-driven input: nothing typed */
	KEXPECT(rb_write(fd, "x", 1), -E_BADF);
	KEXPECT(rb_close(fd), 0);
	fd = rb_open("debug:", RB_O_WRONLY);
	KCHECK(fd >= 0, "open debug: %d", fd);
	KEXPECT(rb_read(fd, &c, 1), -E_BADF); /* never a block on a write-only console */
	KEXPECT(rb_close(fd), 0);
	return 0;
}

const struct kcase pipe_cases[] = {
    {"pipe: write, read, fstat, EBADF ends, EOF", pipe_basic},
    {"pipe: bad pointers and flags", pipe_bad_args},
    {"pipe: read blocks until a thread writes", pipe_read_blocks},
    {"pipe: EOF after a child writer exits", pipe_child_writer_eof},
    {"pipe: EPIPE and SIGPIPE, handled and ignored", pipe_epipe_signal},
    {"pipe: SIGPIPE kills a child by default", pipe_sigpipe_kills_child},
    {"pipe: non-blocking EAGAIN both ways", pipe_nonblock},
    {"pipe: a full 64 KiB ring blocks a writer", pipe_full_blocks},
    {"pipe: 4096-byte writes of 4 threads never interleave", pipe_atomic_writes},
    {"poll: pipe ends, a file, a bad fd", poll_mix},
    {"poll: woken by a write, then POLLHUP", poll_hup},
    {"poll: timeouts return 0", poll_timeout},
    {"poll: bad pointers, too many entries", poll_bad_args},
    {"poll, pipe and console reads: a signal gives EINTR", poll_eintr},
    {"event: add, change, remove, level triggered", event_watch},
    {"event: a blocking read wakes on a watched write", event_blocking_read},
    {"event: bad fds, event fds, the watch limit", event_bad_args},
    {"poll and event: waits on a user-scheme file end with POLLHUP when its server dies",
     poll_scheme_dies},
    {"kmsg: read the log, poll wakes when it grows", kmsg_read_poll},
    {"console: poll and a non-blocking read without input", console_poll},
    {NULL, NULL},
};
