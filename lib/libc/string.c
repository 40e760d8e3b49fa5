/*
 * string.c - memory and string functions for the freestanding kernel and
 * for user programs (libc/ is never built for the host, which has its own;
 * tests/host/test_string.c builds this file under other names to compare it
 * with the host's).
 *
 * gcc may emit calls to memcpy/memset/memmove/memcmp on its own, so these
 * must exist and must not call themselves: the file is built with
 * -fno-builtin (see kernel.mk), and every loop that moves memory is inline
 * assembly, which gcc cannot turn back into a call. The bulk of a copy or
 * fill goes 64 bytes per loop turn as eight 8-byte moves, after single
 * bytes up to an 8-byte boundary of the destination and before the last
 * whole words and bytes. Why not rep movs/stos: QEMU's TCG runs one
 * iteration of a string instruction per pass through its translated
 * block, so a rep movsq moves 8 bytes per pass where the unrolled loop
 * moves 64 (docs/performance.md, "Copies under TCG"); on hardware without
 * ERMSB the unrolled loop is as fast as rep movsq. The short tails (0-7
 * words, 0-7 bytes) still use rep: their count is small either way.
 * The functions keep no state and take no locks; the direction flag is
 * clear on entry and on return.
 */
#include <string.h>
#include <stdint.h>

/* Below this many bytes aligning the destination first does not pay. */
#define STRING_SMALL 32
#define BLOCK 64 /* bytes per turn of the unrolled loops */

static inline void copy_bytes_up(unsigned char **d, const unsigned char **s, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(*d), "+S"(*s), "+c"(n) : : "memory");
}

static inline void copy_words_up(unsigned char **d, const unsigned char **s, size_t nwords)
{
	__asm__ volatile("rep movsq" : "+D"(*d), "+S"(*s), "+c"(nwords) : : "memory");
}

/*
 * nblocks (> 0) blocks of 64 bytes upwards, four words loaded, then
 * stored, at a time. With the destination below an overlapping source
 * (memmove's forward case) every store lands below every byte still to
 * be read.
 */
static inline void copy_blocks_up(unsigned char **d, const unsigned char **s, size_t nblocks)
{
	uint64_t a, b, c, e;
	__asm__ volatile("1:\n\t"
			 "movq 0(%[s]), %[a]\n\t"
			 "movq 8(%[s]), %[b]\n\t"
			 "movq 16(%[s]), %[c]\n\t"
			 "movq 24(%[s]), %[e]\n\t"
			 "movq %[a], 0(%[d])\n\t"
			 "movq %[b], 8(%[d])\n\t"
			 "movq %[c], 16(%[d])\n\t"
			 "movq %[e], 24(%[d])\n\t"
			 "movq 32(%[s]), %[a]\n\t"
			 "movq 40(%[s]), %[b]\n\t"
			 "movq 48(%[s]), %[c]\n\t"
			 "movq 56(%[s]), %[e]\n\t"
			 "movq %[a], 32(%[d])\n\t"
			 "movq %[b], 40(%[d])\n\t"
			 "movq %[c], 48(%[d])\n\t"
			 "movq %[e], 56(%[d])\n\t"
			 "addq $64, %[s]\n\t"
			 "addq $64, %[d]\n\t"
			 "decq %[n]\n\t"
			 "jnz 1b"
			 : [d] "+r"(*d), [s] "+r"(*s), [n] "+r"(nblocks), [a] "=&r"(a),
			   [b] "=&r"(b), [c] "=&r"(c), [e] "=&r"(e)
			 :
			 : "memory", "cc");
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
		if (n >= BLOCK)
			copy_blocks_up(&d, &s, n / BLOCK);
		n %= BLOCK;
		copy_words_up(&d, &s, n / 8);
		n &= 7;
	}
	copy_bytes_up(&d, &s, n);
	return dst;
}

/*
 * nblocks (> 0) blocks of 64 bytes downwards, ending just below *dend and
 * *send, highest word first: with the destination above an overlapping
 * source every store lands above every byte still to be read.
 */
