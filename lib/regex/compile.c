/*
 * compile.c - parse a POSIX basic or extended regular expression into the
 * relative-jump NFA program of re_impl.h (regex.h has the contract).
 *
 * A recursive-descent parser (alternation, concatenation, repetition,
 * atom) emits code left to right; each construct is a fragment
 * [start, ninst) and an operator wraps a finished fragment by inserting
 * a SPLIT in front of it and/or appending a jump, or copies it for an
 * interval. Because targets are relative and no code outside a fragment
 * points inside it, neither step needs a fix-up. The parser's state is
 * one struct cc on the caller's stack; the program is written into the
 * caller's buffer. Pure: no allocation, no locks.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "base/err.h"
#include "regex/re_impl.h"

#define INF UINT32_MAX /* no upper bound in an interval */

struct cc {
	struct regex *re;
	uint8_t *lo, *hi; /* free space: code ends at lo, sets start at hi */
	const unsigned char *p;
	size_t len, i;
	unsigned flags;
	int depth;
	int rc; /* first error, 0 if none */
	struct regex_error *err;
};

static bool ere(const struct cc *c)
{
	return c->flags & REGEX_EXTENDED;
}

static int fail(struct cc *c, int rc, const char *msg, size_t pos)
{
	if (!c->rc) {
		c->rc = rc;
		c->err->msg = msg;
		c->err->pos = pos;
	}
	return c->rc;
}

static int nospace(struct cc *c)
{
	return fail(c, -E_NOSPC, "pattern too large for the buffer", c->i);
}

/* Make room for n instructions at the end of the code. */
static int grow(struct cc *c, size_t n)
{
	if ((size_t)(c->hi - c->lo) < n * sizeof(struct re_inst) || c->re->ninst + n > INT32_MAX)
		return nospace(c);
	c->lo += n * sizeof(struct re_inst);
	c->re->ninst += n;
	return 0;
}

static int emit(struct cc *c, uint8_t op, uint8_t ch, uint16_t cls, int32_t x, int32_t y)
{
	if (grow(c, 1))
		return c->rc;
	c->re->code[c->re->ninst - 1] = (struct re_inst){op, ch, cls, x, y};
	return 0;
}

/* Insert one instruction at at, moving [at, ninst) up by one. */
static int insert(struct cc *c, uint32_t at, uint8_t op, int32_t x, int32_t y)
{
	uint32_t n = c->re->ninst;
	if (grow(c, 1))
		return c->rc;
	memmove(&c->re->code[at + 1], &c->re->code[at], (n - at) * sizeof(struct re_inst));
	c->re->code[at] = (struct re_inst){op, 0, 0, x, y};
	return 0;
}

/* Append a copy of [start, start+len). */
static int copy(struct cc *c, uint32_t start, uint32_t len)
{
	uint32_t at = c->re->ninst;
	if (grow(c, len))
		return c->rc;
	memcpy(&c->re->code[at], &c->re->code[start], len * sizeof(struct re_inst));
	return 0;
}

/* e* : SPLIT(body, out) body JMP(split) out */
static int star(struct cc *c, uint32_t start)
{
	if (insert(c, start, OP_SPLIT, 1, 0))
		return c->rc;
	if (emit(c, OP_JMP, 0, 0, (int32_t)start - (int32_t)c->re->ninst, 0))
		return c->rc;
	c->re->code[start].y = (int32_t)(c->re->ninst - start);
	return 0;
}

/* e+ : body SPLIT(body, out) */
static int plus(struct cc *c, uint32_t start)
{
	return emit(c, OP_SPLIT, 0, 0, (int32_t)start - (int32_t)c->re->ninst, 1);
}

/* e? : SPLIT(body, out) body */
static int quest(struct cc *c, uint32_t start)
{
	if (insert(c, start, OP_SPLIT, 1, 0))
		return c->rc;
	c->re->code[start].y = (int32_t)(c->re->ninst - start);
	return 0;
}

/* e{m,n}: m copies of e, then e* (n unbounded) or n-m copies of e?. */
static int interval(struct cc *c, uint32_t start, uint32_t m, uint32_t n)
{
	uint32_t len = c->re->ninst - start;
	if (n == 0) {
		c->lo -= len * sizeof(struct re_inst);
		c->re->ninst = start;
		return 0;
	}
	if (m == 0) {
		if (n == INF)
			return star(c, start);
		if (quest(c, start))
			return c->rc;
		for (uint32_t k = 1; k < n; k++)
			if (copy(c, start, len + 1))
				return c->rc;
		return 0;
	}
	for (uint32_t k = 1; k < m; k++)
		if (copy(c, start, len))
			return c->rc;
	if (n == INF) {
		uint32_t at = c->re->ninst;
		return copy(c, start, len) || star(c, at) ? c->rc : 0;
	}
	for (uint32_t k = m; k < n; k++) {
		uint32_t at = c->re->ninst;
		if (copy(c, start, len) || quest(c, at))
			return c->rc;
	}
	return 0;
}

