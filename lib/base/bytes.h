/*
 * bytes.h - little-endian loads from byte buffers.
 *
 * Parsers of outside input (firmware tables, AML, ELF, cpio) read fields with
 * these instead of casting pointers to packed structs: no alignment traps, no
 * strict-aliasing surprises, and the bounds check stays in the caller.
 */
#pragma once
#include <stdint.h>

static inline uint8_t rd8(const void *p)
{
	return *(const uint8_t *)p;
}

static inline uint16_t rd16(const void *p)
{
	const uint8_t *b = p;
	return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t rd32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline uint64_t rd64(const void *p)
{
	const uint8_t *b = p;
	return (uint64_t)rd32(b) | (uint64_t)rd32(b + 4) << 32;
}
