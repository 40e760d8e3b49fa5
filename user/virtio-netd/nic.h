/*
 * nic.h - a virtio-net device (virtio 1.1 §5.1) for virtio-netd's scheme
 * handlers (main.c): one receive queue kept full, one transmit queue.
 *
 * nic_start() negotiates VERSION_1 and MAC (no offloads, no mergeable
 * buffers, no control queue), sets up receiveq1 (queue 0) and transmitq1
 * (queue 1) on MSI-X vectors 0 and 1 when granted (both on vector 0 when
 * only one is; none otherwise), reads the MAC from the device config,
 * posts every receive buffer, sets DRIVER_OK and starts the receive
 * thread. Every buffer is NIC_BUF bytes of DMA memory, one descriptor:
 * the 12-byte struct virtio_net_hdr (§5.1.6, num_buffers present with
 * VERSION_1) and then the frame.
 *
 * Receive: the receive thread (woken by vector 0's interrupt, or every
 * millisecond when polling, and at least every 100 ms) takes used
 * buffers, copies their frames into the backlog ring (lib/net: NIC_BACKLOG
 * frames, the oldest dropped when full), gives the buffers straight back
 * to the device and calls the on_rx hook. Readers take frames with
 * nic_recv(); rx_seq counts frames (a futex word for anyone who sleeps).
 * Transmit: nic_send() copies a frame into a free transmit buffer, queues
 * it and returns without waiting; finished buffers are harvested by the
 * next sender, by the receive thread, and by a transmit thread on
 * vector 1 when there is one.
 *
 * Locking: rx_lock guards the receive queue and the backlog; tx_lock the
 * transmit queue and its free-buffer mask. rx_seq (a futex word) is
 * bumped, under rx_lock, for every frame added.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "net/net.h"
#include "rb/drv.h"
#include "rb/thread.h"
#include "rb/virtio_pci.h"

#define NIC_BUF 2048	/* bytes per receive or transmit buffer */
#define NIC_HDR 12	/* struct virtio_net_hdr with num_buffers */
#define NIC_RXQ_MAX 256 /* receive buffers (at most: the queue may be smaller) */
#define NIC_TX 32	/* transmit buffers */
#define NIC_BACKLOG 64	/* received frames kept for readers */
#define VIRTIO_ID_NET 1 /* device type (§5.1.1): modern id 0x1041 */
#define VIRTIO_PCI_TRANS_NET 0x1000
#define VIRTIO_NET_F_MAC 5 /* §5.1.3 */

struct nic {
	struct drv_dev *d;
	struct virtio_pci vp;
	struct virtio_pci_queue rxq, txq;
	struct drv_irq irq;
	uint8_t mac[NET_ETH_ALEN];
	bool mac_from_device;
	uint8_t *rx_buf, *tx_buf; /* NIC_BUF each, contiguous */
	uint64_t rx_bus, tx_bus;
	struct rb_mutex rx_lock, tx_lock;
	struct net_ring backlog;
	uint16_t backlog_lens[NIC_BACKLOG];
	uint32_t rx_seq; /* futex: bumped for every frame received */
	uint64_t rx_frames, rx_bad, tx_frames;
	uint32_t tx_free;    /* bit i: transmit buffer i free (tx_lock) */
	void (*on_rx)(void); /* called by the receive thread after frames arrive */
};

/* Bring the device up: 0, -E_NODEV (no modern interface), -E_NOTSUP, or another error. */
MUST_CHECK int nic_start(struct nic *n, struct drv_dev *d);
/* Reset the device (it stops all DMA); for exit paths and signal handlers. */
void nic_stop(struct nic *n);
/* Take the oldest received frame into out: its length (cut to max), or -E_AGAIN. */
long nic_recv(struct nic *n, void *out, size_t max);
/* Frames waiting in the backlog. */
unsigned nic_pending(struct nic *n);
/* Queue frame (NET_ETH_MIN..NET_ETH_MAX bytes): 0, -E_INVAL, or -E_AGAIN (no free buffer). */
MUST_CHECK int nic_send(struct nic *n, const void *frame, size_t len);
