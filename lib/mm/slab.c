/*
 * slab.c - size-class slabs and whole-page big allocations.
 *
 * Layout of a slab (c->pages pages from page_alloc):
 *   struct slab (padded to 16) | slot | slot | ...
 * and of a slot, for an object of class size S (rz = 16 in debug, else 0):
 *   struct slab_hdr (16) | front red zone (rz) | object (S) | rear red zone (rz)
 * A big allocation is the same without the slab: header at the start of its
 * own pages, then red zone, object, and red zone up to the last page's end.
 *
 * The header's magic says whether the slot is live, free or big; for a live
 * slot it points back to its slab, for a free one to the next free slot, and
 * for a big one it holds the requested size (the page count follows from
 * it). A slab with free slots sits on its class's partial list; when it
 * becomes entirely free it stays there unless the class already has an empty
 * slab, in which case its pages go back at once (so an alloc/free pair at a
 * slab boundary does not thrash the page source). slab_trim() returns the
 * rest.
 *
 * No locking: the caller holds the heap lock.
 */
#include <string.h>
#include "mm/slab.h"

#define SLAB_MAGIC 0x51ab51abu
#define HDR_LIVE 0x4c495645u /* "LIVE" */
#define HDR_FREE 0x46524545u /* "FREE" */
#define HDR_BIG 0x42494721u  /* "BIG!" */
#define SLAB_MIN_PER_SLAB 8

struct slab {
	uint32_t magic;
	uint32_t inuse;
	struct slab *next, *prev; /* partial list */
	struct slab_class *cls;
	struct slab_hdr *free; /* free slots */
};

struct slab_hdr {
	uint32_t magic;
	uint32_t size; /* requested size (small objects) */
	union {
		struct slab *slab;     /* HDR_LIVE */
		struct slab_hdr *next; /* HDR_FREE */
		uint64_t big_size;     /* HDR_BIG: requested size */
	};
};

STATIC_ASSERT(sizeof(struct slab_hdr) == 16, "object header keeps 16-byte alignment");

#define SLAB_HEAD ALIGN_UP(sizeof(struct slab), 16)

static size_t slab_rz(const struct slab_heap *h)
{
	return h->debug ? SLAB_REDZONE : 0;
}

static void slab_report(struct slab_heap *h, const char *what, void *obj)
{
	h->st.corruptions++;
	if (h->corrupt)
		h->corrupt(h->ctx, what, obj);
}

/* True if n bytes at p all equal v. */
static bool slab_all(const void *p, int v, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != (uint8_t)v)
			return false;
	return true;
}

static uint8_t *slab_obj(const struct slab_heap *h, struct slab_hdr *hd)
{
	return (uint8_t *)(hd + 1) + slab_rz(h);
}

void slab_init(struct slab_heap *h, void *(*page_alloc)(void *ctx, size_t npages),
	       void (*page_free)(void *ctx, void *p, size_t npages),
	       void (*corrupt)(void *ctx, const char *what, void *obj), void *ctx, bool debug)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	h->page_alloc = page_alloc;
	h->page_free = page_free;
	h->corrupt = corrupt;
	h->ctx = ctx;
	h->debug = debug;
	for (i = 0; i < SLAB_NCLASSES; i++) {
		struct slab_class *c = &h->classes[i];

		c->size = (size_t)SLAB_MIN_SIZE << i;
		c->slot = sizeof(struct slab_hdr) + 2 * slab_rz(h) + c->size;
		c->pages = 1;
		while ((c->pages * SLAB_PAGE_SIZE - SLAB_HEAD) / c->slot < SLAB_MIN_PER_SLAB)
			c->pages++;
		c->per_slab = (c->pages * SLAB_PAGE_SIZE - SLAB_HEAD) / c->slot;
	}
}

static void slab_list_add(struct slab_class *c, struct slab *s)
{
	s->prev = NULL;
	s->next = c->partial;
	if (c->partial)
		c->partial->prev = s;
	c->partial = s;
}

