/*
 * fuzz_drv.c - libFuzzer target for the driver runtime's parsers
 * (lib/drv/drv.c): the input, exactly its bytes, is parsed as a bars file,
 * as one bars line and as an irq answer. An accepted BAR must have a valid
 * index and kind, a non-zero size that does not wrap; an accepted answer
 * a vector count that fits its mode, and its text form must parse back to
 * the same mode. The same bytes, as a config space, go through the virtio
 * capability walk (lib/virtio/caps.c): it must end, and every structure it
 * keeps names a BAR 0-5.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "drv/drv.h"
#include "virtio/virtio.h"

static void check_bar(const struct drv_bar *b)
{
	if (b->kind == DRV_BAR_NONE)
		return;
	if (b->kind > DRV_BAR_IO || b->size == 0 || b->addr + b->size < b->addr)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct drv_bar t[DRV_BARS], b;
	unsigned idx;
	if (drv_bars_parse(s, size, t) == 0)
		for (unsigned i = 0; i < DRV_BARS; i++)
			check_bar(&t[i]);
	if (drv_bar_parse(s, size, &idx, &b) == 0) {
		if (idx >= DRV_BARS || b.kind == DRV_BAR_NONE)
			abort();
		check_bar(&b);
	}
	struct drv_irq_mode m, m2;
	if (drv_irq_parse(s, size, &m) == 0) {
		switch (m.kind) {
		case DRV_IRQ_POLL:
			if (m.vectors != 0)
				abort();
			break;
		case DRV_IRQ_INTX:
			if (m.vectors != 1)
				abort();
			break;
		default:
			if (m.vectors < 1 || m.vectors > DRV_IRQ_MAX)
				abort();
		}
		char buf[64];
		size_t n = drv_irq_fmt(&m, buf, sizeof buf);
		if (n >= sizeof buf || drv_irq_parse(buf, n, &m2) != 0 || m.kind != m2.kind ||
		    m.vectors != m2.vectors || m.gsi != m2.gsi || m.level != m2.level ||
		    m.active_low != m2.active_low)
			abort();
	}
	struct virtio_caps k;
	if (size >= 64 && virtio_caps_parse(data, size, &k) == 0) {
		const struct virtio_cap *all[] = {&k.common, &k.notify, &k.isr, &k.device, &k.pci};
		for (unsigned i = 0; i < 5; i++)
			if (all[i]->present && all[i]->bar > 5)
				abort();
	}
	return 0;
}
