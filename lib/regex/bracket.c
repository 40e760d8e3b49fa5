/*
 * bracket.c - bracket expressions ("[a-z[:digit:]]", "[^]x]") and GNU's
 * class escapes (\w \W \s \S) for the regex compiler: each becomes a
 * 256-bit set stored at the top of the caller's buffer and one OP_CLASS
 * instruction (re_impl.h). Bytes compare in the C locale: ranges go by
 * byte value, classes are ASCII, REGEX_ICASE puts both cases of every
 * letter of a set in it. State: the compilation's struct cc; no locks.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "base/err.h"
#include "regex/re_parse.h"

static bool is_upper(int ch)
{
	return ch >= 'A' && ch <= 'Z';
}

static bool is_lower(int ch)
{
	return ch >= 'a' && ch <= 'z';
}

bool re_is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

bool re_is_alpha(int ch)
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
		return re_is_alpha(ch);
	if (!strcmp(name, "digit"))
		return re_is_digit(ch);
	if (!strcmp(name, "alnum"))
		return re_is_alpha(ch) || re_is_digit(ch);
	if (!strcmp(name, "upper"))
		return is_upper(ch);
	if (!strcmp(name, "lower"))
		return is_lower(ch);
	if (!strcmp(name, "space"))
		return ch == ' ' || (ch >= '\t' && ch <= '\r');
	if (!strcmp(name, "blank"))
		return ch == ' ' || ch == '\t';
	if (!strcmp(name, "punct"))
		return is_graph(ch) && !re_is_alpha(ch) && !re_is_digit(ch);
	if (!strcmp(name, "cntrl"))
		return ch < ' ' || ch == 0x7f;
	if (!strcmp(name, "graph"))
		return is_graph(ch);
	if (!strcmp(name, "print"))
		return is_graph(ch) || ch == ' ';
	if (!strcmp(name, "xdigit"))
		return re_is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
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
				return re_fail(c, -E_INVAL, "unsupported collating element", i), -1;
		return re_fail(c, -E_INVAL, kind == '.' ? "unmatched [." : "unmatched [=", i), -1;
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
		return re_fail(c, -E_INVAL, "unmatched [:", i);
	size_t n = j - (i + 2);
	if (n >= sizeof name)
		return re_fail(c, -E_INVAL, "invalid character class name", i);
	memcpy(name, c->p + i + 2, n);
	name[n] = 0;
	if (!class_known(name))
		return re_fail(c, -E_INVAL, "invalid character class name", i);
	for (int ch = 0; ch < 256; ch++)
		if (in_class(name, ch))
			set_bit(set, ch);
	c->i = j + 2;
	return 0;
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
		return re_nospace(c);
	c->hi -= 32;
	memcpy(c->hi, set, 32);
	return re_emit(c, OP_CLASS, 0, (uint16_t)c->re->nclass++, 0, 0);
}

/* A bracket expression; c->i is just past its '['. Emits one OP_CLASS. */
int re_bracket(struct cc *c)
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
			return re_fail(c, -E_INVAL, "unmatched [", open);
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
				return re_fail(c, -E_INVAL,
					       "a character class cannot start a range", c->i);
			continue;
		}
		int lo = bracket_byte(c);
		if (lo < 0)
			return c->rc;
		int hi = lo;
		if (c->i + 1 < c->len && c->p[c->i] == '-' && c->p[c->i + 1] != ']') {
			size_t at = ++c->i;
			if (c->p[at] == '[' && at + 1 < c->len && c->p[at + 1] == ':')
				return re_fail(c, -E_INVAL, "a character class cannot end a range",
					       at);
			hi = bracket_byte(c);
			if (hi < 0)
				return c->rc;
			if (hi < lo)
				return re_fail(c, -E_INVAL, "invalid range end", at);
		}
		for (int k = lo; k <= hi; k++)
			set_bit(set, k);
	}
	return emit_set(c, set, neg);
}

/* GNU's \w \W (word bytes: alnum and '_') and \s \S (white space). */
int re_escape_class(struct cc *c, unsigned char ch)
{
	uint8_t set[32] = {0};
	for (int k = 0; k < 256; k++)
		if (ch == 'w' || ch == 'W' ? in_class("alnum", k) || k == '_'
					   : in_class("space", k))
			set_bit(set, k);
	return emit_set(c, set, ch == 'W' || ch == 'S');
}
