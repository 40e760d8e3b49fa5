/*
 * nic.c - the virtio-net device (nic.h): bring-up, the receive queue and
 * its thread, transmission. Locking: rx_lock and tx_lock, see nic.h.
 */
#include "nic.h"
#include <string.h>
#include "base/err.h"
#include "rb/sys.h"

#define IRQ_WAIT_NS 100000000ll /* the threads look at least this often */
#define TX_WAIT_NS 50000ull	/* a sender without a free buffer retries after 50 us */
#define TX_TRIES 2000		/* ... for at most 100 ms */

/* Post receive buffer i (device-writable, the whole NIC_BUF). Under rx_lock. */
static int rx_post(struct nic *n, unsigned i)
{
	struct virtq_buf b = {n->rx_bus + (uint64_t)i * NIC_BUF, NIC_BUF, true};
	return virtq_add(&n->rxq.vq, &b, 1, (void *)(uintptr_t)(i + 1));
}

/* Take finished transmit buffers back. Under tx_lock. */
static void tx_harvest(struct nic *n)
{
	for (;;) {
		void *cookie;
		uint32_t len;
		int r = virtq_harvest(&n->txq.vq, &cookie, &len);
		if (r == 0)
			break;
		if (r < 0) {
			drv_log(n->d, "transmit queue: device returned a buffer not in flight");
			continue;
		}
		n->tx_free |= 1u << ((uintptr_t)cookie - 1);
	}
}

/* Move every used receive buffer's frame to the backlog and repost it: frames moved. */
static unsigned rx_harvest(struct nic *n)
{
	unsigned got = 0;
	rb_mutex_lock(&n->rx_lock);
	for (;;) {
		void *cookie;
		uint32_t len;
		int r = virtq_harvest(&n->rxq.vq, &cookie, &len);
		if (r == 0)
			break;
		if (r < 0) {
			drv_log(n->d, "receive queue: device returned a buffer not in flight");
			continue;
		}
		unsigned i = (unsigned)((uintptr_t)cookie - 1);
		/* §5.1.6.4: len counts the header and the frame; no FCS. */
		const uint8_t *buf = n->rx_buf + (size_t)i * NIC_BUF;
		if (len >= NIC_HDR + NET_ETH_MIN && len <= NIC_HDR + NET_ETH_MAX) {
			/* full: the oldest frame goes; say so once */
			if (net_ring_push(&n->backlog, buf + NIC_HDR, len - NIC_HDR) == 1 &&
			    n->backlog.drops == 1)
				drv_log(n->d, "receive backlog full: dropping the oldest frames");
			n->rx_frames++;
			__atomic_add_fetch(&n->rx_seq, 1, __ATOMIC_RELEASE);
			got++;
		} else {
			n->rx_bad++;
		}
		if (rx_post(n, i) < 0)
			drv_log(n->d, "receive buffer %u not reposted", i); /* cannot happen */
	}
	if (virtq_publish(&n->rxq.vq))
		virtio_pci_notify(&n->vp, &n->rxq);
	rb_mutex_unlock(&n->rx_lock);
	if (got)
		rb_futex_wake(&n->rx_seq, 1 << 30);
	return got;
}

static bool shared_line(struct nic *n)
{
	return n->irq.mode.kind == DRV_IRQ_INTX || n->irq.mode.kind == DRV_IRQ_MSI;
}

static int rx_thread(void *arg)
{
	struct nic *n = arg;
	for (;;) {
		drv_irq_wait(&n->irq, 0, IRQ_WAIT_NS);
		/* INTx/MSI: reading the ISR deasserts the line (§4.1.4.5). */
		if (shared_line(n))
			(void)virtio_pci_isr(&n->vp);
		unsigned got = rx_harvest(n);
		rb_mutex_lock(&n->tx_lock);
		tx_harvest(n);
		rb_mutex_unlock(&n->tx_lock);
		drv_irq_ack(&n->irq, 0);
		if (got && n->on_rx)
			n->on_rx();
	}
	return 0;
}

static int tx_thread(void *arg)
{
	struct nic *n = arg;
	for (;;) {
		drv_irq_wait(&n->irq, 1, IRQ_WAIT_NS);
		rb_mutex_lock(&n->tx_lock);
		tx_harvest(n);
		rb_mutex_unlock(&n->tx_lock);
	}
	return 0;
}

/* Allocate the buffers and post every receive buffer (not yet published). */
static int buffers_init(struct nic *n)
{
	unsigned rxn = n->rxq.vq.size, txn = MIN((unsigned)NIC_TX, n->txq.vq.size);
	n->rx_buf = drv_dma_alloc((size_t)rxn * NIC_BUF, &n->rx_bus);
	n->tx_buf = drv_dma_alloc((size_t)txn * NIC_BUF, &n->tx_bus);
	if (!n->rx_buf || !n->tx_buf)
		return -E_NOMEM;
	for (unsigned i = 0; i < rxn; i++)
		if (rx_post(n, i) < 0)
			return -E_NOSPC;
	n->tx_free = txn == 32 ? 0xffffffffu : (1u << txn) - 1;
	static uint8_t store[NIC_BACKLOG * NET_ETH_MAX];
	net_ring_init(&n->backlog, NIC_BACKLOG, n->backlog_lens, store);
	return 0;
}

