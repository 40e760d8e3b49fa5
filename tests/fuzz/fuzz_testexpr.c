/*
 * fuzz_testexpr.c - libFuzzer target for test(1)'s expression evaluator
 * and sleep's duration parser (lib/cmdutil).
 *
 * The input is split at NUL bytes into at most 64 words (each its own
 * copy, so ASan sees a read past a word's end); the file callbacks answer
 * from the word's first byte. The result must be 0, 1 or 2; an error
 * comes with a non-empty NUL-terminated message that fits its buffer, a
 * success with an empty one. Each word is also parsed as a duration: a
 * success is at most DURATION_MAX_NS.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cmdutil/duration.h"
#include "cmdutil/testexpr.h"

#define MAXW 64

static enum testexpr_type f_stat(void *ctx, const char *p, long long *size)
{
	*size = (unsigned char)p[0];
	return (enum testexpr_type)((unsigned char)p[0] % 4);
}

static bool f_access(void *ctx, const char *p, char how)
{
	return ((unsigned char)p[0] & 1) != 0;
}

static bool f_isatty(void *ctx, int fd)
{
	return fd == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct testexpr_ops ops = {NULL, f_stat, f_access, f_isatty};
	char *words[MAXW];
	char err[48];
	int n = 0, r;
	size_t at = 0;

	while (at <= size && n < MAXW) {
		const uint8_t *z = memchr(data + at, 0, size - at);
		size_t len = z ? (size_t)(z - (data + at)) : size - at;

		words[n] = malloc(len + 1);
		if (!words[n])
			abort();
		memcpy(words[n], data + at, len);
		words[n][len] = '\0';
		n++;
		at += len + 1;
		if (!z)
			break;
	}
	memset(err, 0x5a, sizeof err);
	r = testexpr_eval((const char *const *)words, n, &ops, err, sizeof err);
	if (r < 0 || r > 2)
		abort();
	if (!memchr(err, 0, sizeof err))
		abort();
	if ((r == TESTEXPR_ERROR) != (err[0] != '\0'))
		abort();
	for (int i = 0; i < n; i++) {
		uint64_t ns;

		if (duration_parse(words[i], &ns) == 0 && ns > DURATION_MAX_NS)
			abort();
		free(words[i]);
	}
	return 0;
}
