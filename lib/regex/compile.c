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
 * one struct cc (re_parse.h) on the caller's stack; bracket expressions
 * are parsed in bracket.c. The program is written into the
 * caller's buffer. Pure: no allocation, no locks.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "base/err.h"
#include "regex/re_parse.h"

static bool ere(const struct cc *c)
{
	return c->flags & REGEX_EXTENDED;
}

int re_fail(struct cc *c, int rc, const char *msg, size_t pos)
{
	if (!c->rc) {
		c->rc = rc;
		c->err->msg = msg;
		c->err->pos = pos;
	}
	return c->rc;
}

int re_nospace(struct cc *c)
{
	return re_fail(c, -E_NOSPC, "pattern too large for the buffer", c->i);
}

/* Make room for n instructions at the end of the code. */
static int grow(struct cc *c, size_t n)
{
	if ((size_t)(c->hi - c->lo) < n * sizeof(struct re_inst) || c->re->ninst + n > INT32_MAX)
		return re_nospace(c);
	c->lo += n * sizeof(struct re_inst);
	c->re->ninst += n;
	return 0;
}

int re_emit(struct cc *c, uint8_t op, uint8_t ch, uint16_t cls, int32_t x, int32_t y)
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
	if (re_emit(c, OP_JMP, 0, 0, (int32_t)start - (int32_t)c->re->ninst, 0))
		return c->rc;
	c->re->code[start].y = (int32_t)(c->re->ninst - start);
	return 0;
}

/* e+ : body SPLIT(body, out) */
static int plus(struct cc *c, uint32_t start)
{
	return re_emit(c, OP_SPLIT, 0, 0, (int32_t)start - (int32_t)c->re->ninst, 1);
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
		if (n == RE_INF)
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
	if (n == RE_INF) {
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

/* ---------------------------------------------------------------- the grammar */

static int parse_alt(struct cc *c);

static int literal(struct cc *c, unsigned char ch)
{
	if ((c->flags & REGEX_ICASE) && re_is_alpha(ch))
		return re_emit(c, OP_CHARI, (uint8_t)(ch | 0x20), 0, 0, 0);
	return re_emit(c, OP_CHAR, ch, 0, 0, 0);
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

/* A decimal count at c->i (at most REGEX_DUP_MAX); *v = RE_INF when there are no digits. */
static int count(struct cc *c, uint32_t *v)
{
	*v = RE_INF;
	size_t at = c->i;
	uint32_t n = 0;
	while (c->i < c->len && re_is_digit(c->p[c->i])) {
		n = n * 10 + (uint32_t)(c->p[c->i++] - '0');
		if (n > REGEX_DUP_MAX)
			return re_fail(c, -E_INVAL, "interval count too large", at);
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
	if (m == RE_INF)
		m = 0;
	n = m;
	if (c->i < c->len && c->p[c->i] == ',') {
		c->i++;
		if (count(c, &n))
			return c->rc;
	}
	if (ere(c)) {
		if (c->i >= c->len || c->p[c->i] != '}')
			return re_fail(c, -E_INVAL, "unmatched { or bad interval", open);
		c->i++;
	} else {
		if (c->i + 1 >= c->len || c->p[c->i] != '\\' || c->p[c->i + 1] != '}')
			return re_fail(c, -E_INVAL, "unmatched \\{ or bad interval", open);
		c->i += 2;
	}
	if (n != RE_INF && m > n)
		return re_fail(c, -E_INVAL, "interval minimum is greater than its maximum", open);
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
		if (p[i] == '{' && i + 1 < c->len && (re_is_digit(p[i + 1]) || p[i + 1] == ','))
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
		return re_emit(c, OP_ANY, 0, 0, 0, 0);
	case '[':
		return re_bracket(c);
	case '^':
		if (ere(c) || first) {
			*anchor = true;
			return re_emit(c, OP_BOL, 0, 0, 0, 0);
		}
		return literal(c, ch);
	case '$':
		if (ere(c) || at_branch_end(c, c->i)) {
			*anchor = true;
			return re_emit(c, OP_EOL, 0, 0, 0, 0);
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
		return re_fail(c, -E_INVAL, "trailing backslash", at);
	ch = p[c->i++];
	if (ch == '(' && !ere(c))
		goto group;
	if (ch >= '1' && ch <= '9')
		return re_fail(c, -E_INVAL, "back-references are not supported", at);
	switch (ch) {
	case '<':
	case '>':
	case 'b':
	case 'B':
		*anchor = true;
		return re_emit(c, OP_WORD,
			       ch == '<'   ? W_START
			       : ch == '>' ? W_END
			       : ch == 'b' ? W_EDGE
					   : W_INSIDE,
			       0, 0, 0);
	case 'w':
	case 'W':
	case 's':
	case 'S':
		return re_escape_class(c, ch);
	}
	if (re_is_alpha(ch) || re_is_digit(ch))
		return re_fail(c, -E_INVAL, "unsupported escape", at);
	if (!ere(c) && (ch == ')' || ch == '|' || ch == '}'))
		return re_fail(c, -E_INVAL, ch == ')' ? "unmatched \\)" : "misplaced operator", at);
	return literal(c, ch);
group:
	if (++c->depth > REGEX_DEPTH_MAX)
		return re_fail(c, -E_INVAL, "groups nested too deeply", at);
	if (parse_alt(c))
		return c->rc;
	if (ere(c) ? (c->i < c->len && p[c->i] == ')')
		   : (c->i + 1 < c->len && p[c->i] == '\\' && p[c->i + 1] == ')'))
		c->i += ere(c) ? 1 : 2;
	else
		return re_fail(c, -E_INVAL, ere(c) ? "unmatched (" : "unmatched \\(", at);
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
				return re_fail(c, -E_INVAL, "interval without an expression", open);
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
		if (re_emit(c, OP_JMP, 0, 0, 0, 0))
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
	if (word && re_emit(&c, OP_WORD, W_NOTBEFORE, 0, 0, 0))
		return c.rc;
	if (parse_alt(&c))
		return c.rc;
	if (word && re_emit(&c, OP_WORD, W_NOTAFTER, 0, 0, 0))
		return c.rc;
	if (c.i < c.len) /* only a stray BRE "\)" or ERE ")" at depth 0 can stop early */
		return re_fail(&c, -E_INVAL, ere(&c) ? "unmatched )" : "unmatched \\)", c.i);
	if (re_emit(&c, OP_MATCH, 0, 0, 0, 0))
		return c.rc;
	/* scratch: marks and stack (uint32 each), then two thread lists */
	uint8_t *s = (uint8_t *)(((uintptr_t)c.lo + 7) & ~(uintptr_t)7);
	size_t n = re->ninst;
	size_t need = n * (2 * sizeof(uint32_t) + 2 * sizeof(struct re_thread)) + 8;
	if ((size_t)(c.hi - s) < need)
		return re_nospace(&c);
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
