/*
 * rsrc.h - ACPI resource templates (_CRS, _PRS, _SRS buffers; ACPI 6.5
 * section 6.4): a bounds-checked decoder of small and large descriptors, the
 * interrupt list a template offers, and the encoder of the one-interrupt
 * template acpid hands to a link device's _SRS.
 *
 * Pure functions over caller-provided bytes and storage: no allocation, no
 * locks, no printing. A malformed template (a descriptor running past the
 * buffer, a length below the descriptor's fixed part) gives -E_BADMSG and
 * nothing past the bad descriptor is trusted.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"

enum rsrc_kind {
	RSRC_IRQ,	  /* small IRQ (2 or 3 bytes): irq_mask, flags */
	RSRC_DMA,	  /* small DMA: mask in irq_mask */
	RSRC_IO,	  /* small I/O: min, max, align, len */
	RSRC_FIXED_IO,	  /* small Fixed I/O: min = base, len */
	RSRC_MEM24,	  /* large Memory24 (values already scaled by 256) */
	RSRC_MEM32,	  /* large Memory32: min, max, align, len */
	RSRC_FIXED_MEM32, /* large Fixed Memory32: min = base, len */
	RSRC_ADDR16,	  /* Word address space: addr_type, min, max, gran, xlat, len */
	RSRC_ADDR32,	  /* DWord address space */
	RSRC_ADDR64,	  /* QWord address space */
	RSRC_EXT_IRQ,	  /* Extended Interrupt: nirq numbers at irq_list, flags */
	RSRC_OTHER,	  /* anything else, well formed but not decoded */
	RSRC_END,	  /* End Tag */
};

/* Address space types of the Word/DWord/QWord descriptors. */
#define RSRC_ADDR_MEM 0
#define RSRC_ADDR_IO 1
#define RSRC_ADDR_BUS 2

/* Interrupt flags (both IRQ forms). */
#define RSRC_F_EDGE 0x01     /* edge-triggered (else level) */
#define RSRC_F_LOW 0x02	     /* active low (else high) */
#define RSRC_F_SHARED 0x04   /* shared */
#define RSRC_F_WAKE 0x08     /* wake capable */
#define RSRC_F_CONSUMER 0x10 /* Extended Interrupt: resource consumer */

/* One decoded descriptor. Pointers point into the template. */
struct rsrc_desc {
	enum rsrc_kind kind;
	uint8_t type;  /* raw descriptor type (small: 0-15, large: 0-127) */
	bool large;    /* a large descriptor */
	size_t offset; /* where it starts in the template */
	size_t size;   /* bytes it takes (header included) */
	uint64_t min, max, align, len, gran, xlat;
	uint8_t addr_type;	 /* RSRC_ADDR_* for address spaces */
	uint8_t flags;		 /* RSRC_F_* for IRQ/EXT_IRQ */
	uint16_t irq_mask;	 /* IRQ/DMA: bit n = IRQ/channel n */
	unsigned nirq;		 /* EXT_IRQ: count of numbers at irq_list */
	const uint8_t *irq_list; /* EXT_IRQ: nirq little-endian uint32 */
};

/* One interrupt a template names. */
struct rsrc_irq {
	uint32_t irq;  /* ISA IRQ (IRQ descriptor) or GSI (Extended Interrupt) */
	uint8_t flags; /* RSRC_F_* */
	bool extended; /* came from an Extended Interrupt descriptor */
};

/*
 * Decode the descriptor at *pos of buf[0..len) into out and advance *pos:
 * 1 for a descriptor, 0 at the End Tag or at the end of the buffer (a
 * template without End Tag ends with its buffer), -E_BADMSG if malformed.
 */
MUST_CHECK int rsrc_next(const uint8_t *buf, size_t len, size_t *pos, struct rsrc_desc *out);
/* Check a whole template: 0 or -E_BADMSG; descriptor count via n (may be NULL). */
MUST_CHECK int rsrc_check(const uint8_t *buf, size_t len, size_t *n);
/*
 * Every interrupt of the template, in order (IRQ masks lowest bit first),
 * at most max into out; *n gets how many there are (may exceed max).
 * 0 or -E_BADMSG.
 */
MUST_CHECK int rsrc_irqs(const uint8_t *buf, size_t len, struct rsrc_irq *out, size_t max,
			 size_t *n);
/*
 * Encode a template selecting the one interrupt irq (as _SRS wants it: the
 * descriptor form _PRS used, a 3-byte IRQ or an Extended Interrupt with one
 * number, then an End Tag) into out[0..cap); *len gets its size.
 * -E_NOSPC if cap is too small, -E_INVAL if an ISA IRQ is above 15.
 */
MUST_CHECK int rsrc_encode_irq(const struct rsrc_irq *irq, uint8_t *out, size_t cap, size_t *len);
