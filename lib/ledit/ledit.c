/*
 * ledit.c - the line editor's state machine and history (ledit.h,
 * docs/ledit.md).
 *
 * Screen model: the prompt starts at column 0 of some row; byte i of the
 * line sits at screen offset plen + i, that is row (plen + i) / columns,
 * column (plen + i) % columns, rows counted from the prompt's row. The
 * terminal's cursor is always kept at the cell of e->pos. When text ends
 * exactly at a row's right edge, the terminal leaves its cursor on that
 * row (deferred wrap), so the editor then writes "\r\n" to put it where
 * the model says, at the start of the next row. Every change is shown by
 * refresh(): move to the first changed byte, rewrite the tail, clear what
 * the old, longer tail left, move back to pos. Moves use CUU/CUD/CUF/CUB
 * (ESC [ n A/B/C/D) and "\r"; only Ctrl-L, ledit_redraw and a completion
 * list write the prompt again.
 *
 * Ownership: every buffer belongs to the caller; the structs are used by
 * one thread at a time (the caller serialises). No allocation, no I/O.
 */
#include "ledit/ledit.h"
#include <stdint.h>
#include <string.h>

enum { ESC_NONE, ESC_ESC, ESC_CSI, ESC_CSI_REST, ESC_SS3 };

#define CSI_PARAM_MAX 10000u

/* ---------------------------------------------------------------- output */

static void put(struct ledit_out *o, const char *s, size_t n)
{
	size_t room = o->len < o->cap ? o->cap - o->len : 0;
	size_t k = n < room ? n : room;

	if (k)
		memcpy(o->buf + o->len, s, k);
	o->len += k;
	o->lost += n - k;
}

