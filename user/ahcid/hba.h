/*
 * hba.h - one AHCI controller (AHCI 1.3.1) and its SATA disks, for the
 * ahcid driver's disk: server (main.c).
 *
 * hba_start() maps ABAR (BAR 5), sets GHC.AE, takes the HBA from the BIOS
 * (when CAP2.BOH says it can be), classifies every implemented port by
 * PxSSTS and PxSIG, and brings each SATA disk's port up: stop it, give it
 * a command list, a received-FIS area and a command table (one page of
 * DMA memory), clear PxSERR/PxIS, set FRE then ST, and IDENTIFY it. ATAPI
 * ports (q35's boot CD-ROM sits on port 0) and anything else are left
 * untouched, with one log line each. Then interrupts are enabled and the
 * interrupt thread started.
 *
 * A caller takes a data buffer (hba_slot_get: a DMA area, BLKSERV_BUF_MIN
 * bytes until blkserv grows it, below 4 GiB without CAP.S64A), runs
 * requests on it with hba_io() and gives it back.
 *
 * NCQ: when the HBA (CAP.SNCQ) and the disk (IDENTIFY word 76) both can,
 * reads and writes are READ/WRITE FPDMA QUEUED on a free tag (up to the
 * smaller of the disk's queue depth and CAP.NCS, 32 on QEMU): the tag's
 * command table is filled, PxSACT then PxCI set, and the caller sleeps
 * until the tag's PxSACT and PxCI bits clear. Non-queued commands
 * (IDENTIFY, FLUSH CACHE EXT, and everything without NCQ) hold the port's
 * lock, keep new queued commands out, wait for the queued ones to end and
 * run on slot 0 until PxCI bit 0 clears.
 *
 * Completion: the interrupt thread clears PxIS and the HBA's IS, keeps
 * the fatal bits in the port's err_is and bumps the port's seq futex. A
 * waiter looks at the registers itself every few milliseconds too, so
 * polling mode and a lost interrupt only cost time.
 *
 * Errors: a task-file error, a fatal error or a command that has not
 * finished in HBA_CMD_TIMEOUT_MS leads to a port recovery (stop, clear
 * errors, COMRESET after a queued command's error, CLO or COMRESET when
 * the device stays busy, start), each step bounded; it ends every command
 * in flight (the epoch moves). A non-queued command that failed is -E_IO
 * for its request; a queued command a recovery ended (its own error or
 * another tag's) is run once more unqueued, so only the bad request gets
 * -E_IO.
 *
 * Locking: a port's lock guards busy, nonq and epoch and orders the
 * command registers' writes and recovery; a non-queued command holds it
 * from issue to completion. err_is and seq are atomics the interrupt
 * thread writes; epoch is read without the lock too (atomically).
 * slot_lock guards the free-buffer mask; a buffer belongs to the thread
 * that took it until it is put back. Bring-up is single-threaded.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "ahci/ahci.h"
#include "rb/drv.h"
#include "rb/thread.h"

#define HBA_SLOTS 16 /* request buffers, shared by the disks' server workers */
#define HBA_MAX_DISKS 32

enum hba_op { HBA_READ, HBA_WRITE, HBA_FLUSH };

struct hba;

struct hba_port {
	struct hba *h;
	unsigned num;		/* port number, 0..31 */
	volatile uint8_t *regs; /* its registers in ABAR */
	uint8_t *mem;		/* DMA: command list, received FIS, id, 32 tables */
	uint64_t mem_bus;	/* its bus address */
	struct ata_id id;	/* IDENTIFY DEVICE, parsed */
	struct rb_mutex lock;	/* see Locking */
	uint32_t tags;		/* NCQ tags we may use (0: no NCQ) */
	uint32_t busy;		/* tags in flight (lock) */
	unsigned nonq;		/* non-queued commands waiting or running (lock) */
	uint32_t epoch;		/* bumped by every recovery (lock; read atomically) */
	uint32_t seq;		/* futex: bumped at every completion, free tag, recovery */
	uint32_t err_is;	/* fatal PxIS bits the interrupt thread saw */
	bool started;		/* ST set by us (for hba_stop) */
};

struct hba_buf {
	struct drv_dmabuf data;
};

struct hba {
	struct drv_dev *d;
	volatile uint8_t *abar;
	size_t abar_len; /* bytes mapped */
	uint32_t cap, pi;
	struct drv_irq irq;
	unsigned ndisks;
	struct hba_port *disks[HBA_MAX_DISKS];
	struct hba_port ports[AHCI_PORTS];
	unsigned atapi; /* ports with an ATAPI device, skipped */
	struct rb_mutex slot_lock;
	uint32_t free_slots; /* bit i: buffer i free (slot_lock) */
	uint32_t slot_seq;   /* futex: bumped when a buffer is put back */
	struct hba_buf bufs[HBA_SLOTS];
};

/*
 * Bring the HBA and its SATA disks up: 0 (h->ndisks may be 0) or an error
 * (logged). The disks are h->disks[0..ndisks), in port order.
 */
MUST_CHECK int hba_start(struct hba *h, struct drv_dev *d);
/* Stop every port we started (ST and FRE off: no more DMA); for exit paths and signal handlers. */
void hba_stop(struct hba *h);
/* Take a free request buffer, waiting for one. */
struct hba_buf *hba_slot_get(struct hba *h);
/* Give it back. */
void hba_slot_put(struct hba *h, struct hba_buf *b);
/*
 * Run one command on port p: HBA_READ/HBA_WRITE of `bytes` (a sector
 * multiple, data_off + bytes <= b->data.len) at byte data_off of b->data
 * from sector lba; HBA_FLUSH ignores them. 0 or -E_IO (logged, the port
 * recovered); -E_INVAL for a range the area does not hold.
 */
MUST_CHECK int hba_io(struct hba_port *p, struct hba_buf *b, enum hba_op op, uint64_t lba,
		      unsigned data_off, uint32_t bytes);
