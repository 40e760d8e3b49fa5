/*
 * printf.c - the printf family on lib/fmt (fmt_vsnprintf).
 *
 * A stream's output is formatted whole first (on the stack, or in a
 * malloc'd buffer when it is longer than FMT_STACK) and then written
 * under the stream's lock, so one printf is never torn by another
 * thread's. No floating point (lib/fmt has none).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "fmt/fmt.h"
#include "stdio_impl.h"

#define FMT_STACK 512

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	return fmt_vsnprintf(buf, n, fmt, ap);
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return fmt_vsnprintf(buf, SIZE_MAX / 2, fmt, ap);
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = fmt_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}

int vasprintf(char **out, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = fmt_vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	*out = malloc((size_t)n + 1);
	if (!*out)
		return -1;
	return fmt_vsnprintf(*out, (size_t)n + 1, fmt, ap);
}

int asprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(out, fmt, ap);
	va_end(ap);
	return r;
}

/* Format into small (FMT_STACK bytes) or a malloc'd buffer (*heap, to free); length or -1. */
static int format(char *small, char **heap, const char **text, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = fmt_vsnprintf(small, FMT_STACK, fmt, ap2);
	va_end(ap2);
	*heap = NULL;
	*text = small;
	if (n < FMT_STACK)
		return n;
	if (vasprintf(heap, fmt, ap) < 0)
		return -1;
	*text = *heap;
	return n;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	char small[FMT_STACK], *heap;
	const char *text;
	int n = format(small, &heap, &text, fmt, ap);
	if (n < 0)
		return -1;
	rb_mutex_lock(&f->lock);
	size_t done = libc_fwrite_unlocked(f, text, (size_t)n);
	rb_mutex_unlock(&f->lock);
	free(heap);
	return done == (size_t)n ? n : -1;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	char small[FMT_STACK], *heap;
	const char *text;
	int n = format(small, &heap, &text, fmt, ap);
	if (n < 0)
		return -1;
	ssize_t w = write(fd, text, (size_t)n);
	free(heap);
	return w < 0 ? -1 : (int)w;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}
