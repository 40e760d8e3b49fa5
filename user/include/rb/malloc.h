/*
 * rb/malloc.h - the user-space heap.
 *
 * A first-fit free list over memory from rb_mmap, 16-byte aligned, safe to
 * call from several threads (one spinlock). Requests of 128 KiB and more
 * get their own mapping, which rb_free unmaps.
 */
#pragma once
#include <stddef.h>

/* n bytes of uninitialised memory, or NULL. */
void *rb_malloc(size_t n);
/* n * size zeroed bytes, or NULL (also on overflow). */
void *rb_calloc(size_t n, size_t size);
/* Resize p (NULL: as rb_malloc) to n bytes, keeping the contents; NULL on failure. */
void *rb_realloc(void *p, size_t n);
/* Release p from rb_malloc/rb_calloc/rb_realloc (NULL is ignored). */
void rb_free(void *p);