int nic_start(struct nic *n, struct drv_dev *d)
{
	memset(n, 0, sizeof *n);
	n->d = d;
	n->rx_lock = (struct rb_mutex)RB_MUTEX_INIT;
	n->tx_lock = (struct rb_mutex)RB_MUTEX_INIT;
	int r = virtio_pci_probe(d, &n->vp);
	if (r < 0)
		return r;
	if ((r = drv_pci_enable(d)) < 0)
		return r;
	if ((r = virtio_pci_reset(&n->vp)) < 0) {
		drv_log(d, "device did not reset");
		return r;
	}
	drv_irq_setup(d, 2, &n->irq);
	/* No checksum, GSO or mergeable-buffer features: every frame fits one
	   2 KiB buffer with its header (§5.1.6.3.1 without MRG_RXBUF). */
	if ((r = virtio_pci_negotiate(&n->vp, 1ull << VIRTIO_NET_F_MAC)) < 0)
		return r;
	bool msix = n->irq.mode.kind == DRV_IRQ_MSIX;
	uint16_t rxv = msix ? 0 : VIRTIO_MSI_NO_VECTOR;
	uint16_t txv = msix ? (n->irq.mode.vectors >= 2 ? 1 : 0) : VIRTIO_MSI_NO_VECTOR;
	if (msix && virtio_pci_config_vector(&n->vp, VIRTIO_MSI_NO_VECTOR) < 0)
		drv_log(d, "config_msix_vector not cleared");
	if ((r = virtio_pci_queue_setup(&n->vp, 0, NIC_RXQ_MAX, rxv, &n->rxq)) < 0 ||
	    (r = virtio_pci_queue_setup(&n->vp, 1, 256, txv, &n->txq)) < 0) {
		drv_log(d, "queue setup: %s", err_name(r));
		virtio_pci_fail(&n->vp);
		return r;
	}
	if ((r = buffers_init(n)) < 0) {
		drv_log(d, "DMA buffers: %s", err_name(r));
		virtio_pci_fail(&n->vp);
		return r;
	}
	/* struct virtio_net_config: u8 mac[6] first, valid with VIRTIO_NET_F_MAC. */
	n->mac_from_device = n->vp.features & (1ull << VIRTIO_NET_F_MAC);
	if (n->mac_from_device) {
		if ((r = virtio_pci_cfg_read(&n->vp, 0, n->mac, NET_ETH_ALEN)) < 0) {
			drv_log(d, "device config too small");
			virtio_pci_fail(&n->vp);
			return r;
		}
	} else {
		/* §5.1.5: without MAC the driver picks one: locally administered. */
		static const uint8_t local[NET_ETH_ALEN] = {0x02, 0, 0, 0, 0, 1};
		memcpy(n->mac, local, NET_ETH_ALEN);
	}
	virtio_pci_driver_ok(&n->vp);
	if (virtio_pci_status(&n->vp) & VIRTIO_STATUS_NEEDS_RESET) {
		drv_log(d, "device needs reset after DRIVER_OK");
		return -E_IO;
	}
	/* §3.1.1: no notification before DRIVER_OK; now hand over the buffers. */
	rb_mutex_lock(&n->rx_lock);
	if (virtq_publish(&n->rxq.vq))
		virtio_pci_notify(&n->vp, &n->rxq);
	rb_mutex_unlock(&n->rx_lock);
	int tid = rb_thread_create(rx_thread, n);
	if (tid >= 0 && msix && n->irq.mode.vectors >= 2)
		tid = rb_thread_create(tx_thread, n);
	if (tid < 0) {
		nic_stop(n);
		return tid;
	}
	return 0;
}

void nic_stop(struct nic *n)
{
	if (n->vp.common)
		*(volatile uint8_t *)(n->vp.common + VIRTIO_COMMON_STATUS) = 0;
}

long nic_recv(struct nic *n, void *out, size_t max)
{
	rb_mutex_lock(&n->rx_lock);
	long r = net_ring_pop(&n->backlog, out, max);
	rb_mutex_unlock(&n->rx_lock);
	return r < 0 ? r : MIN(r, (long)max);
}

unsigned nic_pending(struct nic *n)
{
	rb_mutex_lock(&n->rx_lock);
	unsigned c = net_ring_count(&n->backlog);
	rb_mutex_unlock(&n->rx_lock);
	return c;
}

int nic_send(struct nic *n, const void *frame, size_t len)
{
	if (len < NET_ETH_MIN || len > NET_ETH_MAX)
		return -E_INVAL;
	for (unsigned tries = 0; tries < TX_TRIES; tries++) {
		rb_mutex_lock(&n->tx_lock);
		if (!n->tx_free)
			tx_harvest(n);
		if (n->tx_free) {
			unsigned i = (unsigned)__builtin_ctz(n->tx_free);
			n->tx_free &= ~(1u << i);
			uint8_t *b = n->tx_buf + (size_t)i * NIC_BUF;
			/* §5.1.6.2: no offloads: flags 0, gso_type NONE, and
			   num_buffers 0 on transmit. */
			memset(b, 0, NIC_HDR);
			memcpy(b + NIC_HDR, frame, len);
			struct virtq_buf vb = {n->tx_bus + (uint64_t)i * NIC_BUF,
					       (uint32_t)(NIC_HDR + len), false};
			int r = virtq_add(&n->txq.vq, &vb, 1, (void *)(uintptr_t)(i + 1));
			if (r >= 0) {
				n->tx_frames++;
				if (virtq_publish(&n->txq.vq))
					virtio_pci_notify(&n->vp, &n->txq);
			} else {
				n->tx_free |= 1u << i;
			}
			rb_mutex_unlock(&n->tx_lock);
			return r < 0 ? r : 0;
		}
		rb_mutex_unlock(&n->tx_lock);
		rb_nanosleep(TX_WAIT_NS);
	}
	return -E_AGAIN;
}
