/*
 * virtio/virtio.h - the pure parts of virtio 1.1 over PCI: the layout of
 * the modern transport's registers, the vendor capability walk that finds
 * them (§4.1.4), and the split virtqueue (§2.6) on plain memory.
 *
 * Capabilities: virtio_caps_parse() walks the standard capability list of
 * a function's first 256 config bytes and keeps the first
 * VIRTIO_PCI_CAP_* structure of each type (§4.1.4: "the driver SHOULD use
 * the first one"): BAR, offset and length, and the notify capability's
 * multiplier. The walk is bounded (48 entries, offsets inside 64..255).
 *
 * Split virtqueue: the caller provides virtq_mem_size(n) bytes of zeroed,
 * device-visible memory (bus address `bus`) and n cookie slots;
 * virtq_init() lays out the descriptor table, the available ring and the
 * used ring (each at its required alignment) and threads every descriptor
 * onto the free list (through its `next` field). virtq_add() takes a chain
 * of descriptors for a request and queues its head in the available ring;
 * virtq_publish() makes every queued head visible to the device (a release
 * store of avail->idx) and says whether the device wants a notification;
 * virtq_harvest() takes one finished request from the used ring and frees
 * its chain. All fields are little-endian on the wire; this code targets
 * little-endian CPUs (x86_64) and stores them natively.
 *
 * Locking: none inside. One struct virtq is used by one thread at a time
 * (the caller's lock); the device runs concurrently, which is why avail
 * and used indices are accessed with atomics and the fences of §2.6.13.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

/* PCI identity (§4.1.2): vendor 0x1af4, modern ids 0x1040 + device type. */
#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_PCI_MODERN_BASE 0x1040
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_PCI_TRANS_BLOCK 0x1001 /* transitional virtio-blk */

/* Vendor capability cfg_type (§4.1.4). */
#define VIRTIO_PCI_CAP_COMMON 1
#define VIRTIO_PCI_CAP_NOTIFY 2
#define VIRTIO_PCI_CAP_ISR 3
#define VIRTIO_PCI_CAP_DEVICE 4
#define VIRTIO_PCI_CAP_PCI 5

/* struct virtio_pci_common_cfg offsets (§4.1.4.3). */
#define VIRTIO_COMMON_DFSELECT 0x00 /* le32 device_feature_select */
#define VIRTIO_COMMON_DF 0x04	    /* le32 device_feature */
#define VIRTIO_COMMON_GFSELECT 0x08 /* le32 driver_feature_select */
#define VIRTIO_COMMON_GF 0x0c	    /* le32 driver_feature */
#define VIRTIO_COMMON_MSIX 0x10	    /* le16 config_msix_vector */
#define VIRTIO_COMMON_NUMQ 0x12	    /* le16 num_queues */
#define VIRTIO_COMMON_STATUS 0x14   /* u8 device_status */
#define VIRTIO_COMMON_CFGGEN 0x15   /* u8 config_generation */
#define VIRTIO_COMMON_Q_SELECT 0x16 /* le16 */
#define VIRTIO_COMMON_Q_SIZE 0x18   /* le16 */
#define VIRTIO_COMMON_Q_MSIX 0x1a   /* le16 */
#define VIRTIO_COMMON_Q_ENABLE 0x1c /* le16 */
#define VIRTIO_COMMON_Q_NOFF 0x1e   /* le16 queue_notify_off */
#define VIRTIO_COMMON_Q_DESC 0x20   /* le64 */
#define VIRTIO_COMMON_Q_DRIVER 0x28 /* le64: the available ring */
#define VIRTIO_COMMON_Q_DEVICE 0x30 /* le64: the used ring */
#define VIRTIO_COMMON_SIZE 0x38
#define VIRTIO_MSI_NO_VECTOR 0xffff

/* device_status bits (§2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

/* Device-independent feature bits (§6). */
#define VIRTIO_F_VERSION_1 32

/* ISR status bits (§4.1.4.5). */
#define VIRTIO_ISR_QUEUE 1
#define VIRTIO_ISR_CONFIG 2

struct virtio_cap {
	bool present;
	uint8_t bar;
	uint32_t offset, length;
};

struct virtio_caps {
	struct virtio_cap common, notify, isr, device, pci;
	uint32_t notify_mult; /* notify_off_multiplier */
};

/*
 * Walk cfg (len >= 64 bytes of config space, at most 256 used) for virtio
 * vendor capabilities: 0 with *out filled (absent types have present
 * false), -E_INVAL for a malformed list (a loop, a pointer outside the
 * space, a capability running past the end).
 */
MUST_CHECK int virtio_caps_parse(const uint8_t *cfg, size_t len, struct virtio_caps *out);
/* True if caps has what a modern driver needs: common, notify and device. */
bool virtio_caps_modern(const struct virtio_caps *caps);

/* Split virtqueue (§2.6). */
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_USED_F_NO_NOTIFY 1
#define VIRTQ_MAX 32768

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

struct virtq_avail {
	uint16_t flags, idx;
	uint16_t ring[]; /* then uint16_t used_event */
};

struct virtq_used_elem {
	uint32_t id, len;
};

struct virtq_used {
	uint16_t flags, idx;
	struct virtq_used_elem ring[]; /* then uint16_t avail_event */
};

struct virtq {
	unsigned size; /* a power of two, 1..VIRTQ_MAX */
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	uint64_t desc_bus, avail_bus, used_bus; /* for queue_desc/driver/device */
	void **cookie;				/* per head: the caller's request, NULL when free */
	uint16_t free_head, num_free;
	uint16_t avail_idx; /* heads queued (published or not) */
	uint16_t last_used; /* used entries harvested */
};

/* One buffer of a chain: bus address, length, device-writable or not. */
struct virtq_buf {
	uint64_t addr;
	uint32_t len;
	bool write;
};

/* Bytes of device memory a queue of size n needs (page multiple). */
size_t virtq_mem_size(unsigned n);
/* Lay out queue q of size n (power of two) on zeroed mem at bus address bus: 0 or -E_INVAL. */
MUST_CHECK int virtq_init(struct virtq *q, unsigned n, void *mem, uint64_t bus, void **cookies);
/*
 * Queue a chain of n buffers for cookie (not NULL): the head's id, or
 * -E_NOSPC when fewer than n descriptors are free, -E_INVAL for n == 0.
 * The device sees it only after virtq_publish().
 */
MUST_CHECK int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n, void *cookie);
/* Make queued chains visible to the device; true if it wants a notification. */
bool virtq_publish(struct virtq *q);
/*
 * Take one finished chain: 1 with its cookie and the bytes the device
 * wrote, 0 when none is waiting, -E_IO when the device names a head that
 * is not in flight (the entry is skipped).
 */
MUST_CHECK int virtq_harvest(struct virtq *q, void **cookie, uint32_t *len);
