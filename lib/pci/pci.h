/*
 * pci.h - PCI configuration space, as pure logic over an access callback
 * (docs/pcid.md).
 *
 * Everything in lib/pci reads and writes a function's configuration space
 * only through struct pci_cfg, so the same code runs on ECAM, on the
 * legacy 0xCF8/0xCFC ports and on the fake config spaces of the host
 * tests. A struct pci_cfg belongs to its caller; lib/pci keeps no state
 * and takes no locks (pcid holds the device's own lock around a sequence
 * that must not interleave, such as BAR sizing).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

/* A function's address: segment (MCFG group), bus, device, function. */
struct pci_addr {
	uint16_t seg;
	uint8_t bus, dev, fn;
};

/* Config space access: off is in bytes, width 1, 2 or 4, naturally aligned. */
struct pci_cfg_ops {
	uint32_t (*read)(void *ctx, struct pci_addr a, uint16_t off, unsigned width);
	void (*write)(void *ctx, struct pci_addr a, uint16_t off, unsigned width, uint32_t v);
};

/* One function's configuration space: the ops, their context and its size
   (256 bytes, or 4096 with PCIe extended space). */
struct pci_cfg {
	const struct pci_cfg_ops *ops;
	void *ctx;
	struct pci_addr addr;
	uint16_t size;
};

/* Standard header offsets and capability ids used across lib/pci. */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CLASS_REV 0x08
#define PCI_REVISION 0x08
#define PCI_PROG_IF 0x09
#define PCI_SUBCLASS 0x0a
#define PCI_CLASS 0x0b
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_PRIMARY_BUS 0x18	 /* types 1 and 2 */
#define PCI_SECONDARY_BUS 0x19	 /* type 2: the CardBus bus */
#define PCI_SUBORDINATE_BUS 0x1a /* types 1 and 2 */
#define PCI_SUBSYS_VENDOR 0x2c	 /* type 0 (type 2: 0x40) */
#define PCI_CB_CAP_PTR 0x14	 /* type 2's capability pointer */
#define PCI_CB_SUBSYS_VENDOR 0x40
#define PCI_CAP_PTR 0x34
#define PCI_EXT_CAP_START 0x100
#define PCI_INT_LINE 0x3c
#define PCI_INT_PIN 0x3d

#define PCI_CMD_IO 0x0001
#define PCI_CMD_MEM 0x0002
#define PCI_CMD_MASTER 0x0004
#define PCI_CMD_INTX_DISABLE 0x0400
#define PCI_STATUS_CAPS 0x0010

#define PCI_HDR_MULTIFN 0x80
#define PCI_HDR_TYPE_MASK 0x7f

#define PCI_CAP_MSI 0x05
#define PCI_CAP_PCIE 0x10
#define PCI_CAP_MSIX 0x11

static inline uint32_t pci_read32(const struct pci_cfg *c, uint16_t off)
{
	return c->ops->read(c->ctx, c->addr, off, 4);
}

static inline uint16_t pci_read16(const struct pci_cfg *c, uint16_t off)
{
	return (uint16_t)c->ops->read(c->ctx, c->addr, off, 2);
}

static inline uint8_t pci_read8(const struct pci_cfg *c, uint16_t off)
{
	return (uint8_t)c->ops->read(c->ctx, c->addr, off, 1);
}

static inline void pci_write32(const struct pci_cfg *c, uint16_t off, uint32_t v)
{
	c->ops->write(c->ctx, c->addr, off, 4, v);
}

static inline void pci_write16(const struct pci_cfg *c, uint16_t off, uint16_t v)
{
	c->ops->write(c->ctx, c->addr, off, 2, v);
}

static inline void pci_write8(const struct pci_cfg *c, uint16_t off, uint8_t v)
{
	c->ops->write(c->ctx, c->addr, off, 1, v);
}

/*
 * Offset of the first capability with id after offset `after` (0: from
 * the start of the list), or 0 when there is none. The walk stops at 48
 * entries, at a pointer below 0x40 or past the space, and at a loop, so a
 * broken list ends it instead of spinning.
 */
uint16_t pci_cap_find(const struct pci_cfg *c, uint8_t id, uint16_t after);

/* The capability list's pointer offset for a header type (0x14 for CardBus). */
static inline uint16_t pci_cap_ptr_off(uint8_t hdr_type)
{
	return (hdr_type & PCI_HDR_TYPE_MASK) == 2 ? PCI_CB_CAP_PTR : PCI_CAP_PTR;
}

/*
 * Offset of the first PCIe extended capability with id after offset
 * `after` (0: from 0x100), or 0 when there is none or the space is 256
 * bytes. Bounded as pci_cap_find: at most 960 entries, a next pointer
 * below 0x100 or past the space ends the walk.
 */
uint16_t pci_ecap_find(const struct pci_cfg *c, uint16_t id, uint16_t after);

/* One entry of a capability list: where it is, its id (and version). */
struct pci_cap_ent {
	uint16_t off;
	uint16_t id;
	uint8_t ver; /* extended capabilities only */
};

/* Up to max capabilities in list order into out; returns the number found
   (which may exceed max: only max are stored). */
unsigned pci_cap_list(const struct pci_cfg *c, struct pci_cap_ent *out, unsigned max);
/* The same for the extended capabilities (0 for a 256-byte space). */
unsigned pci_ecap_list(const struct pci_cfg *c, struct pci_cap_ent *out, unsigned max);

/* Names of capability ids as lspci -v shows them, or NULL when unknown. */
const char *pci_cap_name(uint8_t id);
const char *pci_ecap_name(uint16_t id);

/* ---- header (hdr.c) */

