/*
 * status.c - a probing driver's status line into a struct drv_status
 * (drvmgr.h): "ready [MODE]", "defer [REASON]", "unsupported [REASON]",
 * "fatal [REASON]".
 *
 * The line comes from a driver, so it is outside input: it is bounded
 * (DRV_STATUS_LINE_MAX bytes without its line end), the word must be one
 * of the four exactly, and the free text after it is made printable
 * ASCII ('?' for anything else) and cut to what the struct holds, so the
 * daemon can print it as it is.
 *
 * Pure: no allocation, no locks.
 */
#include <string.h>
#include "base/err.h"
#include "drvmgr/drvmgr.h"

static const char *const words[] = {"ready", "defer", "unsupported", "fatal"};

/* Copy s[0..n) into out[0..cap) (cap >= 1), at most cap - 1 bytes, unprintable bytes as '?'. */
static void copy_text(char *out, size_t cap, const char *s, size_t n)
{
	size_t i = 0;
	for (; i < n && i < cap - 1; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
}

int drv_status_parse(const char *line, size_t len, struct drv_status *out)
{
	if (!line)
		return -E_INVAL;
	/* one line end: "\n", "\r\n" or "\r" */
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[len - 1] == '\r')
		len--;
	if (len == 0 || len > DRV_STATUS_LINE_MAX)
		return -E_INVAL;
	const char *sp = memchr(line, ' ', len);
	size_t wlen = sp ? (size_t)(sp - line) : len;
	for (size_t k = 0; k < ARRAY_SIZE(words); k++) {
		if (strlen(words[k]) != wlen || memcmp(line, words[k], wlen) != 0)
			continue;
		const char *rest = sp ? sp + 1 : line + len;
		size_t rlen = (size_t)(line + len - rest);
		memset(out, 0, sizeof *out);
		out->kind = (enum drv_status_kind)k;
		if (out->kind == DRV_ST_READY)
			copy_text(out->mode, sizeof out->mode, rest, rlen);
		else
			copy_text(out->reason, sizeof out->reason, rest, rlen);
		return 0;
	}
	return -E_INVAL;
}

const char *drv_status_name(enum drv_status_kind k)
{
	return (unsigned)k < ARRAY_SIZE(words) ? words[k] : "?";
}
