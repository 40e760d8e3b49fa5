/*
 * fuzz_logring.c - libFuzzer target for the log line ring (logring.c).
 *
 * The input is a script: its first byte picks the ring size, then each
 * step's first byte picks an operation and a writer or reader (three of
 * each): write the next few input bytes, flush, read into a buffer of a
 * size the script picks, or restart a reader at the oldest or the newest
 * line. Checked: the window never exceeds the buffer; every byte a reader
 * gets is printable ASCII, a tab or a newline; every line a reader starts
 * begins with '[' (a stored line) or "... " (the drop note); a read never
 * returns more than asked; the line counts add up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/logring.h"

#define NW 3

struct follower {
	struct logring_reader rd;
	int at_line_start; /* the next byte it gets starts a line */
};

static char store[LOGRING_MIN_SIZE * 8];
static char out[LOGRING_LINE_MAX * 4];

static void check_output(struct follower *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != '\n' && c != '\t' && (c < 0x20 || c > 0x7e))
			abort();
		if (f->at_line_start && c != '[' && c != '.')
			abort();
		if (f->at_line_start && c == '.' && (n - i < 4 || memcmp(s + i, "... ", 4) != 0))
			abort();
		f->at_line_start = c == '\n';
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct logring r;
	struct logring_writer w[NW];
	struct follower f[NW];
	if (size < 1)
		return 0;
	size_t ring_size = LOGRING_MIN_SIZE + (size_t)data[0] * 13;
	if (logring_init(&r, store, ring_size) != 0)
		abort();
	for (int i = 0; i < NW; i++) {
		logring_writer_init(&w[i], (const char *)data, size < 8 ? size : 8);
		logring_reader_oldest(&r, &f[i].rd);
		f[i].at_line_start = 1;
	}
	uint64_t now = 0, stored = 0;
	size_t pos = 1;
	while (pos < size) {
		uint8_t op = data[pos++];
		int k = (op >> 4) % NW;
		size_t arg = pos < size ? data[pos++] : 0;
		now += arg * 997;
		switch (op & 7) {
		case 0:
		case 1: { /* write arg * 3 bytes of what follows */
			size_t n = arg * 3 < size - pos ? arg * 3 : size - pos;
			stored += logring_write(&r, &w[k], data + pos, n, now);
			pos += n;
			break;
		}
		case 2:
			stored += logring_flush(&r, &w[k]);
			break;
		case 3:
		case 4: { /* read into a buffer of arg * 6 bytes (some too small) */
			size_t n = arg * 6;
			long got = logring_read(&r, &f[k].rd, out, n);
			if (n < LOGRING_READ_MIN ? got >= 0 : got < 0 || (size_t)got > n)
				abort();
			if (got > 0)
				check_output(&f[k], out, (size_t)got);
			if (got == 0 && logring_readable(&r, &f[k].rd))
				abort();
			break;
		}
		case 5:
			logring_reader_oldest(&r, &f[k].rd);
			f[k].at_line_start = 1;
			break;
		case 6:
			logring_reader_newest(&r, &f[k].rd);
			f[k].at_line_start = 1;
			break;
		default:
			logring_writer_init(&w[k], (const char *)data + pos,
					    size - pos < 40 ? size - pos : 40);
			break;
		}
		if (r.head - r.tail > r.size || r.next_seq != stored ||
		    r.next_seq - r.first_seq + r.dropped != stored)
			abort();
	}
	return 0;
}
