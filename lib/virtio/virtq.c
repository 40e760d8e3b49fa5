/*
 * virtq.c - the split virtqueue (virtio 1.1 §2.6) on memory the caller
 * provides (virtio/virtio.h). The free descriptors form a list through
 * their `next` fields, starting at free_head. Ordering with the device
 * follows §2.6.13: descriptors and the ring entry are written before the
 * release store of avail->idx; a full fence separates that store from the
 * read of used->flags (whether to notify); used->idx is read with acquire
 * before the entries it covers. Locking: none; the caller serializes.
 */
#include "base/err.h"
#include "virtio/virtio.h"

#define PAGE 4096u

static size_t avail_bytes(unsigned n)
{
	return 6 + 2 * (size_t)n; /* flags, idx, ring[n], used_event */
}

static size_t used_off(unsigned n)
{
	/* The used ring must be 4-byte aligned; a page keeps the device's
	   writes off the lines the driver writes. */
	return ALIGN_UP(16 * (size_t)n + avail_bytes(n), (size_t)PAGE);
}

size_t virtq_mem_size(unsigned n)
{
	return used_off(n) + ALIGN_UP(6 + 8 * (size_t)n, (size_t)PAGE);
}

int virtq_init(struct virtq *q, unsigned n, void *mem, uint64_t bus, void **cookies)
{
	if (n == 0 || n > VIRTQ_MAX || (n & (n - 1)))
		return -E_INVAL;
	uint8_t *m = mem;
	q->size = n;
	q->desc = (struct virtq_desc *)m;
	q->avail = (struct virtq_avail *)(m + 16 * (size_t)n);
	q->used = (struct virtq_used *)(m + used_off(n));
	q->desc_bus = bus;
	q->avail_bus = bus + 16 * (uint64_t)n;
	q->used_bus = bus + used_off(n);
	q->cookie = cookies;
	for (unsigned i = 0; i < n; i++) {
		q->desc[i] = (struct virtq_desc){0, 0, 0, (uint16_t)((i + 1) % n)};
		cookies[i] = NULL;
	}
	q->free_head = 0;
	q->num_free = (uint16_t)n;
	q->avail_idx = q->last_used = 0;
	return 0;
}

int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n, void *cookie)
{
	if (n == 0 || !cookie)
		return -E_INVAL;
	if (n > q->num_free)
		return -E_NOSPC;
	uint16_t head = q->free_head, i = head;
	for (unsigned k = 0; k < n; k++) {
		struct virtq_desc *d = &q->desc[i];
		d->addr = bufs[k].addr;
		d->len = bufs[k].len;
		d->flags = (uint16_t)((bufs[k].write ? VIRTQ_DESC_F_WRITE : 0) |
				      (k + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		i = d->next; /* still the free list's link: the chain reuses it */
	}
	q->free_head = i;
	q->num_free = (uint16_t)(q->num_free - n);
	q->cookie[head] = cookie;
	q->avail->ring[q->avail_idx & (q->size - 1)] = head;
	q->avail_idx++;
	return head;
}

bool virtq_publish(struct virtq *q)
{
	__atomic_store_n(&q->avail->idx, q->avail_idx, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint16_t flags = __atomic_load_n(&q->used->flags, __ATOMIC_RELAXED);
	return !(flags & VIRTQ_USED_F_NO_NOTIFY);
}

int virtq_harvest(struct virtq *q, void **cookie, uint32_t *len)
{
	uint16_t idx = __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE);
	if (idx == q->last_used)
		return 0;
	struct virtq_used_elem e = q->used->ring[q->last_used & (q->size - 1)];
	q->last_used++;
	if (e.id >= q->size || !q->cookie[e.id])
		return -E_IO;
	*cookie = q->cookie[e.id];
	*len = e.len;
	q->cookie[e.id] = NULL;
	/* Give the chain back: find its tail, link it before the free list. */
	uint16_t i = (uint16_t)e.id, n = 1;
	while ((q->desc[i].flags & VIRTQ_DESC_F_NEXT) && n < q->size) {
		i = q->desc[i].next;
		n++;
	}
	q->desc[i].next = q->free_head;
	q->free_head = (uint16_t)e.id;
	q->num_free = (uint16_t)(q->num_free + n);
	return 1;
}
