/*
 * test_pci_fake.h - a fake PCI configuration space for the lib/pci host
 * tests: a few functions, each 4 KiB of bytes with a per-dword mask of
 * the bits a write may change (as hardware wires BAR address bits), and a
 * check that no BAR is written while the function decodes memory or I/O.
 */
#pragma once
#include <stdint.h>
#include <string.h>
#include "pci/pci.h"

#define FAKE_MAX 16

struct fake_fn {
	struct pci_addr a;
	uint8_t b[4096];
	uint32_t wmask[1024];
};

struct fake {
	struct fake_fn fn[FAKE_MAX];
	unsigned n;
	unsigned reads, writes;
	unsigned bar_writes_while_decoding;
	unsigned cmd_writes;  /* writes that touch COMMAND */
	uint16_t cmd_cleared; /* COMMAND bits some write turned from 1 to 0 */
};

static inline struct fake_fn *fake_find(struct fake *f, struct pci_addr a)
{
	for (unsigned i = 0; i < f->n; i++)
		if (f->fn[i].a.seg == a.seg && f->fn[i].a.bus == a.bus && f->fn[i].a.dev == a.dev &&
		    f->fn[i].a.fn == a.fn)
			return &f->fn[i];
	return NULL;
}

static inline uint32_t fake_read(void *ctx, struct pci_addr a, uint16_t off, unsigned width)
{
	struct fake *f = ctx;
	f->reads++;
	struct fake_fn *fn = fake_find(f, a);
	if (!fn || off + width > 4096)
		return width == 4 ? 0xffffffff : width == 2 ? 0xffff : 0xff;
	uint32_t v = 0;
	memcpy(&v, fn->b + off, width);
	return v;
}

static inline void fake_write(void *ctx, struct pci_addr a, uint16_t off, unsigned width,
			      uint32_t v)
{
	struct fake *f = ctx;
	f->writes++;
	struct fake_fn *fn = fake_find(f, a);
	if (!fn || off + width > 4096)
		return;
	uint16_t cmd;
	memcpy(&cmd, fn->b + PCI_COMMAND, 2);
	if (off >= PCI_BAR0 && off < PCI_BAR0 + 24 && (cmd & (PCI_CMD_IO | PCI_CMD_MEM)))
		f->bar_writes_while_decoding++;
	if (off <= PCI_COMMAND + 1 && off + width > PCI_COMMAND) {
		f->cmd_writes++;
		uint64_t bytes = width == 4 ? 0xffffffffu : width == 2 ? 0xffffu : 0xffu;
		uint16_t nv = (uint16_t)((uint64_t)v << (8 * off) >> (8 * PCI_COMMAND));
		uint16_t hit = (uint16_t)(bytes << (8 * off) >> (8 * PCI_COMMAND));
		f->cmd_cleared |= (uint16_t)(cmd & hit & ~nv);
	}
	for (unsigned i = 0; i < width; i++) {
		unsigned at = off + i;
		uint8_t m = (uint8_t)(fn->wmask[at / 4] >> (8 * (at % 4)));
		uint8_t nv = (uint8_t)(v >> (8 * i));
		fn->b[at] = (uint8_t)((fn->b[at] & ~m) | (nv & m));
	}
}

static const struct pci_cfg_ops fake_ops = {.read = fake_read, .write = fake_write};

static inline void fake_put32(struct fake_fn *fn, uint16_t off, uint32_t v)
{
	memcpy(fn->b + off, &v, 4);
}

static inline void fake_put16(struct fake_fn *fn, uint16_t off, uint16_t v)
{
	memcpy(fn->b + off, &v, 2);
}

/* A function with ids, class code (cc = class << 16 | sub << 8 | progif)
   and header type; only COMMAND/STATUS and a bridge's bus numbers are writable
   until fake_bar sets a BAR. */
static inline struct fake_fn *fake_add(struct fake *f, uint8_t bus, uint8_t dev, uint8_t fnum,
				       uint16_t ven, uint16_t devid, uint32_t cc, uint8_t htype)
{
	struct fake_fn *fn = &f->fn[f->n++];
	memset(fn, 0, sizeof *fn);
	fn->a = (struct pci_addr){0, bus, dev, fnum};
	fake_put32(fn, 0, (uint32_t)devid << 16 | ven);
	fake_put32(fn, PCI_CLASS_REV, cc << 8 | 0x01);
	fn->b[PCI_HEADER_TYPE] = htype;
	fn->wmask[1] = 0xffff; /* COMMAND */
	if (htype & PCI_HDR_TYPE_MASK)
		fn->wmask[0x18 / 4] = 0xffffff; /* a bridge's bus numbers */
	return fn;
}

/* BAR i: flags (low bits), address, size (a power of two); mem64 takes i+1. */
static inline void fake_bar(struct fake_fn *fn, unsigned i, uint32_t flags, uint64_t addr,
			    uint64_t size)
{
	uint16_t off = PCI_BAR0 + 4 * i;
	bool io = flags & 1, m64 = (flags & 6) == 4;
	uint64_t mask = ~(size - 1);
	if (io)
		mask &= 0xffff; /* a 16-bit decoder: the upper bits read back 0 */
	fake_put32(fn, off, (uint32_t)addr | flags);
	fn->wmask[off / 4] = (uint32_t)mask & (io ? ~3u : ~0xfu);
	if (m64) {
		fake_put32(fn, off + 4, (uint32_t)(addr >> 32));
		fn->wmask[off / 4 + 1] = (uint32_t)(mask >> 32);
	}
}

/* A capability at off with id, linked after prev (0: the list head). */
static inline void fake_cap(struct fake_fn *fn, uint8_t prev, uint8_t off, uint8_t id)
{
	uint16_t st;
	memcpy(&st, fn->b + PCI_STATUS, 2);
	fake_put16(fn, PCI_STATUS, st | PCI_STATUS_CAPS);
	if (prev)
		fn->b[prev + 1] = off;
	else
		fn->b[pci_cap_ptr_off(fn->b[PCI_HEADER_TYPE])] = off;
	fn->b[off] = id;
	fn->b[off + 1] = 0;
}

static inline struct pci_cfg fake_cfg(struct fake *f, struct fake_fn *fn, uint16_t size)
{
	return (struct pci_cfg){.ops = &fake_ops, .ctx = f, .addr = fn->a, .size = size};
}
