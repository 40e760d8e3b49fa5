/*
 * stdio_impl.h - struct libc_file and the unlocked stream primitives that
 * stdio.c, stdio_read.c and printf.c share (not installed).
 *
 * A FILE is owned by whoever opened it; every field is guarded by its
 * lock (f->lock), which each public call takes for its whole duration.
 * The list of open streams (for fflush(NULL) and exit) has its own lock,
 * always taken before a stream's, never while holding one.
 */
#pragma once
#include <stdio.h>
#include "rb/thread.h"

#define F_READ 1     /* opened for reading */
#define F_WRITE 2    /* opened for writing */
#define F_EOF 4	     /* end-of-file indicator */
#define F_ERR 8	     /* error indicator */
#define F_STATIC 16  /* stdin/stdout/stderr: never freed */
#define F_OWNBUF 32  /* buf came from malloc here */
#define F_MODESET 64 /* mode decided (stdout asks isatty on first use) */

struct libc_file {
	struct rb_mutex lock;
	int fd;
	int flags;
	int mode;  /* _IOFBF, _IOLBF, _IONBF */
	int ungot; /* a byte pushed back by ungetc, or EOF */
	unsigned char *buf;
	size_t size;
	size_t rpos, rlen;	       /* unread input: buf[rpos..rlen) */
	size_t wlen;		       /* pending output: buf[0..wlen) */
	unsigned char one;	       /* the buffer of an unbuffered stream's reads */
	struct libc_file *prev, *next; /* the open list */
};

/* Write n bytes to f through its buffer; bytes accepted (short on error). Lock held. */
size_t libc_fwrite_unlocked(FILE *f, const void *p, size_t n);
/* Write out f's pending output; 0 or EOF (error indicator set). Lock held. */
int libc_fflush_unlocked(FILE *f);
