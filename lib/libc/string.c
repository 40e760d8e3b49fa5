/*
 * string.c - memory and string functions for the freestanding kernel and
 * for user programs (libc/ is never built for the host, which has its own;
 * tests/host/test_string.c builds this file under other names to compare it
 * with the host's).
 *
 * gcc may emit calls to memcpy/memset/memmove/memcmp on its own, so these
 * must exist and must not call themselves: the file is built with
 * -fno-builtin (see kernel.mk). The bulk of a copy or fill goes 8 bytes at a
 * time with rep movsq/stosq, after single bytes up to an 8-byte boundary of
 * the destination and before the last 0-7 bytes: under QEMU TCG each string
 * iteration costs about the same whatever its width, and on hardware
 * without ERMSB the byte forms are slow too. The functions keep no state
 * and take no locks; the direction flag is clear on entry and on return.
 */
#include <string.h>
#include <stdint.h>

/* Below this many bytes a plain rep movsb/stosb is as good as splitting. */
#define STRING_SMALL 32

static inline void copy_bytes_up(unsigned char **d, const unsigned char **s, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(*d), "+S"(*s), "+c"(n) : : "memory");
}

static inline void copy_words_up(unsigned char **d, const unsigned char **s, size_t nwords)
{
	__asm__ volatile("rep movsq" : "+D"(*d), "+S"(*s), "+c"(nwords) : : "memory");
}

/* Bytes needed to bring p up to an 8-byte boundary, at most n. */
static inline size_t head_len(const void *p, size_t n)
{
	size_t h = (8 - ((uintptr_t)p & 7)) & 7;
	return h < n ? h : n;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (n >= STRING_SMALL) {
		size_t h = head_len(d, n);
		copy_bytes_up(&d, &s, h);
		n -= h;
		copy_words_up(&d, &s, n / 8);
		n &= 7;
	}
	copy_bytes_up(&d, &s, n);
	return dst;
}

/*
 * Copy n bytes ending just below dend/send downwards, highest first, so an
 * overlapping destination above the source never overwrites source bytes it
 * has yet to read. The tail above dest's last 8-byte boundary goes first
 * bytewise, then whole words, then the head.
 */
static void copy_down(unsigned char *dend, const unsigned char *send, size_t n)
{
	size_t tail = (uintptr_t)dend & 7;
	if (n < STRING_SMALL)
		tail = n;
	size_t words = (n - tail) / 8, head = n - tail - words * 8;
	unsigned char *d = dend - 1;
	const unsigned char *s = send - 1;
	__asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(tail) : : "memory");
	d -= 7; /* rep movsq moves the word at [rdi, rdi + 8) */
	s -= 7;
	__asm__ volatile("std; rep movsq; cld" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
	d += 7;
	s += 7;
	__asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(head) : : "memory");
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n); /* forward copy never reads what it wrote */
	copy_down(d + n, s + n, n);
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t pattern = 0x0101010101010101ull * (unsigned char)c;
	if (n >= STRING_SMALL) {
		size_t h = head_len(d, n), words = (n - h) / 8;
		__asm__ volatile("rep stosb" : "+D"(d), "+c"(h) : "a"(pattern) : "memory");
		__asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
		n = (n - ((uintptr_t)d - (uintptr_t)dst));
	}
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(pattern) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	for (size_t i = 0; i < n; i++)
		if (p[i] == (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strcpy(char *restrict dst, const char *restrict src)
{
	char *d = dst;
	while ((*d++ = *src++))
		;
	return dst;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;
	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}
