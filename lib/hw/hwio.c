/*
 * hwio.c - the I/O permission bitmap as data (see hwio.h).
 *
 * Pure: no state, no allocation, no locks; bytes are written with relaxed
 * atomic stores so a lock-free reader (the context switch copying the
 * bitmap into the TSS) never sees a torn byte.
 */
#include "hw/hwio.h"

/* The kernel's own ports: COM1 (its console), both 8259 PICs (it masks
   them), the PIT (its calibration). */
static const struct {
	uint16_t first, last;
} kernel_ports[] = {
    {0x20, 0x21},
    {0x40, 0x43},
    {0xa0, 0xa1},
    {0x3f8, 0x3ff},
};

bool hwio_port_kernel(uint32_t port)
{
	for (size_t i = 0; i < sizeof kernel_ports / sizeof kernel_ports[0]; i++)
		if (port >= kernel_ports[i].first && port <= kernel_ports[i].last)
			return true;
	return false;
}

void hwio_init(uint8_t bm[HWIO_BYTES])
{
	for (size_t i = 0; i < HWIO_BYTES; i++)
		bm[i] = 0xff;
}

size_t hwio_open(uint8_t bm[HWIO_BYTES], uint32_t first, uint32_t last, size_t old_used)
{
	size_t used = old_used;
	if (last >= HWIO_PORTS)
		last = HWIO_PORTS - 1;
	for (uint32_t port = first; port <= last; port++) {
		if (hwio_port_kernel(port))
			continue;
		size_t i = port / 8;
		uint8_t b = __atomic_load_n(&bm[i], __ATOMIC_RELAXED);
		__atomic_store_n(&bm[i], (uint8_t)(b & ~(1u << (port % 8))), __ATOMIC_RELAXED);
		if (i + 1 > used)
			used = i + 1;
	}
	return used;
}

bool hwio_allowed(const uint8_t bm[HWIO_BYTES], uint32_t first, uint32_t count)
{
	if (count == 0 || first >= HWIO_PORTS || count > HWIO_PORTS - first)
		return false;
	for (uint32_t port = first; port < first + count; port++)
		if (__atomic_load_n(&bm[port / 8], __ATOMIC_RELAXED) & (1u << (port % 8)))
			return false;
	return true;
}
