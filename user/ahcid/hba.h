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
 * Commands use slot 0 only and are serialized per port (no NCQ): a caller
 * takes a data buffer (hba_slot_get: HBA_BUF bytes of DMA memory), runs
 * requests on it with hba_io() and gives it back. hba_io() takes the
 * port's lock, writes the command FIS, PRDT and header, sets PxCI bit 0
 * and sleeps on the port's irq_seq futex until PxCI bit 0 clears or a
 * fatal error shows in PxIS. The interrupt thread clears PxIS and the
 * HBA's IS, keeps the fatal bits in the port's err_is and bumps irq_seq.
 * A waiter looks at the registers itself every few milliseconds too, so
 * polling mode and a lost interrupt only cost time. A task-file error, a
 * fatal error or a command that has not finished in HBA_CMD_TIMEOUT_MS is
 * -E_IO for that request and a port recovery (stop, clear errors, CLO or
 * COMRESET when the device stays busy, start), each step bounded.
 *
 * Locking: a port's lock serializes its commands and recovery; err_is and
 * irq_seq are atomics the interrupt thread writes. slot_lock guards the
 * free-buffer mask; a buffer belongs to the thread that took it until it
 * is put back. Bring-up is single-threaded.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "ahci/ahci.h"
#include "rb/drv.h"
#include "rb/thread.h"

#define HBA_BUF (128u * 1024) /* data bytes per request buffer */
#define HBA_SLOTS 8	      /* request buffers, shared by the disks' server workers */
#define HBA_MAX_DISKS 32

enum hba_op { HBA_READ, HBA_WRITE, HBA_FLUSH };

struct hba;

struct hba_port {
	struct hba *h;
	unsigned num;		/* port number, 0..31 */
	volatile uint8_t *regs; /* its registers in ABAR */
	uint8_t *mem;		/* one DMA page: command list, received FIS, table, id */
	uint64_t mem_bus;	/* its bus address */
	struct ata_id id;	/* IDENTIFY DEVICE, parsed */
	struct rb_mutex lock;	/* serializes commands and recovery */
	uint32_t irq_seq;	/* futex: bumped by the interrupt thread */
	uint32_t err_is;	/* fatal PxIS bits the interrupt thread saw */
	bool started;		/* ST set by us (for hba_stop) */
};

struct hba_buf {
	uint8_t *data; /* HBA_BUF bytes */
	uint64_t bus;
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
 * multiple, data_off + bytes <= HBA_BUF) at b->data + data_off from sector
 * lba; HBA_FLUSH ignores them. 0 or -E_IO (logged, the port recovered).
 */
MUST_CHECK int hba_io(struct hba_port *p, struct hba_buf *b, enum hba_op op, uint64_t lba,
		      unsigned data_off, uint32_t bytes);
