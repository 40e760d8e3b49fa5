/*
 * sumline.c - one line of a `sha256sum -c` list (futil.h). Pure; no
 * state, no locks.
 */
#include <string.h>
#include "base/err.h"
#include "base/hex.h"
#include "futil/futil.h"

/* 64 hex digits at s into out; false if any is not a hex digit. */
static bool parse_digest(const char *s, uint8_t out[32])
{
	for (int i = 0; i < 32; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

int sumline_parse(const char *line, size_t len, uint8_t out[32], const char **name,
		  size_t *name_len)
{
	if (len && line[len - 1] == '\r')
		len--;
	static const char tag[] = "SHA256 (";
	size_t tlen = sizeof tag - 1;
	if (len > tlen && !memcmp(line, tag, tlen)) {
		/* "SHA256 (" name ") = " 64 hex */
		if (len < tlen + 1 + 4 + 64)
			return -E_INVAL;
		const char *tail = line + len - 64 - 4;
		if (memcmp(tail, ") = ", 4) || !parse_digest(tail + 4, out))
			return -E_INVAL;
		*name = line + tlen;
		*name_len = (size_t)(tail - *name);
		return *name_len ? 0 : -E_INVAL;
	}
	if (len < 64 + 2 + 1 || !parse_digest(line, out))
		return -E_INVAL;
	if (line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
		return -E_INVAL;
	*name = line + 66;
	*name_len = len - 66;
	return 0;
}
