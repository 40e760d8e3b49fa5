/*
 * fuzz_ledit.c - libFuzzer target for the line editor (lib/ledit).
 *
 * The first bytes choose the line capacity, the terminal width and the
 * history size; the rest are typed. When the editor asks for completion
 * (Tab), the next input byte picks 0..4 candidates from a fixed set
 * (empty, long, with '/', equal ones). After every byte: the line is
 * NUL-terminated at len, len < cap, pos <= len, nothing was written past
 * the line or output buffers (guard bytes, ASan), and the history's lines
 * all fit its storage. A finished line is added to the history and a
 * new one started, as a shell would.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ledit/ledit.h"

#define GUARD 0x5a

static const char *const pool[] = {
    "",	   "a",	    "ab",
    "abc", "/etc/", "/etc/passwd",
    "ls",  "ls",    "a-very-long-candidate-name-that-is-longer-than-small-lines-and-terminals",
};

static void check(const struct ledit *e, const char *line, size_t cap)
{
	if (e->len >= cap || e->pos > e->len || line[e->len] != '\0' || strlen(line) > e->len)
		abort();
	if ((unsigned char)line[cap] != GUARD)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[258], draft[258], hbuf[300], obuf[2049];
	struct ledit e;
	struct ledit_hist h;
	struct ledit_out out;
	size_t cap, hcap, i;
	int cols;

	if (size < 3)
		return 0;
	cap = 1 + data[0];
	cols = data[1] % 100; /* 0: the default */
	hcap = data[2] + 1;
	data += 3;
	size -= 3;
	memset(line, GUARD, sizeof line);
	memset(draft, GUARD, sizeof draft);
	obuf[sizeof obuf - 1] = GUARD;
	ledit_hist_init(&h, hbuf, hcap);
	memset(&e, 0, sizeof e);
	ledit_start(&e, line, draft, cap, "$ ", &h, cols);
	out = (struct ledit_out){.buf = obuf, .cap = sizeof obuf - 1};
	ledit_redraw(&e, &out);
	for (i = 0; i < size; i++) {
		int r;

		out.len = 0;
		r = ledit_feed(&e, data[i], &out);
		check(&e, line, cap);
		if (r == LEDIT_COMPLETE && i + 1 < size) {
			unsigned pick = data[++i];
			const char *c[4];
			size_t n = pick & 3, k, s, l;
			bool first;

			ledit_word(&e, &s, &l, &first);
			if (s + l != e.pos)
				abort();
			for (k = 0; k < n; k++)
				c[k] = pool[(pick >> (2 + k)) % (sizeof pool / sizeof pool[0])];
			out.len = 0;
			ledit_complete(&e, c, n, &out);
			check(&e, line, cap);
		} else if (r == LEDIT_DONE || r == LEDIT_EOF || r == LEDIT_INTR) {
			ledit_hist_add(&h, line);
			ledit_start(&e, line, draft, cap, "$ ", &h, cols);
		}
		if (out.len > out.cap || (unsigned char)obuf[sizeof obuf - 1] != GUARD ||
		    (unsigned char)draft[cap] != GUARD)
			abort();
	}
	for (i = 0; i < ledit_hist_count(&h); i++) {
		const char *s = ledit_hist_get(&h, i);

		if (!s || s < hbuf || s + strlen(s) >= hbuf + hcap || !*s)
			abort();
	}
	return 0;
}
