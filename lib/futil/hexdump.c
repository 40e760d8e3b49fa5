/*
 * hexdump.c - hexdump's two line formats and util-linux's squeezing of
 * repeated lines (futil.h). Pure: the caller owns each struct hexdump and
 * its emit function; no state of its own, no locks.
 */
#include <string.h>
#include "futil/futil.h"

static const char hexdig[] = "0123456789abcdef";

/* Write v as exactly width lower-case hex digits (more if v needs them). */
static size_t put_hex(char *out, uint64_t v, int width)
{
	char tmp[16];
	int n = 0;
	do {
		tmp[n++] = hexdig[v & 15];
		v >>= 4;
	} while (v && n < 16);
	while (n < width)
		tmp[n++] = '0';
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return (size_t)n;
}

static size_t put_spaces(char *out, size_t n)
{
	memset(out, ' ', n);
	return n;
}

size_t hexdump_format_line(bool canon, uint64_t off, const uint8_t *b, size_t n, char *out)
{
	size_t len;
	if (n > 16)
		n = 16;
	if (canon) {
		len = put_hex(out, off, 8);
		len += put_spaces(out + len, 1);
		for (size_t i = 0; i < 16; i++) {
			out[len++] = ' ';
			if (i == 8)
				out[len++] = ' ';
			if (i < n) {
				len += put_hex(out + len, b[i], 2);
			} else {
				len += put_spaces(out + len, 2);
			}
		}
		out[len++] = ' ';
		out[len++] = ' ';
		out[len++] = '|';
		for (size_t i = 0; i < n; i++)
			out[len++] = (b[i] >= 0x20 && b[i] < 0x7f) ? (char)b[i] : '.';
		out[len++] = '|';
	} else {
		len = put_hex(out, off, 7);
		for (size_t i = 0; i < 16; i += 2) {
			out[len++] = ' ';
			if (i < n) {
				unsigned w = b[i] | (i + 1 < n ? (unsigned)b[i + 1] << 8 : 0);
				len += put_hex(out + len, w, 4);
			} else {
				len += put_spaces(out + len, 4);
			}
		}
	}
	out[len++] = '\n';
	out[len] = '\0';
	return len;
}

size_t hexdump_format_end(bool canon, uint64_t off, char *out)
{
	size_t len = put_hex(out, off, canon ? 8 : 7);
	out[len++] = '\n';
	out[len] = '\0';
	return len;
}

void hexdump_init(struct hexdump *h, bool canon, hexdump_emit_fn emit, void *ctx)
{
	memset(h, 0, sizeof *h);
	h->canon = canon;
	h->emit = emit;
	h->ctx = ctx;
}

/* Print (or squeeze) the line in h->line[0..fill) and move past it. */
static void flush_line(struct hexdump *h)
{
	char buf[HEXDUMP_LINE_MAX];
	bool full = h->fill == 16;
	if (full && h->have_prev && !memcmp(h->line, h->prev, 16)) {
		if (!h->starred)
			h->emit(h->ctx, "*\n", 2);
		h->starred = true;
	} else {
		size_t n = hexdump_format_line(h->canon, h->off, h->line, h->fill, buf);
		h->emit(h->ctx, buf, n);
		h->starred = false;
	}
	if (full) {
		memcpy(h->prev, h->line, 16);
		h->have_prev = true;
	}
	h->off += h->fill;
	h->fill = 0;
}

void hexdump_feed(struct hexdump *h, const void *data, size_t len)
{
	const uint8_t *p = data;
	while (len) {
		size_t take = 16 - h->fill;
		if (take > len)
			take = len;
		memcpy(h->line + h->fill, p, take);
		h->fill += take;
		p += take;
		len -= take;
		if (h->fill == 16)
			flush_line(h);
	}
}

void hexdump_finish(struct hexdump *h)
{
	char buf[HEXDUMP_LINE_MAX];
	if (h->fill)
		flush_line(h);
	if (h->off == 0)
		return;
	size_t n = hexdump_format_end(h->canon, h->off, buf);
	h->emit(h->ctx, buf, n);
}
