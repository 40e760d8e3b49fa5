/*
 * lines.h - walk a text buffer line by line, in place.
 *
 * lines_next() hands out text[0..len) one line at a time: a '\n' ends a
 * line and is not part of it, the last line needs no '\n', and an empty
 * buffer has no lines (a buffer ending in '\n' has no empty line after
 * it). Nothing else is special: '\r', '#' and NUL bytes are left to the
 * caller's parser. The text need not be NUL-terminated and is never read
 * past len. Used by the policy and account-file parsers.
 *
 * Pure: no state but the caller's cursor, no allocation, no locks.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct lines {
	const char *text;
	size_t len, pos; /* pos: start of the next line */
	unsigned no;	 /* number of the line last returned, from 1 */
};

/* A cursor at the start of text[0..len). */
static inline struct lines lines_start(const char *text, size_t len)
{
	return (struct lines){text, len, 0, 0};
}

/* The next line: true with *line, *n set (no '\n') and it->no counted; false at the end. */
bool lines_next(struct lines *it, const char **line, size_t *n);
