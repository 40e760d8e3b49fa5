/*
 * ttyline.c - one typed line, byte by byte (see ttyline.h). Pure: the
 * state is the caller's struct ttyline, the line the caller's buffer.
 */
#include "ttyline/ttyline.h"

#define CTRL_D 0x04
#define CTRL_U 0x15
#define BS 0x08
#define DEL 0x7f
#define ESC 0x1b

void ttyline_start(struct ttyline *t, char *buf, size_t cap, bool echo, bool skip_lf)
{
	t->buf = buf;
	t->cap = cap;
	t->len = 0;
	t->echo = echo;
	t->too_long = false;
	t->skip_lf = skip_lf;
	t->esc = 0;
	buf[0] = '\0';
}

bool ttyline_ended_cr(const struct ttyline *t)
{
	return t->skip_lf;
}

/* Append "\b \b" (erase one echoed byte) to out. */
static void erase_one(const struct ttyline *t, char *out, size_t *nout)
{
	if (!t->echo)
		return;
	out[(*nout)++] = '\b';
	out[(*nout)++] = ' ';
	out[(*nout)++] = '\b';
}

enum ttyline_result ttyline_feed(struct ttyline *t, unsigned char c, char *out, size_t *nout)
{
	*nout = 0;
	bool skip = t->skip_lf;
	t->skip_lf = false;
	if (t->esc == 1) { /* the byte after ESC */
		t->esc = c == '[' || c == 'O' ? 2 : 0;
		return TTYLINE_MORE;
	}
	if (t->esc == 2) { /* parameters until the final byte */
		if (c >= 0x40 && c <= 0x7e)
			t->esc = 0;
		return TTYLINE_MORE;
	}
	switch (c) {
	case '\n':
		if (skip && t->len == 0)
			return TTYLINE_MORE; /* the LF of a CR LF */
					     /* fall through */
	case '\r':
		t->skip_lf = c == '\r';
		t->buf[t->len] = '\0';
		out[(*nout)++] = '\n';
		return TTYLINE_DONE;
	case BS:
	case DEL:
		if (t->len) {
			t->len--;
			erase_one(t, out, nout);
		}
		t->buf[t->len] = '\0';
		return TTYLINE_MORE;
	case CTRL_U: /* kill the line: "^U" and a fresh line (erasing it all would not fit out) */
		t->len = 0;
		t->buf[0] = '\0';
		if (t->echo) {
			out[(*nout)++] = '^';
			out[(*nout)++] = 'U';
			out[(*nout)++] = '\n';
		}
		return TTYLINE_MORE;
	case CTRL_D:
		return t->len == 0 ? TTYLINE_EOF : TTYLINE_MORE;
	case ESC:
		t->esc = 1;
		return TTYLINE_MORE;
	default:
		break;
	}
	if (c < 0x20)
		return TTYLINE_MORE; /* other control bytes are ignored */
	if (t->len + 1 >= t->cap) {
		t->too_long = true;
		return TTYLINE_MORE;
	}
	t->buf[t->len++] = (char)c;
	t->buf[t->len] = '\0';
	if (t->echo)
		out[(*nout)++] = (char)c;
	return TTYLINE_MORE;
}
