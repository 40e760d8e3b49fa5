/*
 * toml.h - a reader for the subset of TOML that init's service files use
 * (docs/init.md, "File format").
 *
 * Accepted: comments, LF and CRLF line ends; bare keys ([A-Za-z0-9_-]),
 * "basic" and 'literal' quoted keys, dotted keys (a.b = 1); [table] and
 * [[array-of-tables]] headers; values that are basic strings (escapes
 * \b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX), literal strings, decimal
 * integers (sign, '_' between digits, no leading zero; out of int64 range
 * is an error), booleans and arrays (of any of these, nested, across lines,
 * trailing comma allowed). Refused with an error: floats, dates, inline
 * tables, multi-line strings, hex/octal/binary integers, \u0000 (strings
 * are C strings), a NUL or other control byte outside a string's escapes,
 * a duplicate key, a table defined twice. UTF-8 is not validated.
 *
 * Memory: toml_parse() builds the document in storage the caller gives to
 * toml_init(): a node array (every table, array and value is one node) and
 * a byte buffer for keys and decoded strings, each NUL-terminated. A
 * buffer of 2 * len + 1 bytes never runs out for a text of len bytes; too
 * few nodes or bytes is an error like any other ("too many values"). The
 * document points into that storage, never into the text, which may be
 * freed after parsing.
 *
 * Bounds: arrays nest at most TOML_MAX_DEPTH deep, a key path has at most
 * TOML_MAX_DEPTH parts, a key is at most TOML_KEY_MAX bytes.
 *
 * Errors: toml_parse() returns 0 or -E_INVAL/-E_NOSPC and fills doc->err
 * with the line and column (both from 1; a column counts bytes) and a short
 * message; toml_error_format() writes "file: line 3, column 9: expected
 * '=' after a key".
 *
 * Lookups walk the tree: toml_get() finds a key in a table, the typed
 * getters (toml_string() ...) say -E_NOENT for a missing key and -E_INVAL
 * for a value of another type; toml_expect() checks a node's type and
 * writes the message for a wrong one; toml_type_name() names a type.
 *
 * Locking: none; pure functions over the caller's storage. A parsed
 * document is read-only and may be read from several threads at once.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define TOML_MAX_DEPTH 16 /* nesting of arrays; parts of a dotted key or header */
#define TOML_KEY_MAX 127  /* bytes of one key, decoded */
#define TOML_MSG_MAX 96	  /* bytes of an error message with its NUL */

enum toml_type {
	TOML_TABLE,
	TOML_ARRAY,
	TOML_STRING,
	TOML_INT,
	TOML_BOOL,
};

struct toml_node {
	enum toml_type type;
	const char *key;	  /* the key in its table; NULL for the root and array elements */
	unsigned line, col;	  /* where the key (or the element) was written */
	unsigned flags;		  /* how a table was made (toml.c) */
	struct toml_node *parent; /* NULL for the root */
	struct toml_node *next;	  /* the next child of the parent, in file order */
	struct toml_node *child, *last; /* first and last child of a table or array */
	size_t len;			/* children of a table or array; bytes of a string */
	union {
		const char *s; /* NUL-terminated; len bytes before the NUL */
		int64_t i;
		bool b;
	} v;
};

struct toml_error {
	unsigned line, col; /* 0 when no position applies */
	char msg[TOML_MSG_MAX];
};

struct toml_doc {
	struct toml_node *nodes; /* caller's array; nodes[0] is the root table */
	size_t cap, used;
	char *buf; /* caller's bytes for keys and strings */
	size_t buf_cap, buf_used;
	struct toml_error err;
};

/* Give doc its storage: ncap nodes (at least 1) and bcap bytes. */
void toml_init(struct toml_doc *doc, struct toml_node *nodes, size_t ncap, char *buf, size_t bcap);

/* Parse text[0..len) into doc (emptied first): 0, or -E_INVAL/-E_NOSPC with doc->err set. */
MUST_CHECK int toml_parse(struct toml_doc *doc, const char *text, size_t len);

/* The root table of a parsed document. */
const struct toml_node *toml_root(const struct toml_doc *doc);

/* The value of key in table, or NULL (also when table is not a table). */
const struct toml_node *toml_get(const struct toml_node *table, const char *key);

/* Element i of array, or NULL past its end. */
const struct toml_node *toml_at(const struct toml_node *array, size_t i);

/* Typed lookups: 0 and *out; -E_NOENT if key is missing; -E_INVAL if of another type. */
MUST_CHECK int toml_string(const struct toml_node *table, const char *key, const char **out);
MUST_CHECK int toml_int(const struct toml_node *table, const char *key, int64_t *out);
MUST_CHECK int toml_bool(const struct toml_node *table, const char *key, bool *out);
MUST_CHECK int toml_table(const struct toml_node *table, const char *key,
			  const struct toml_node **out);
MUST_CHECK int toml_array(const struct toml_node *table, const char *key,
			  const struct toml_node **out);

/* "table", "array", "string", "integer" or "boolean". */
const char *toml_type_name(enum toml_type type);

/*
 * 0 if n is of type type; else -E_INVAL with *err at n's position saying
 * "expected a string, found an integer".
 */
MUST_CHECK int toml_expect(const struct toml_node *n, enum toml_type type, struct toml_error *err);

/* Write "file: line L, column C: msg" (no position part if line is 0) into buf; as snprintf. */
int toml_error_format(char *buf, size_t n, const char *file, const struct toml_error *err);
