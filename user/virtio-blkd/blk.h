/*
 * blk.h - virtio-blk requests (virtio 1.1 §5.2) over one split queue, for
 * virtio-blkd's scheme handlers (main.c).
 *
 * blk_start() negotiates (VERSION_1, FLUSH and RO when offered), sets up
 * request queue 0 on MSI-X vector 0 when the interrupts are MSI-X, reads
 * the capacity, sets DRIVER_OK and starts the completion thread. A caller
 * takes a slot (blk_slot_get: a DMA data area, BLKSERV_BUF_MIN bytes
 * until blkserv grows it, and BLK_HDR_STRIDE bytes of one page the slots
 * share for the request header and status byte), runs requests on it with blk_io() and
 * gives it back. blk_io() queues header, data and status descriptors,
 * notifies the device and sleeps on the slot's futex until the completion
 * thread (woken by the interrupt, or every millisecond when polling)
 * harvests the used ring and marks the slot done. A waiter that sees
 * nothing for 100 ms harvests itself, so a lost interrupt costs time,
 * not a hang.
 *
 * Locking: q_lock guards the virtqueue, the free-slot mask and harvesting.
 * A slot belongs to the thread that took it until it is put back; its
 * `done` word is the only field the completion side writes (atomically).
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "rb/drv.h"
#include "rb/thread.h"
#include "rb/virtio_pci.h"

#define BLK_SECTOR 512
#define BLK_SLOTS 8	  /* requests in flight (one per server worker) */
#define BLK_HDR_STRIDE 64 /* a slot's 16-byte header and status byte, in one shared page */

/* Request types and status (§5.2.6). */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

/* Feature bits (§5.2.3). */
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_FLUSH 9

struct blk_slot {
	uint32_t done; /* futex: 0 while the request is in flight */
	uint8_t *hdr;  /* 16-byte struct virtio_blk_req header, status at hdr[16] */
	uint64_t hdr_bus;
	struct drv_dmabuf data;
};

struct blk {
	struct drv_dev *d;
	struct virtio_pci vp;
	struct virtio_pci_queue q;
	struct drv_irq irq;
	uint64_t sectors;
	bool flush, ro;
	struct rb_mutex q_lock;
	uint32_t free_slots; /* bit i: slot i free (guarded by q_lock) */
	uint32_t slot_seq;   /* futex: bumped when a slot is put back */
	struct blk_slot slots[BLK_SLOTS];
};

/*
 * Bring the device up: 0, -E_NODEV (no modern interface: unsupported),
 * or another error (logged; the device is left FAILED or reset).
 */
MUST_CHECK int blk_start(struct blk *b, struct drv_dev *d);
/* Reset the device (it stops all DMA); for exit paths and signal handlers. */
void blk_stop(struct blk *b);
/* Take a free slot, waiting for one. */
struct blk_slot *blk_slot_get(struct blk *b);
/* Give slot s back. */
void blk_slot_put(struct blk *b, struct blk_slot *s);
/*
 * Run one request on s: type IN/OUT on `bytes` (a sector multiple, at most
 * s->data.len - data_off) at byte data_off of s->data from sector; FLUSH
 * ignores them. 0, -E_IO, -E_NOTSUP or -E_INVAL.
 */
MUST_CHECK int blk_io(struct blk *b, struct blk_slot *s, unsigned type, uint64_t sector,
		      unsigned data_off, uint32_t bytes);
