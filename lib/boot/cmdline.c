/*
 * cmdline.c - split the kernel command line into flags and key=value pairs.
 *
 * cmdline_parse() copies and splits in one pass: each word is written into
 * out->buf as "key\0value\0" (quotes dropped), so the output never needs
 * more room than the input plus one byte per word, and a line shorter than
 * the buffer always fits. Lookups are linear scans over at most 32 words,
 * from the end so that a repeated key's last value wins.
 *
 * No locking, no allocation; the caller owns struct cmdline.
 */
#include <string.h>
#include "base/err.h"
#include "boot/cmdline.h"
#include "fmt/fmt.h"

static bool cmdline_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int cmdline_fail(struct cmdline *out, int err, const char *why, size_t pos)
{
	out->nopts = 0;
	fmt_snprintf(out->error, sizeof(out->error), "%s at byte %zu", why, pos);
	return err;
}

int cmdline_parse(const char *s, struct cmdline *out)
{
	size_t len = 0, i = 0, o = 0;

	memset(out, 0, sizeof(*out));
	if (!s)
		return 0;
	while (s[len]) {
		if (++len >= CMDLINE_MAX_LEN) {
			fmt_snprintf(out->error, sizeof(out->error),
				     "command line longer than %d bytes", CMDLINE_MAX_LEN - 1);
			return -E_2BIG;
		}
	}
	/*
	 * Room: a word of n input bytes takes at most n + 1 output bytes (a
	 * bare flag's value points at its key's NUL; '=' becomes a NUL and one
	 * more NUL ends the value), and every word but the last is followed by
	 * a space, so the output needs at most len + 1 <= CMDLINE_MAX_LEN.
	 */
	for (;;) {
		struct cmdline_opt *opt;

		while (i < len && cmdline_space(s[i]))
			i++;
		if (i == len)
			break;
		if (out->nopts == CMDLINE_MAX_OPTS) {
			out->nopts = 0;
			fmt_snprintf(out->error, sizeof(out->error), "more than %d options",
				     CMDLINE_MAX_OPTS);
			return -E_2BIG;
		}
		if (s[i] == '=' || s[i] == '"')
			return cmdline_fail(out, -E_INVAL, "word without a key", i);
		opt = &out->opts[out->nopts];
		opt->key = &out->buf[o];
		while (i < len && !cmdline_space(s[i]) && s[i] != '=') {
			if (s[i] == '"')
				return cmdline_fail(out, -E_INVAL, "quote inside a key", i);
			out->buf[o++] = s[i++];
		}
		out->buf[o++] = 0;
		if (i == len || s[i] != '=') {
			opt->value = &out->buf[o - 1];
			opt->bare = true;
			out->nopts++;
			continue;
		}
		i++; /* '=' */
		opt->value = &out->buf[o];
		if (i < len && s[i] == '"') {
			i++;
			while (i < len && s[i] != '"')
				out->buf[o++] = s[i++];
			if (i == len)
				return cmdline_fail(out, -E_INVAL, "unterminated quote", i);
			i++; /* closing quote */
			if (i < len && !cmdline_space(s[i]))
				return cmdline_fail(out, -E_INVAL, "text after a closing quote", i);
		} else {
			while (i < len && !cmdline_space(s[i])) {
				if (s[i] == '"')
					return cmdline_fail(out, -E_INVAL, "quote inside a value",
							    i);
				out->buf[o++] = s[i++];
			}
		}
		out->buf[o++] = 0;
		out->nopts++;
	}
	return 0;
}

/* Last option named key, or NULL. */
static const struct cmdline_opt *cmdline_find(const struct cmdline *cl, const char *key)
{
	size_t i = cl->nopts;

	while (i-- > 0)
		if (!strcmp(cl->opts[i].key, key))
			return &cl->opts[i];
	return NULL;
}

const char *cmdline_get(const struct cmdline *cl, const char *key)
{
	const struct cmdline_opt *o = cmdline_find(cl, key);

	return o ? o->value : NULL;
}

bool cmdline_flag(const struct cmdline *cl, const char *key)
{
	const struct cmdline_opt *o = cmdline_find(cl, key);
	static const char *const off[] = {"0", "no", "off", "false"};
	size_t i;

	if (!o)
		return false;
	if (o->bare)
		return true;
	for (i = 0; i < ARRAY_SIZE(off); i++)
		if (!strcmp(o->value, off[i]))
			return false;
	return true;
}

/* Numeric value of digit c in base 16 (or >= 16 if not a digit). */
static unsigned cmdline_digit(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned)(c - 'A' + 10);
	return 16;
}

int cmdline_parse_u64(const char *s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -E_INVAL;
	for (; *s; s++) {
		unsigned d = cmdline_digit(*s);

		if (d >= base)
			return -E_INVAL;
		if (v > (UINT64_MAX - d) / base)
			return -E_RANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int cmdline_get_u64(const struct cmdline *cl, const char *key, uint64_t *out)
{
	const struct cmdline_opt *o = cmdline_find(cl, key);

	if (!o)
		return -E_NOENT;
	return cmdline_parse_u64(o->value, out);
}

int cmdline_get_range(const struct cmdline *cl, const char *key, uint64_t min, uint64_t max,
		      uint64_t *out)
{
	uint64_t v;
	int err = cmdline_get_u64(cl, key, &v);

	if (err == -E_RANGE) {
		*out = max; /* only a too-large number overflows */
		return -E_RANGE;
	}
	if (err < 0)
		return err;
	if (v < min || v > max) {
		*out = v < min ? min : max;
		return -E_RANGE;
	}
	*out = v;
	return 0;
}

size_t cmdline_cut(const char *s)
{
	size_t len = 0, cut = 0;

	if (!s)
		return 0;
	while (s[len] && len < CMDLINE_MAX_LEN)
		len++;
	if (len < CMDLINE_MAX_LEN)
		return len;
	/* s is too long: end after the last word that ends before the limit */
	for (size_t i = 1; i < CMDLINE_MAX_LEN; i++)
		if (cmdline_space(s[i]) && !cmdline_space(s[i - 1]))
			cut = i;
	return cut;
}

size_t cmdline_count(const struct cmdline *cl)
{
	return cl->nopts;
}

const struct cmdline_opt *cmdline_opt_at(const struct cmdline *cl, size_t i)
{
	return i < cl->nopts ? &cl->opts[i] : NULL;
}
