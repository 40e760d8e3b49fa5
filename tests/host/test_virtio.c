/*
 * test_virtio.c - lib/virtio: the vendor capability walk (a QEMU-like
 * virtio-blk config space with all five structures; first of a type wins;
 * a legacy-only function; a short notify capability; reserved BARs;
 * malformed lists: a loop, a pointer into the header, a capability past
 * the end) and the split virtqueue against a fake device that consumes
 * the available ring and fills the used ring: chains of 1-3 buffers with
 * their flags and links, running out of descriptors, publishing and the
 * notification flag, harvesting in completion order (out of order too),
 * the free list surviving many wraps of the 16-bit indices, and a device
 * that names a head not in flight.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"
#include "virtio/virtio.h"

/* Put a virtio vendor capability at off, linked to next. */
static void put_cap(uint8_t *c, unsigned off, unsigned next, uint8_t type, uint8_t bar,
		    uint32_t offset, uint32_t length, uint8_t len)
{
	c[off] = 0x09;
	c[off + 1] = (uint8_t)next;
	c[off + 2] = len;
	c[off + 3] = type;
	c[off + 4] = bar;
	memcpy(c + off + 8, &offset, 4);
	memcpy(c + off + 12, &length, 4);
}

/* QEMU's layout: MSI-X at 0x98, then vendor caps 0x84.. in BAR 4. */
static void qemu_like(uint8_t *c)
{
	memset(c, 0, 256);
	c[0x06] = 0x10; /* status: capability list */
	c[0x34] = 0x98;
	c[0x98] = 0x11; /* MSI-X */
	c[0x99] = 0x84;
	put_cap(c, 0x84, 0x70, VIRTIO_PCI_CAP_PCI, 0, 0, 0, 20);
	put_cap(c, 0x70, 0x60, VIRTIO_PCI_CAP_NOTIFY, 4, 0x3000, 0x1000, 20);
	uint32_t mult = 4;
	memcpy(c + 0x70 + 16, &mult, 4);
	put_cap(c, 0x60, 0x50, VIRTIO_PCI_CAP_DEVICE, 4, 0x2000, 0x1000, 16);
	put_cap(c, 0x50, 0x40, VIRTIO_PCI_CAP_ISR, 4, 0x1000, 0x1000, 16);
	put_cap(c, 0x40, 0x00, VIRTIO_PCI_CAP_COMMON, 4, 0x0000, 0x1000, 16);
}

static void test_caps_qemu(void **state)
{
	uint8_t c[256];
	struct virtio_caps k;
	qemu_like(c);
	assert_int_equal(virtio_caps_parse(c, sizeof c, &k), 0);
	assert_true(virtio_caps_modern(&k));
	assert_true(k.common.present && k.isr.present && k.pci.present);
	assert_int_equal(k.common.bar, 4);
	assert_int_equal(k.isr.offset, 0x1000);
	assert_int_equal(k.device.offset, 0x2000);
	assert_int_equal(k.notify.offset, 0x3000);
	assert_int_equal(k.notify.length, 0x1000);
	assert_int_equal(k.notify_mult, 4);
	/* A second COMMON later in the list does not replace the first. */
	c[0x40 + 1] = 0xb0;
	put_cap(c, 0xb0, 0, VIRTIO_PCI_CAP_COMMON, 2, 0x8000, 0x1000, 16);
	assert_int_equal(virtio_caps_parse(c, sizeof c, &k), 0);
	assert_int_equal(k.common.bar, 4);
	assert_int_equal(k.common.offset, 0);
}

static void test_caps_legacy_and_odd(void **state)
{
	uint8_t c[256];
	struct virtio_caps k;
	memset(c, 0, sizeof c);
	assert_int_equal(virtio_caps_parse(c, sizeof c, &k), 0); /* no list at all */
	assert_false(virtio_caps_modern(&k));
	qemu_like(c);
	c[0x60 + 3] = 7; /* DEVICE becomes an unknown type: not modern */
	assert_int_equal(virtio_caps_parse(c, sizeof c, &k), 0);
	assert_false(virtio_caps_modern(&k));
	qemu_like(c);
	c[0x70 + 2] = 16; /* notify without its multiplier: ignored */
	assert_int_equal(virtio_caps_parse(c, sizeof c, &k), 0);
	assert_false(k.notify.present);
	qemu_like(c);
	c[0x40 + 4] = 6; /* reserved BAR */
	assert_int_equal(virtio_caps_parse(c, sizeof c, &k), 0);
	assert_false(k.common.present);
	qemu_like(c);
	assert_int_equal(virtio_caps_parse(c, 63, &k), -E_INVAL);
}

