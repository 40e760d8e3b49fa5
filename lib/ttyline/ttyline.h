/*
 * ttyline.h - read one line typed on a raw console, a byte at a time: the
 * user name at getty's and login's prompts and the password (no echo).
 * The console does no echo or editing itself (docs/console.md), so this
 * says what to echo back for each byte.
 *
 * Bytes: CR or LF ends the line, and an LF right after the CR that ended
 * the previous line is skipped (CR LF is one Enter; skip_lf at the start
 * says the previous line, maybe read by another program, ended in CR or
 * is unknown). Backspace (0x08) and DEL (0x7f) erase the last byte (echo
 * "\b \b"), Ctrl-U erases the whole line, Ctrl-D on an empty line is end
 * of input. An escape sequence (ESC, then '[' or 'O' and bytes up to a
 * final byte 0x40..0x7e, such as an arrow key) is dropped whole; so is
 * ESC and one other byte. Other control bytes are ignored. Printable
 * bytes and bytes >= 0x80 are kept, up to cap - 1 of them; more are
 * dropped and the line is marked too_long (the caller refuses it).
 *
 * Pure: no I/O, no allocation, no locks; the caller owns the state and
 * the buffer and feeds bytes from one thread.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

enum ttyline_result {
	TTYLINE_MORE, /* keep feeding */
	TTYLINE_DONE, /* Enter: buf holds the line, NUL-terminated, len bytes */
	TTYLINE_EOF,  /* Ctrl-D on an empty line */
};

#define TTYLINE_ECHO_MAX 4 /* bytes one feed may ask to echo */

struct ttyline {
	char *buf;
	size_t cap, len; /* buffer size (>= 1), bytes kept */
	bool echo;	 /* echo kept bytes (false for a password) */
	bool too_long;	 /* bytes were dropped for lack of room */
	bool skip_lf;	 /* the previous line ended in CR: drop one LF */
	int esc;	 /* 0, 1 after ESC, 2 inside ESC [ or ESC O */
};

/* Start a new line into buf[0..cap) (cap >= 1); skip_lf: drop an LF that comes first. */
void ttyline_start(struct ttyline *t, char *buf, size_t cap, bool echo, bool skip_lf);

/*
 * Feed byte c: the bytes to echo go to out[0..*nout) (at most
 * TTYLINE_ECHO_MAX; for the line's end "\n"). After DONE or EOF call
 * ttyline_start again for the next line (skip_lf from ttyline_ended_cr).
 */
enum ttyline_result ttyline_feed(struct ttyline *t, unsigned char c, char *out, size_t *nout);

/* Whether the line that just ended was ended by a CR (an LF may follow). */
bool ttyline_ended_cr(const struct ttyline *t);
