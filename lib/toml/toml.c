/*
 * toml.c - the TOML-subset reader (see toml.h for what it accepts).
 *
 * A recursive-descent parser over the text, one pass, no backtracking:
 * a line is blank, a comment, a [header], a [[header]] or "key = value".
 * Nodes are taken from the caller's array in order and linked into their
 * parent's child list; keys and strings are decoded into the caller's byte
 * buffer. Tables remember how they were made (flags below), which is what
 * TOML's redefinition rules need: a table named by [a.b] is implicit in a
 * until [a] defines it; a header may define a table once; a dotted key may
 * only extend tables made by dotted keys. Recursion is bounded by
 * TOML_MAX_DEPTH (arrays); a key path is decoded into a fixed array on the
 * stack before any node is made.
 *
 * Reading the document back (lookups, typed getters, error text) is in
 * lookup.c.
 *
 * Pure: no allocation, no locks; the caller owns the document's storage.
 */
#include <stdarg.h>
#include <string.h>
#include "base/err.h"
#include "base/hex.h"
#include "fmt/fmt.h"
#include "toml/toml.h"

enum {
	T_IMPLICIT = 1, /* made as a parent of a [header]; a later [header] may define it */
	T_HEADER = 2,	/* defined by a [header] or a [[header]] element */
	T_DOTTED = 4,	/* made by a dotted key */
	T_AOT = 8,	/* an array made by [[header]] */
};

struct parser {
	struct toml_doc *doc;
	const char *s;
	size_t len, pos;
	unsigned line;
	size_t line_start;
	struct toml_node *table; /* where key = value lines go */
};

struct key_part {
	char name[TOML_KEY_MAX + 1];
	unsigned line, col;
};

struct key_path {
	struct key_part part[TOML_MAX_DEPTH];
	size_t n;
};

/* A destination for decoded bytes: the document's buffer or a key. */
struct sink {
	char *buf;
	size_t cap, n; /* cap excludes the NUL */
};

static int fail_at(struct parser *p, unsigned line, unsigned col, int e, const char *fmt, ...)
    PRINTF_LIKE(5, 6);

static int fail_at(struct parser *p, unsigned line, unsigned col, int e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	p->doc->err.line = line;
	p->doc->err.col = col;
	fmt_vsnprintf(p->doc->err.msg, sizeof p->doc->err.msg, fmt, ap);
	va_end(ap);
	return -e;
}

static unsigned col_of(const struct parser *p)
{
	return (unsigned)(p->pos - p->line_start + 1);
}

#define FAIL(p, ...) fail_at(p, (p)->line, col_of(p), E_INVAL, __VA_ARGS__)

static bool at_end(const struct parser *p)
{
	return p->pos >= p->len;
}

static char peek(const struct parser *p)
{
	return at_end(p) ? '\0' : p->s[p->pos];
}

static char peek_at(const struct parser *p, size_t ahead)
{
	return p->pos + ahead < p->len ? p->s[p->pos + ahead] : '\0';
}

static bool is_ctl(char c)
{
	unsigned char u = (unsigned char)c;
	return (u < 0x20 && c != '\t') || u == 0x7f;
}

