/*
 * alloc.h - a PCI-to-PCI bridge's address windows and the placement of a
 * function's BARs inside them (docs/pcid.md, "BAR assignment").
 *
 * A function that appears by hot-plug was not there when firmware
 * assigned addresses, so its BARs read 0. pcid places them in the windows
 * of the bridge above it: pci_bridge_windows_read decodes the bridge's
 * I/O, memory and prefetchable windows (PCI-to-PCI Bridge Architecture
 * spec 1.2, 3.2.5.6-3.2.5.10), a struct pci_win_alloc remembers which
 * parts of each window the other functions behind that bridge use, and
 * pci_bars_place gives every unassigned BAR the lowest free size-aligned
 * address, largest BAR first. pci_bar_set writes an address into a BAR.
 *
 * Pure: no locks, no allocation. A struct pci_win_alloc belongs to its
 * caller (pcid builds one on its stack for each function it assigns,
 * under the table lock); the caller holds the device's lock around
 * pci_bar_set.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "base/compiler.h"
#include "pci/pci.h"

/* Type-1 header window registers. */
#define PCI_IO_BASE 0x1c	  /* 8 bits: address 15:12 in 7:4, 32-bit flag in 3:0 */
#define PCI_IO_LIMIT 0x1d	  /* 8 bits */
#define PCI_MEM_BASE 0x20	  /* 16 bits: address 31:20 in 15:4 */
#define PCI_MEM_LIMIT 0x22	  /* 16 bits */
#define PCI_PREF_BASE 0x24	  /* 16 bits: address 31:20 in 15:4, 64-bit flag in 3:0 */
#define PCI_PREF_LIMIT 0x26	  /* 16 bits */
#define PCI_PREF_BASE_UPPER 0x28  /* 32 bits: address 63:32 */
#define PCI_PREF_LIMIT_UPPER 0x2c /* 32 bits */
#define PCI_IO_BASE_UPPER 0x30	  /* 16 bits: address 31:16 */
#define PCI_IO_LIMIT_UPPER 0x32	  /* 16 bits */
#define PCI_WIN_RANGE_TYPE 0x0f	  /* low nibble of the base/limit registers */
#define PCI_WIN_RANGE_32_64 0x01  /* I/O: 32-bit; prefetchable: 64-bit */

/* One window: [base, limit], limit inclusive; absent when !present. */
struct pci_window {
	bool present;
	uint64_t base, limit;
};

enum pci_win_kind { PCI_WIN_IO, PCI_WIN_MEM, PCI_WIN_PREF, PCI_WIN_KINDS };

/* The raw window registers of a type-1 header. */
struct pci_bridge_regs {
	uint8_t io_base, io_limit;
	uint16_t io_base_upper, io_limit_upper;
	uint16_t mem_base, mem_limit;
	uint16_t pref_base, pref_limit;
	uint32_t pref_base_upper, pref_limit_upper;
};

/*
 * Decode the registers into the three windows (indexed by enum
 * pci_win_kind). A window is present when its base is not above its
 * limit and its base is not 0: firmware closes a window by setting base
 * above limit, and registers left at their reset value 0 would describe
 * [0, 0xfff] or [0, 0xfffff], which is RAM or legacy I/O, never a window
 * anyone assigned. The upper registers count only when the low nibble
 * says 32-bit I/O or 64-bit prefetchable.
 */
void pci_bridge_windows_decode(const struct pci_bridge_regs *r, struct pci_window w[PCI_WIN_KINDS]);

/* Read the bridge's window registers and decode them (a type-1 header). */
void pci_bridge_windows_read(const struct pci_cfg *c, struct pci_window w[PCI_WIN_KINDS]);

/* An address range in use: [base, last], last inclusive (a range may end
   at the top of the address space). */
struct pci_range {
	uint64_t base, last;
};

#define PCI_WIN_MAX_USED 64

/* The windows of one bridge and, per window, the ranges in use (sorted by
   base; they may overlap one another). */
struct pci_win_alloc {
	struct pci_window win[PCI_WIN_KINDS];
	struct pci_range used[PCI_WIN_KINDS][PCI_WIN_MAX_USED];
	unsigned nused[PCI_WIN_KINDS];
};

/* Start an allocator over the windows w, nothing used. */
void pci_win_alloc_init(struct pci_win_alloc *a, const struct pci_window w[PCI_WIN_KINDS]);

/*
 * Mark [base, base + size) used in the window of kind k (clipped to the
 * window; nothing when it lies outside or size is 0). -E_NOSPC when the
 * list is full.
 */
MUST_CHECK int pci_win_reserve(struct pci_win_alloc *a, enum pci_win_kind k, uint64_t base,
			       uint64_t size);

/*
 * The lowest address in window k that is a multiple of size (a power of
 * two) and whose [addr, addr + size) is free: *addr, and the range is
 * marked used. -E_NOENT when the window is absent, -E_NOSPC when nothing
 * fits or the list is full, -E_INVAL for a size that is 0 or not a power
 * of two.
 */
MUST_CHECK int pci_win_alloc(struct pci_win_alloc *a, enum pci_win_kind k, uint64_t size,
			     uint64_t *addr);

/* What pci_bars_place did with one BAR. */
enum pci_place {
	PCI_PLACE_KEPT,	     /* it had an address: left as it was */
	PCI_PLACE_DONE,	     /* given an address in window `win` */
	PCI_PLACE_NO_WINDOW, /* the bridge has no window of its kind */
	PCI_PLACE_NO_ROOM,   /* no free, aligned range big enough */
};

struct pci_place_res {
	uint8_t how; /* enum pci_place */
	uint8_t win; /* enum pci_win_kind, for PCI_PLACE_DONE */
};

/*
 * Give every BAR of bars[0..n) whose address is 0 an address, largest
 * first: a 64-bit prefetchable BAR goes into the prefetchable window,
 * else (absent or full) into the memory window; any other memory BAR
 * into the memory window (a 32-bit BAR must stay below 4 GiB, which the
 * memory window always is); an I/O BAR into the I/O window. BARs that
 * have an address are first reserved where they lie, so nothing placed
 * overlaps them. bars[i].addr is set for each BAR placed; res[i] says
 * what happened. Returns how many BARs could not be placed.
 */
unsigned pci_bars_place(struct pci_win_alloc *a, struct pci_bar *bars, unsigned n,
			struct pci_place_res *res);

/* Write b->addr into the BAR register(s) of b->index (both halves of a
   64-bit BAR); the caller makes sure the function's decoding of that
   kind is off or that the write goes through the map-moving path. */
void pci_bar_set(const struct pci_cfg *c, const struct pci_bar *b);

/* "io", "mem", "prefetchable". */
const char *pci_win_name(enum pci_win_kind k);
