/*
 * malloc.c - first-fit heap over rb_mmap (rb/malloc.h).
 *
 * Every block starts with a 16-byte header: its total size (header
 * included, a multiple of 16) and a tag (BLK_USED, BLK_FREE, BLK_BIG).
 * Free blocks form one list sorted by address, kept in the first payload
 * word; rb_free inserts in order and merges with the neighbours that touch
 * it, so the list never holds two adjacent blocks. When no block fits, a
 * new arena of at least ARENA_SIZE bytes is mapped and added to the list.
 * Requests of BIG_SIZE or more get a mapping of their own (BLK_BIG),
 * unmapped on free. One spinlock guards the list.
 */
#include <stdint.h>
#include <string.h>
#include "rb/malloc.h"
#include "rb/sys.h"
#include "rb/stdio.h"
#include "rb/thread.h"

#define HDR 16
#define MIN_BLOCK 32
#define ARENA_SIZE (256 * 1024)
#define BIG_SIZE (128 * 1024)
#define PAGE 4096

#define BLK_USED 0x75736564u
#define BLK_FREE 0x66726565u
#define BLK_BIG 0x62696721u

struct block {
	size_t size;
	uint32_t tag;
	uint32_t pad;
	struct block *next; /* free blocks only: overlaps the payload */
};

static struct block *free_list;
static struct rb_spinlock heap_lock = RB_SPINLOCK_INIT;

static size_t round_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* Insert b into the address-ordered free list and merge it with its neighbours. */
static void free_insert(struct block *b)
{
	struct block *prev = NULL, *cur = free_list;
	while (cur && cur < b) {
		prev = cur;
		cur = cur->next;
	}
	b->tag = BLK_FREE;
	b->next = cur;
	if (cur && (char *)b + b->size == (char *)cur) {
		b->size += cur->size;
		b->next = cur->next;
	}
	if (prev && (char *)prev + prev->size == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
	} else if (prev) {
		prev->next = b;
	} else {
		free_list = b;
	}
}

/* Take a block of exactly need bytes (or a little more) from the list, or NULL. */
static struct block *free_take(size_t need)
{
	struct block *prev = NULL, *cur = free_list;
	for (; cur; prev = cur, cur = cur->next) {
		if (cur->size < need)
			continue;
		struct block *rest_next = cur->next;
		if (cur->size - need >= MIN_BLOCK) {
			struct block *rest = (struct block *)((char *)cur + need);
			rest->size = cur->size - need;
			rest->tag = BLK_FREE;
			rest->next = cur->next;
			rest_next = rest;
			cur->size = need;
		}
		if (prev)
			prev->next = rest_next;
		else
			free_list = rest_next;
		cur->tag = BLK_USED;
		return cur;
	}
	return NULL;
}

void *rb_malloc(size_t n)
{
	if (n == 0)
		n = 1;
	if (n > ((size_t)1 << 46))
		return NULL;
	size_t need = round_up(n + HDR, 16);
	if (need < MIN_BLOCK)
		need = MIN_BLOCK;
	if (need >= BIG_SIZE) {
		size_t len = round_up(need, PAGE);
		struct block *b = rb_mmap(NULL, len, RB_PROT_READ | RB_PROT_WRITE, 0);
		if (RB_IS_ERR(b))
			return NULL;
		b->size = len;
		b->tag = BLK_BIG;
		return (char *)b + HDR;
	}
	rb_spin_lock(&heap_lock);
	struct block *b = free_take(need);
	if (!b) {
		struct block *arena = rb_mmap(NULL, ARENA_SIZE, RB_PROT_READ | RB_PROT_WRITE, 0);
		if (!RB_IS_ERR(arena)) {
			arena->size = ARENA_SIZE;
			free_insert(arena);
			b = free_take(need);
		}
	}
	rb_spin_unlock(&heap_lock);
	return b ? (char *)b + HDR : NULL;
}

void *rb_calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	void *p = rb_malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *rb_realloc(void *p, size_t n)
{
	if (!p)
		return rb_malloc(n);
	struct block *b = (struct block *)((char *)p - HDR);
	size_t have = b->size - HDR;
	if (n <= have)
		return p;
	void *q = rb_malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, have);
	rb_free(p);
	return q;
}

void rb_free(void *p)
{
	if (!p)
		return;
	struct block *b = (struct block *)((char *)p - HDR);
	if (b->tag == BLK_BIG) {
		rb_munmap(b, b->size);
		return;
	}
	if (b->tag != BLK_USED) {
		/* A double free or a stray pointer: refuse rather than corrupt the list. */
		rb_dprintf(2, "rb_free: not a live block: %p\n", p);
		return;
	}
	rb_spin_lock(&heap_lock);
	free_insert(b);
	rb_spin_unlock(&heap_lock);
}