static void put_str(struct ledit_out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* ESC [ n final */
static void put_csi(struct ledit_out *o, size_t n, char final)
{
	char tmp[32];
	size_t i = sizeof tmp;

	tmp[--i] = final;
	do {
		tmp[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n && i > 2);
	tmp[--i] = '[';
	tmp[--i] = '\x1b';
	put(o, tmp + i, sizeof tmp - i);
}

static void bell(struct ledit_out *o)
{
	put(o, "\a", 1);
}

/* ---------------------------------------------------------------- screen */

static size_t row_of(const struct ledit *e, size_t i)
{
	return (e->plen + i) / (size_t)e->columns;
}

static size_t col_of(const struct ledit *e, size_t i)
{
	return (e->plen + i) % (size_t)e->columns;
}

/* Text up to index i was just written: if it ends at a right edge, move to
   the next row's start as the model says (see the opening comment). */
static void fix_wrap(const struct ledit *e, size_t i, struct ledit_out *o)
{
	if (e->plen + i > 0 && col_of(e, i) == 0)
		put(o, "\r\n", 2);
}

/* Move the cursor from the cell of index from to the cell of index to. */
static void move(const struct ledit *e, size_t from, size_t to, struct ledit_out *o)
{
	size_t fr = row_of(e, from), fc = col_of(e, from);
	size_t tr = row_of(e, to), tc = col_of(e, to);

	if (fr == tr) {
		if (tc + 1 == fc)
			put(o, "\b", 1);
		else if (tc < fc)
			put_csi(o, fc - tc, 'D');
		else if (tc > fc)
			put_csi(o, tc - fc, 'C');
		return;
	}
	if (tr < fr)
		put_csi(o, fr - tr, 'A');
	else
		put_csi(o, tr - fr, 'B');
	put(o, "\r", 1);
	if (tc)
		put_csi(o, tc, 'C');
}

/*
 * Show the line after a change: the cursor is at the cell of index cur;
 * bytes from index from on may differ from the screen. Rewrites them,
 * clears the rest of the old text (always when force_clear), and leaves
 * the cursor at pos.
 */
static void refresh(struct ledit *e, size_t cur, size_t from, bool force_clear, struct ledit_out *o)
{
	move(e, cur, from, o);
	put(o, e->line + from, e->len - from);
	if (e->len > from)
		fix_wrap(e, e->len, o);
	if (e->shown > e->len && row_of(e, e->shown) > row_of(e, e->len))
		put_str(o, "\x1b[J");
	else if (e->shown > e->len || force_clear)
		put_str(o, "\x1b[K");
	e->shown = e->len;
	move(e, e->len, e->pos, o);
}

/* The prompt and the whole line, the cursor being at the start of the
   prompt's row; clear: erase old text after them (not needed on a fresh
   row, and then not sent, so a new prompt ends the output as it is). */
static void draw_all(struct ledit *e, bool clear, struct ledit_out *o)
{
	e->drawn = true;
	put(o, e->prompt, e->plen);
	fix_wrap(e, 0, o);
	refresh(e, 0, 0, clear, o);
}

void ledit_redraw(struct ledit *e, struct ledit_out *out)
{
	bool drawn = e->drawn;
	size_t r = drawn ? row_of(e, e->pos) : 0; /* the first call: at a row start */

	if (r)
		put_csi(out, r, 'A');
	put(out, "\r", 1);
	e->shown = e->len; /* the same text: the forced clear covers the rest */
	draw_all(e, drawn || e->len, out);
}

/* --------------------------------------------------------------- editing */

/* Replace line[a..b) with s[0..n) and show it; the cursor ends after the
   new text. False (and nothing changed) when it does not fit. */
static bool replace(struct ledit *e, size_t a, size_t b, const char *s, size_t n,
		    struct ledit_out *o)
{
	size_t cur = e->pos, same = 0;

	if (e->len - (b - a) + n > e->cap - 1)
		return false;
	while (same < n && a + same < b && e->line[a + same] == s[same])
		same++; /* what the screen already shows is not written again */
	memmove(e->line + a + n, e->line + b, e->len - b);
	if (n)
		memcpy(e->line + a, s, n);
	e->len = e->len - (b - a) + n;
	e->line[e->len] = '\0';
	e->pos = a + n;
	refresh(e, cur, a + same < cur ? a + same : cur, false, o);
	return true;
}

/* Replace the whole line with s (truncated to fit), cursor at its end. */
static void set_line(struct ledit *e, const char *s, struct ledit_out *o)
{
	size_t cur = e->pos;
	size_t n = strlen(s);

	if (n > e->cap - 1)
		n = e->cap - 1;
	memmove(e->line, s, n);
	e->line[n] = '\0';
	e->len = n;
	e->pos = n;
	refresh(e, cur, 0, false, o);
}

static void go(struct ledit *e, size_t to, struct ledit_out *o)
{
	move(e, e->pos, to, o);
	e->pos = to;
}

/* Cursor to the end of the line and onto a new row. */
static void finish_row(struct ledit *e, const char *mark, struct ledit_out *o)
{
	go(e, e->len, o);
	put_str(o, mark);
	if (*mark || e->plen + e->len == 0 || col_of(e, e->len) != 0)
		put(o, "\r\n", 2);
}

static void hist_move(struct ledit *e, int dir, struct ledit_out *o)
{
	size_t n = e->hist ? ledit_hist_count(e->hist) : 0;

	if (e->hidx > n)
		e->hidx = n;
	if (dir < 0) {
		if (e->hidx == 0)
			return;
		if (e->hidx == n && e->draft)
			memcpy(e->draft, e->line, e->len + 1);
		e->hidx--;
		set_line(e, ledit_hist_get(e->hist, e->hidx), o);
	} else {
		if (e->hidx >= n)
			return;
		e->hidx++;
		if (e->hidx < n)
			set_line(e, ledit_hist_get(e->hist, e->hidx), o);
		else
			set_line(e, e->draft ? e->draft : "", o);
	}
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static void kill_word(struct ledit *e, struct ledit_out *o)
{
	size_t a = e->pos;

	while (a > 0 && is_space(e->line[a - 1]))
		a--;
	while (a > 0 && !is_space(e->line[a - 1]))
		a--;
	replace(e, a, e->pos, "", 0, o);
}

static void delete_at(struct ledit *e, struct ledit_out *o)
{
	if (e->pos < e->len) {
		size_t p = e->pos;

		replace(e, p, p + 1, "", 0, o);
	}
}

/* A CSI or SS3 sequence ended with final byte f (param: first number). */
static void escape_key(struct ledit *e, char f, unsigned param, struct ledit_out *o)
{
	switch (f) {
	case 'A':
		hist_move(e, -1, o);
		break;
	case 'B':
		hist_move(e, 1, o);
		break;
	case 'C':
		if (e->pos < e->len)
			go(e, e->pos + 1, o);
		break;
	case 'D':
		if (e->pos > 0)
			go(e, e->pos - 1, o);
		break;
	case 'H':
		go(e, 0, o);
		break;
	case 'F':
		go(e, e->len, o);
		break;
	case '~':
		if (param == 1 || param == 7)
			go(e, 0, o);
		else if (param == 4 || param == 8)
			go(e, e->len, o);
		else if (param == 3)
			delete_at(e, o);
		break;
	default:
		break;
	}
}

/* Escape parser: true when c was taken as part of a sequence. */
static bool escape_byte(struct ledit *e, unsigned char c, struct ledit_out *o)
{
	bool in_range = c >= 0x20 && c <= 0x7e;

	switch (e->esc) {
	case ESC_ESC:
		if (c == 0x1b)
			return true;
		if (!in_range)
			break;
		e->esc = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
		e->param = 0;
		return true;
	case ESC_CSI:
	case ESC_CSI_REST:
		if (!in_range)
			break;
		if (c >= '0' && c <= '9' && e->esc == ESC_CSI) {
			e->param = e->param * 10 + (c - '0');
			if (e->param > CSI_PARAM_MAX)
				e->param = CSI_PARAM_MAX;
			return true;
		}
		if (c < 0x40) { /* another parameter or an intermediate byte */
			e->esc = ESC_CSI_REST;
			return true;
		}
		e->esc = ESC_NONE;
		escape_key(e, (char)c, e->param, o);
		return true;
	case ESC_SS3:
		if (!in_range)
			break;
		e->esc = ESC_NONE;
		escape_key(e, (char)c, 0, o);
		return true;
	default:
		return false;
	}
	e->esc = ESC_NONE; /* a control byte ends the sequence and acts */
	return false;
}

void ledit_start(struct ledit *e, char *line, char *draft, size_t cap, const char *prompt,
		 struct ledit_hist *h, int columns)
{
	int after_cr = e->after_cr == 1;

	memset(e, 0, sizeof *e);
	e->after_cr = after_cr;
	e->line = line;
	e->draft = draft;
	e->cap = cap ? cap : 1;
	e->prompt = prompt ? prompt : "";
	e->plen = strlen(e->prompt);
	e->hist = h;
	e->hidx = h ? ledit_hist_count(h) : 0;
	e->columns = columns > 0 ? columns : 80;
	if (cap)
		line[0] = '\0';
}

int ledit_feed(struct ledit *e, unsigned char c, struct ledit_out *out)
{
	int after_cr = e->after_cr;

	e->after_cr = c == '\r';
	if (escape_byte(e, c, out))
		return LEDIT_MORE;
	switch (c) {
	case '\r':
	case '\n':
		if (c == '\n' && after_cr)
			return LEDIT_MORE;
		finish_row(e, "", out);
		return LEDIT_DONE;
	case 0x01: /* Ctrl-A */
		go(e, 0, out);
		break;
	case 0x02: /* Ctrl-B */
		escape_key(e, 'D', 0, out);
		break;
	case 0x03: /* Ctrl-C */
		finish_row(e, "^C", out);
		e->len = e->pos = 0;
		e->line[0] = '\0';
		return LEDIT_INTR;
	case 0x04: /* Ctrl-D */
		if (e->len == 0) {
			put(out, "\r\n", 2);
			return LEDIT_EOF;
		}
		delete_at(e, out);
		break;
	case 0x05: /* Ctrl-E */
		go(e, e->len, out);
		break;
	case 0x06: /* Ctrl-F */
		escape_key(e, 'C', 0, out);
		break;
	case 0x08: /* Ctrl-H */
	case 0x7f:
		if (e->pos > 0) {
			size_t p = e->pos;

			replace(e, p - 1, p, "", 0, out);
		}
		break;
	case '\t':
		return LEDIT_COMPLETE;
	case 0x0b: /* Ctrl-K */
		replace(e, e->pos, e->len, "", 0, out);
		break;
	case 0x0c: /* Ctrl-L */
		put_str(out, "\x1b[H\x1b[2J");
		e->shown = 0;
		draw_all(e, false, out);
		break;
	case 0x0e: /* Ctrl-N */
		hist_move(e, 1, out);
		break;
	case 0x10: /* Ctrl-P */
		hist_move(e, -1, out);
		break;
	case 0x15: /* Ctrl-U */
		replace(e, 0, e->pos, "", 0, out);
		break;
	case 0x17: /* Ctrl-W */
		kill_word(e, out);
		break;
	case 0x1b:
		e->esc = ESC_ESC;
		break;
	default:
		if (c < 0x20)
			break; /* other control bytes do nothing */
		if (!replace(e, e->pos, e->pos, (const char *)&c, 1, out))
			bell(out);
		break;
	}
	return LEDIT_MORE;
}

/* ------------------------------------------------------------ completion */

static bool is_sep(char c)
{
	return is_space(c) || c == '|' || c == ';' || c == '&' || c == '<' || c == '>' ||
	       c == '(' || c == ')';
}

void ledit_word(const struct ledit *e, size_t *start, size_t *len, bool *first)
{
	size_t a = e->pos, b;

	while (a > 0 && !is_sep(e->line[a - 1]))
		a--;
	*start = a;
	*len = e->pos - a;
	b = a;
	while (b > 0 && is_space(e->line[b - 1]))
		b--;
	*first = b == 0 || e->line[b - 1] == '|' || e->line[b - 1] == ';' ||
		 e->line[b - 1] == '&' || e->line[b - 1] == '(';
}

/* The part of a candidate shown in a list: after its last '/' that is not
   the final byte. */
static const char *shown_name(const char *s)
{
	size_t n = strlen(s), i;

	for (i = n > 0 ? n - 1 : 0; i > 0; i--)
		if (s[i - 1] == '/')
			return s + i;
	return s;
}

static void list(struct ledit *e, const char *const *cands, size_t n, struct ledit_out *o)
{
	size_t w = 0, per_row, i;

	for (i = 0; i < n; i++) {
		size_t l = strlen(shown_name(cands[i]));

		if (l > w)
			w = l;
	}
	w += 2;
	per_row = (size_t)e->columns / w;
	if (per_row == 0)
		per_row = 1;
	finish_row(e, "", o);
	for (i = 0; i < n; i++) {
		const char *s = shown_name(cands[i]);
		bool last = i + 1 == n || (i + 1) % per_row == 0;

		put_str(o, s);
		if (last) {
			put(o, "\r\n", 2);
		} else {
			for (size_t k = strlen(s); k < w; k++)
				put(o, " ", 1);
		}
	}
	e->shown = 0;
	draw_all(e, false, o);
}

void ledit_complete(struct ledit *e, const char *const *cands, size_t n, struct ledit_out *out)
{
	size_t start, wlen, common, i;
	bool first;

	ledit_word(e, &start, &wlen, &first);
	if (n == 0) {
		bell(out);
		return;
	}
	common = strlen(cands[0]);
	for (i = 1; i < n; i++) {
		size_t k = 0;

		while (k < common && cands[i][k] == cands[0][k])
			k++;
		common = k;
	}
	for (i = 0; i < n && cands[i][common] == '\0'; i++)
		;
	if (i == n) { /* one candidate, or several equal ones */
		size_t l = common;
		char buf[2] = {0};

		if (!replace(e, start, e->pos, cands[0], l, out)) {
			bell(out);
			return;
		}
		if (l == 0 || cands[0][l - 1] != '/') {
			buf[0] = ' ';
			if (!replace(e, e->pos, e->pos, buf, 1, out))
				bell(out);
		}
		return;
	}
	if (common > wlen && memcmp(cands[0], e->line + start, wlen) == 0) {
		if (!replace(e, start, e->pos, cands[0], common, out))
			bell(out);
		return;
	}
	list(e, cands, n, out);
}

/* --------------------------------------------------------------- history */

void ledit_hist_init(struct ledit_hist *h, char *storage, size_t cap)
{
	h->buf = storage;
	h->cap = cap;
	h->used = 0;
	h->count = 0;
}

size_t ledit_hist_count(const struct ledit_hist *h)
{
	return h->count;
}

const char *ledit_hist_get(const struct ledit_hist *h, size_t i)
{
	size_t off = 0;

	if (i >= h->count)
		return NULL;
	while (i--)
		off += strlen(h->buf + off) + 1;
	return h->buf + off;
}

static void hist_drop_oldest(struct ledit_hist *h)
{
	size_t n = strlen(h->buf) + 1;

	memmove(h->buf, h->buf + n, h->used - n);
	h->used -= n;
	h->count--;
}

void ledit_hist_add(struct ledit_hist *h, const char *line)
{
	size_t n = strlen(line) + 1;

	if (n == 1 || n > h->cap)
		return;
	if ((uintptr_t)line - (uintptr_t)h->buf < h->cap)
		return; /* one of its own entries: dropping old ones would move it */
	if (h->count && strcmp(ledit_hist_get(h, h->count - 1), line) == 0)
		return;
	while (h->used + n > h->cap)
		hist_drop_oldest(h);
	memcpy(h->buf + h->used, line, n);
	h->used += n;
	h->count++;
}
