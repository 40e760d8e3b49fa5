/*
 * rb/drv.h - the runtime every PCI driver links (user/lib/drv.c).
 *
 * A driver is spawned as `EXEC [ARGS...] SSSS:BB:DD.F`, as uid 0, by the
 * driver manager, with fd 3 a pipe for one status line. It calls
 *   drv_pci_open(NAME, ADDR, &d)  claim the function (pci:/ADDR/config
 *                                 O_RDWR + dup "claim"), snapshot 256 config
 *                                 bytes, parse pci:/ADDR/bars;
 *   drv_cfg_read/drv_cfg_write     8/16/32-bit config accesses (live);
 *   drv_pci_enable(&d)            Memory Space and Bus Master on;
 *   drv_bar_map(&d, i, off, len)  physmap a page-aligned window of memory
 *                                 BAR i (pcid granted it at the claim);
 *   drv_irq_setup(&d, n, &irq)    ask pcid for `auto n`, take the handles;
 *                                 any failure is one log line and polling;
 *   drv_irq_wait(&irq, v, ns)     wait for vector v (poll mode: sleep);
 *   drv_irq_ack(&irq, v)          acknowledge a level (intx) line;
 *   drv_dma_alloc(len, &bus)      physically contiguous zeroed RAM;
 *   drv_dmabuf_init/_grow         the same as an area that can be moved to
 *                                 a bigger one (a block driver's request
 *                                 buffers, grown on the first big request);
 *   drv_status(fmt, ...)          the one status line on fd 3 (`ready msix 2`),
 *                                 if fd 3 was open when drv_pci_open (the
 *                                 first call of a driver) looked;
 *   drv_log(&d, fmt, ...)         `NAME: ADDR: message` on stdout (serial).
 * Errors are negative E_* codes (base/err.h).
 *
 * Locking: a struct drv_dev's config accesses (seek + read/write on one
 * handle) are serialized by its own mutex, so any thread may call them.
 * Everything else is called by one thread during setup, except
 * drv_irq_wait/drv_irq_ack, which one thread per vector may call, and
 * drv_dmabuf_grow, which the one thread owning that area may call.
 */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "drv/drv.h"
#include "rb/thread.h"

struct drv_dev {
	const char *name; /* the driver's name, for log lines */
	char addr[16];	  /* SSSS:BB:DD.F */
	int cfg, claim;	  /* config handles; -1 when closed */
	int irqnode;	  /* pci:/ADDR/irq while interrupts are held, else -1 */
	uint8_t config[256];
	struct drv_bar bars[DRV_BARS];
	struct rb_mutex cfg_lock;
};

struct drv_irq {
	struct drv_irq_mode mode;
	int fds[DRV_IRQ_MAX]; /* mode.vectors irq: handles */
	int64_t poll_ns;      /* poll mode: how long drv_irq_wait sleeps */
};

/* Claim function addr for driver name: 0 or an error (logged). */
MUST_CHECK int drv_pci_open(const char *name, const char *addr, struct drv_dev *d);
/* Release interrupts, claim and handles. */
void drv_pci_close(struct drv_dev *d);
/* Config read of width 1, 2 or 4 at off: 0 or an error. */
MUST_CHECK int drv_cfg_read(struct drv_dev *d, unsigned off, unsigned width, uint32_t *v);
/* Config write of width 1, 2 or 4 at off: 0 or an error. */
MUST_CHECK int drv_cfg_write(struct drv_dev *d, unsigned off, unsigned width, uint32_t v);
/* Turn on memory decoding and bus mastering: 0 or an error. */
MUST_CHECK int drv_pci_enable(struct drv_dev *d);
/* Map [off, off+len) of memory BAR bar uncached: the byte at off, or NULL (logged). */
volatile void *drv_bar_map(struct drv_dev *d, unsigned bar, uint64_t off, size_t len);
/* Get up to want vectors (MSI-X, MSI, INTx, else polling) into *irq; always succeeds. */
void drv_irq_setup(struct drv_dev *d, unsigned want, struct drv_irq *irq);
/* Wait at most timeout_ns (< 0: forever) for vector v: interrupts seen (0: timeout). */
long drv_irq_wait(struct drv_irq *irq, unsigned v, int64_t timeout_ns);
/* Acknowledge vector v after the device is quiet (a level line's unmask). */
void drv_irq_ack(struct drv_irq *irq, unsigned v);
/* The mode as pcid's text ("msix 2", "poll") into buf; buf. */
const char *drv_irq_name(const struct drv_irq *irq, char *buf, size_t n);
/* len bytes (<= 4 MiB) of zeroed contiguous DMA memory, its bus address in *bus; NULL if none. */
void *drv_dma_alloc(size_t len, uint64_t *bus);
/* Free what drv_dma_alloc gave. */
void drv_dma_free(void *p, size_t len);

/* A DMA data area that can grow: len bytes at p, bus address bus. */
/* Writable bytes before a drv_dmabuf's p, never given to a device: room for the header of a
   scheme answer sent straight from the area (rb_server's out_at). A page, so p stays
   page-aligned. */
#define DRV_DMABUF_HEADROOM 4096u

struct drv_dmabuf {
	uint8_t *p; /* DRV_DMABUF_HEADROOM bytes past the start of the allocation */
	uint64_t bus;
	size_t len;
	uint64_t bus_end; /* the area must end at or below this bus address */
};
/* A new area of len bytes ending at or below bus_end into b: 0 or -E_NOMEM (b empty). */
MUST_CHECK int drv_dmabuf_init(struct drv_dmabuf *b, size_t len, uint64_t bus_end);
/*
 * Make b hold at least len bytes: 0, b moved to a new area if it held
 * fewer (its bytes are not kept); or -E_NOMEM, b unchanged (a caller may
 * go on with the area it has).
 */
int drv_dmabuf_grow(struct drv_dmabuf *b, size_t len);
/* Write one status line (fmt + "\n") to the manager's fd 3, if open. */
void drv_status(const char *fmt, ...) PRINTF_LIKE(1, 2);
/*
 * The usual start of a driver: argv is `[--index N] SSSS:BB:DD.F` (the
 * manager puts the address last); on a bad one print `usage: NAME
 * [--index N] SSSS:BB:DD.F` and exit 2. *index gets N, or -1 without it.
 * Then claim the function and check match(its first 16 config bytes): 0,
 * or the status line is written ("defer" when someone else holds it,
 * "unsupported not a WHAT (ids, class)" when match says no, "fatal"
 * otherwise) and 1 returned, the exit code to give.
 */
int drv_start(const char *name, int argc, char **argv, bool (*match)(const uint8_t cfg[16]),
	      const char *what, int *index, struct drv_dev *d);
/* Log `KIND: WHY`, write the status line `KIND WHY`, release the function: 1, the exit code. */
int drv_give_up(struct drv_dev *d, const char *kind, const char *why);
/* Of the functions pci:/ lists before addr (address order), how many match(the first 16 config
 * bytes). */
int drv_pci_rank(const char *addr, bool (*match)(const uint8_t cfg[16]));
/* Print `NAME: ADDR: message` to stdout. */
void drv_log(const struct drv_dev *d, const char *fmt, ...) PRINTF_LIKE(2, 3);
