/*
 * crc32.c - the CRC-32 of IEEE 802.3 (and zlib, PNG, GPT): the reflected
 * polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF.
 *
 * part_crc32(crc, p, n) continues a CRC as zlib's crc32() does: start with
 * 0, feed the bytes in any number of pieces. It works a nibble at a time
 * from a 16-entry table (64 bytes): entry i is i shifted through the
 * polynomial four times. GPT headers and entry arrays are all it checks,
 * so speed matters little.
 *
 * Locking: none; a pure function.
 */
#include <stddef.h>
#include <stdint.h>
#include "part/part.h"

static const uint32_t crc_nibble[16] = {
    0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
    0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t part_crc32(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *b = p;
	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= b[i];
		crc = (crc >> 4) ^ crc_nibble[crc & 0xf];
		crc = (crc >> 4) ^ crc_nibble[crc & 0xf];
	}
	return ~crc;
}