static bool is_bare(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void skip_ws(struct parser *p)
{
	while (!at_end(p) && (peek(p) == ' ' || peek(p) == '\t'))
		p->pos++;
}

/* At a newline ("\n" or "\r\n"): consume it. 1 if one was there, 0 if not, <0 on a lone CR. */
static int take_newline(struct parser *p)
{
	if (peek(p) == '\r') {
		if (peek_at(p, 1) != '\n')
			return FAIL(p, "a carriage return must be followed by a newline");
		p->pos++;
	}
	if (peek(p) != '\n')
		return 0;
	p->pos++;
	p->line++;
	p->line_start = p->pos;
	return 1;
}

/* At '#': skip the comment up to (not over) the line end. */
static int skip_comment(struct parser *p)
{
	while (!at_end(p) && peek(p) != '\n' && peek(p) != '\r') {
		if (is_ctl(peek(p)))
			return FAIL(p, "control character in a comment");
		p->pos++;
	}
	return 0;
}

/* After a header or a key/value: blanks, a comment, then a newline or the end. */
static int end_line(struct parser *p)
{
	skip_ws(p);
	if (peek(p) == '#') {
		int r = skip_comment(p);
		if (r < 0)
			return r;
	}
	if (at_end(p))
		return 0;
	int r = take_newline(p);
	if (r < 0)
		return r;
	return r ? 0 : FAIL(p, "expected the end of the line");
}

/* Blanks, comments and newlines, as between the elements of an array. */
static int skip_ws_lines(struct parser *p)
{
	for (;;) {
		skip_ws(p);
		if (peek(p) == '#') {
			int r = skip_comment(p);
			if (r < 0)
				return r;
		}
		int r = take_newline(p);
		if (r <= 0)
			return r;
	}
}

/* ---------------------------------------------------------------- nodes */

static struct toml_node *new_node(struct parser *p, struct toml_node *parent, enum toml_type type,
				  const char *key, unsigned line, unsigned col)
{
	struct toml_doc *d = p->doc;
	if (d->used == d->cap) {
		fail_at(p, line, col, E_NOSPC, "too many values");
		return NULL;
	}
	const char *k = NULL;
	if (key) {
		size_t n = strlen(key) + 1;
		if (d->buf_cap - d->buf_used < n) {
			fail_at(p, line, col, E_NOSPC, "out of string space");
			return NULL;
		}
		memcpy(d->buf + d->buf_used, key, n);
		k = d->buf + d->buf_used;
		d->buf_used += n;
	}
	struct toml_node *nd = &d->nodes[d->used++];
	memset(nd, 0, sizeof *nd);
	nd->type = type;
	nd->key = k;
	nd->line = line;
	nd->col = col;
	nd->parent = parent;
	if (parent->last)
		parent->last->next = nd;
	else
		parent->child = nd;
	parent->last = nd;
	parent->len++;
	return nd;
}

static struct toml_node *find(const struct toml_node *table, const char *key)
{
	for (struct toml_node *c = table->child; c; c = c->next)
		if (strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

/* ---------------------------------------------------------------- strings */

static bool put(struct sink *k, char c)
{
	if (k->n == k->cap)
		return false;
	k->buf[k->n++] = c;
	return true;
}

/* Encode code point cp as UTF-8 into k; false if k is full. */
static bool put_utf8(struct sink *k, uint32_t cp)
{
	if (cp < 0x80)
		return put(k, (char)cp);
	if (cp < 0x800)
		return put(k, (char)(0xc0 | cp >> 6)) && put(k, (char)(0x80 | (cp & 0x3f)));
	if (cp < 0x10000)
		return put(k, (char)(0xe0 | cp >> 12)) && put(k, (char)(0x80 | (cp >> 6 & 0x3f))) &&
		       put(k, (char)(0x80 | (cp & 0x3f)));
	return put(k, (char)(0xf0 | cp >> 18)) && put(k, (char)(0x80 | (cp >> 12 & 0x3f))) &&
	       put(k, (char)(0x80 | (cp >> 6 & 0x3f))) && put(k, (char)(0x80 | (cp & 0x3f)));
}

/* At the 'u' or 'U' of an escape: decode its digits into k. */
static int unicode_escape(struct parser *p, struct sink *k, bool *full)
{
	size_t digits = peek(p) == 'u' ? 4 : 8;
	unsigned col = col_of(p) - 1;
	uint32_t cp = 0;
	p->pos++;
	for (size_t i = 0; i < digits; i++) {
		int h = hex_digit(peek(p));
		if (h < 0)
			return FAIL(p, "expected a hex digit in a unicode escape");
		if (cp > 0x10ffff) /* keep it from wrapping; refused below */
			cp = 0x110000;
		cp = cp * 16 + (uint32_t)h;
		p->pos++;
	}
	if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return fail_at(p, p->line, col, E_INVAL, "invalid unicode escape");
	*full = !put_utf8(k, cp);
	return 0;
}

/* At the '\\' of an escape in a basic string: decode it into k. */
static int escape(struct parser *p, struct sink *k, bool *full)
{
	p->pos++;
	char c = peek(p), out;
	switch (c) {
	case 'b':
		out = '\b';
		break;
	case 't':
		out = '\t';
		break;
	case 'n':
		out = '\n';
		break;
	case 'f':
		out = '\f';
		break;
	case 'r':
		out = '\r';
		break;
	case '"':
	case '\\':
		out = c;
		break;
	case 'u':
	case 'U':
		return unicode_escape(p, k, full);
	default:
		p->pos--;
		return FAIL(p, "invalid escape in a string");
	}
	p->pos++;
	*full = !put(k, out);
	return 0;
}

/*
 * At the opening quote of a basic ("...") or literal ('...') string: decode
 * it into k. what ("string" or "key") names it in the error for a full k.
 */
static int quoted(struct parser *p, struct sink *k, const char *what)
{
	char q = peek(p);
	unsigned line = p->line, col = col_of(p);
	if (peek_at(p, 1) == q && peek_at(p, 2) == q)
		return FAIL(p, "multi-line strings are not supported");
	p->pos++;
	for (;;) {
		char c = peek(p);
		bool full = false;
		if (at_end(p) || c == '\n' || c == '\r')
			return fail_at(p, line, col, E_INVAL, "unterminated %s", what);
		if (c == q) {
			p->pos++;
			k->buf[k->n] = '\0';
			return 0;
		}
		if (c == '\\' && q == '"') {
			int r = escape(p, k, &full);
			if (r < 0)
				return r;
		} else if (is_ctl(c)) {
			return FAIL(p, "control character in a %s", what);
		} else {
			full = !put(k, c);
			p->pos++;
		}
		if (full && what[0] == 'k')
			return fail_at(p, line, col, E_INVAL, "key too long");
		if (full)
			return fail_at(p, line, col, E_NOSPC, "out of string space");
	}
}

/* ---------------------------------------------------------------- keys */

static int simple_key(struct parser *p, struct key_part *kp)
{
	struct sink k = {kp->name, TOML_KEY_MAX, 0};
	kp->line = p->line;
	kp->col = col_of(p);
	if (peek(p) == '"' || peek(p) == '\'')
		return quoted(p, &k, "key");
	while (!at_end(p) && is_bare(peek(p))) {
		if (!put(&k, peek(p)))
			return fail_at(p, kp->line, kp->col, E_INVAL, "key too long");
		p->pos++;
	}
	if (k.n == 0)
		return FAIL(p, "expected a key");
	kp->name[k.n] = '\0';
	return 0;
}

/* A key of one or more parts joined by '.', blanks allowed around the dots. */
static int key_path(struct parser *p, struct key_path *kp)
{
	kp->n = 0;
	for (;;) {
		skip_ws(p);
		if (kp->n == TOML_MAX_DEPTH)
			return FAIL(p, "key has too many parts");
		int r = simple_key(p, &kp->part[kp->n]);
		if (r < 0)
			return r;
		kp->n++;
		skip_ws(p);
		if (peek(p) != '.')
			return 0;
		p->pos++;
	}
}

/* ---------------------------------------------------------------- values */

static int value(struct parser *p, struct toml_node *nd, unsigned depth);

static int string_value(struct parser *p, struct toml_node *nd)
{
	struct toml_doc *d = p->doc;
	if (d->buf_used == d->buf_cap)
		return fail_at(p, p->line, col_of(p), E_NOSPC, "out of string space");
	struct sink k = {d->buf + d->buf_used, d->buf_cap - d->buf_used - 1, 0};
	int r = quoted(p, &k, "string");
	if (r < 0)
		return r;
	nd->type = TOML_STRING;
	nd->v.s = k.buf;
	nd->len = k.n;
	d->buf_used += k.n + 1;
	return 0;
}

/* True if c may follow a value: a blank, a line end, a comment, ',' or ']'. */
static bool ends_value(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '#' ||
	       c == ',' || c == ']';
}

/* What a number-like token that is not a decimal integer is, for the message. */
static int not_integer(struct parser *p)
{
	char c = peek(p);
	if (c == '.' || c == 'e' || c == 'E')
		return FAIL(p, "floats are not supported");
	if (c == ':' || c == '-' || c == 'T')
		return FAIL(p, "dates are not supported");
	return FAIL(p, "expected the end of the value");
}

/* A decimal integer: sign, digits with single '_' between them, no leading zero. */
static int integer(struct parser *p, struct toml_node *nd)
{
	unsigned line = p->line, col = col_of(p);
	bool neg = peek(p) == '-';
	if (peek(p) == '+' || peek(p) == '-')
		p->pos++;
	if (!is_digit(peek(p)))
		return FAIL(p, "expected a digit");
	if (peek(p) == '0' &&
	    (peek_at(p, 1) == 'x' || peek_at(p, 1) == 'o' || peek_at(p, 1) == 'b'))
		return FAIL(p, "only decimal integers are supported");
	if (peek(p) == '0' && (is_digit(peek_at(p, 1)) || peek_at(p, 1) == '_'))
		return FAIL(p, "leading zeros are not allowed");
	uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, v = 0;
	bool overflow = false;
	for (;;) {
		char c = peek(p);
		if (c == '_') {
			if (!is_digit(peek_at(p, 1)))
				return FAIL(p, "'_' must stand between digits");
			p->pos++;
			continue;
		}
		if (!is_digit(c))
			break;
		uint64_t dv = (uint64_t)(c - '0');
		if (v > (limit - dv) / 10)
			overflow = true;
		else
			v = v * 10 + dv;
		p->pos++;
	}
	if (!ends_value(peek(p)))
		return not_integer(p);
	if (overflow)
		return fail_at(p, line, col, E_INVAL, "integer out of range");
	nd->type = TOML_INT;
	nd->v.i = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

static bool word(struct parser *p, const char *w)
{
	size_t n = strlen(w);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, w, n) != 0)
		return false;
	if (p->pos + n < p->len && !ends_value(p->s[p->pos + n]))
		return false;
	p->pos += n;
	return true;
}

static int array(struct parser *p, struct toml_node *nd, unsigned depth)
{
	if (depth >= TOML_MAX_DEPTH)
		return FAIL(p, "arrays nested too deeply");
	nd->type = TOML_ARRAY;
	p->pos++; /* '[' */
	for (;;) {
		int r = skip_ws_lines(p);
		if (r < 0)
			return r;
		if (peek(p) == ']')
			break;
		if (at_end(p))
			return FAIL(p, "unterminated array");
		struct toml_node *el = new_node(p, nd, TOML_BOOL, NULL, p->line, col_of(p));
		if (!el)
			return -E_NOSPC;
		if ((r = value(p, el, depth + 1)) < 0 || (r = skip_ws_lines(p)) < 0)
			return r;
		if (peek(p) == ',') {
			p->pos++;
			continue;
		}
		if (peek(p) != ']')
			return at_end(p) ? FAIL(p, "unterminated array")
					 : FAIL(p, "expected ',' or ']' in an array");
		break;
	}
	p->pos++; /* ']' */
	return 0;
}

/* The value at the cursor into nd (its type is set here); depth counts enclosing arrays. */
static int value(struct parser *p, struct toml_node *nd, unsigned depth)
{
	char c = peek(p);
	if (c == '"' || c == '\'')
		return string_value(p, nd);
	if (c == '[')
		return array(p, nd, depth);
	if (c == '{')
		return FAIL(p, "inline tables are not supported");
	if (is_digit(c) || c == '+' || c == '-')
		return integer(p, nd);
	nd->type = TOML_BOOL;
	unsigned col = col_of(p);
	if (word(p, "true")) {
		nd->v.b = true;
		return 0;
	}
	if (word(p, "false")) {
		nd->v.b = false;
		return 0;
	}
	if (word(p, "inf") || word(p, "nan"))
		return fail_at(p, p->line, col, E_INVAL, "floats are not supported");
	return FAIL(p, "expected a value");
}

/* ---------------------------------------------------------------- lines */

static int key_value(struct parser *p)
{
	struct key_path kp;
	int r = key_path(p, &kp);
	if (r < 0)
		return r;
	if (peek(p) != '=')
		return FAIL(p, "expected '=' after a key");
	p->pos++;
	skip_ws(p);
	struct toml_node *t = p->table;
	for (size_t i = 0; i + 1 < kp.n; i++) {
		const struct key_part *kq = &kp.part[i];
		struct toml_node *c = find(t, kq->name);
		if (!c)
			c = new_node(p, t, TOML_TABLE, kq->name, kq->line, kq->col);
		else if (c->type != TOML_TABLE || !(c->flags & T_DOTTED))
			return fail_at(p, kq->line, kq->col, E_INVAL, "key '%s' is already defined",
				       kq->name);
		if (!c)
			return -E_NOSPC;
		c->flags |= T_DOTTED;
		t = c;
	}
	const struct key_part *last = &kp.part[kp.n - 1];
	if (find(t, last->name))
		return fail_at(p, last->line, last->col, E_INVAL, "duplicate key '%s'", last->name);
	struct toml_node *nd = new_node(p, t, TOML_BOOL, last->name, last->line, last->col);
	if (!nd)
		return -E_NOSPC;
	if (at_end(p) || peek(p) == '\n' || peek(p) == '\r' || peek(p) == '#')
		return FAIL(p, "expected a value after '='");
	return value(p, nd, 0);
}

/* Walk (making implicit tables) to the table that holds the last part of a header's key. */
static int header_parent(struct parser *p, const struct key_path *kp, struct toml_node **out)
{
	struct toml_node *t = &p->doc->nodes[0];
	for (size_t i = 0; i + 1 < kp->n; i++) {
		const struct key_part *kq = &kp->part[i];
		struct toml_node *c = find(t, kq->name);
		if (!c) {
			c = new_node(p, t, TOML_TABLE, kq->name, kq->line, kq->col);
			if (!c)
				return -E_NOSPC;
			c->flags = T_IMPLICIT;
		} else if (c->type == TOML_ARRAY && (c->flags & T_AOT)) {
			c = c->last;
		} else if (c->type != TOML_TABLE) {
			return fail_at(p, kq->line, kq->col, E_INVAL, "key '%s' is not a table",
				       kq->name);
		}
		t = c;
	}
	*out = t;
	return 0;
}

/* A [table] or [[array-of-tables]] header: it becomes the current table. */
static int header(struct parser *p)
{
	bool aot = peek_at(p, 1) == '[';
	p->pos += aot ? 2 : 1;
	struct key_path kp;
	struct toml_node *t = NULL, *c;
	int r = key_path(p, &kp);
	if (r < 0)
		return r;
	if (peek(p) != ']' || (aot && peek_at(p, 1) != ']'))
		return FAIL(p,
			    aot ? "expected ']]' after a header" : "expected ']' after a header");
	p->pos += aot ? 2 : 1;
	if ((r = header_parent(p, &kp, &t)) < 0)
		return r;
	const struct key_part *last = &kp.part[kp.n - 1];
	c = find(t, last->name);
	if (!aot) {
		if (c && !(c->type == TOML_TABLE && (c->flags & T_IMPLICIT)))
			return fail_at(p, last->line, last->col, E_INVAL,
				       "key '%s' is already defined", last->name);
		if (!c && !(c = new_node(p, t, TOML_TABLE, last->name, last->line, last->col)))
			return -E_NOSPC;
		c->flags = T_HEADER;
		p->table = c;
		return 0;
	}
	if (c && !(c->type == TOML_ARRAY && (c->flags & T_AOT)))
		return fail_at(p, last->line, last->col, E_INVAL,
			       "key '%s' is already defined and not an array of tables",
			       last->name);
	if (!c && !(c = new_node(p, t, TOML_ARRAY, last->name, last->line, last->col)))
		return -E_NOSPC;
	c->flags = T_AOT;
	struct toml_node *el = new_node(p, c, TOML_TABLE, NULL, last->line, last->col);
	if (!el)
		return -E_NOSPC;
	el->flags = T_HEADER;
	p->table = el;
	return 0;
}

static int line(struct parser *p)
{
	skip_ws(p);
	char c = peek(p);
	int r = 0;
	if (at_end(p) || c == '\n' || c == '\r' || c == '#')
		return end_line(p);
	if (c == '[')
		r = header(p);
	else
		r = key_value(p);
	return r < 0 ? r : end_line(p);
}

/* ---------------------------------------------------------------- interface */

void toml_init(struct toml_doc *doc, struct toml_node *nodes, size_t ncap, char *buf, size_t bcap)
{
	memset(doc, 0, sizeof *doc);
	doc->nodes = nodes;
	doc->cap = ncap;
	doc->buf = buf;
	doc->buf_cap = bcap;
}

int toml_parse(struct toml_doc *doc, const char *text, size_t len)
{
	struct parser p = {.doc = doc, .s = text, .len = len, .line = 1};
	memset(&doc->err, 0, sizeof doc->err);
	doc->used = 0;
	doc->buf_used = 0;
	if (doc->cap == 0)
		return fail_at(&p, 0, 0, E_NOSPC, "too many values");
	struct toml_node *root = &doc->nodes[doc->used++];
	memset(root, 0, sizeof *root);
	root->type = TOML_TABLE;
	root->flags = T_HEADER;
	root->line = 1;
	root->col = 1;
	p.table = root;
	while (!at_end(&p)) {
		int r = line(&p);
		if (r < 0)
			return r;
	}
	return 0;
}
