/*
 * cmdline.h - the kernel command line.
 *
 * The line is a list of words separated by spaces or tabs; each word is
 * either a bare flag ("debug") or key=value ("init=/bin/init"). A value may
 * be enclosed in double quotes to hold spaces (init="/bin/sh -x"); the
 * quotes are removed. cmdline_parse() copies the line into the fixed buffer
 * inside struct cmdline and splits it there, so the source may go away
 * afterwards. When a key appears twice, the last occurrence wins for the
 * lookups; enumeration returns every occurrence in order.
 *
 * Pure code: no locking, no allocation. struct cmdline is about 1.3 KiB;
 * the kernel keeps one in static storage.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define CMDLINE_MAX_LEN 512 /* bytes, including the terminating NUL */
#define CMDLINE_MAX_OPTS 32

struct cmdline_opt {
	const char *key;   /* non-empty */
	const char *value; /* "" for a bare flag or an empty value */
	bool bare;	   /* word had no '=' */
};

struct cmdline {
	char buf[CMDLINE_MAX_LEN];
	struct cmdline_opt opts[CMDLINE_MAX_OPTS];
	size_t nopts;
	char error[64]; /* reason for the last failure, "" on success */
};

/*
 * Parse s (NULL means empty) into *out. -E_2BIG if s is 512 bytes or more
 * or has more than 32 words; -E_INVAL for an empty key or a bad quote.
 * On failure *out holds no options.
 */
MUST_CHECK int cmdline_parse(const char *s, struct cmdline *out);

/* Value of the last occurrence of key: NULL if absent, "" if a bare flag. */
const char *cmdline_get(const struct cmdline *cl, const char *key);

/* True if key is present, bare or with a value other than 0/no/off/false. */
bool cmdline_flag(const struct cmdline *cl, const char *key);

/*
 * Parse all of s as a number, decimal or 0x-prefixed hex: 0 and *out set,
 * or -E_INVAL if s is empty or malformed, -E_RANGE if above 2^64-1 (*out
 * untouched). The one number parser for command lines and tool arguments.
 */
MUST_CHECK int cmdline_parse_u64(const char *s, uint64_t *out);

/*
 * Value of key as a number (as cmdline_parse_u64): -E_NOENT if absent,
 * -E_INVAL if bare, empty or malformed, -E_RANGE if above 2^64-1.
 */
MUST_CHECK int cmdline_get_u64(const struct cmdline *cl, const char *key, uint64_t *out);

/*
 * Value of key as a number in [min, max]: 0 and *out set when it is;
 * -E_NOENT if absent and -E_INVAL if bare, empty or not a number ("-1",
 * "abc"), both with *out untouched; -E_RANGE when it is a number outside
 * [min, max] (or above 2^64-1), with *out set to the nearer bound.
 */
MUST_CHECK int cmdline_get_range(const struct cmdline *cl, const char *key, uint64_t min,
				 uint64_t max, uint64_t *out);

/*
 * Length of the longest prefix of s that cmdline_parse() accepts as to
 * size: all of s when it is shorter than CMDLINE_MAX_LEN, else cut after
 * the last whole word that fits (0 if the first word alone is too long).
 */
size_t cmdline_cut(const char *s);

/* Number of words parsed (for enumeration with cmdline_opt_at). */
size_t cmdline_count(const struct cmdline *cl);

/* Word i in command-line order; NULL if i >= cmdline_count(). */
const struct cmdline_opt *cmdline_opt_at(const struct cmdline *cl, size_t i);
