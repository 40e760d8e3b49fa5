/*
 * blk.c - virtio-blk requests and their completion (blk.h): device
 * bring-up, the slot pool, submission and the completion thread.
 * Locking: q_lock, see blk.h.
 */
#include <string.h>
#include "base/err.h"
#include "blk.h"
#include "rb/blkserv.h"
#include "rb/sys.h"

#define QUEUE_MAX 256
#define WAIT_NS 100000000ull	/* a waiter harvests itself after 100 ms */
#define IRQ_WAIT_NS 100000000ll /* the completion thread looks at least this often */

/* Take every finished request off the used ring and wake its waiter;
   sync when the caller blocks next (the completion thread: its CPU took
   the interrupt, so the first waiter may run there, rb_futex_wake_sync). */
static void harvest(struct blk *b, bool sync)
{
	rb_mutex_lock(&b->q_lock);
	for (;;) {
		void *cookie;
		uint32_t len;
		int r = virtq_harvest(&b->q.vq, &cookie, &len);
		if (r == 0)
			break;
		if (r < 0) {
			drv_log(b->d, "device returned a request that was not in flight");
			continue;
		}
		struct blk_slot *s = cookie;
		__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
		if (sync)
			rb_futex_wake_sync(&s->done, 1);
		else
			rb_futex_wake(&s->done, 1);
	}
	rb_mutex_unlock(&b->q_lock);
}

static int completion_thread(void *arg)
{
	struct blk *b = arg;
	bool intx = b->irq.mode.kind == DRV_IRQ_INTX || b->irq.mode.kind == DRV_IRQ_MSI;
	for (;;) {
		drv_irq_wait(&b->irq, 0, IRQ_WAIT_NS);
		/* INTx (and MSI, which this transport treats alike): reading the
		   ISR deasserts the line (§4.1.4.5) before the handle's unmask. */
		if (intx)
			(void)virtio_pci_isr(&b->vp);
		harvest(b, true);
		drv_irq_ack(&b->irq, 0);
	}
	return 0;
}

/* DMA areas for as many requests as the queue holds (3 descriptors each). */
static int slots_init(struct blk *b)
{
	unsigned n = MIN(BLK_SLOTS, b->q.vq.size / 3);
	if (n == 0)
		return -E_NOSPC;
	uint64_t bus;
	uint8_t *hdrs = drv_dma_alloc(BLK_SLOTS * BLK_HDR_STRIDE, &bus); /* one page for all */
	if (!hdrs)
		return -E_NOMEM;
	for (unsigned i = 0; i < n; i++) {
		struct blk_slot *s = &b->slots[i];
		if (drv_dmabuf_init(&s->data, BLKSERV_BUF_MIN, UINT64_MAX) < 0)
			return -E_NOMEM;
		s->hdr = hdrs + i * BLK_HDR_STRIDE;
		s->hdr_bus = bus + i * BLK_HDR_STRIDE;
		b->free_slots |= 1u << i;
	}
	return 0;
}

int blk_start(struct blk *b, struct drv_dev *d)
{
	memset(b, 0, sizeof *b);
	b->d = d;
	int r = virtio_pci_probe(d, &b->vp);
	if (r < 0)
		return r;
	if ((r = drv_pci_enable(d)) < 0)
		return r;
	if ((r = virtio_pci_reset(&b->vp)) < 0) {
		drv_log(d, "device did not reset");
		return r;
	}
	drv_irq_setup(d, 1, &b->irq);
	r = virtio_pci_negotiate(&b->vp, 1ull << VIRTIO_BLK_F_FLUSH | 1ull << VIRTIO_BLK_F_RO);
	if (r < 0)
		return r;
	b->flush = b->vp.features & (1ull << VIRTIO_BLK_F_FLUSH);
	b->ro = b->vp.features & (1ull << VIRTIO_BLK_F_RO);
	bool msix = b->irq.mode.kind == DRV_IRQ_MSIX;
	/* Only queue interrupts: no vector for configuration changes. */
	uint16_t vec = msix ? 0 : VIRTIO_MSI_NO_VECTOR;
	if (msix && virtio_pci_config_vector(&b->vp, VIRTIO_MSI_NO_VECTOR) < 0)
		drv_log(d, "config_msix_vector not cleared");
	r = virtio_pci_queue_setup(&b->vp, 0, QUEUE_MAX, vec, &b->q);
	if (r < 0) {
		drv_log(d, "request queue setup: %s", err_name(r));
		virtio_pci_fail(&b->vp);
		return r;
	}
	if ((r = slots_init(b)) < 0) {
		drv_log(d, "DMA buffers: %s", err_name(r));
		virtio_pci_fail(&b->vp);
		return r;
	}
	/* struct virtio_blk_config: le64 capacity in 512-byte sectors first. */
	if ((r = virtio_pci_cfg_read(&b->vp, 0, &b->sectors, 8)) < 0) {
		drv_log(d, "device config too small");
		virtio_pci_fail(&b->vp);
		return r;
	}
	virtio_pci_driver_ok(&b->vp);
	if (virtio_pci_status(&b->vp) & VIRTIO_STATUS_NEEDS_RESET) {
		drv_log(d, "device needs reset after DRIVER_OK");
		return -E_IO;
	}
	int tid = rb_thread_create(completion_thread, b);
	if (tid < 0) {
		blk_stop(b);
		return tid;
	}
	return 0;
}