/* ---------------------------------------------------------------- bracket expressions */

static bool is_upper(int ch)
{
	return ch >= 'A' && ch <= 'Z';
}

static bool is_lower(int ch)
{
	return ch >= 'a' && ch <= 'z';
}

static bool is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_alpha(int ch)
{
	return is_upper(ch) || is_lower(ch);
}

static bool is_graph(int ch)
{
	return ch > ' ' && ch < 0x7f;
}

static bool in_class(const char *name, int ch)
{
	if (!strcmp(name, "alpha"))
		return is_alpha(ch);
	if (!strcmp(name, "digit"))
		return is_digit(ch);
	if (!strcmp(name, "alnum"))
		return is_alpha(ch) || is_digit(ch);
	if (!strcmp(name, "upper"))
		return is_upper(ch);
	if (!strcmp(name, "lower"))
		return is_lower(ch);
	if (!strcmp(name, "space"))
		return ch == ' ' || (ch >= '\t' && ch <= '\r');
	if (!strcmp(name, "blank"))
		return ch == ' ' || ch == '\t';
	if (!strcmp(name, "punct"))
		return is_graph(ch) && !is_alpha(ch) && !is_digit(ch);
	if (!strcmp(name, "cntrl"))
		return ch < ' ' || ch == 0x7f;
	if (!strcmp(name, "graph"))
		return is_graph(ch);
	if (!strcmp(name, "print"))
		return is_graph(ch) || ch == ' ';
	if (!strcmp(name, "xdigit"))
		return is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
	return false;
}

static bool class_known(const char *name)
{
	static const char *const names[] = {"alpha", "digit", "alnum", "upper", "lower", "space",
					    "blank", "punct", "cntrl", "graph", "print", "xdigit"};
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
		if (!strcmp(name, names[k]))
			return true;
	return false;
}

static bool has_bit(const uint8_t *set, int ch)
{
	return set[ch >> 3] >> (ch & 7) & 1;
}

static void set_bit(uint8_t *set, int ch)
{
	set[ch >> 3] |= (uint8_t)(1u << (ch & 7));
}

/*
 * One bracket element at c->i that stands for a single byte: a plain
 * byte, or [.x.] / [=x=] naming one byte. Returns the byte, or -1 with
 * the error set. A [:class:] is handled by the caller.
 */
static int bracket_byte(struct cc *c)
{
	const unsigned char *p = c->p;
	size_t i = c->i;
	if (p[i] == '[' && i + 1 < c->len && (p[i + 1] == '.' || p[i + 1] == '=')) {
		unsigned char kind = p[i + 1];
		if (i + 4 < c->len && p[i + 3] == kind && p[i + 4] == ']') {
			c->i = i + 5;
			return p[i + 2];
		}
		for (size_t j = i + 2; j + 1 < c->len; j++)
			if (p[j] == kind && p[j + 1] == ']')
				return fail(c, -E_INVAL, "unsupported collating element", i), -1;
		return fail(c, -E_INVAL, kind == '.' ? "unmatched [." : "unmatched [=", i), -1;
	}
	c->i = i + 1;
	return p[i];
}

/* A [:name:] at c->i: adds its bytes to set. 0 or the error. */
static int bracket_class(struct cc *c, uint8_t *set)
{
	size_t i = c->i, j = i + 2;
	char name[8];
	while (j + 1 < c->len && !(c->p[j] == ':' && c->p[j + 1] == ']'))
		j++;
	if (j + 1 >= c->len)
		return fail(c, -E_INVAL, "unmatched [:", i);
	size_t n = j - (i + 2);
	if (n >= sizeof name)
		return fail(c, -E_INVAL, "invalid character class name", i);
	memcpy(name, c->p + i + 2, n);
	name[n] = 0;
	if (!class_known(name))
		return fail(c, -E_INVAL, "invalid character class name", i);
	for (int ch = 0; ch < 256; ch++)
		if (in_class(name, ch))
			set_bit(set, ch);
	c->i = j + 2;
	return 0;
}

static int emit_set(struct cc *c, uint8_t *set, bool neg);

