/*
 * logring.h - a bounded ring of log lines, as logd keeps them.
 *
 * Writers hand in chunks of bytes; the ring cuts them into lines and
 * stores each as "[   12.345678] name: text\n" (seconds.microseconds of
 * the monotonic time the line began, the writer's name). A writer's
 * unfinished line waits in its struct logring_writer, at most
 * LOGRING_TEXT_MAX bytes: a longer one is stored with the marker
 * LOGRING_CUT_MARK and the rest starts a new line. Every byte that is not
 * printable ASCII or a tab becomes '?' (names too), so what anyone writes
 * can neither forge a line nor carry a terminal escape code.
 *
 * When a line does not fit, the oldest lines are dropped (and counted).
 * Lines are numbered; a struct logring_reader remembers the next line and
 * byte it will read. A reader whose lines were dropped first gets the line
 * "... N lines dropped", then continues with the oldest line kept. Reads
 * return whole lines, or part of one line when the caller's buffer holds
 * less than that line.
 *
 * Pure: the caller passes the storage (struct logring and its byte
 * buffer, the writers and readers), the time, and holds whatever lock
 * guards them (logd is single-threaded). Shared by user/logd, the host
 * tests and the fuzzer.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define LOGRING_DEFAULT_SIZE 65536
#define LOGRING_TEXT_MAX 256 /* bytes of one line's text before it is cut */
#define LOGRING_NAME_MAX 31  /* bytes of a writer's name */
#define LOGRING_CUT_MARK " [cut]"
#define LOGRING_LINE_MAX 384 /* a stored line's bytes, prefix and '\n' included */
#define LOGRING_MIN_SIZE (2 * LOGRING_LINE_MAX)
#define LOGRING_READ_MIN 64 /* the smallest buffer logring_read accepts */

struct logring {
	char *buf;	    /* the caller's storage, size bytes */
	size_t size;	    /* >= LOGRING_MIN_SIZE */
	uint64_t first_seq; /* number of the oldest line kept */
	uint64_t next_seq;  /* number the next line gets */
	uint64_t tail;	    /* stream offset of the oldest line kept */
	uint64_t head;	    /* stream offset where the next line goes */
	uint64_t dropped;   /* lines dropped since init */
};

struct logring_writer {
	char name[LOGRING_NAME_MAX + 1]; /* sanitised, NUL-terminated */
	char text[LOGRING_TEXT_MAX];	 /* the unfinished line, sanitised */
	size_t len;			 /* bytes in text */
	uint64_t start_ns;		 /* when the unfinished line began */
};

struct logring_reader {
	uint64_t seq; /* the line it reads next (or is in the middle of) */
	uint64_t off; /* stream offset of its next byte */
	bool mid;     /* it has read part of line seq */
};

/* Make r an empty ring over buf[0..size); -E_INVAL if size < LOGRING_MIN_SIZE. */
MUST_CHECK int logring_init(struct logring *r, char *buf, size_t size);

/* Set up w to write as name[0..len) (cut to LOGRING_NAME_MAX, sanitised; "" -> "?"). */
void logring_writer_init(struct logring_writer *w, const char *name, size_t len);

/*
 * Take len bytes a writer wrote at monotonic time now_ns: complete lines
 * go into the ring, the rest waits in w. Returns the lines stored.
 */
size_t logring_write(struct logring *r, struct logring_writer *w, const void *data, size_t len,
		     uint64_t now_ns);

/* Store w's unfinished line, if any (the writer is gone); the lines stored (0 or 1). */
size_t logring_flush(struct logring *r, struct logring_writer *w);

/* Place a reader at the oldest line kept. */
void logring_reader_oldest(const struct logring *r, struct logring_reader *rd);
/* Place a reader after the newest line: it sees only lines stored later. */
void logring_reader_newest(const struct logring *r, struct logring_reader *rd);

/*
 * Copy lines for rd into out[0..n): bytes copied, 0 when rd has read
 * everything, -E_INVAL if n < LOGRING_READ_MIN. Never blocks.
 */
MUST_CHECK long logring_read(const struct logring *r, struct logring_reader *rd, char *out,
			     size_t n);

/* True if logring_read would return more than 0 for rd. */
bool logring_readable(const struct logring *r, const struct logring_reader *rd);
