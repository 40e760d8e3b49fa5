/*
 * rb/virtio_pci.h - the virtio 1.1 modern PCI transport (§4.1) for
 * drivers on rb/drv.h (user/lib/virtio_pci.c).
 *
 * virtio_pci_probe() finds the vendor capabilities in the claimed
 * function's config (lib/virtio) and maps the common, notify, ISR and
 * device-specific structures; -E_NODEV when the device has no modern
 * interface (legacy-only: the caller reports `unsupported`). Then the
 * initialization of §3.1.1, in order: virtio_pci_reset(),
 * virtio_pci_negotiate() (ACKNOWLEDGE, DRIVER, features with
 * VIRTIO_F_VERSION_1 required, FEATURES_OK read back), one
 * virtio_pci_queue_setup() per queue, virtio_pci_driver_ok().
 * virtio_pci_notify() kicks a queue; virtio_pci_isr() reads (and so
 * clears) the ISR status for INTx; virtio_pci_cfg_read() copies device
 * config consistently (config_generation, §4.1.4.3.1).
 *
 * Locking: setup runs on one thread. Afterwards a queue's struct virtq
 * belongs to whoever holds the caller's queue lock; notify and the ISR
 * read are single register accesses any thread may make.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "rb/drv.h"
#include "virtio/virtio.h"

struct virtio_pci {
	struct drv_dev *d;
	struct virtio_caps caps;
	volatile uint8_t *common, *notify, *isr, *device;
	uint64_t features; /* negotiated */
};

struct virtio_pci_queue {
	struct virtq vq;
	uint16_t index;
	volatile uint16_t *notify;
	void *mem;
	size_t mem_len;
	void **cookies;
};

/* Whether a function with this config header is virtio device id (modern
   1af4:1040+id) or its transitional id (1af4:trans). */
bool virtio_pci_is(const uint8_t cfg[16], unsigned id, uint16_t trans);
/* Find and map the modern structures: 0, -E_NODEV (no modern interface) or an error. */
MUST_CHECK int virtio_pci_probe(struct drv_dev *d, struct virtio_pci *vp);
/* Reset the device and wait until it reads back 0: 0 or -E_TIMEDOUT. */
MUST_CHECK int virtio_pci_reset(struct virtio_pci *vp);
/* Offer want & device features (+ VERSION_1): 0 with vp->features, -E_NOTSUP, -E_IO. */
MUST_CHECK int virtio_pci_negotiate(struct virtio_pci *vp, uint64_t want);
/*
 * Set up queue idx with at most max entries, interrupts on MSI-X vector
 * vec (VIRTIO_MSI_NO_VECTOR: none): 0, -E_NOENT (no such queue), -E_NOMEM,
 * -E_IO (the device refused the vector).
 */
MUST_CHECK int virtio_pci_queue_setup(struct virtio_pci *vp, unsigned idx, unsigned max,
				      uint16_t vec, struct virtio_pci_queue *q);
/* Set config_msix_vector: 0 or -E_IO when refused. */
MUST_CHECK int virtio_pci_config_vector(struct virtio_pci *vp, uint16_t vec);
/* Set DRIVER_OK: the device is live. */
void virtio_pci_driver_ok(struct virtio_pci *vp);
/* Set FAILED (give up on the device). */
void virtio_pci_fail(struct virtio_pci *vp);
/* Tell the device queue q has new buffers. */
void virtio_pci_notify(struct virtio_pci *vp, struct virtio_pci_queue *q);
/* Read and clear the ISR status (VIRTIO_ISR_*). */
uint8_t virtio_pci_isr(struct virtio_pci *vp);
/* Copy len bytes of device config from off, consistently: 0 or -E_INVAL. */
MUST_CHECK int virtio_pci_cfg_read(struct virtio_pci *vp, unsigned off, void *buf, size_t len);
/* The device_status register. */
uint8_t virtio_pci_status(struct virtio_pci *vp);
