/*
 * logring.c - the bounded ring of log lines (see logring.h).
 *
 * The ring is a window on an endless byte stream: stream offset x lives in
 * buf[x % size], and the window [tail, head) holds whole lines only, each
 * ending in '\n' and holding no other '\n' (sanitising sees to that). So
 * the oldest line ends at the first '\n' after tail, and a reader's offset
 * stays valid while it is >= tail. Lines are numbered first_seq ..
 * next_seq - 1. Pure: no state of its own, no locks; the caller owns every
 * structure and serialises the calls on one ring.
 */
#include "base/logring.h"
#include <string.h>
#include "base/err.h"
#include "fmt/fmt.h"

/* Printable ASCII and tab stay; everything else (controls, DEL, 8-bit) is '?'. */
static char sanitise(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c < 0x7f) ? (char)c : '?';
}

int logring_init(struct logring *r, char *buf, size_t size)
{
	if (!buf || size < LOGRING_MIN_SIZE)
		return -E_INVAL;
	*r = (struct logring){.buf = buf, .size = size};
	return 0;
}

void logring_writer_init(struct logring_writer *w, const char *name, size_t len)
{
	size_t n = MIN(len, (size_t)LOGRING_NAME_MAX);
	for (size_t i = 0; i < n; i++)
		w->name[i] = sanitise((unsigned char)name[i]);
	if (n == 0)
		w->name[n++] = '?';
	w->name[n] = '\0';
	w->len = 0;
	w->start_ns = 0;
}

static char byte_at(const struct logring *r, uint64_t off)
{
	return r->buf[off % r->size];
}

static void drop_oldest(struct logring *r)
{
	while (byte_at(r, r->tail) != '\n')
		r->tail++;
	r->tail++;
	r->first_seq++;
	r->dropped++;
}

/* Append one formatted line (len <= LOGRING_LINE_MAX), dropping old ones to make room. */
static void put_line(struct logring *r, const char *line, size_t len)
{
	while (r->size - (r->head - r->tail) < len)
		drop_oldest(r);
	size_t at = r->head % r->size;
	size_t first = MIN(len, r->size - at);
	memcpy(r->buf + at, line, first);
	memcpy(r->buf, line + first, len - first);
	r->head += len;
	r->next_seq++;
}

/* Format and store w's buffered text as one line (with the cut marker if cut). */
static void store(struct logring *r, struct logring_writer *w, bool cut)
{
	char line[LOGRING_LINE_MAX];
	uint64_t us = w->start_ns / 1000;
	int n = fmt_snprintf(line, sizeof line, "[%5llu.%06llu] %s: %.*s%s\n",
			     (unsigned long long)(us / 1000000), (unsigned long long)(us % 1000000),
			     w->name, (int)w->len, w->text, cut ? LOGRING_CUT_MARK : "");
	/* n < sizeof line: 1 + 11 + 1 + 6 + 2 + 31 + 2 + 256 + 6 + 1 bytes at most */
	put_line(r, line, (size_t)n);
	w->len = 0;
}

size_t logring_write(struct logring *r, struct logring_writer *w, const void *data, size_t len,
		     uint64_t now_ns)
{
	const unsigned char *p = data;
	size_t lines = 0;
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n') {
			if (w->len == 0)
				w->start_ns = now_ns;
			store(r, w, false);
			lines++;
			continue;
		}
		if (w->len == LOGRING_TEXT_MAX) {
			store(r, w, true);
			lines++;
		}
		if (w->len == 0)
			w->start_ns = now_ns;
		w->text[w->len++] = sanitise(p[i]);
	}
	return lines;
}

size_t logring_flush(struct logring *r, struct logring_writer *w)
{
	if (w->len == 0)
		return 0;
	store(r, w, false);
	return 1;
}

void logring_reader_oldest(const struct logring *r, struct logring_reader *rd)
{
	*rd = (struct logring_reader){.seq = r->first_seq, .off = r->tail};
}

void logring_reader_newest(const struct logring *r, struct logring_reader *rd)
{
	*rd = (struct logring_reader){.seq = r->next_seq, .off = r->head};
}

bool logring_readable(const struct logring *r, const struct logring_reader *rd)
{
	return rd->seq < r->first_seq || rd->off != r->head;
}

/* The "... N lines dropped" line (after a '\n' if rd was mid-line); its length. */
static size_t drop_note(char *out, size_t n, bool mid, uint64_t lines)
{
	int len = fmt_snprintf(out, n, "%s... %llu lines dropped\n", mid ? "\n" : "",
			       (unsigned long long)lines);
	return (size_t)len; /* < LOGRING_READ_MIN <= n: 1 + 4 + 20 + 15 bytes at most */
}

/* How many of the avail bytes at off to give a reader with room for room: whole lines. */
static size_t whole_lines(const struct logring *r, uint64_t off, size_t avail, size_t room,
			  bool may_split)
{
	if (avail <= room)
		return avail; /* the window ends at a line's end */
	size_t k = room;
	while (k > 0 && byte_at(r, off + k - 1) != '\n')
		k--;
	return k > 0 || !may_split ? k : room;
}

long logring_read(const struct logring *r, struct logring_reader *rd, char *out, size_t n)
{
	if (n < LOGRING_READ_MIN)
		return -E_INVAL;
	size_t pos = 0;
	if (rd->seq < r->first_seq) {
		pos = drop_note(out, n, rd->mid, r->first_seq - rd->seq);
		logring_reader_oldest(r, rd);
	}
	size_t take = whole_lines(r, rd->off, r->head - rd->off, n - pos, pos == 0);
	size_t at = rd->off % r->size;
	size_t first = MIN(take, r->size - at);
	memcpy(out + pos, r->buf + at, first);
	memcpy(out + pos + first, r->buf, take - first);
	for (size_t i = 0; i < take; i++)
		rd->seq += out[pos + i] == '\n';
	if (take > 0)
		rd->mid = out[pos + take - 1] != '\n';
	rd->off += take;
	return (long)(pos + take);
}
