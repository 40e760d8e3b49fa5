/*
 * futil.h - the pure parts of the file utilities (user/ls, dd, hexdump,
 * sha256sum): the `ls -l` mode string, dd's size numbers and operands,
 * hexdump's line formats with util-linux's "*" squeezing, and the lines of
 * a `sha256sum -c` list.
 *
 * No allocation, no locks, no printing: output goes into the caller's
 * buffers or through the caller's emit function. Each object (a struct
 * dd_args, a struct hexdump) is owned by its caller, one thread at a time.
 * Host tests: tests/host/test_futil.c; fuzz: tests/fuzz/fuzz_futil.c.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

/* ---- ls -l ---- */

#define FUTIL_MODE_STR_LEN 10 /* "drwxr-xr-x" */

/*
 * Spell mode (S_IF* type bits | permission bits, POSIX values) as ls -l
 * does: a type letter (d - c b p l s, ? for an unknown type), then rwx for
 * owner, group, others, with s/S for set-uid and set-gid and t/T for the
 * sticky bit. out gets 10 characters and a NUL.
 */
void futil_mode_string(unsigned int mode, char out[FUTIL_MODE_STR_LEN + 1]);

/* ---- dd ---- */

#define DD_BS_MAX (64ull << 20) /* largest block size dd accepts (it allocates one block) */

/*
 * Parse a dd number: decimal digits, then at most one suffix: c (x1),
 * w (x2), b (x512), K or k (x1024), M (x1024^2), G (x1024^3), kB (x1000),
 * MB (x1000^2), GB (x1000^3). s is NUL-terminated. 0 and *out, -E_INVAL
 * (no digits, a bad suffix) or -E_RANGE (the value does not fit 64 bits).
 */
MUST_CHECK int dd_parse_size(const char *s, uint64_t *out);

struct dd_args {
	const char *in, *out; /* if=, of= (pointers into the operands), or NULL: stdin/stdout */
	uint64_t bs;	      /* block size, 1..DD_BS_MAX; 512 by default */
	uint64_t count;	      /* blocks to copy when has_count */
	bool has_count;	      /* count= was given */
	uint64_t skip, seek;  /* input blocks to skip, output blocks to seek over */
	bool quiet;	      /* status=none */
};

/* Defaults: stdin to stdout, bs 512, every block, no skip or seek. */
void dd_args_init(struct dd_args *a);

/*
 * Apply one operand KEY=VALUE (if of bs count skip seek status; status takes
 * none or default). 0, or -E_INVAL (unknown key, no '=', bad or zero bs,
 * bs above DD_BS_MAX, a bad number or status) or -E_RANGE (too large). a
 * keeps pointers into op: op must outlive a.
 */
MUST_CHECK int dd_parse_operand(struct dd_args *a, const char *op);

/* ---- hexdump ---- */

#define HEXDUMP_LINE_MAX 96 /* bytes of the longest formatted line, NUL included */

/*
 * One line for the 1..16 bytes at b, at offset off, with its newline, into
 * out (HEXDUMP_LINE_MAX bytes); returns its length. canon: `hexdump -C`
 * ("%08x", hex bytes in two groups of 8, then |printable ASCII|);
 * otherwise the default format ("%07x", 16-bit little-endian words, the
 * last odd byte padded with zero). Short lines are padded with spaces as
 * util-linux pads them.
 */
size_t hexdump_format_line(bool canon, uint64_t off, const uint8_t *b, size_t n, char *out);

/* The last line: the offset after the input ("%08x" or "%07x") and a newline. */
size_t hexdump_format_end(bool canon, uint64_t off, char *out);

typedef void (*hexdump_emit_fn)(void *ctx, const char *s, size_t n);

/*
 * A streaming dump: hexdump_feed any pieces, then hexdump_finish. A full
 * line equal to the line before it is not printed; the first of a run of
 * such lines prints as "*" (util-linux without -v). Nothing is printed for
 * empty input.
 */
struct hexdump {
	bool canon;
	uint64_t off;	  /* offset of line[0] */
	uint8_t line[16]; /* the line being filled */
	size_t fill;	  /* bytes in line */
	uint8_t prev[16]; /* the last full line seen */
	bool have_prev;	  /* prev is valid */
	bool starred;	  /* "*" has been printed for the current run */
	hexdump_emit_fn emit;
	void *ctx;
};

void hexdump_init(struct hexdump *h, bool canon, hexdump_emit_fn emit, void *ctx);
void hexdump_feed(struct hexdump *h, const void *data, size_t len);
void hexdump_finish(struct hexdump *h);

/* ---- sha256sum -c ---- */

/*
 * Parse one line of a checksum list (without its newline; one trailing CR
 * is ignored): coreutils' "<64 hex> <space or *><name>" or the tagged
 * "SHA256 (<name>) = <64 hex>". Hex digits may be either case. 0 with the
 * digest in out and the name as [*name, *name + *name_len) inside line
 * (not NUL-terminated, never empty), or -E_INVAL for a malformed line.
 */
MUST_CHECK int sumline_parse(const char *line, size_t len, uint8_t out[32], const char **name,
			     size_t *name_len);
