/*
 * ledit.h - a line editor as a pure state machine (docs/ledit.md).
 *
 * The caller reads bytes from the terminal and feeds them one at a time
 * with ledit_feed(); the editor changes the line and appends the bytes
 * that show the change (echo, cursor moves, redraws: plain VT100/ANSI
 * sequences) to a caller-given output buffer, which the caller writes to
 * the terminal after each call. Nothing here allocates, locks, reads or
 * writes a file: every buffer belongs to the caller, and one struct
 * ledit / struct ledit_hist must be used by one thread at a time (the
 * caller serialises).
 *
 * Typical loop (a shell):
 *
 *     static struct ledit e;            // zeroed once (CR LF tracking)
 *     ledit_start(&e, line, draft, sizeof line, prompt, &hist, 80);
 *     ledit_redraw(&e, &out);            // shows the prompt
 *     for (;;) { read one byte c; out.len = 0;
 *                r = ledit_feed(&e, c, &out); write(1, out.buf, out.len);
 *                if (r == LEDIT_COMPLETE) { ledit_word(...); find candidates;
 *                    out.len = 0; ledit_complete(&e, cands, n, &out); write... }
 *                else if (r != LEDIT_MORE) break; }
 *     if (r == LEDIT_DONE && line[0]) ledit_hist_add(&hist, line);
 *
 * Limits: a byte is a column (bytes >= 0x80 are inserted as they are,
 * with no UTF-8 width logic); the prompt must be printable ASCII without
 * escapes or newlines (its strlen is its width); lines wider than the
 * terminal wrap and are redrawn correctly on a terminal with VT100
 * deferred wrap (xterm and the like) as long as the whole line fits on
 * the screen; the terminal width is fixed at ledit_start.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* ledit_feed results */
#define LEDIT_MORE 0	 /* keep feeding */
#define LEDIT_DONE 1	 /* Enter: the line is complete, NUL-terminated; "\r\n" was output */
#define LEDIT_EOF 2	 /* Ctrl-D on an empty line; "\r\n" was output */
#define LEDIT_INTR 3	 /* Ctrl-C: the line is discarded (empty); "^C\r\n" was output */
#define LEDIT_COMPLETE 4 /* Tab: call ledit_word, find candidates, call ledit_complete */

/*
 * Output bytes to show. The caller sets buf/cap and len (usually 0)
 * before a call; the editor appends. Bytes that do not fit are dropped
 * and counted in lost (never an overflow). 256 + 2 * (line cap + prompt
 * length) bytes always suffice for ledit_feed; a completion list needs
 * room for the candidates' names too.
 */
struct ledit_out {
	char *buf;
	size_t len, cap;
	size_t lost;
};

/*
 * History: past lines in caller storage, oldest first, each
 * NUL-terminated, back to back. When a new line does not fit, the oldest
 * lines are dropped. Fields are private.
 */
struct ledit_hist {
	char *buf;
	size_t cap;
	size_t used;  /* bytes of buf in use */
	size_t count; /* lines stored */
};

/* Empty history in storage[0..cap). */
void ledit_hist_init(struct ledit_hist *h, char *storage, size_t cap);
/* Append line (a copy). Skips empty lines, a line equal to the newest entry,
   a line longer than the whole storage, and a line inside the storage (an
   entry from ledit_hist_get: copy it first). */
void ledit_hist_add(struct ledit_hist *h, const char *line);
/* Number of lines stored. */
size_t ledit_hist_count(const struct ledit_hist *h);
/* Line i, 0 = oldest, count-1 = newest; NULL when i >= count. */
const char *ledit_hist_get(const struct ledit_hist *h, size_t i);

/*
 * One line being edited. line, len and pos may be read by the caller
 * (line[len] is always NUL; 0 <= pos <= len <= cap - 1); the rest is
 * private.
 */
struct ledit {
	char *line;
	size_t cap, len, pos;
	char *draft; /* the edited new line while browsing history, or NULL */
	const char *prompt;
	size_t plen;
	struct ledit_hist *hist;
	size_t hidx;  /* history entry shown; == count: the new line */
	size_t shown; /* bytes of the line on the screen (for clearing) */
	int columns;
	int esc;	/* escape parser state */
	unsigned param; /* first CSI parameter */
	int after_cr;	/* the previous byte was CR (kept across ledit_start) */
	bool drawn;	/* the prompt is on the screen (ledit_redraw was called) */
};

/*
 * Begin a new, empty line in line[0..cap) (cap >= 1; at most cap - 1
 * bytes are typed). draft, if not NULL, is cap bytes where the new line
 * is kept while Up/Down show history lines (without it, coming back down
 * gives an empty line). hist may be NULL (no Up/Down). columns <= 0
 * means 80. Outputs nothing: show the prompt with ledit_redraw. The
 * struct must be zeroed before its first ledit_start (so that an LF
 * right after the CR that ended the previous line is ignored).
 */
void ledit_start(struct ledit *e, char *line, char *draft, size_t cap, const char *prompt,
		 struct ledit_hist *h, int columns);

/*
 * Feed one input byte. Keys: printable bytes and bytes >= 0x80 insert at
 * the cursor (a full line rings the bell, 0x07); Backspace (0x7f, 0x08);
 * Delete (ESC [ 3 ~); Left/Right (ESC [ D/C, ESC O D/C, Ctrl-B/F);
 * Up/Down (ESC [ A/B, ESC O A/B, Ctrl-P/N) browse history; Home/End
 * (ESC [ H/F, ESC [ 1~/4~/7~/8~, ESC O H/F, Ctrl-A/E); Ctrl-U kills to
 * the line start, Ctrl-K to the end, Ctrl-W the word before the cursor;
 * Ctrl-L clears the screen and redraws; Ctrl-D deletes under the cursor,
 * or is EOF on an empty line; Ctrl-C interrupts; Enter is CR or LF (an
 * LF right after a CR is ignored); Tab asks for completion. Other
 * control bytes and unknown escape sequences (ESC x, CSI params +
 * final byte, ESC O x) are swallowed. Returns LEDIT_*.
 */
int ledit_feed(struct ledit *e, unsigned char c, struct ledit_out *out);

/*
 * The word before the cursor, for completion: line[*start .. *start+*len)
 * ends at the cursor and starts after the previous space, tab or one of
 * | ; & < > ( ). *first is true when it is a command name: only spaces
 * before it, or the last non-space before it is | ; & or (. No quoting.
 */
void ledit_word(const struct ledit *e, size_t *start, size_t *len, bool *first);

/*
 * Complete the word ledit_word gives with n candidates, each a full
 * replacement for that word (e.g. "/etc/pa" -> "/etc/passwd"): none:
 * bell; one: replace the word with it and add a space, unless it ends in
 * '/'; several: extend the word to their longest common prefix, or if
 * that adds nothing, list them (the part after the last '/' that is not
 * the final byte) in columns on new lines and redraw the prompt and line.
 * A replacement that does not fit rings the bell.
 */
void ledit_complete(struct ledit *e, const char *const *cands, size_t n, struct ledit_out *out);

/* Show the prompt and the line again: cursor up to the prompt's row, "\r",
   prompt, line, clear to the end, cursor back to pos. Call it once after
   ledit_start to show the prompt (the cursor must then be at a row start). */
void ledit_redraw(struct ledit *e, struct ledit_out *out);