/* A bracket expression; c->i is just past its '['. Emits one OP_CLASS. */
static int bracket(struct cc *c)
{
	size_t open = c->i - 1;
	uint8_t set[32] = {0};
	bool neg = false, first = true;
	if (c->i < c->len && c->p[c->i] == '^') {
		neg = true;
		c->i++;
	}
	for (;;) {
		if (c->i >= c->len)
			return fail(c, -E_INVAL, "unmatched [", open);
		unsigned char ch = c->p[c->i];
		if (ch == ']' && !first) {
			c->i++;
			break;
		}
		first = false;
		if (ch == '[' && c->i + 1 < c->len && c->p[c->i + 1] == ':') {
			if (bracket_class(c, set))
				return c->rc;
			if (c->i + 1 < c->len && c->p[c->i] == '-' && c->p[c->i + 1] != ']')
				return fail(c, -E_INVAL, "a character class cannot start a range",
					    c->i);
			continue;
		}
		int lo = bracket_byte(c);
		if (lo < 0)
			return c->rc;
		int hi = lo;
		if (c->i + 1 < c->len && c->p[c->i] == '-' && c->p[c->i + 1] != ']') {
			size_t at = ++c->i;
			if (c->p[at] == '[' && at + 1 < c->len && c->p[at + 1] == ':')
				return fail(c, -E_INVAL, "a character class cannot end a range",
					    at);
			hi = bracket_byte(c);
			if (hi < 0)
				return c->rc;
			if (hi < lo)
				return fail(c, -E_INVAL, "invalid range end", at);
		}
		for (int k = lo; k <= hi; k++)
			set_bit(set, k);
	}
	return emit_set(c, set, neg);
}

/* Store set as a new bracket set (negated when neg) and emit its OP_CLASS. */
static int emit_set(struct cc *c, uint8_t *set, bool neg)
{
	if (c->flags & REGEX_ICASE)
		for (int k = 'a'; k <= 'z'; k++)
			if (has_bit(set, k) || has_bit(set, k - 32)) {
				set_bit(set, k);
				set_bit(set, k - 32);
			}
	if (neg)
		for (int k = 0; k < 32; k++)
			set[k] = (uint8_t)~set[k];
	if (c->re->nclass >= UINT16_MAX || (size_t)(c->hi - c->lo) < 32)
		return nospace(c);
	c->hi -= 32;
	memcpy(c->hi, set, 32);
	return emit(c, OP_CLASS, 0, (uint16_t)c->re->nclass++, 0, 0);
}

/* GNU's \w \W (word bytes: alnum and '_') and \s \S (white space). */
static int escape_class(struct cc *c, unsigned char ch)
{
	uint8_t set[32] = {0};
	for (int k = 0; k < 256; k++)
		if (ch == 'w' || ch == 'W' ? in_class("alnum", k) || k == '_'
					   : in_class("space", k))
			set_bit(set, k);
	return emit_set(c, set, ch == 'W' || ch == 'S');
}

/* ---------------------------------------------------------------- the grammar */

static int parse_alt(struct cc *c);

static int literal(struct cc *c, unsigned char ch)
{
	if ((c->flags & REGEX_ICASE) && is_alpha(ch))
		return emit(c, OP_CHARI, (uint8_t)(ch | 0x20), 0, 0, 0);
	return emit(c, OP_CHAR, ch, 0, 0, 0);
}

/* Is c->i at the end of the current alternative: the end, `|`, or a `)` closing a group? */
static bool at_branch_end(const struct cc *c, size_t i)
{
	const unsigned char *p = c->p;
	if (i >= c->len)
		return true;
	if (ere(c))
		return p[i] == '|' || (p[i] == ')' && c->depth > 0);
	return p[i] == '\\' && i + 1 < c->len &&
	       (p[i + 1] == '|' || (p[i + 1] == ')' && c->depth > 0));
}

/* A decimal count at c->i (at most REGEX_DUP_MAX); *v = INF when there are no digits. */
static int count(struct cc *c, uint32_t *v)
{
	*v = INF;
	size_t at = c->i;
	uint32_t n = 0;
	while (c->i < c->len && is_digit(c->p[c->i])) {
		n = n * 10 + (uint32_t)(c->p[c->i++] - '0');
		if (n > REGEX_DUP_MAX)
			return fail(c, -E_INVAL, "interval count too large", at);
	}
	if (c->i > at)
		*v = n;
	return 0;
}

