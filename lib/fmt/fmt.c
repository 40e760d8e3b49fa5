/*
 * fmt.c - the one printf engine (see fmt.h for the supported conversions).
 *
 * Output goes through a small cursor that counts every character but stores
 * only what fits, so truncation never overruns and the return value still
 * tells the caller how much room the full text needs.
 */
#include <stdint.h>
#include <stdbool.h>
#include "fmt/fmt.h"

struct out {
	char *buf;
	size_t cap;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void put_n(struct out *o, char c, int count)
{
	while (count-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec; /* -1: none */
};

/* Emit digits of v in base with sign/prefix, padded per spec. */
static void put_uint(struct out *o, const struct spec *s, uint64_t v, unsigned base, bool upper,
		     char sign, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int nd = 0;
	if (v == 0 && s->prec != 0)
		tmp[nd++] = '0';
	while (v) {
		tmp[nd++] = digits[v % base];
		v /= base;
	}
	int zeros = s->prec > nd ? s->prec - nd : 0;
	int plen = 0;
	while (prefix[plen])
		plen++;
	int body = nd + zeros + plen + (sign ? 1 : 0);
	int pad = s->width > body ? s->width - body : 0;
	if (s->zero && !s->left && s->prec < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!s->left)
		put_n(o, ' ', pad);
	if (sign)
		put(o, sign);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	put_n(o, '0', zeros);
	while (nd)
		put(o, tmp[--nd]);
	if (s->left)
		put_n(o, ' ', pad);
}

static void put_str(struct out *o, const struct spec *s, const char *str)
{
	if (!str)
		str = "(null)";
	int len = 0;
	while (str[len] && (s->prec < 0 || len < s->prec))
		len++;
	int pad = s->width > len ? s->width - len : 0;
	if (!s->left)
		put_n(o, ' ', pad);
	for (int i = 0; i < len; i++)
		put(o, str[i]);
	if (s->left)
		put_n(o, ' ', pad);
}

enum lenmod { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_MAX };

static const char *parse_len(const char *f, enum lenmod *lm)
{
	*lm = LEN_INT;
	switch (*f) {
	case 'h':
		if (f[1] == 'h') {
			*lm = LEN_CHAR;
			return f + 2;
		}
		*lm = LEN_SHORT;
		return f + 1;
	case 'l':
		if (f[1] == 'l') {
			*lm = LEN_LLONG;
			return f + 2;
		}
		*lm = LEN_LONG;
		return f + 1;
	case 'z':
		*lm = LEN_SIZE;
		return f + 1;
	case 't':
		*lm = LEN_PTRDIFF;
		return f + 1;
	case 'j':
		*lm = LEN_MAX;
		return f + 1;
	default:
		return f;
	}
}

static int64_t arg_signed(va_list *ap, enum lenmod lm)
{
	switch (lm) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return (int64_t)va_arg(*ap, size_t);
	case LEN_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	case LEN_MAX:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static uint64_t arg_unsigned(va_list *ap, enum lenmod lm)
{
	switch (lm) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	case LEN_PTRDIFF:
		return (uint64_t)va_arg(*ap, ptrdiff_t);
	case LEN_MAX:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned);
	}
}

static const char *parse_num(const char *f, va_list *ap, int *val)
{
	if (*f == '*') {
		*val = va_arg(*ap, int);
		return f + 1;
	}
	int v = 0;
	while (*f >= '0' && *f <= '9' && v < 100000)
		v = v * 10 + (*f++ - '0');
	*val = v;
	return f;
}

int fmt_vsnprintf(char *buf, size_t n, const char *f, va_list ap_in)
{
	struct out o = {buf, n, 0};
	va_list ap;
	va_copy(ap, ap_in);
	while (*f) {
		if (*f != '%') {
			put(&o, *f++);
			continue;
		}
		f++;
		struct spec s = {.prec = -1};
		for (;; f++) {
			if (*f == '-')
				s.left = true;
			else if (*f == '0')
				s.zero = true;
			else if (*f == '+')
				s.plus = true;
			else if (*f == ' ')
				s.space = true;
			else if (*f == '#')
				s.alt = true;
			else
				break;
		}
		f = parse_num(f, &ap, &s.width);
		if (s.width < 0) {
			s.left = true;
			s.width = -s.width;
		}
		if (*f == '.') {
			f = parse_num(f + 1, &ap, &s.prec);
			if (s.prec < 0)
				s.prec = -1;
		}
		enum lenmod lm;
		f = parse_len(f, &lm);
		char c = *f ? *f++ : '\0';
		switch (c) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(&ap, lm);
			char sign = v < 0 ? '-' : s.plus ? '+' : s.space ? ' ' : 0;
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			put_uint(&o, &s, mag, 10, false, sign, "");
			break;
		}
		case 'u':
			put_uint(&o, &s, arg_unsigned(&ap, lm), 10, false, 0, "");
			break;
		case 'x':
		case 'X': {
			uint64_t v = arg_unsigned(&ap, lm);
			put_uint(&o, &s, v, 16, c == 'X', 0,
				 s.alt && v ? (c == 'X' ? "0X" : "0x") : "");
			break;
		}
		case 'o':
			put_uint(&o, &s, arg_unsigned(&ap, lm), 8, false, 0, s.alt ? "0" : "");
			break;
		case 'p':
			put_uint(&o, &s, (uintptr_t)va_arg(ap, void *), 16, false, 0, "0x");
			break;
		case 's':
			put_str(&o, &s, va_arg(ap, const char *));
			break;
		case 'c': {
			char ch[2] = {(char)va_arg(ap, int), 0};
			struct spec cs = s;
			cs.prec = 1;
			if (ch[0] == 0) { /* a NUL char still counts as one */
				put_n(&o, ' ', s.left ? 0 : s.width - 1);
				put(&o, 0);
				put_n(&o, ' ', s.left ? s.width - 1 : 0);
			} else {
				put_str(&o, &cs, ch);
			}
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0': /* lone '%' at the end: print nothing more */
			break;
		default: /* unknown conversion: show it literally */
			put(&o, '%');
			put(&o, c);
			break;
		}
	}
	va_end(ap);
	if (n)
		buf[o.len < n ? o.len : n - 1] = '\0';
	return (int)o.len;
}

int fmt_snprintf(char *buf, size_t n, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int r = fmt_vsnprintf(buf, n, f, ap);
	va_end(ap);
	return r;
}