static inline void copy_blocks_down(unsigned char **dend, const unsigned char **send,
				    size_t nblocks)
{
	uint64_t a, b, c, e;
	__asm__ volatile("1:\n\t"
			 "subq $64, %[s]\n\t"
			 "subq $64, %[d]\n\t"
			 "movq 56(%[s]), %[a]\n\t"
			 "movq 48(%[s]), %[b]\n\t"
			 "movq 40(%[s]), %[c]\n\t"
			 "movq 32(%[s]), %[e]\n\t"
			 "movq %[a], 56(%[d])\n\t"
			 "movq %[b], 48(%[d])\n\t"
			 "movq %[c], 40(%[d])\n\t"
			 "movq %[e], 32(%[d])\n\t"
			 "movq 24(%[s]), %[a]\n\t"
			 "movq 16(%[s]), %[b]\n\t"
			 "movq 8(%[s]), %[c]\n\t"
			 "movq 0(%[s]), %[e]\n\t"
			 "movq %[a], 24(%[d])\n\t"
			 "movq %[b], 16(%[d])\n\t"
			 "movq %[c], 8(%[d])\n\t"
			 "movq %[e], 0(%[d])\n\t"
			 "decq %[n]\n\t"
			 "jnz 1b"
			 : [d] "+r"(*dend), [s] "+r"(*send), [n] "+r"(nblocks), [a] "=&r"(a),
			   [b] "=&r"(b), [c] "=&r"(c), [e] "=&r"(e)
			 :
			 : "memory", "cc");
}

/*
 * Copy n bytes ending just below dend/send downwards, highest first, so an
 * overlapping destination above the source never overwrites source bytes it
 * has yet to read. The tail above dest's last 8-byte boundary goes first
 * bytewise, then whole blocks, then whole words, then the head.
 */
static void copy_down(unsigned char *dend, const unsigned char *send, size_t n)
{
	size_t tail = (uintptr_t)dend & 7;
	if (n < STRING_SMALL)
		tail = n;
	size_t blocks = (n - tail) / BLOCK;
	size_t words = (n - tail - blocks * BLOCK) / 8;
	size_t head = n - tail - blocks * BLOCK - words * 8;
	unsigned char *d = dend - 1;
	const unsigned char *s = send - 1;
	__asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(tail) : : "memory");
	d++; /* d and s are ends again */
	s++;
	if (blocks)
		copy_blocks_down(&d, &s, blocks);
	d -= 8; /* rep movsq moves the word at [rdi, rdi + 8) */
	s -= 8;
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

/* nblocks (> 0) blocks of 64 bytes of pattern at *d. */
static inline void fill_blocks(unsigned char **d, uint64_t pattern, size_t nblocks)
{
	__asm__ volatile("1:\n\t"
			 "movq %[p], 0(%[d])\n\t"
			 "movq %[p], 8(%[d])\n\t"
			 "movq %[p], 16(%[d])\n\t"
			 "movq %[p], 24(%[d])\n\t"
			 "movq %[p], 32(%[d])\n\t"
			 "movq %[p], 40(%[d])\n\t"
			 "movq %[p], 48(%[d])\n\t"
			 "movq %[p], 56(%[d])\n\t"
			 "addq $64, %[d]\n\t"
			 "decq %[n]\n\t"
			 "jnz 1b"
			 : [d] "+r"(*d), [n] "+r"(nblocks)
			 : [p] "r"(pattern)
			 : "memory", "cc");
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t pattern = 0x0101010101010101ull * (unsigned char)c;
	if (n >= STRING_SMALL) {
		size_t h = head_len(d, n);
		__asm__ volatile("rep stosb" : "+D"(d), "+c"(h) : "a"(pattern) : "memory");
		n -= (size_t)(d - (unsigned char *)dst);
		if (n >= BLOCK)
			fill_blocks(&d, pattern, n / BLOCK);
		n %= BLOCK;
		size_t words = n / 8;
		__asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
		n &= 7;
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