/* An interval; c->i is just past `{` or `\{`. */
static int parse_interval(struct cc *c, uint32_t start, size_t open)
{
	uint32_t m, n;
	if (count(c, &m))
		return c->rc;
	if (m == INF)
		m = 0;
	n = m;
	if (c->i < c->len && c->p[c->i] == ',') {
		c->i++;
		if (count(c, &n))
			return c->rc;
	}
	if (ere(c)) {
		if (c->i >= c->len || c->p[c->i] != '}')
			return fail(c, -E_INVAL, "unmatched { or bad interval", open);
		c->i++;
	} else {
		if (c->i + 1 >= c->len || c->p[c->i] != '\\' || c->p[c->i + 1] != '}')
			return fail(c, -E_INVAL, "unmatched \\{ or bad interval", open);
		c->i += 2;
	}
	if (n != INF && m > n)
		return fail(c, -E_INVAL, "interval minimum is greater than its maximum", open);
	return interval(c, start, m, n);
}

/*
 * The postfix operator at c->i, if any: its kind ('*', '+', '?', '{')
 * and its length in bytes (2 for BRE's backslashed forms), else 0.
 */
static int postfix(const struct cc *c, size_t *n)
{
	const unsigned char *p = c->p;
	size_t i = c->i;
	if (i >= c->len)
		return 0;
	*n = 1;
	if (p[i] == '*')
		return '*';
	if (ere(c)) {
		if (p[i] == '+' || p[i] == '?')
			return p[i];
		if (p[i] == '{' && i + 1 < c->len && (is_digit(p[i + 1]) || p[i + 1] == ','))
			return '{';
		return 0;
	}
	if (p[i] == '\\' && i + 1 < c->len &&
	    (p[i + 1] == '+' || p[i + 1] == '?' || p[i + 1] == '{')) {
		*n = 2;
		return p[i + 1];
	}
	return 0;
}

/*
 * One atom. *anchor is set when it was `^` or `$` (an operator after an
 * anchor is a literal). first: it starts its alternative (where BRE's `^`
 * is an anchor and a leading `*` is a literal).
 */
static int atom(struct cc *c, bool first, bool *anchor)
{
	const unsigned char *p = c->p;
	size_t at = c->i;
	unsigned char ch = p[c->i++];
	*anchor = false;
	if (c->flags & REGEX_LITERAL)
		return literal(c, ch);
	switch (ch) {
	case '.':
		return emit(c, OP_ANY, 0, 0, 0, 0);
	case '[':
		return bracket(c);
	case '^':
		if (ere(c) || first) {
			*anchor = true;
			return emit(c, OP_BOL, 0, 0, 0, 0);
		}
		return literal(c, ch);
	case '$':
		if (ere(c) || at_branch_end(c, c->i)) {
			*anchor = true;
			return emit(c, OP_EOL, 0, 0, 0, 0);
		}
		return literal(c, ch);
	case '(':
		if (ere(c))
			goto group;
		return literal(c, ch);
	case '\\':
		break;
	default:
		return literal(c, ch);
	}
	if (c->i >= c->len)
		return fail(c, -E_INVAL, "trailing backslash", at);
	ch = p[c->i++];
	if (ch == '(' && !ere(c))
		goto group;
	if (ch >= '1' && ch <= '9')
		return fail(c, -E_INVAL, "back-references are not supported", at);
	switch (ch) {
	case '<':
	case '>':
	case 'b':
	case 'B':
		*anchor = true;
		return emit(c, OP_WORD,
			    ch == '<'	? W_START
			    : ch == '>' ? W_END
			    : ch == 'b' ? W_EDGE
					: W_INSIDE,
			    0, 0, 0);
	case 'w':
	case 'W':
	case 's':
	case 'S':
		return escape_class(c, ch);
	}
	if (is_alpha(ch) || is_digit(ch))
		return fail(c, -E_INVAL, "unsupported escape", at);
	if (!ere(c) && (ch == ')' || ch == '|' || ch == '}'))
		return fail(c, -E_INVAL, ch == ')' ? "unmatched \\)" : "misplaced operator", at);
	return literal(c, ch);
group:
	if (++c->depth > REGEX_DEPTH_MAX)
		return fail(c, -E_INVAL, "groups nested too deeply", at);
	if (parse_alt(c))
		return c->rc;
	if (ere(c) ? (c->i < c->len && p[c->i] == ')')
		   : (c->i + 1 < c->len && p[c->i] == '\\' && p[c->i + 1] == ')'))
		c->i += ere(c) ? 1 : 2;
	else
		return fail(c, -E_INVAL, ere(c) ? "unmatched (" : "unmatched \\(", at);
	c->depth--;
	return 0;
}