/* The decoded header of one function. */
struct pci_hdr {
	uint16_t vendor, device;
	uint8_t class_code, subclass, prog_if, revision;
	uint8_t type; /* 0 device, 1 PCI-to-PCI bridge, 2 CardBus bridge */
	bool multifn; /* header type bit 7 (meaningful on function 0) */
	uint8_t int_pin, int_line;
	uint16_t subsys_vendor, subsys_device;
	uint8_t primary, secondary, subordinate; /* bridges (types 1 and 2) */
};

/* Read and decode the header; -E_NOENT if no function answers (vendor
   0xffff or 0), -E_INVAL for an unknown header type (h still filled). */
MUST_CHECK int pci_hdr_read(const struct pci_cfg *c, struct pci_hdr *h);

/* ---- BARs (bar.c) */

enum pci_bar_kind { PCI_BAR_NONE, PCI_BAR_MEM32, PCI_BAR_MEM64, PCI_BAR_IO };

struct pci_bar {
	uint8_t index; /* 0-5; a 64-bit BAR takes index and index + 1 */
	uint8_t kind;  /* enum pci_bar_kind */
	bool prefetch;
	uint64_t addr, size;
};

#define PCI_MAX_BARS 6

/* BAR registers a header type has: 6 (device), 2 (bridge), 1 (CardBus). */
unsigned pci_bar_count(uint8_t hdr_type);

/*
 * Decode and size the BARs in use (at most PCI_MAX_BARS into out);
 * returns how many. While sizing, the decoding (memory, I/O) that a BAR
 * holding an address uses is off in COMMAND, and only that: a function
 * whose BARs all read 0 (a host or LPC bridge) keeps decoding and its
 * COMMAND is not written. Each BAR and COMMAND are written back as they
 * were, so a device in use sees no change. The caller holds the device's lock: nothing else
 * may touch its config space meanwhile. A BAR reading back 0 after the
 * all-ones write is unused; a 64-bit BAR in the last slot or a reserved
 * memory type is skipped.
 */
unsigned pci_bars_probe(const struct pci_cfg *c, uint8_t hdr_type, struct pci_bar *out);

/*
 * Whether a config write of v (width bytes at off) may change the memory
 * map, given COMMAND's value now: a COMMAND write that flips I/O, Memory
 * or Bus Master (bits 0-2), or a write to the rest of the standard header
 * past 0x0f (BARs, bridge windows, ROM, Bridge Control) while the
 * function decodes. A BAR written with decoding off maps nothing, so BAR
 * sizing moves the map only at its two COMMAND writes.
 */
bool pci_cfg_write_moves_map(uint16_t off, unsigned width, uint32_t v, uint16_t cmd);

/* "mem32", "mem64", "io" (or "none"). */
const char *pci_bar_kind_name(unsigned kind);

/* ---- class names (class.c) */

/* The name lspci shows for class/subclass ("VGA compatible controller"),
   the class's name when the subclass is unknown, NULL when neither is. */
const char *pci_class_name(uint8_t class_code, uint8_t subclass);

/* ---- enumeration (enum.c) */

/*
 * A walk over one segment: every function on bus_start, and on every bus
 * behind a bridge found there, recursively; with all_buses, then every bus
 * of [bus_start, bus_end] not yet reached (roots of other host bridges).
 * A bridge whose secondary bus is outside the range, not above its own
 * bus, or already visited is counted in `refused` and not followed. The
 * walk reads config space only (the bus numbers are the firmware's).
 */
struct pci_enum {
	const struct pci_cfg_ops *ops;
	void *ctx;
	uint16_t seg;
	uint8_t bus_start, bus_end;
	bool ext;	/* 4096-byte spaces (ECAM) for functions with a PCIe capability */
	bool all_buses; /* also scan buses no bridge leads to */
	/* called for every function found; a negative return stops the walk */
	int (*found)(void *arg, const struct pci_cfg *c, const struct pci_hdr *h);
	void *arg;
	/* results */
	unsigned functions, buses, refused;
};

/* Run the walk: 0, or the first negative value `found` returned. */
MUST_CHECK int pci_enum_run(struct pci_enum *e);

/* ---- text (fmt.c) */

/* "SSSS:BB:DD.F" into buf (13 bytes with the NUL). */
void pci_addr_fmt(struct pci_addr a, char buf[13]);
/* Parse "SSSS:BB:DD.F" or "BB:DD.F" (segment 0); 0 or -E_INVAL. */
MUST_CHECK int pci_addr_parse(const char *s, size_t len, struct pci_addr *a);

/* The names for one line; any may be NULL (unknown). */
struct pci_names {
	const char *cls, *vendor, *device;
};

/*
 * One lspci line without the newline, like Linux's lspci -nn:
 * `00:02.0 VGA compatible controller [0300]: Device [1234:1111]`, the
 * segment printed only when non-zero, ` (rev NN)` when the revision is
 * not 0; numeric: `00:02.0 0300: 1234:1111`. Returns the length it needs
 * (as snprintf; buf always terminated when n > 0).
 */
size_t pci_fmt_line(char *buf, size_t n, struct pci_addr a, const struct pci_hdr *h,
		    const struct pci_names *names, bool numeric);

/* ---- names from pci.ids (ids.c) */

/*
 * Look names up in the text of a pci.ids file (the whole file, or the
 * packed one tools/pciids makes: the same lines without comments,
 * subsystems and programming interfaces). A name is returned as a pointer
 * into db and its length in *len (it is not NUL-terminated), or NULL when
 * absent. Pure: db is only read, never past len.
 */
const char *pci_ids_vendor(const char *db, size_t dblen, uint16_t ven, size_t *len);
const char *pci_ids_device(const char *db, size_t dblen, uint16_t ven, uint16_t dev, size_t *len);
const char *pci_ids_class(const char *db, size_t dblen, uint8_t cls, uint8_t sub, size_t *len);
