/*
 * virtio_pci.c - the virtio 1.1 modern PCI transport (rb/virtio_pci.h):
 * register access to the common configuration, device initialization
 * (§3.1.1), queue setup (§4.1.5.1.3) and notification (§4.1.4.4).
 * Locking: see rb/virtio_pci.h.
 */
#include <string.h>
#include "base/err.h"
#include "rb/sys.h"
#include "rb/virtio_pci.h"

#define RESET_WAIT_NS 1000000000ll /* a device not reset in 1 s is broken */

static uint8_t r8(volatile uint8_t *b, unsigned off)
{
	return *(volatile uint8_t *)(b + off);
}

static uint16_t r16(volatile uint8_t *b, unsigned off)
{
	return *(volatile uint16_t *)(b + off);
}

static uint32_t r32(volatile uint8_t *b, unsigned off)
{
	return *(volatile uint32_t *)(b + off);
}

static void w8(volatile uint8_t *b, unsigned off, uint8_t v)
{
	*(volatile uint8_t *)(b + off) = v;
}

static void w16(volatile uint8_t *b, unsigned off, uint16_t v)
{
	*(volatile uint16_t *)(b + off) = v;
}

static void w32(volatile uint8_t *b, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(b + off) = v;
}

/* 64-bit fields as two 32-bit writes, low half first (§4.1.3.1). */
static void w64(volatile uint8_t *b, unsigned off, uint64_t v)
{
	w32(b, off, (uint32_t)v);
	w32(b, off + 4, (uint32_t)(v >> 32));
}

static volatile uint8_t *map_cap(struct drv_dev *d, const struct virtio_cap *c)
{
	if (!c->present || c->length == 0)
		return NULL;
	return drv_bar_map(d, c->bar, c->offset, c->length);
}

int virtio_pci_probe(struct drv_dev *d, struct virtio_pci *vp)
{
	memset(vp, 0, sizeof *vp);
	vp->d = d;
	int r = virtio_caps_parse(d->config, sizeof d->config, &vp->caps);
	if (r < 0) {
		drv_log(d, "malformed capability list");
		return r;
	}
	if (!virtio_caps_modern(&vp->caps))
		return -E_NODEV;
	vp->common = map_cap(d, &vp->caps.common);
	vp->notify = map_cap(d, &vp->caps.notify);
	vp->device = map_cap(d, &vp->caps.device);
	vp->isr = map_cap(d, &vp->caps.isr);
	if (!vp->common || !vp->notify || !vp->device)
		return -E_IO;
	return 0;
}

uint8_t virtio_pci_status(struct virtio_pci *vp)
{
	return r8(vp->common, VIRTIO_COMMON_STATUS);
}

static void status_set(struct virtio_pci *vp, uint8_t bits)
{
	w8(vp->common, VIRTIO_COMMON_STATUS, (uint8_t)(virtio_pci_status(vp) | bits));
}

int virtio_pci_reset(struct virtio_pci *vp)
{
	/* §4.1.4.3.2: after writing 0 the driver waits until device_status
	   reads 0 before reinitializing. */
	w8(vp->common, VIRTIO_COMMON_STATUS, 0);
	uint64_t end = rb_now_ns() + RESET_WAIT_NS;
	while (virtio_pci_status(vp) != 0) {
		if (rb_now_ns() > end)
			return -E_TIMEDOUT;
		rb_nanosleep(100000);
	}
	return 0;
}

int virtio_pci_negotiate(struct virtio_pci *vp, uint64_t want)
{
	status_set(vp, VIRTIO_STATUS_ACKNOWLEDGE);
	status_set(vp, VIRTIO_STATUS_DRIVER);
	uint64_t dev = 0;
	for (unsigned sel = 0; sel < 2; sel++) {
		w32(vp->common, VIRTIO_COMMON_DFSELECT, sel);
		dev |= (uint64_t)r32(vp->common, VIRTIO_COMMON_DF) << (32 * sel);
	}
	if (!(dev & (1ull << VIRTIO_F_VERSION_1))) {
		drv_log(vp->d, "device does not offer VIRTIO_F_VERSION_1");
		virtio_pci_fail(vp);
		return -E_NOTSUP;
	}
	uint64_t drv = dev & (want | 1ull << VIRTIO_F_VERSION_1);
	for (unsigned sel = 0; sel < 2; sel++) {
		w32(vp->common, VIRTIO_COMMON_GFSELECT, sel);
		w32(vp->common, VIRTIO_COMMON_GF, (uint32_t)(drv >> (32 * sel)));
	}
	/* §3.1.1 step 6: re-read FEATURES_OK; unset means the subset is refused. */
	status_set(vp, VIRTIO_STATUS_FEATURES_OK);
	if (!(virtio_pci_status(vp) & VIRTIO_STATUS_FEATURES_OK)) {
		drv_log(vp->d, "device refused features 0x%llx", (unsigned long long)drv);
		virtio_pci_fail(vp);
		return -E_NOTSUP;
	}
	vp->features = drv;
	return 0;
}

