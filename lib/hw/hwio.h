/*
 * hwio.h - the x86 I/O permission bitmap as data (docs/hwaccess.md).
 *
 * One bit per port, 65536 ports in 8192 bytes; a clear bit lets user code
 * use the port, a set bit makes the CPU raise #GP (Intel SDM Vol 1
 * §19.5.2). A process's bitmap starts all ones; hwio_open clears the bits
 * of a granted range, never those of a port the kernel keeps for itself
 * (COM1, the 8259 PICs, the PIT: hwio_port_kernel). Bits are only ever
 * cleared, never set again, so a reader racing a writer sees a subset of
 * the grant; each byte is stored with a relaxed atomic store.
 *
 * Pure: the caller owns the bitmap and serialises writers.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HWIO_PORTS 65536u
#define HWIO_BYTES (HWIO_PORTS / 8)

/* True for a port the kernel drives itself: never granted to anyone. */
bool hwio_port_kernel(uint32_t port);

/* Fill bm with ones: no port open. */
void hwio_init(uint8_t bm[HWIO_BYTES]);

/* Open [first, last] in bm but the kernel's ports; returns the number of
   leading bytes of bm that now hold an open bit (old_used or more). */
size_t hwio_open(uint8_t bm[HWIO_BYTES], uint32_t first, uint32_t last, size_t old_used);

/* True if every port of [first, first + count) is open in bm (count >= 1). */
bool hwio_allowed(const uint8_t bm[HWIO_BYTES], uint32_t first, uint32_t count);