static void test_caps_malformed(void **state)
{
	uint8_t c[256 + 16]; /* room for the capability written past 255 */
	struct virtio_caps k;
	qemu_like(c);
	c[0x40 + 1] = 0x84; /* loop */
	assert_int_equal(virtio_caps_parse(c, 256, &k), -E_INVAL);
	qemu_like(c);
	c[0x34] = 0x10; /* into the header */
	assert_int_equal(virtio_caps_parse(c, 256, &k), -E_INVAL);
	qemu_like(c);
	c[0x40 + 1] = 0xf8;
	put_cap(c, 0xf8, 0, VIRTIO_PCI_CAP_ISR, 0, 0, 0, 16); /* past byte 255 */
	assert_int_equal(virtio_caps_parse(c, 256, &k), -E_INVAL);
}

/* A queue on heap memory standing in for DMA memory (bus == address). */
struct fixture {
	struct virtq q;
	void *mem;
	void *cookies[256];
	uint16_t dev_avail; /* the fake device's next avail entry */
};

static struct fixture *fx_new(unsigned n)
{
	struct fixture *f = calloc(1, sizeof *f);
	size_t len = virtq_mem_size(n);
	assert_int_equal(len % 4096, 0);
	f->mem = aligned_alloc(4096, len);
	memset(f->mem, 0, len);
	assert_int_equal(virtq_init(&f->q, n, f->mem, (uintptr_t)f->mem, f->cookies), 0);
	return f;
}

static void fx_free(struct fixture *f)
{
	free(f->mem);
	free(f);
}

/* The device takes the next available chain: its head, its buffers in *n. */
static int dev_take(struct fixture *f, struct virtq_buf *out, unsigned *n)
{
	struct virtq *q = &f->q;
	if (f->dev_avail == __atomic_load_n(&q->avail->idx, __ATOMIC_ACQUIRE))
		return -1;
	uint16_t head = q->avail->ring[f->dev_avail++ & (q->size - 1)];
	unsigned k = 0;
	for (uint16_t i = head;; i = q->desc[i].next) {
		struct virtq_desc *d = (struct virtq_desc *)((uintptr_t)q->desc_bus) + i;
		out[k++] = (struct virtq_buf){d->addr, d->len, d->flags & VIRTQ_DESC_F_WRITE};
		if (!(d->flags & VIRTQ_DESC_F_NEXT) || k == 8)
			break;
	}
	*n = k;
	return head;
}

/* The device completes head, having written len bytes. */
static void dev_done(struct fixture *f, unsigned head, uint32_t len)
{
	struct virtq_used *u = (struct virtq_used *)(uintptr_t)f->q.used_bus;
	u->ring[u->idx & (f->q.size - 1)] = (struct virtq_used_elem){head, len};
	__atomic_store_n(&u->idx, (uint16_t)(u->idx + 1), __ATOMIC_RELEASE);
}

static void test_queue_layout(void **state)
{
	struct fixture *f = fx_new(256);
	assert_int_equal(f->q.desc_bus % 16, 0);
	assert_int_equal(f->q.avail_bus, f->q.desc_bus + 16 * 256);
	assert_int_equal(f->q.used_bus % 4096, 0);
	assert_true(f->q.used_bus >= f->q.avail_bus + 6 + 2 * 256);
	assert_true(f->q.used_bus + 6 + 8 * 256 <= f->q.desc_bus + virtq_mem_size(256));
	assert_int_equal(f->q.num_free, 256);
	fx_free(f);
	struct virtq q;
	void *ck[3];
	uint8_t m[8192];
	assert_int_equal(virtq_init(&q, 3, m, 0, ck), -E_INVAL);
	assert_int_equal(virtq_init(&q, 0, m, 0, ck), -E_INVAL);
	assert_int_equal(virtq_init(&q, 65536, m, 0, ck), -E_INVAL);
}

static void test_queue_chain(void **state)
{
	struct fixture *f = fx_new(8);
	int cookie = 7;
	struct virtq_buf bufs[3] = {{0x1000, 16, false}, {0x2000, 4096, true}, {0x3000, 1, true}};
	int head = virtq_add(&f->q, bufs, 3, &cookie);
	assert_true(head >= 0);
	assert_int_equal(f->q.num_free, 5);
	/* Not visible before publish. */
	struct virtq_buf seen[8];
	unsigned n;
	assert_int_equal(dev_take(f, seen, &n), -1);
	assert_true(virtq_publish(&f->q));
	assert_int_equal(dev_take(f, seen, &n), head);
	assert_int_equal(n, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(seen[i].addr, bufs[i].addr);
		assert_int_equal(seen[i].len, bufs[i].len);
		assert_int_equal(seen[i].write, bufs[i].write);
	}
	void *got;
	uint32_t len;
	assert_int_equal(virtq_harvest(&f->q, &got, &len), 0);
	dev_done(f, (unsigned)head, 4097);
	assert_int_equal(virtq_harvest(&f->q, &got, &len), 1);
	assert_ptr_equal(got, &cookie);
	assert_int_equal(len, 4097);
	assert_int_equal(f->q.num_free, 8);
	assert_int_equal(virtq_harvest(&f->q, &got, &len), 0);
	/* The device asks for no notifications. */
	f->q.used->flags = VIRTQ_USED_F_NO_NOTIFY;
	assert_true(virtq_add(&f->q, bufs, 1, &cookie) >= 0);
	assert_false(virtq_publish(&f->q));
	assert_int_equal(virtq_add(&f->q, bufs, 0, &cookie), -E_INVAL);
	assert_int_equal(virtq_add(&f->q, bufs, 1, NULL), -E_INVAL);
	fx_free(f);
}

