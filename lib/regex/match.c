/*
 * match.c - run a compiled program over a line (regex.h has the contract).
 *
 * A Thompson-NFA simulation without backtracking: the threads alive
 * after each input byte are a list of (instruction, start) pairs, at
 * most one per instruction, ordered by start. A new thread starting at
 * the current byte is added last, and the first thread to reach an
 * instruction at a position claims it (a per-position generation mark),
 * so the thread that survives has the earliest start: that gives the
 * leftmost match, and running on while threads with that start remain
 * gives the longest. The empty-move closure uses an explicit stack.
 * Every list, mark and stack is the scratch space regex_compile() set up
 * in the caller's buffer, used by one caller at a time; no locks.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "regex/re_impl.h"

struct run {
	struct regex *re;
	const unsigned char *text;
	size_t len;
	bool found;
	size_t so, eo;
};

static void next_gen(struct regex *re)
{
	if (++re->gen == 0) {
		memset(re->mark, 0, re->ninst * sizeof(uint32_t));
		re->gen = 1;
	}
}

static void push(struct regex *re, uint32_t *sp, uint32_t pc)
{
	if (re->mark[pc] != re->gen) {
		re->mark[pc] = re->gen;
		re->stack[(*sp)++] = pc;
	}
}

static bool is_word(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_';
}

/* Does word test kind (enum re_word) hold between text[pos - 1] and text[pos]? */
static bool word_test(const struct run *r, unsigned kind, size_t pos)
{
	bool before = pos > 0 && is_word(r->text[pos - 1]);
	bool after = pos < r->len && is_word(r->text[pos]);
	switch (kind) {
	case W_START:
		return !before && after;
	case W_END:
		return before && !after;
	case W_EDGE:
		return before != after;
	case W_INSIDE:
		return before == after;
	case W_NOTBEFORE:
		return !before;
	default:
		return !after;
	}
}

/* Follow the empty moves from pc at text position pos; consuming instructions join list. */
static void add(struct run *r, struct re_thread *list, uint32_t *n, uint32_t pc, size_t start,
		size_t pos)
{
	struct regex *re = r->re;
	uint32_t sp = 0;
	push(re, &sp, pc);
	while (sp) {
		pc = re->stack[--sp];
		re->steps++;
		const struct re_inst *in = &re->code[pc];
		switch (in->op) {
		case OP_JMP:
			push(re, &sp, pc + (uint32_t)in->x);
			break;
		case OP_SPLIT:
			push(re, &sp, pc + (uint32_t)in->y);
			push(re, &sp, pc + (uint32_t)in->x);
			break;
		case OP_BOL:
			if (pos == 0)
				push(re, &sp, pc + 1);
			break;
		case OP_EOL:
			if (pos == r->len)
				push(re, &sp, pc + 1);
			break;
		case OP_WORD:
			if (word_test(r, in->ch, pos))
				push(re, &sp, pc + 1);
			break;
		case OP_MATCH:
			if (!r->found || start < r->so || (start == r->so && pos > r->eo)) {
				r->found = true;
				r->so = start;
				r->eo = pos;
			}
			break;
		default:
			list[(*n)++] = (struct re_thread){pc, start};
			break;
		}
	}
}

static bool consumes(const struct regex *re, const struct re_inst *in, unsigned char ch)
{
	switch (in->op) {
	case OP_CHAR:
		return ch == in->ch;
	case OP_CHARI:
		return (ch >= 'A' && ch <= 'Z' ? ch | 0x20 : ch) == in->ch;
	case OP_ANY:
		return true;
	case OP_CLASS:
		return re_set(re, in->cls)[ch >> 3] >> (ch & 7) & 1;
	default:
		return false;
	}
}

/* The simulation from position from; first: stop at the first match found (any span). */
static bool run(struct regex *re, const unsigned char *text, size_t len, size_t from, bool first,
		struct run *r)
{
	*r = (struct run){.re = re, .text = text, .len = len};
	re->steps = 0;
	if (re->magic != RE_MAGIC || from > len)
		return false;
	struct re_thread *cur = re->list[0], *nxt = re->list[1];
	uint32_t nc = 0;
	next_gen(re);
	for (size_t pos = from;; pos++) {
		if (!r->found)
			add(r, cur, &nc, 0, pos, pos);
		if (r->found && (first || nc == 0))
			break;
		if (pos == len)
			break;
		next_gen(re);
		uint32_t nn = 0;
		for (uint32_t k = 0; k < nc; k++) {
			if (r->found && cur[k].start > r->so)
				continue;
			const struct re_inst *in = &re->code[cur[k].pc];
			if (consumes(re, in, text[pos]))
				add(r, nxt, &nn, cur[k].pc + 1, cur[k].start, pos + 1);
		}
		struct re_thread *t = cur;
		cur = nxt;
		nxt = t;
		nc = nn;
	}
	return r->found;
}

bool regex_match(struct regex *re, const char *text, size_t len)
{
	struct run r;
	return run(re, (const unsigned char *)text, len, 0, true, &r);
}

bool regex_search(struct regex *re, const char *text, size_t len, size_t from, size_t *so,
		  size_t *eo)
{
	struct run r;
	if (!run(re, (const unsigned char *)text, len, from, false, &r))
		return false;
	*so = r.so;
	*eo = r.eo;
	return true;
}
