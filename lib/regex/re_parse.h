/*
 * re_parse.h - the regex compiler's state and the helpers its two files
 * share: compile.c (the grammar) and bracket.c (bracket expressions and
 * the class escapes). Internal to lib/regex.
 *
 * One struct cc lives on regex_compile()'s stack for one compilation;
 * the program it writes is in the caller's buffer. No locks.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "regex/re_impl.h"

#define RE_INF UINT32_MAX /* no upper bound in an interval */

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

/* Record the first error (message, pattern offset) and return its code. */
int re_fail(struct cc *c, int rc, const char *msg, size_t pos);
/* The buffer is full: -E_NOSPC. */
int re_nospace(struct cc *c);
/* Append one instruction: 0 or the error. */
int re_emit(struct cc *c, uint8_t op, uint8_t ch, uint16_t cls, int32_t x, int32_t y);
/* An ASCII letter; an ASCII digit. */
bool re_is_alpha(int ch);
bool re_is_digit(int ch);
/* A bracket expression, c->i just past its '[': emits one OP_CLASS. */
int re_bracket(struct cc *c);
/* GNU's \w \W \s \S (ch is the letter): emits one OP_CLASS. */
int re_escape_class(struct cc *c, unsigned char ch);
