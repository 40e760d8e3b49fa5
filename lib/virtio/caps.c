/*
 * caps.c - finding the virtio modern PCI structures (virtio 1.1 §4.1.4)
 * in a copy of a function's config space. Pure; no locking.
 */
#include "base/err.h"
#include "virtio/virtio.h"

#define PCI_STATUS 0x06
#define PCI_STATUS_CAPS 0x10
#define PCI_CAP_PTR 0x34
#define PCI_CAP_VENDOR 0x09
#define CAP_WALK_MAX 48 /* (256 - 64) / 4: more entries must be a loop */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int virtio_caps_parse(const uint8_t *cfg, size_t len, struct virtio_caps *out)
{
	*out = (struct virtio_caps){0};
	if (len < 64)
		return -E_INVAL;
	if (len > 256)
		len = 256;
	if (!(cfg[PCI_STATUS] & PCI_STATUS_CAPS))
		return 0;
	unsigned at = cfg[PCI_CAP_PTR] & 0xfc;
	for (unsigned n = 0; at; n++) {
		if (n >= CAP_WALK_MAX || at < 64 || at + 2 > len)
			return -E_INVAL;
		const uint8_t *c = cfg + at;
		if (c[0] == PCI_CAP_VENDOR) {
			/* struct virtio_pci_cap: vndr, next, len, cfg_type, bar, id,
			   pad[2], le32 offset, le32 length (16 bytes). */
			if (at + 16 > len || c[2] < 16 || at + c[2] > len)
				return -E_INVAL;
			struct virtio_cap cap = {true, c[4], le32(c + 8), le32(c + 12)};
			struct virtio_cap *slot = NULL;
			switch (c[3]) {
			case VIRTIO_PCI_CAP_COMMON:
				slot = &out->common;
				break;
			case VIRTIO_PCI_CAP_NOTIFY:
				/* virtio_pci_notify_cap adds le32 notify_off_multiplier. */
				if (c[2] >= 20 && !out->notify.present) {
					slot = &out->notify;
					out->notify_mult = le32(c + 16);
				}
				break;
			case VIRTIO_PCI_CAP_ISR:
				slot = &out->isr;
				break;
			case VIRTIO_PCI_CAP_DEVICE:
				slot = &out->device;
				break;
			case VIRTIO_PCI_CAP_PCI:
				slot = &out->pci;
				break;
			}
			/* §4.1.4: BAR values 0x0-0x5 are valid; the rest are reserved. */
			if (slot && !slot->present && cap.bar <= 5)
				*slot = cap;
		}
		at = c[1] & 0xfc;
	}
	return 0;
}

bool virtio_caps_modern(const struct virtio_caps *caps)
{
	return caps->common.present && caps->common.length >= VIRTIO_COMMON_SIZE &&
	       caps->notify.present && caps->device.present;
}
