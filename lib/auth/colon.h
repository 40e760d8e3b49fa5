/*
 * colon.h - what /etc/passwd and /etc/shadow have in common: text files
 * of colon-separated lines (passwd.h, shadow.h).
 *
 * colon_lines() walks text[0..len) line by line ('\n' ends a line; a
 * '\r' before it is dropped, so a CRLF file reads the same; the last
 * line needs no '\n'). Empty lines and lines starting with '#' are
 * skipped; every other line goes to the caller's parser, and the lines
 * it refuses are reported through the report callback with their number
 * (from 1) and a short reason. The helpers check the fields the two
 * files share (account names and decimal ids) and find a row by name.
 *
 * Pure: no allocation, no locks, no printing; the caller owns the text
 * and the tables the parsers fill.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COLON_NAME_MAX 32      /* bytes of an account name */
#define COLON_ID_MAX INT32_MAX /* largest uid, gid or day count */

struct colon_field {
	const char *p; /* inside the caller's text, not NUL-terminated */
	size_t len;
};

/* Told about a skipped line: its number (from 1) and a short reason. */
typedef void (*colon_report_fn)(void *ctx, unsigned line, const char *reason);

/* Parse one line (no '\n', no '\r'): NULL if taken, or why it was refused. */
typedef const char *(*colon_line_fn)(void *ctx, const char *line, size_t len);

/* Feed each line of text[0..len) to parse and report the refused ones (report may be NULL). */
void colon_lines(const char *text, size_t len, colon_line_fn parse, void *pctx,
		 colon_report_fn report, void *rctx);

/* Cut line[0..len) at every ':' into exactly n fields: true, or false for more or fewer. */
bool colon_split(const char *line, size_t len, struct colon_field *f, size_t n);

/* An account name: [a-z_][a-z0-9_-]*, 1..COLON_NAME_MAX bytes. */
bool colon_is_name(const struct colon_field *f);

/* A decimal 0..COLON_ID_MAX, no sign, no leading zero: true and *v set. */
bool colon_id(const struct colon_field *f, int32_t *v);

/* Copy f into dst, NUL-terminated (dst holds f->len + 1 bytes). */
void colon_copy(char *dst, const struct colon_field *f);

/* True if f holds exactly the NUL-terminated string s. */
bool colon_equal(const struct colon_field *f, const char *s);

/*
 * The first of rows[0..n) whose name is key, or NULL: the rows are size
 * bytes apart and each holds a NUL-terminated name at byte off (the
 * passwd and shadow tables alike).
 */
const void *colon_find(const void *rows, size_t n, size_t size, size_t off,
		       const struct colon_field *key);

/*
 * May a checked line whose name is name join rows[0..n) of max (laid out
 * as for colon_find)? NULL, or "duplicate name" or "too many entries".
 */
const char *colon_room(const void *rows, size_t n, size_t max, size_t size, size_t off,
		       const struct colon_field *name);

/* colon_find() with a NUL-terminated key. */
const void *colon_find_str(const void *rows, size_t n, size_t size, size_t off, const char *key);