/* A concatenation of atoms with their postfix operators, up to the end of the alternative. */
static int parse_concat(struct cc *c)
{
	bool first = true, after_anchor = false;
	while (!at_branch_end(c, c->i)) {
		uint32_t start = c->re->ninst;
		size_t n, open = c->i;
		int op = postfix(c, &n);
		if (op && (first || after_anchor) && !(c->flags & REGEX_LITERAL)) {
			/* nothing to repeat: the operator stands for itself */
			c->i += n;
			if (literal(c, (unsigned char)op))
				return c->rc;
			if (op == '{' && !ere(c))
				return fail(c, -E_INVAL, "interval without an expression", open);
			after_anchor = false;
		} else {
			bool anchor;
			if (atom(c, first, &anchor))
				return c->rc;
			after_anchor = anchor;
			if (anchor)
				goto next;
		}
		while (!(c->flags & REGEX_LITERAL) && (op = postfix(c, &n))) {
			open = c->i;
			c->i += n;
			int rc = op == '*'   ? star(c, start)
				 : op == '+' ? plus(c, start)
				 : op == '?' ? quest(c, start)
					     : parse_interval(c, start, open);
			if (rc)
				return c->rc;
		}
	next:
		first = false;
	}
	return 0;
}

/* Alternatives separated by `|` (ERE) or `\|` (BRE). */
static int parse_alt(struct cc *c)
{
	uint32_t start = c->re->ninst;
	int32_t pending = -1; /* the jump out of the previous alternative, to patch */
	if (parse_concat(c))
		return c->rc;
	while (c->i < c->len && !(c->flags & REGEX_LITERAL) &&
	       (ere(c) ? c->p[c->i] == '|'
		       : c->i + 1 < c->len && c->p[c->i] == '\\' && c->p[c->i + 1] == '|')) {
		c->i += ere(c) ? 1 : 2;
		if (pending >= 0)
			c->re->code[pending].x = (int32_t)c->re->ninst - pending;
		/* SPLIT(left, right) left JMP(out) right */
		if (insert(c, start, OP_SPLIT, 1, 0))
			return c->rc;
		if (emit(c, OP_JMP, 0, 0, 0, 0))
			return c->rc;
		pending = (int32_t)c->re->ninst - 1;
		c->re->code[start].y = (int32_t)(c->re->ninst - start);
		if (parse_concat(c))
			return c->rc;
	}
	if (pending >= 0)
		c->re->code[pending].x = (int32_t)c->re->ninst - pending;
	return 0;
}

/* ---------------------------------------------------------------- entry point */

int regex_compile(struct regex *re, size_t size, const char *pat, size_t len, unsigned flags,
		  struct regex_error *err)
{
	uint8_t *base = (uint8_t *)re;
	size_t head = (sizeof *re + 7) & ~(size_t)7;
	err->msg = "";
	err->pos = 0;
	if (((uintptr_t)re & 7) || size < head + 64) {
		err->msg = "buffer too small or misaligned";
		return -E_NOSPC;
	}
	memset(re, 0, sizeof *re);
	re->flags = flags;
	re->code = (struct re_inst *)(base + head);
	struct cc c = {
	    .re = re,
	    .lo = base + head,
	    .hi = base + ((size - head) & ~(size_t)7) + head,
	    .p = (const unsigned char *)pat,
	    .len = len,
	    .flags = flags,
	    .err = err,
	};
	bool word = flags & REGEX_WORD;
	if (word && emit(&c, OP_WORD, W_NOTBEFORE, 0, 0, 0))
		return c.rc;
	if (parse_alt(&c))
		return c.rc;
	if (word && emit(&c, OP_WORD, W_NOTAFTER, 0, 0, 0))
		return c.rc;
	if (c.i < c.len) /* only a stray BRE "\)" or ERE ")" at depth 0 can stop early */
		return fail(&c, -E_INVAL, ere(&c) ? "unmatched )" : "unmatched \\)", c.i);
	if (emit(&c, OP_MATCH, 0, 0, 0, 0))
		return c.rc;
	/* scratch: marks and stack (uint32 each), then two thread lists */
	uint8_t *s = (uint8_t *)(((uintptr_t)c.lo + 7) & ~(uintptr_t)7);
	size_t n = re->ninst;
	size_t need = n * (2 * sizeof(uint32_t) + 2 * sizeof(struct re_thread)) + 8;
	if ((size_t)(c.hi - s) < need)
		return nospace(&c);
	re->list[0] = (struct re_thread *)s;
	re->list[1] = re->list[0] + n;
	re->mark = (uint32_t *)(re->list[1] + n);
	re->stack = re->mark + n;
	memset(re->mark, 0, n * sizeof(uint32_t));
	re->sets = c.hi;
	re->magic = RE_MAGIC;
	return 0;
}

size_t regex_insts(const struct regex *re)
{
	return re->ninst;
}

uint64_t regex_steps(const struct regex *re)
{
	return re->steps;
}
