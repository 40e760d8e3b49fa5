/*
 * rsrc.c - ACPI resource template decoder and IRQ encoder (rsrc.h).
 *
 * Layouts from ACPI 6.5 section 6.4: a small descriptor is one tag byte
 * (bit 7 clear, type in bits 6:3, length in bits 2:0) and up to 7 bytes; a
 * large one is a tag byte (bit 7 set, type in bits 6:0), a 16-bit length and
 * that many bytes. Every field read is checked against the descriptor's own
 * length, and the descriptor against the buffer. Pure code: no state.
 */
#include "acpi/rsrc.h"

#include "base/err.h"

/* Small descriptor types (ACPI 6.5 table 6.32). */
#define SMALL_IRQ 0x04
#define SMALL_DMA 0x05
#define SMALL_IO 0x08
#define SMALL_FIXED_IO 0x09
#define SMALL_END 0x0F

/* Large descriptor types (ACPI 6.5 table 6.47). */
#define LARGE_MEM24 0x01
#define LARGE_MEM32 0x05
#define LARGE_FIXED_MEM32 0x06
#define LARGE_ADDR32 0x07
#define LARGE_ADDR16 0x08
#define LARGE_EXT_IRQ 0x09
#define LARGE_ADDR64 0x0A

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Small descriptor body b of n bytes. */
static int small_desc(const uint8_t *b, size_t n, struct rsrc_desc *d)
{
	switch (d->type) {
	case SMALL_IRQ:
		if (n != 2 && n != 3)
			return -E_BADMSG;
		d->kind = RSRC_IRQ;
		d->irq_mask = (uint16_t)le(b, 2);
		/* The 2-byte form means edge, active high, exclusive. */
		d->flags = RSRC_F_EDGE;
		if (n == 3) {
			d->flags = 0;
			if (b[2] & 0x01)
				d->flags |= RSRC_F_EDGE;
			if (b[2] & 0x08)
				d->flags |= RSRC_F_LOW;
			if (b[2] & 0x10)
				d->flags |= RSRC_F_SHARED;
			if (b[2] & 0x20)
				d->flags |= RSRC_F_WAKE;
		}
		return 0;
	case SMALL_DMA:
		if (n != 2)
			return -E_BADMSG;
		d->kind = RSRC_DMA;
		d->irq_mask = b[0];
		return 0;
	case SMALL_IO:
		if (n != 7)
			return -E_BADMSG;
		d->kind = RSRC_IO;
		d->min = le(b + 1, 2);
		d->max = le(b + 3, 2);
		d->align = b[5];
		d->len = b[6];
		return 0;
	case SMALL_FIXED_IO:
		if (n != 3)
			return -E_BADMSG;
		d->kind = RSRC_FIXED_IO;
		d->min = le(b, 2) & 0x3FF; /* a 10-bit ISA decode */
		d->len = b[2];
		return 0;
	default:
		d->kind = RSRC_OTHER;
		return 0;
	}
}

/* Address space descriptor body b of n bytes with field width w (2/4/8). */
static int addr_desc(const uint8_t *b, size_t n, unsigned w, struct rsrc_desc *d)
{
	if (n < 3 + 5 * (size_t)w)
		return -E_BADMSG;
	d->addr_type = b[0];
	d->gran = le(b + 3, w);
	d->min = le(b + 3 + w, w);
	d->max = le(b + 3 + 2 * w, w);
	d->xlat = le(b + 3 + 3 * w, w);
	d->len = le(b + 3 + 4 * w, w);
	return 0;
}

/* Large descriptor body b of n bytes. */
static int large_desc(const uint8_t *b, size_t n, struct rsrc_desc *d)
{
	switch (d->type) {
	case LARGE_MEM24:
		if (n != 9)
			return -E_BADMSG;
		d->kind = RSRC_MEM24;
		d->min = le(b + 1, 2) << 8;
		d->max = le(b + 3, 2) << 8;
		d->align = le(b + 5, 2);
		d->len = le(b + 7, 2) << 8;
		return 0;
	case LARGE_MEM32:
		if (n != 17)
			return -E_BADMSG;
		d->kind = RSRC_MEM32;
		d->min = le(b + 1, 4);
		d->max = le(b + 5, 4);
		d->align = le(b + 9, 4);
		d->len = le(b + 13, 4);
		return 0;
	case LARGE_FIXED_MEM32:
		if (n != 9)
			return -E_BADMSG;
		d->kind = RSRC_FIXED_MEM32;
		d->min = le(b + 1, 4);
		d->len = le(b + 5, 4);
		return 0;
	case LARGE_ADDR16:
		d->kind = RSRC_ADDR16;
		return addr_desc(b, n, 2, d);
	case LARGE_ADDR32:
		d->kind = RSRC_ADDR32;
		return addr_desc(b, n, 4, d);
	case LARGE_ADDR64:
		d->kind = RSRC_ADDR64;
		return addr_desc(b, n, 8, d);
	case LARGE_EXT_IRQ:
		if (n < 2 || b[1] == 0 || n < 2 + 4 * (size_t)b[1])
			return -E_BADMSG;
		d->kind = RSRC_EXT_IRQ;
		d->flags = 0;
		if (b[0] & 0x01)
			d->flags |= RSRC_F_CONSUMER;
		if (b[0] & 0x02)
			d->flags |= RSRC_F_EDGE;
		if (b[0] & 0x04)
			d->flags |= RSRC_F_LOW;
		if (b[0] & 0x08)
			d->flags |= RSRC_F_SHARED;
		if (b[0] & 0x10)
			d->flags |= RSRC_F_WAKE;
		d->nirq = b[1];
		d->irq_list = b + 2;
		return 0;
	default:
		d->kind = RSRC_OTHER;
		return 0;
	}
}

