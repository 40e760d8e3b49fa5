/*
 * svctab.c - parse init:/services and lay it out as columns (see
 * svctab.h). Stateless: rows and text buffers are the caller's.
 */
#include <string.h>
#include "sysfmt/svctab.h"
#include "sysfmt/sysfmt.h"
#include "base/err.h"
#include "fmt/fmt.h"

static const char *const states[] = {"running", "ready", "exited", "failed", "stopped", "waiting"};

/* Parse a decimal without sign or leading zero, at most max, from s[0..n): 0 or -E_INVAL. */
static int parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
		return -E_INVAL;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -E_INVAL;
		uint64_t d = (uint64_t)(s[i] - '0');
		if (v > (max - d) / 10)
			return -E_INVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* A number up to max, or "-" (SVCTAB_NONE) when dash_ok: 0 or -E_INVAL. */
static int parse_field(const char *s, size_t n, uint64_t max, bool dash_ok, int64_t *out)
{
	if (n == 1 && s[0] == '-') {
		if (!dash_ok)
			return -E_INVAL;
		*out = SVCTAB_NONE;
		return 0;
	}
	uint64_t v;
	if (parse_u64(s, n, max, &v) < 0)
		return -E_INVAL;
	*out = (int64_t)v;
	return 0;
}

int svc_row_parse(const char *line, size_t len, struct svc_row *out, const char **why)
{
	const char *f[6];
	size_t fl[6], nf = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && line[i] != ' ')
			continue;
		if (nf == 6) {
			*why = "more than 6 fields";
			return -E_INVAL;
		}
		f[nf] = line + start;
		fl[nf++] = i - start;
		start = i + 1;
	}
	if (nf != 6) {
		*why = "fewer than 6 fields";
		return -E_INVAL;
	}
	memset(out, 0, sizeof *out);
	if (fl[0] == 0 || fl[0] > SVCTAB_NAME_MAX) {
		*why = fl[0] ? "name too long" : "empty field";
		return -E_INVAL;
	}
	for (size_t i = 0; i < fl[0]; i++)
		if (f[0][i] <= ' ' || f[0][i] > '~') {
			*why = "name not printable ASCII";
			return -E_INVAL;
		}
	memcpy(out->name, f[0], fl[0]);
	bool known = false;
	for (size_t k = 0; k < sizeof states / sizeof states[0]; k++)
		if (fl[1] == strlen(states[k]) && memcmp(f[1], states[k], fl[1]) == 0) {
			memcpy(out->state, f[1], fl[1]);
			known = true;
		}
	if (!known) {
		*why = "unknown state";
		return -E_INVAL;
	}
	int64_t pid, restarts, uptime, last;
	if (parse_field(f[2], fl[2], 2147483647, true, &pid) < 0 || pid == 0) {
		*why = "bad pid";
		return -E_INVAL;
	}
	if (parse_field(f[3], fl[3], 4294967295u, false, &restarts) < 0) {
		*why = "bad restarts";
		return -E_INVAL;
	}
	if (fl[4] > 18 || parse_field(f[4], fl[4], 999999999999999999ull, true, &uptime) < 0) {
		*why = "bad uptime";
		return -E_INVAL;
	}
	if (parse_field(f[5], fl[5], 255, true, &last) < 0) {
		*why = "bad last_exit";
		return -E_INVAL;
	}
	out->pid = (int32_t)pid;
	out->restarts = (uint32_t)restarts;
	out->uptime = uptime;
	out->last_exit = (int32_t)last;
	return 0;
}

int svctab_parse(const char *text, size_t len, struct svc_row *rows, size_t max, unsigned *bad_line,
		 const char **why)
{
	size_t n = 0, pos = 0;
	unsigned line = 0;
	while (pos < len) {
		line++;
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - pos;
		if (l && text[pos + l - 1] == '\r')
			l--;
		if (l) {
			if (n == max) {
				*bad_line = line;
				*why = "too many services";
				return -E_NOSPC;
			}
			if (svc_row_parse(text + pos, l, &rows[n], why) < 0) {
				*bad_line = line;
				return -E_INVAL;
			}
			n++;
		}
		pos = end + 1;
	}
	return (int)n;
}

/* A bounded appender: len counts every byte asked for, cap bounds what is stored. */
struct outbuf {
	char *p;
	size_t cap, len;
};

static void put(struct outbuf *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, o->len++)
		if (o->cap && o->len < o->cap - 1)
			o->p[o->len] = s[i];
}

static void put_pad(struct outbuf *o, const char *s, size_t w, bool right)
{
	size_t n = strlen(s);
	if (right)
		for (size_t i = n; i < w; i++)
			put(o, " ", 1);
	put(o, s, n);
	if (!right)
		for (size_t i = n; i < w; i++)
			put(o, " ", 1);
}

#define COLS 6

/* Cell c of row r into buf (24 bytes hold the longest). */
static void cell(const struct svc_row *r, int c, char *buf, size_t cap)
{
	switch (c) {
	case 0:
		fmt_snprintf(buf, cap, "%s", r->name);
		break;
	case 1:
		fmt_snprintf(buf, cap, "%s", r->state);
		break;
	case 2:
		if (r->pid == SVCTAB_NONE)
			fmt_snprintf(buf, cap, "-");
		else
			fmt_snprintf(buf, cap, "%d", (int)r->pid);
		break;
	case 3:
		fmt_snprintf(buf, cap, "%u", (unsigned)r->restarts);
		break;
	case 4:
		if (r->uptime == SVCTAB_NONE)
			fmt_snprintf(buf, cap, "-");
		else
			fmt_snprintf(buf, cap, "%lld", (long long)r->uptime);
		break;
	default:
		if (r->last_exit == SVCTAB_NONE)
			fmt_snprintf(buf, cap, "-");
		else
			fmt_snprintf(buf, cap, "%d", (int)r->last_exit);
		break;
	}
}

size_t svctab_format(const struct svc_row *rows, size_t n, bool header, char *out, size_t cap)
{
	static const char *const heads[COLS] = {"NAME",	    "STATE",  "PID",
						"RESTARTS", "UPTIME", "LAST-EXIT"};
	size_t w[COLS];
	char buf[40];
	for (int c = 0; c < COLS; c++) {
		w[c] = header ? strlen(heads[c]) : 1;
		for (size_t i = 0; i < n; i++) {
			cell(&rows[i], c, buf, sizeof buf);
			if (strlen(buf) > w[c])
				w[c] = strlen(buf);
		}
	}
	struct outbuf o = {out, cap, 0};
	for (size_t i = header ? 0 : 1; i <= n; i++) {
		for (int c = 0; c < COLS; c++) {
			if (i == 0)
				fmt_snprintf(buf, sizeof buf, "%s", heads[c]);
			else
				cell(&rows[i - 1], c, buf, sizeof buf);
			if (c)
				put(&o, "  ", 2);
			put_pad(&o, buf, w[c], c >= 2);
		}
		put(&o, "\n", 1);
	}
	if (cap)
		out[o.len < cap ? o.len : cap - 1] = 0;
	return o.len;
}
