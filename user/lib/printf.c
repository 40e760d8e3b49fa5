/*
 * printf.c - rb_printf and friends (rb/stdio.h) over lib/fmt.
 *
 * Each call formats into a 1 KiB stack buffer (or, when the output is
 * longer, a malloc'd one) and hands the result to one rb_write, which the
 * kernel's console keeps whole. No locks.
 */
#include <string.h>
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/malloc.h"

#define SMALL_OUT 1024

int rb_vdprintf(int fd, const char *fmt, va_list ap)
{
	char small[SMALL_OUT];
	va_list again;
	va_copy(again, ap);
	int len = fmt_vsnprintf(small, sizeof(small), fmt, ap);
	char *out = small;
	if (len >= (int)sizeof(small)) {
		char *big = rb_malloc((size_t)len + 1);
		if (big) {
			fmt_vsnprintf(big, (size_t)len + 1, fmt, again);
			out = big;
		} else {
			len = sizeof(small) - 1;
		}
	}
	va_end(again);
	long r = len > 0 ? rb_write(fd, out, (size_t)len) : 0;
	if (out != small)
		rb_free(out);
	return (int)r;
}

int rb_dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = rb_vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}

int rb_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = rb_vdprintf(1, fmt, ap);
	va_end(ap);
	return r;
}

int rb_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = fmt_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

int rb_puts(const char *s)
{
	return rb_printf("%s\n", s);
}