int virtio_pci_queue_setup(struct virtio_pci *vp, unsigned idx, unsigned max, uint16_t vec,
			   struct virtio_pci_queue *q)
{
	memset(q, 0, sizeof *q);
	w16(vp->common, VIRTIO_COMMON_Q_SELECT, (uint16_t)idx);
	unsigned size = r16(vp->common, VIRTIO_COMMON_Q_SIZE);
	if (size == 0)
		return -E_NOENT;
	if (size > max)
		size = max;
	while (size & (size - 1)) /* split rings: a power of two (§2.6) */
		size &= size - 1;
	q->mem_len = virtq_mem_size(size);
	uint64_t bus;
	q->mem = drv_dma_alloc(q->mem_len, &bus);
	q->cookies = rb_mmap(NULL, size * sizeof(void *), RB_PROT_READ | RB_PROT_WRITE, 0);
	if (!q->mem || RB_IS_ERR(q->cookies))
		return -E_NOMEM;
	if (virtq_init(&q->vq, size, q->mem, bus, q->cookies) < 0)
		return -E_INVAL;
	q->index = (uint16_t)idx;
	w16(vp->common, VIRTIO_COMMON_Q_SIZE, (uint16_t)size);
	w64(vp->common, VIRTIO_COMMON_Q_DESC, q->vq.desc_bus);
	w64(vp->common, VIRTIO_COMMON_Q_DRIVER, q->vq.avail_bus);
	w64(vp->common, VIRTIO_COMMON_Q_DEVICE, q->vq.used_bus);
	/* §4.1.5.1.2.1: a vector the device cannot use reads back NO_VECTOR. */
	w16(vp->common, VIRTIO_COMMON_Q_MSIX, vec);
	if (r16(vp->common, VIRTIO_COMMON_Q_MSIX) != vec)
		return -E_IO;
	uint32_t noff = r16(vp->common, VIRTIO_COMMON_Q_NOFF);
	uint64_t at = (uint64_t)noff * vp->caps.notify_mult;
	if (at + 2 > vp->caps.notify.length)
		return -E_IO;
	q->notify = (volatile uint16_t *)(vp->notify + at);
	w16(vp->common, VIRTIO_COMMON_Q_ENABLE, 1);
	return 0;
}

int virtio_pci_config_vector(struct virtio_pci *vp, uint16_t vec)
{
	w16(vp->common, VIRTIO_COMMON_MSIX, vec);
	return r16(vp->common, VIRTIO_COMMON_MSIX) == vec ? 0 : -E_IO;
}

void virtio_pci_driver_ok(struct virtio_pci *vp)
{
	status_set(vp, VIRTIO_STATUS_DRIVER_OK);
}

void virtio_pci_fail(struct virtio_pci *vp)
{
	status_set(vp, VIRTIO_STATUS_FAILED);
}

void virtio_pci_notify(struct virtio_pci *vp, struct virtio_pci_queue *q)
{
	*q->notify = q->index; /* no VIRTIO_F_NOTIFICATION_DATA: the queue index */
}

uint8_t virtio_pci_isr(struct virtio_pci *vp)
{
	return vp->isr ? r8(vp->isr, 0) : 0;
}

int virtio_pci_cfg_read(struct virtio_pci *vp, unsigned off, void *buf, size_t len)
{
	if (off > vp->caps.device.length || len > vp->caps.device.length - off)
		return -E_INVAL;
	uint8_t gen, *out = buf;
	do {
		gen = r8(vp->common, VIRTIO_COMMON_CFGGEN);
		for (size_t i = 0; i < len; i++)
			out[i] = r8(vp->device, off + (unsigned)i);
	} while (gen != r8(vp->common, VIRTIO_COMMON_CFGGEN));
	return 0;
}

bool virtio_pci_is(const uint8_t cfg[16], unsigned id, uint16_t trans)
{
	uint16_t ven = (uint16_t)(cfg[0] | cfg[1] << 8), dev = (uint16_t)(cfg[2] | cfg[3] << 8);
	return ven == VIRTIO_PCI_VENDOR && (dev == VIRTIO_PCI_MODERN_BASE + id || dev == trans);
}