static void test_queue_full_and_out_of_order(void **state)
{
	struct fixture *f = fx_new(8);
	int ck[4];
	int heads[4];
	struct virtq_buf b2[2] = {{0x1000, 16, false}, {0x2000, 1, true}};
	for (int i = 0; i < 4; i++)
		assert_true((heads[i] = virtq_add(&f->q, b2, 2, &ck[i])) >= 0);
	assert_int_equal(virtq_add(&f->q, b2, 1, &ck[0]), -E_NOSPC);
	virtq_publish(&f->q);
	struct virtq_buf seen[8];
	unsigned n;
	for (int i = 0; i < 4; i++)
		assert_int_equal(dev_take(f, seen, &n), heads[i]);
	/* Completed 2, 0, 3, 1: harvested in that order. */
	int order[4] = {2, 0, 3, 1};
	for (int i = 0; i < 4; i++)
		dev_done(f, (unsigned)heads[order[i]], 0);
	for (int i = 0; i < 4; i++) {
		void *got;
		uint32_t len;
		assert_int_equal(virtq_harvest(&f->q, &got, &len), 1);
		assert_ptr_equal(got, &ck[order[i]]);
	}
	assert_int_equal(f->q.num_free, 8);
	/* Every descriptor is reachable once from the free list. */
	uint8_t seen_desc[8] = {0};
	uint16_t i = f->q.free_head;
	for (int k = 0; k < 8; k++) {
		assert_true(i < 8);
		assert_false(seen_desc[i]);
		seen_desc[i] = 1;
		i = f->q.desc[i].next;
	}
	fx_free(f);
}

static void test_queue_wraps(void **state)
{
	struct fixture *f = fx_new(4);
	int ck;
	struct virtq_buf b[3] = {{1, 1, false}, {2, 2, true}, {3, 3, true}};
	for (unsigned round = 0; round < 70000; round++) {
		unsigned len = 1 + round % 3;
		int head = virtq_add(&f->q, b, len, &ck);
		assert_true(head >= 0);
		virtq_publish(&f->q);
		struct virtq_buf seen[8];
		unsigned n;
		assert_int_equal(dev_take(f, seen, &n), head);
		assert_int_equal(n, len);
		dev_done(f, (unsigned)head, round);
		void *got;
		uint32_t l;
		assert_int_equal(virtq_harvest(&f->q, &got, &l), 1);
		assert_int_equal(l, round);
		assert_int_equal(f->q.num_free, 4);
	}
	fx_free(f);
}

static void test_queue_bad_device(void **state)
{
	struct fixture *f = fx_new(4);
	int ck;
	struct virtq_buf b = {1, 1, false};
	int head = virtq_add(&f->q, &b, 1, &ck);
	virtq_publish(&f->q);
	void *got;
	uint32_t len;
	dev_done(f, 9, 0); /* out of range */
	assert_int_equal(virtq_harvest(&f->q, &got, &len), -E_IO);
	dev_done(f, (unsigned)(head + 1) % 4, 0); /* not in flight */
	assert_int_equal(virtq_harvest(&f->q, &got, &len), -E_IO);
	dev_done(f, (unsigned)head, 0);
	assert_int_equal(virtq_harvest(&f->q, &got, &len), 1);
	dev_done(f, (unsigned)head, 0); /* twice */
	assert_int_equal(virtq_harvest(&f->q, &got, &len), -E_IO);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_caps_qemu),
	    cmocka_unit_test(test_caps_legacy_and_odd),
	    cmocka_unit_test(test_caps_malformed),
	    cmocka_unit_test(test_queue_layout),
	    cmocka_unit_test(test_queue_chain),
	    cmocka_unit_test(test_queue_full_and_out_of_order),
	    cmocka_unit_test(test_queue_wraps),
	    cmocka_unit_test(test_queue_bad_device),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