static void slab_list_del(struct slab_class *c, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->partial = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

/* A new slab for class c, all slots free, on the partial list. */
static struct slab *slab_grow(struct slab_heap *h, struct slab_class *c)
{
	struct slab *s = h->page_alloc(h->ctx, c->pages);
	uint8_t *slot;
	size_t i;

	if (!s)
		return NULL;
	s->magic = SLAB_MAGIC;
	s->inuse = 0;
	s->cls = c;
	s->free = NULL;
	/* build the free list back to front so it runs in address order */
	for (i = c->per_slab; i-- > 0;) {
		struct slab_hdr *hd;

		slot = (uint8_t *)s + SLAB_HEAD + i * c->slot;
		hd = (struct slab_hdr *)slot;
		hd->magic = HDR_FREE;
		hd->size = 0;
		hd->next = s->free;
		s->free = hd;
		if (h->debug)
			memset(slab_obj(h, hd), SLAB_POISON_FREE, c->size);
	}
	slab_list_add(c, s);
	c->nslabs++;
	c->nempty++;
	h->st.pages += c->pages;
	return s;
}

static void slab_release(struct slab_heap *h, struct slab_class *c, struct slab *s)
{
	slab_list_del(c, s);
	s->magic = 0;
	c->nslabs--;
	c->nempty--;
	h->st.pages -= c->pages;
	h->page_free(h->ctx, s, c->pages);
}

/* Fill a new object's red zones and contents (debug mode). */
static void slab_dress(uint8_t *obj, size_t size, size_t rear)
{
	memset(obj - SLAB_REDZONE, SLAB_POISON_REDZONE, SLAB_REDZONE);
	memset(obj, SLAB_POISON_NEW, size);
	memset(obj + size, SLAB_POISON_REDZONE, rear);
}

/* Check both red zones of an object about to be freed (debug mode). */
static void slab_check_rz(struct slab_heap *h, uint8_t *obj, size_t size, size_t rear)
{
	if (!slab_all(obj - SLAB_REDZONE, SLAB_POISON_REDZONE, SLAB_REDZONE))
		slab_report(h, "red zone before object overwritten", obj);
	if (!slab_all(obj + size, SLAB_POISON_REDZONE, rear))
		slab_report(h, "red zone after object overwritten", obj);
}

static size_t slab_big_pages(const struct slab_heap *h, size_t size)
{
	size_t total = sizeof(struct slab_hdr) + 2 * slab_rz(h) + size;

	return (total + SLAB_PAGE_SIZE - 1) / SLAB_PAGE_SIZE;
}

static void *slab_alloc_big(struct slab_heap *h, size_t size)
{
	size_t np;
	struct slab_hdr *hd;
	uint8_t *obj;

	if (size > SIZE_MAX - 4 * SLAB_PAGE_SIZE)
		return NULL;
	np = slab_big_pages(h, size);
	hd = h->page_alloc(h->ctx, np);
	if (!hd)
		return NULL;
	hd->magic = HDR_BIG;
	hd->size = 0;
	hd->big_size = size;
	obj = slab_obj(h, hd);
	if (h->debug)
		slab_dress(obj, size, (size_t)((uint8_t *)hd + np * SLAB_PAGE_SIZE - obj) - size);
	h->st.pages += np;
	h->st.big++;
	return obj;
}

void *slab_alloc(struct slab_heap *h, size_t size)
{
	struct slab_class *c = NULL;
	struct slab_hdr *hd;
	struct slab *s;
	uint8_t *obj;
	size_t i;

	for (i = 0; i < SLAB_NCLASSES && !c; i++)
		if (size <= h->classes[i].size)
			c = &h->classes[i];
	if (!c) {
		obj = slab_alloc_big(h, size);
		goto out;
	}
	s = c->partial;
	if (!s)
		s = slab_grow(h, c);
	if (!s) {
		obj = NULL;
		goto out;
	}
	hd = s->free;
	obj = slab_obj(h, hd);
	if (h->debug && !slab_all(obj, SLAB_POISON_FREE, c->size))
		slab_report(h, "object written after free", obj);
	s->free = hd->next;
	if (!s->inuse++)
		c->nempty--;
	if (!s->free)
		slab_list_del(c, s);
	c->inuse++;
	hd->magic = HDR_LIVE;
	hd->size = (uint32_t)size;
	hd->slab = s;
	if (h->debug)
		slab_dress(obj, size, c->size - size + SLAB_REDZONE);
out:
	if (!obj) {
		h->st.failures++;
		return NULL;
	}
	h->st.allocs++;
	h->st.objects++;
	h->st.bytes += size;
	return obj;
}

/* Header of p if p is a live object of this heap; reports and NULL if not. */
static struct slab_hdr *slab_lookup(struct slab_heap *h, void *p)
{
	struct slab_hdr *hd;
	struct slab *s;
	uintptr_t off;

	if ((uintptr_t)p % 16) {
		slab_report(h, "free of a misaligned pointer", p);
		return NULL;
	}
	hd = (struct slab_hdr *)((uint8_t *)p - slab_rz(h)) - 1;
	if (hd->magic == HDR_BIG)
		return hd;
	if (hd->magic == HDR_FREE) {
		slab_report(h, "double free", p);
		return NULL;
	}
	if (hd->magic != HDR_LIVE) {
		slab_report(h, "free of a pointer not from this heap (or header overwritten)", p);
		return NULL;
	}
	s = hd->slab;
	if (!s || s->magic != SLAB_MAGIC || s->cls < h->classes ||
	    s->cls >= h->classes + SLAB_NCLASSES) {
		slab_report(h, "object header points to no slab", p);
		return NULL;
	}
	off = (uintptr_t)hd - (uintptr_t)s - SLAB_HEAD;
	if ((uintptr_t)hd < (uintptr_t)s + SLAB_HEAD || off % s->cls->slot ||
	    off / s->cls->slot >= s->cls->per_slab || hd->size > s->cls->size) {
		slab_report(h, "object header does not match its slab", p);
		return NULL;
	}
	return hd;
}

static void slab_free_big(struct slab_heap *h, struct slab_hdr *hd, uint8_t *obj)
{
	size_t size = (size_t)hd->big_size;
	size_t np = slab_big_pages(h, size);

	if (h->debug)
		slab_check_rz(h, obj, size,
			      (size_t)((uint8_t *)hd + np * SLAB_PAGE_SIZE - obj) - size);
	hd->magic = 0;
	h->st.pages -= np;
	h->st.big--;
	h->st.bytes -= size;
	h->page_free(h->ctx, hd, np);
}

void slab_free(struct slab_heap *h, void *p)
{
	struct slab_hdr *hd;
	struct slab_class *c;
	struct slab *s;
	uint8_t *obj = p;

	if (!p)
		return;
	hd = slab_lookup(h, p);
	if (!hd)
		return;
	h->st.frees++;
	h->st.objects--;
	if (hd->magic == HDR_BIG) {
		slab_free_big(h, hd, obj);
		return;
	}
	s = hd->slab;
	c = s->cls;
	if (h->debug) {
		slab_check_rz(h, obj, hd->size, c->size - hd->size + SLAB_REDZONE);
		memset(obj, SLAB_POISON_FREE, c->size);
	}
	h->st.bytes -= hd->size;
	c->inuse--;
	hd->magic = HDR_FREE;
	hd->size = 0;
	hd->next = s->free;
	if (!s->free)
		slab_list_add(c, s);
	s->free = hd;
	if (!--s->inuse) {
		c->nempty++;
		if (c->nempty > 1)
			slab_release(h, c, s);
	}
}

size_t slab_size(const struct slab_heap *h, const void *p)
{
	const struct slab_hdr *hd;

	if (!p)
		return 0;
	hd = (const struct slab_hdr *)((const uint8_t *)p - slab_rz(h)) - 1;
	return hd->magic == HDR_BIG ? (size_t)hd->big_size : hd->size;
}

void slab_trim(struct slab_heap *h)
{
	size_t i;

	for (i = 0; i < SLAB_NCLASSES; i++) {
		struct slab_class *c = &h->classes[i];
		struct slab *s = c->partial, *next;

		for (; s; s = next) {
			next = s->next;
			if (!s->inuse)
				slab_release(h, c, s);
		}
	}
}

void slab_stats(const struct slab_heap *h, struct slab_stats *out)
{
	*out = h->st;
}
