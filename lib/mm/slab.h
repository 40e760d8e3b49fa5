/*
 * slab.h - kernel heap allocator (the logic behind kmalloc/kfree).
 *
 * Small requests (1..2048 bytes) are served from per-size-class slabs: runs
 * of pages obtained from the caller's page_alloc callback, cut into equal
 * slots with a free list. Larger requests go straight to page_alloc. Every
 * object carries a 16-byte header just before it (its state, requested size
 * and owning slab or page count), so slab_free needs only the pointer and
 * catches frees of pointers it never handed out and double frees.
 *
 * Debug mode (debug = true at init) adds 16-byte red zones before and after
 * each object (the slack between the requested size and the class size is
 * red zone too), fills new objects with SLAB_POISON_NEW and freed ones with
 * SLAB_POISON_FREE, and on free checks the red zones; on allocation it
 * checks the free poison (writes after free). Any corruption is reported
 * through the corrupt callback, which the kernel makes a panic.
 *
 * Results are 16-byte aligned if page_alloc returns 16-byte aligned (in
 * practice page-aligned) memory. slab_alloc(h, 0) returns a unique minimal
 * allocation, freed like any other.
 *
 * Pure code: no locking (the caller holds the heap lock around every call,
 * and the callbacks run under it), no memory but what page_alloc returns.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define SLAB_PAGE_SIZE 4096
#define SLAB_MIN_SIZE 16
#define SLAB_MAX_SIZE 2048 /* larger requests get whole pages */
#define SLAB_NCLASSES 8	   /* 16, 32, ..., 2048 */
#define SLAB_REDZONE 16
#define SLAB_POISON_NEW 0xa5
#define SLAB_POISON_FREE 0x6b
#define SLAB_POISON_REDZONE 0xbb

struct slab;

struct slab_class {
	size_t size;	      /* object size of this class */
	size_t slot;	      /* header + red zones + size */
	size_t pages;	      /* pages per slab */
	size_t per_slab;      /* slots per slab */
	struct slab *partial; /* slabs with at least one free slot */
	size_t nslabs;	      /* slabs held, full or not */
	size_t nempty;	      /* of which completely free (at most one kept) */
	size_t inuse;	      /* objects allocated */
};

struct slab_stats {
	size_t pages;	      /* pages held from page_alloc (slabs + big) */
	size_t objects;	      /* live allocations (small + big) */
	size_t bytes;	      /* sum of requested sizes of live allocations */
	size_t big;	      /* live allocations above SLAB_MAX_SIZE */
	uint64_t allocs;      /* successful slab_alloc calls */
	uint64_t frees;	      /* successful slab_free calls */
	uint64_t failures;    /* slab_alloc calls that returned NULL */
	uint64_t corruptions; /* corrupt() reports */
};

struct slab_heap {
	void *(*page_alloc)(void *ctx, size_t npages);
	void (*page_free)(void *ctx, void *p, size_t npages);
	void (*corrupt)(void *ctx, const char *what, void *obj); /* may be NULL */
	void *ctx;
	bool debug;
	struct slab_class classes[SLAB_NCLASSES];
	struct slab_stats st;
};

/* Set up h with the page source callbacks; no pages are taken yet. */
void slab_init(struct slab_heap *h, void *(*page_alloc)(void *ctx, size_t npages),
	       void (*page_free)(void *ctx, void *p, size_t npages),
	       void (*corrupt)(void *ctx, const char *what, void *obj), void *ctx, bool debug);

/* Allocate size bytes, 16-byte aligned; NULL if the page source is dry. */
void *slab_alloc(struct slab_heap *h, size_t size);

/* Free p (NULL is ignored); bad pointers and double frees go to corrupt(). */
void slab_free(struct slab_heap *h, void *p);

/* Requested size of the live allocation p (0 for NULL). */
size_t slab_size(const struct slab_heap *h, const void *p);

/* Give completely free slabs back to the page source. */
void slab_trim(struct slab_heap *h);

/* Copy of the heap counters. */
void slab_stats(const struct slab_heap *h, struct slab_stats *out);
