/*
 * ctrl.h - one NVMe controller (NVMe 1.4) and namespace 1 for the nvme
 * driver's scheme handlers (main.c).
 *
 * ctrl_start() resets the controller, sets up the admin queue pair,
 * enables it, identifies the controller and namespace 1, and creates one
 * I/O queue pair per CPU (qid 1..nq: nvme_queue_count of the online CPUs,
 * the interrupt vectors pcid gave, what Set Features Number of Queues
 * granted, and CTRL_QMAX), each pair with its own vector (qid i on vector
 * i - 1; pcid spreads MSI-X vectors over the CPUs) and its own completion
 * thread. Admin commands run during bring-up only and are polled. A
 * caller takes a slot (ctrl_slot_get: a DMA data area, BLKSERV_BUF_MIN
 * bytes until blkserv grows it, and a PRP list page; its index is the
 * command id, unique in every queue),
 * runs requests on it with ctrl_io() and gives it back. ctrl_io() writes
 * the submission entry into the queue of the CPU it runs on, rings its
 * tail doorbell and sleeps on the slot's futex until that queue's
 * completion thread (on its vector, or every poll period) pops the
 * completion queue, rings its head doorbell and marks the slot done. A
 * waiter that sees nothing for 100 ms pops its queue itself.
 *
 * Locking: each queue's lock guards its indices and its harvesting;
 * slot_lock guards the free-slot mask. A slot belongs to the thread that
 * took it until it is put back; `qid` says which queue it is in flight
 * on (0: none), written by the submitter under that queue's lock; the
 * completion side writes only its `status` and then its `done` word
 * (atomically).
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "nvme/nvme.h"
#include "rb/drv.h"
#include "rb/thread.h"

#define CTRL_SLOTS 16 /* requests in flight (one per server worker) */
#define CTRL_QMAX 16  /* I/O queue pairs at most */
#define CTRL_NSID 1

struct ctrl_slot {
	uint32_t done; /* futex: 0 while the request is in flight */
	uint16_t qid;  /* the queue it is in flight on, 0 when not */
	uint16_t status;
	struct drv_dmabuf data;
	uint64_t *prp_list; /* one page: 512 entries, 2 MiB */
	uint64_t prp_bus;
};

struct ctrl;

/* One I/O queue pair: submission and completion queue qid, on vector vec. */
struct ctrl_queue {
	struct ctrl *c;
	uint16_t qid;
	unsigned vec;
	uint8_t *sq, *cq;
	struct nvme_sq sq_s;
	struct nvme_cq cq_s;
	struct rb_mutex lock;
};

struct ctrl {
	struct drv_dev *d;
	volatile uint8_t *regs; /* BAR0 page 0 */
	volatile uint8_t *dbs;	/* BAR0 doorbells, from NVME_REG_DB */
	struct nvme_cap cap;
	struct drv_irq irq;
	/* admin queues (bring-up only) */
	uint8_t *asq, *acq;
	struct nvme_sq asq_s;
	struct nvme_cq acq_s;
	struct ctrl_queue q[CTRL_QMAX];
	unsigned nq;
	struct nvme_id_ctrl id;
	struct nvme_id_ns ns;
	uint64_t blocks;
	uint32_t bsize;
	uint32_t xfer_max; /* bytes per command: BLKSERV_XFER, or less under MDTS */
	bool flush;
	struct rb_mutex slot_lock;
	uint32_t free_slots; /* bit i: slot i free (guarded by slot_lock) */
	uint32_t slot_seq;   /* futex: bumped when a slot is put back */
	struct ctrl_slot slots[CTRL_SLOTS];
};

/* Bring the controller up: 0 or an error (logged; the controller left disabled). */
MUST_CHECK int ctrl_start(struct ctrl *c, struct drv_dev *d);
/* Disable the controller (CC.EN = 0: it stops all DMA); for exit paths and signal handlers. */
void ctrl_stop(struct ctrl *c);
/* Take a free slot, waiting for one. */
struct ctrl_slot *ctrl_slot_get(struct ctrl *c);
/* Give slot s back. */
void ctrl_slot_put(struct ctrl *c, struct ctrl_slot *s);
/*
 * Run one command on s: NVME_CMD_READ/WRITE of `bytes` (a block multiple,
 * at most xfer_max, data_off + bytes <= s->data.len) at byte data_off of
 * s->data from block lba; NVME_CMD_FLUSH ignores them. 0, -E_IO or
 * -E_INVAL.
 */
MUST_CHECK int ctrl_io(struct ctrl *c, struct ctrl_slot *s, uint8_t opcode, uint64_t lba,
		       unsigned data_off, uint32_t bytes);
