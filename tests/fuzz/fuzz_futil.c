/*
 * fuzz_futil.c - libFuzzer target for the parsers of outside input in
 * lib/futil: dd operands (typed arguments) and sha256sum -c list lines
 * (file contents), plus hexdump's streaming dump of the raw bytes.
 *
 * The input is split at newlines; each piece is parsed as a checksum line
 * (exactly its bytes, no NUL added) and, NUL-terminated, as a dd operand.
 * A parsed name must lie inside the line and be non-empty; a parsed bs is
 * 1..DD_BS_MAX. The whole input is dumped in both formats in two ways (at
 * once and in uneven pieces) and the outputs must be equal, every line
 * shorter than HEXDUMP_LINE_MAX.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "futil/futil.h"

struct out {
	uint8_t hash[32];
	size_t len;
};

/* A cheap running digest of everything emitted (FNV-1a into 32 lanes). */
static void emit(void *ctx, const char *s, size_t n)
{
	struct out *o = ctx;
	if (n == 0 || n >= HEXDUMP_LINE_MAX || s[n - 1] != '\n')
		abort();
	for (size_t i = 0; i < n; i++) {
		uint8_t *h = &o->hash[(o->len + i) % 32];
		*h = (uint8_t)((*h ^ (uint8_t)s[i]) * 0x93);
	}
	o->len += n;
}

static void check_dump(const uint8_t *data, size_t size, int canon)
{
	struct out a = {0}, b = {0};
	struct hexdump h;
	hexdump_init(&h, canon, emit, &a);
	hexdump_feed(&h, data, size);
	hexdump_finish(&h);
	hexdump_init(&h, canon, emit, &b);
	for (size_t i = 0, step = 1; i < size; i += step, step = step % 23 + 1)
		hexdump_feed(&h, data + i, size - i < step ? size - i : step);
	hexdump_finish(&h);
	if (a.len != b.len || memcmp(a.hash, b.hash, sizeof a.hash))
		abort();
	if ((size == 0) != (a.len == 0))
		abort();
}

static void check_piece(const uint8_t *p, size_t n)
{
	uint8_t d[32];
	const char *name;
	size_t nlen;
	char *line = malloc(n ? n : 1);
	if (!line)
		return;
	memcpy(line, p, n);
	if (sumline_parse(line, n, d, &name, &nlen) == 0) {
		if (nlen == 0 || name < line || name + nlen > line + n)
			abort();
	}
	free(line);

	char *op = malloc(n + 1);
	if (!op)
		return;
	memcpy(op, p, n);
	op[n] = '\0';
	struct dd_args a;
	dd_args_init(&a);
	if (dd_parse_operand(&a, op) == 0) {
		if (a.bs == 0 || a.bs > DD_BS_MAX)
			abort();
		if (a.in && (a.in <= op || a.in > op + n))
			abort();
	}
	free(op);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t start = 0;
	for (size_t i = 0; i <= size; i++) {
		if (i == size || data[i] == '\n') {
			check_piece(data + start, i - start);
			start = i + 1;
		}
	}
	check_dump(data, size, 1);
	check_dump(data, size, 0);
	return 0;
}
