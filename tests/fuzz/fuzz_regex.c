/*
 * fuzz_regex.c - libFuzzer target for the regular expression compiler
 * and matcher (lib/regex).
 *
 * Input: one byte of flags (ICASE, EXTENDED, LITERAL, WORD), then the pattern
 * up to the first 0x01 byte, then the text (the rest), each exactly its
 * bytes in their own heap copy, so ASan catches a read past either end.
 * The pattern is compiled into a buffer of REGEX_SIZE_DEFAULT bytes and,
 * when that is too small, must then fail the same way in a smaller one.
 * An error must carry a message and a position inside the pattern. A
 * compiled program is run over the text: re_match and re_search agree,
 * the span lies inside the text, a search from the match's start finds
 * the same span (leftmost-longest is stable), and every run stays within
 * the documented bound of insts * (len + 1) closure steps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "regex/regex.h"

static uint64_t buf[REGEX_SIZE_DEFAULT / 8];

static void check_steps(const struct regex *re, size_t len)
{
	if (regex_steps(re) > (uint64_t)regex_insts(re) * (len + 1))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned flags = data[0] & 15;
	const uint8_t *rest = data + 1, *sep = memchr(rest, 1, size - 1);
	size_t plen = sep ? (size_t)(sep - rest) : size - 1;
	size_t tlen = sep ? size - 1 - plen - 1 : 0;
	char *pat = malloc(plen + 1), *text = malloc(tlen + 1);
	memcpy(pat, rest, plen);
	if (tlen)
		memcpy(text, sep + 1, tlen);
	struct regex *re = (struct regex *)buf;
	struct regex_error err = {0};
	int rc = regex_compile(re, sizeof buf, pat, plen, flags, &err);
	if (rc) {
		if ((rc != -E_INVAL && rc != -E_NOSPC) || !err.msg || !err.msg[0] || err.pos > plen)
			abort();
		if (rc == -E_NOSPC && regex_compile(re, 4096, pat, plen, flags, &err) != -E_NOSPC)
			abort();
		goto out;
	}
	bool m = regex_match(re, text, tlen);
	check_steps(re, tlen);
	size_t so, eo, so2, eo2;
	bool s = regex_search(re, text, tlen, 0, &so, &eo);
	check_steps(re, tlen);
	if (m != s)
		abort();
	if (s) {
		if (so > eo || eo > tlen)
			abort();
		if (so > 0) {
			if (!regex_search(re, text, tlen, so, &so2, &eo2) || so2 != so || eo2 != eo)
				abort();
			check_steps(re, tlen);
		}
	}
out:
	free(pat);
	free(text);
	return 0;
}
