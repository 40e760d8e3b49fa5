/*
 * logline.h - how the kernel log lays out kernel messages and programs'
 * console output on its two outputs: the ring (dmesg) and the consoles
 * (serial port, screen). docs/console.md.
 *
 * A kernel message gets the time prefix at each line start on both
 * outputs. A program's bytes go to the consoles exactly as written and
 * to the ring with the prefix at each line start. The state remembers
 * who left the current line unfinished: a kernel message that comes
 * while a program's line is half-written (a prompt) first ends that line
 * with "\n" on both outputs, and so do a program's bytes after a kernel
 * message without its "\n"; pieces from the same side continue the line.
 *
 * Pure: the caller holds its log lock around every call on one state and
 * gives the outputs and the prefix as callbacks; no allocation.
 */
#pragma once
#include <stddef.h>

enum logline_who { LOGLINE_KERNEL, LOGLINE_USER };

struct logline {
	int state; /* LOGLINE_AT_START or who left the line unfinished */
};

#define LOGLINE_INIT                                                                               \
	{                                                                                          \
		0                                                                                  \
	}
#define LOGLINE_PREFIX_MAX 32 /* bytes of the prefix the stamp callback may write */

struct logline_out {
	void (*ring)(void *ctx, const char *s, size_t n);
	void (*console)(void *ctx, const char *s, size_t n);
	/* Write the line prefix into buf (LOGLINE_PREFIX_MAX bytes): its length. */
	size_t (*stamp)(void *ctx, char *buf);
	void *ctx;
};

/* Lay out s[0..n) written by who onto out's ring and consoles. */
void logline_write(struct logline *l, enum logline_who who, const char *s, size_t n,
		   const struct logline_out *out);
