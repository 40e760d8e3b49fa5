/*
 * rb/blkserv.h - the disk: server every block driver shares
 * (user/lib/blkserv.c): a driver brings its device up, fills a struct
 * blkserv with its geometry and block operations, and this serves
 * `disk-NAME:` with the nodes `/` (the listing), `/NAME` (the whole disk)
 * and `/NAMEpK` (partition K, from lib/part), registering NAME with diskd
 * (docs/disks.md).
 *
 * read and write work at the handle's offset (pread and pwrite at theirs,
 * leaving it alone), any length and offset (a
 * partial block is read, changed and written back under one lock),
 * bounded by the node's end: a read there returns 0, a write ENOSPC.
 * fsync flushes (when the device can), and so does the close of a handle
 * that wrote. fstat gives the size; lseek SEEK_END works; ftruncate to at
 * most the size is accepted and does nothing (dd seek= calls it). Raw
 * disks are root's.
 *
 * The driver's ops: slot_get/slot_put hand out one of its request buffers
 * (a DMA area, slot_buf, of at least BLKSERV_BUF_MIN bytes); io() runs one
 * read, write or flush on it and sleeps until it completes. blkserv_run()'s
 * workers each hold at most one slot at a time. A call that moves more
 * than a slot's area holds first grows that area to BLKSERV_AREA (one
 * scheme request carries up to RB_SCHEME_MAX_IO, 1 MiB: moving it in one
 * fill of the area, in device requests of xfer_max, not sixteen of 64 KiB,
 * is what sequential reads need); if no such area can be had it goes on
 * in pieces of what the area holds. So a driver pins 64 KiB per slot until
 * big requests come, and BLKSERV_AREA per slot at most. A read the area
 * holds whole is answered from the area (rb_server's out_at, in the
 * area's headroom): the slot stays taken until the answer is sent.
 *
 * A process may run several servers (one per disk: ahcid), each
 * blkserv_run() on its own thread; the ops find theirs from the scheme
 * a call came in on.
 *
 * Locking: the handle table (shared by the process's servers, each
 * handle tagged with its server) and every handle's offset are guarded
 * by a mutex; the
 * geometry and partition table are read-only once serving; the driver's
 * ops must be safe to call from several workers at once. Handles live in
 * a fixed table and are never freed memory, so a worker racing a CLOSE
 * sees a stale but valid slot: its generation no longer matches and it
 * answers EBADF. Unaligned writes are read-modify-write under a lock that
 * orders them against each other, not against aligned writes to the same
 * block (as on any disk, concurrent overlapping writes have no order).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "part/part.h"
#include "rb/drv.h"
#include "rb/server.h"

enum blkserv_op { BLKSERV_READ, BLKSERV_WRITE, BLKSERV_FLUSH };

#define BLKSERV_BUF_MIN (65536 + 4096) /* a slot's first area: 64 KiB at any block offset */
#define BLKSERV_XFER RB_SCHEME_MAX_IO  /* the most xfer_max can usefully be */
/* A slot's grown area: the biggest request at any block offset, so it is one fill of the area
   (several io() calls when xfer_max is smaller) and its answer is sent from the area. */
#define BLKSERV_AREA (RB_SCHEME_MAX_IO + 4096)

struct blkserv_ops {
	/* Take a free request buffer, waiting for one. */
	void *(*slot_get)(void *dev);
	/* Give it back. */
	void (*slot_put)(void *dev, void *slot);
	/* Its data area; blkserv grows it (drv_dmabuf_grow) while it holds the slot. */
	struct drv_dmabuf *(*slot_buf)(void *slot);
	/* Run op on `bytes` (a block multiple, <= xfer_max, off + bytes <= the area's len) at the
	 * area's byte off (a block multiple) from block lba: 0 or an error. */
	int (*io)(void *dev, void *slot, enum blkserv_op op, uint64_t lba, unsigned off,
		  uint32_t bytes);
};

struct blkserv {
	/* set by the driver */
	struct drv_dev *drv; /* for log lines */
	void *dev;	     /* the ops' first argument */
	const struct blkserv_ops *ops;
	uint64_t blocks;
	uint32_t bsize;	   /* bytes per block, 512..4096 */
	uint32_t xfer_max; /* data bytes per io() at most (a block multiple, <= BLKSERV_XFER) */
	bool ro, flush;	   /* read-only; io(BLKSERV_FLUSH) means something */
	char name[16];	   /* the disk's name: virtio0, nvme0n1 */
	/* set by blkserv_start */
	struct part_table parts;
	struct rb_server srv;
	char scheme[32];
	int reg; /* the disk:/register handle, -1 without diskd (the watcher thread's) */
};

/*
 * Read the partition table (logging its note) and serve disk-NAME:,
 * registering NAME with diskd, and again whenever diskd is restarted (a
 * thread watches the registration): 0 or the scheme registration's error
 * (b->scheme says which; -E_EXIST: another process serves that name).
 * Call once per struct blkserv, which must outlive the serving.
 */
MUST_CHECK int blkserv_start(struct blkserv *b);
/* Serve with nworkers workers until the scheme fails: 0 or that error. */
MUST_CHECK int blkserv_run(struct blkserv *b, int nworkers);