void blk_stop(struct blk *b)
{
	if (b->vp.common)
		*(volatile uint8_t *)(b->vp.common + VIRTIO_COMMON_STATUS) = 0;
}

struct blk_slot *blk_slot_get(struct blk *b)
{
	for (;;) {
		rb_mutex_lock(&b->q_lock);
		uint32_t seq = __atomic_load_n(&b->slot_seq, __ATOMIC_ACQUIRE);
		if (b->free_slots) {
			unsigned i = (unsigned)__builtin_ctz(b->free_slots);
			b->free_slots &= ~(1u << i);
			rb_mutex_unlock(&b->q_lock);
			return &b->slots[i];
		}
		rb_mutex_unlock(&b->q_lock);
		rb_futex_wait(&b->slot_seq, seq, 0);
	}
}

void blk_slot_put(struct blk *b, struct blk_slot *s)
{
	rb_mutex_lock(&b->q_lock);
	b->free_slots |= 1u << (unsigned)(s - b->slots);
	__atomic_add_fetch(&b->slot_seq, 1, __ATOMIC_RELEASE);
	rb_mutex_unlock(&b->q_lock);
	rb_futex_wake(&b->slot_seq, 1);
}

int blk_io(struct blk *b, struct blk_slot *s, unsigned type, uint64_t sector, unsigned data_off,
	   uint32_t bytes)
{
	/* struct virtio_blk_req: le32 type, le32 reserved, le64 sector; then
	   the data; then the u8 status the device writes. */
	uint32_t t = type, zero = 0;
	memcpy(s->hdr, &t, 4);
	memcpy(s->hdr + 4, &zero, 4);
	memcpy(s->hdr + 8, &sector, 8);
	s->hdr[16] = 0xff;
	if (type != VIRTIO_BLK_T_FLUSH &&
	    (data_off > s->data.len || bytes > s->data.len - data_off))
		return -E_INVAL;
	struct virtq_buf bufs[3];
	unsigned n = 0;
	bufs[n++] = (struct virtq_buf){s->hdr_bus, 16, false};
	if (type != VIRTIO_BLK_T_FLUSH)
		bufs[n++] =
		    (struct virtq_buf){s->data.bus + data_off, bytes, type == VIRTIO_BLK_T_IN};
	bufs[n++] = (struct virtq_buf){s->hdr_bus + 16, 1, true};
	s->done = 0;
	rb_mutex_lock(&b->q_lock);
	int r = virtq_add(&b->q.vq, bufs, n, s);
	bool kick = r >= 0 && virtq_publish(&b->q.vq);
	if (kick)
		virtio_pci_notify(&b->vp, &b->q);
	rb_mutex_unlock(&b->q_lock);
	if (r < 0)
		return r; /* cannot happen: BLK_SLOTS * 3 <= the queue size */
	while (!__atomic_load_n(&s->done, __ATOMIC_ACQUIRE)) {
		if (rb_futex_wait(&s->done, 0, WAIT_NS) == -E_TIMEDOUT)
			harvest(b, false);
	}
	switch (s->hdr[16]) {
	case VIRTIO_BLK_S_OK:
		return 0;
	case VIRTIO_BLK_S_UNSUPP:
		return -E_NOTSUP;
	default:
		return -E_IO;
	}
}
