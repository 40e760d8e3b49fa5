/*
 * regex.h - POSIX regular expressions (basic and extended) matched by a
 * Thompson-NFA simulation, in caller storage (docs/regex.md).
 *
 * regex_compile() turns a pattern into a program inside a buffer the caller
 * gives (any size; REGEX_SIZE_DEFAULT suits ordinary patterns): on a bad
 * pattern it returns -E_INVAL and names the problem and its byte offset
 * in *err; when the program does not fit, -E_NOSPC (retry with a larger
 * buffer). regex_match() says whether a line holds a match; regex_search()
 * also gives the leftmost-longest match span, for grep -o.
 *
 * Bounded work: the matcher keeps at most one thread per program
 * instruction and visits each instruction at most once per input byte,
 * so a match costs O((len + 1) * insts) whatever the pattern (no
 * backtracking: `\(a*\)*b` on a long line is linear in the line).
 * regex_steps() gives the count of the last call, which tests bound.
 *
 * Supported: literal bytes, `.`, bracket expressions with ranges, `^`
 * negation and the classes [:alpha:] [:digit:] [:space:] [:upper:]
 * [:lower:] [:alnum:] [:punct:] [:blank:] [:cntrl:] [:graph:] [:print:]
 * [:xdigit:], `*`, `^` `$` anchors, groups, intervals {m,n} (up to
 * REGEX_DUP_MAX); in basic syntax also GNU's `\+` `\?` `\|`; in extended
 * syntax `+ ? | ( ) {m,n}`; in both GNU's word operators `\<` `\>` `\b` `\B`
 * and classes `\w` `\W` `\s` `\S` (a word byte: letter, digit, '_').
 * Back-references \1..\9 are NOT supported and are refused with a clear
 * error, as is any other letter or digit escape. Bytes are compared in the C locale
 * (ASCII case folding for REGEX_ICASE). Groups only group: no capture spans.
 *
 * Pure: no allocation, no locks, no printing. The compiled buffer is the
 * caller's; matching writes its scratch space inside it, so one program
 * is used by one thread at a time, and the buffer must not be moved
 * after compiling (it holds pointers into itself).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REGEX_ICASE 1u	  /* ignore ASCII letter case */
#define REGEX_EXTENDED 2u /* ERE syntax (grep -E) instead of BRE */
#define REGEX_LITERAL 4u  /* every byte stands for itself (grep -F) */
#define REGEX_WORD 8u	  /* a match must not touch a word byte on either side (grep -w) */

#define REGEX_DUP_MAX 255	 /* largest count in an interval */
#define REGEX_DEPTH_MAX 32	 /* deepest group nesting */
#define REGEX_SIZE_DEFAULT 65536 /* a buffer size that fits ordinary patterns */

struct regex; /* lives at the start of the caller's buffer */

struct regex_error {
	const char *msg; /* what is wrong, e.g. "unmatched [" */
	size_t pos;	 /* byte offset in the pattern where it was found */
};

/* Compile pat[0..len) into buf (size bytes, 8-aligned): 0, -E_INVAL (*err says why) or -E_NOSPC. */
__attribute__((warn_unused_result)) int regex_compile(struct regex *buf, size_t size,
						      const char *pat, size_t len, unsigned flags,
						      struct regex_error *err);

/* Whether some substring of text[0..len) matches. */
bool regex_match(struct regex *re, const char *text, size_t len);

/* Leftmost-longest match starting at or after from (`^` only matches at 0): true, *so, *eo set. */
bool regex_search(struct regex *re, const char *text, size_t len, size_t from, size_t *so,
		  size_t *eo);

/* Instructions in the compiled program. */
size_t regex_insts(const struct regex *re);

/* Closure steps the last regex_match/regex_search took (at most regex_insts() per byte, plus one).
 */
uint64_t regex_steps(const struct regex *re);
