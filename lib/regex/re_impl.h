/*
 * re_impl.h - the compiled form shared by compile.c and match.c (not for
 * users of regex.h).
 *
 * A program is an array of instructions whose jump targets are offsets
 * relative to the instruction itself, so the compiler can insert an
 * instruction in front of a finished fragment or copy a fragment (for
 * intervals) without fixing up any target. Bracket expressions are
 * 256-bit sets stored at the top end of the buffer, growing down, while
 * code grows up from the header; after compiling, the matcher's scratch
 * space (marks, a stack and two thread lists, each sized by the program)
 * is placed between them. Owned by the caller's buffer; no locks.
 */
#pragma once
#include <stdint.h>
#include "regex/regex.h"

enum re_op {
	OP_CHAR,  /* the byte ch */
	OP_CHARI, /* the byte ch (lower case) in either case */
	OP_ANY,	  /* any byte */
	OP_CLASS, /* a byte in set cls */
	OP_BOL,	  /* empty, at the start of the text */
	OP_EOL,	  /* empty, at the end of the text */
	OP_WORD,  /* empty, where the word test ch (enum re_word) holds */
	OP_SPLIT, /* go on at both pc+x and pc+y */
	OP_JMP,	  /* go on at pc+x */
	OP_MATCH, /* the whole pattern matched */
};

/* Word tests of OP_WORD; a word byte is a letter, a digit or '_'. */
enum re_word {
	W_START,     /* \<: no word byte before, one after */
	W_END,	     /* \>: a word byte before, none after */
	W_EDGE,	     /* \b: a word byte on exactly one side */
	W_INSIDE,    /* \B: on both sides or neither */
	W_NOTBEFORE, /* no word byte before (REGEX_WORD's left edge) */
	W_NOTAFTER,  /* no word byte after (REGEX_WORD's right edge) */
};

struct re_inst {
	uint8_t op; /* enum re_op */
	uint8_t ch;
	uint16_t cls;
	int32_t x, y; /* relative targets */
};

struct re_thread {
	uint32_t pc;
	size_t start; /* where this thread's match began */
};

#define RE_MAGIC 0x52454758u /* "REGX" */

struct regex {
	uint32_t magic;
	uint32_t flags;
	uint32_t ninst, nclass;
	uint64_t steps; /* closure steps of the last match */
	uint32_t gen;	/* mark generation of the current position */
	struct re_inst *code;
	uint8_t *sets; /* nclass sets of 32 bytes; set k at sets[(nclass-1-k)*32] */
	uint32_t *mark, *stack;
	struct re_thread *list[2];
};

static inline const uint8_t *re_set(const struct regex *re, unsigned k)
{
	return re->sets + (size_t)(re->nclass - 1 - k) * 32;
}
