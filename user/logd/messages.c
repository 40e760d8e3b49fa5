/*
 * messages.c - logd's copy of the log in /var/log/messages.
 *
 * One thread reads the ring with its own reader (from the oldest line, so
 * what was logged before file: existed is written once it does) and
 * appends to "file:/var/log/messages" (O_CREAT | O_APPEND | O_WRONLY),
 * served by ramfsd. It runs beside the log: loop so that a slow or blocked
 * file: server can never stop logd from answering, and a server that logs
 * while logd waits for it cannot deadlock the two. While file: is missing
 * (or fails a write), lines stay only in the ring, and the thread tries
 * to open the file again when a new line comes, at most once per second;
 * a reader that fell behind gets logring's "... N lines dropped" line.
 *
 * The reader and the file's fd belong to this thread alone; the ring is
 * read under log_lock, the file is written without it.
 */
#include "logd.h"
#include "rb/sys.h"

#define MESSAGES_PATH "file:/var/log/messages"
#define RETRY_NS 1000000000ull

static struct logring_reader reader;
static char chunk[4096];

static int open_messages(void)
{
	rb_mkdir("file:/var"); /* EEXIST is fine; any other error shows in the open */
	rb_mkdir("file:/var/log");
	return rb_open(MESSAGES_PATH, RB_O_CREAT | RB_O_APPEND | RB_O_WRONLY);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		long w = rb_write(fd, p, n);
		if (w == -E_INTR)
			continue;
		if (w <= 0)
			return w < 0 ? (int)w : -E_IO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy what the ring holds for our reader to fd; 0, or the write's error. */
static int copy_out(int fd)
{
	for (;;) {
		rb_mutex_lock(&log_lock);
		long n = logring_read(&log_ring, &reader, chunk, sizeof chunk);
		rb_mutex_unlock(&log_lock);
		if (n <= 0)
			return 0;
		int err = write_all(fd, chunk, (size_t)n);
		if (err < 0)
			return err;
	}
}

/* Whether to try opening the file now: a line came since the last try, a second ago or more. */
static bool time_to_try(uint32_t gen, uint32_t tried_gen, bool tried, uint64_t now,
			uint64_t last_try)
{
	return !tried || (gen != tried_gen && now - last_try >= RETRY_NS);
}

static int messages_main(void *arg)
{
	int fd = -1;
	uint64_t last_try = 0;
	uint32_t tried_gen = 0;
	bool tried = false;
	for (;;) {
		uint32_t gen = __atomic_load_n(&log_gen, __ATOMIC_ACQUIRE);
		rb_mutex_lock(&log_lock);
		bool pending = logring_readable(&log_ring, &reader);
		rb_mutex_unlock(&log_lock);
		uint64_t now = rb_now_ns();
		if (pending && fd < 0 && time_to_try(gen, tried_gen, tried, now, last_try)) {
			tried = true;
			tried_gen = gen;
			last_try = now;
			fd = open_messages();
			if (fd < 0)
				fd = -1;
		}
		if (pending && fd >= 0) {
			if (copy_out(fd) < 0) { /* file: went away or is full: reopen later */
				rb_close(fd);
				fd = -1;
			}
			continue;
		}
		uint64_t timeout = 0; /* sleep until the next line */
		if (pending &&
		    gen != tried_gen) /* a line came too soon after a try: wait out the second */
			timeout = RETRY_NS - (now - last_try);
		rb_futex_wait(&log_gen, gen, timeout);
	}
	return 0;
}

int messages_start(void)
{
	rb_mutex_lock(&log_lock);
	logring_reader_oldest(&log_ring, &reader);
	rb_mutex_unlock(&log_lock);
	int tid = rb_thread_create(messages_main, NULL);
	return tid < 0 ? tid : 0;
}

void messages_kick(void)
{
	__atomic_add_fetch(&log_gen, 1, __ATOMIC_RELEASE);
	rb_futex_wake(&log_gen, 1);
}