int rsrc_next(const uint8_t *buf, size_t len, size_t *pos, struct rsrc_desc *out)
{
	size_t p = *pos, n;
	uint8_t tag;

	if (p >= len)
		return 0;
	*out = (struct rsrc_desc){.offset = p};
	tag = buf[p];
	if (tag & 0x80) {
		if (len - p < 3)
			return -E_BADMSG;
		n = (size_t)le(buf + p + 1, 2);
		if (len - p - 3 < n)
			return -E_BADMSG;
		out->large = true;
		out->type = tag & 0x7F;
		out->size = 3 + n;
		if (large_desc(buf + p + 3, n, out))
			return -E_BADMSG;
	} else {
		n = tag & 0x07;
		if (len - p - 1 < n)
			return -E_BADMSG;
		out->type = (tag >> 3) & 0x0F;
		out->size = 1 + n;
		if (out->type == SMALL_END) {
			/* the End Tag has a 1-byte checksum, which is not checked
			 * (zero means "no checksum" and firmware leaves it so) */
			if (n != 1)
				return -E_BADMSG;
			out->kind = RSRC_END;
			*pos = p + out->size;
			return 0;
		}
		if (small_desc(buf + p + 1, n, out))
			return -E_BADMSG;
	}
	*pos = p + out->size;
	return 1;
}

int rsrc_check(const uint8_t *buf, size_t len, size_t *n)
{
	struct rsrc_desc d;
	size_t pos = 0, count = 0;
	int r;

	while ((r = rsrc_next(buf, len, &pos, &d)) > 0)
		count++;
	if (n)
		*n = count;
	return r;
}

int rsrc_irqs(const uint8_t *buf, size_t len, struct rsrc_irq *out, size_t max, size_t *n)
{
	struct rsrc_desc d;
	size_t pos = 0, count = 0;
	int r;

	while ((r = rsrc_next(buf, len, &pos, &d)) > 0) {
		if (d.kind == RSRC_IRQ) {
			for (unsigned i = 0; i < 16; i++) {
				if (!(d.irq_mask & (1u << i)))
					continue;
				if (count < max)
					out[count] = (struct rsrc_irq){i, d.flags, false};
				count++;
			}
		} else if (d.kind == RSRC_EXT_IRQ) {
			for (unsigned i = 0; i < d.nirq; i++) {
				if (count < max)
					out[count] = (struct rsrc_irq){
					    (uint32_t)le(d.irq_list + 4 * i, 4), d.flags, true};
				count++;
			}
		}
	}
	*n = count;
	return r;
}

int rsrc_encode_irq(const struct rsrc_irq *irq, uint8_t *out, size_t cap, size_t *len)
{
	size_t n;

	if (irq->extended) {
		uint8_t f = 0;
		n = 3 + 6 + 2;
		if (cap < n)
			return -E_NOSPC;
		f |= (irq->flags & RSRC_F_CONSUMER) ? 0x01 : 0;
		f |= (irq->flags & RSRC_F_EDGE) ? 0x02 : 0;
		f |= (irq->flags & RSRC_F_LOW) ? 0x04 : 0;
		f |= (irq->flags & RSRC_F_SHARED) ? 0x08 : 0;
		f |= (irq->flags & RSRC_F_WAKE) ? 0x10 : 0;
		out[0] = 0x80 | LARGE_EXT_IRQ;
		out[1] = 6;
		out[2] = 0;
		out[3] = f;
		out[4] = 1;
		for (unsigned i = 0; i < 4; i++)
			out[5 + i] = (uint8_t)(irq->irq >> (8 * i));
	} else {
		uint16_t mask;
		uint8_t f = 0;
		if (irq->irq > 15)
			return -E_INVAL;
		n = 4 + 2;
		if (cap < n)
			return -E_NOSPC;
		mask = (uint16_t)(1u << irq->irq);
		f |= (irq->flags & RSRC_F_EDGE) ? 0x01 : 0;
		f |= (irq->flags & RSRC_F_LOW) ? 0x08 : 0;
		f |= (irq->flags & RSRC_F_SHARED) ? 0x10 : 0;
		f |= (irq->flags & RSRC_F_WAKE) ? 0x20 : 0;
		out[0] = (SMALL_IRQ << 3) | 3;
		out[1] = (uint8_t)mask;
		out[2] = (uint8_t)(mask >> 8);
		out[3] = f;
	}
	out[n - 2] = (SMALL_END << 3) | 1;
	out[n - 1] = 0;
	*len = n;
	return 0;
}
