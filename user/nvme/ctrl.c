/*
 * ctrl.c - NVMe controller bring-up, the slot pool, I/O submission and
 * the completion thread (ctrl.h). Section numbers are NVMe 1.4's.
 * Locking: each queue's lock and slot_lock, see ctrl.h; bring-up is
 * single-threaded.
 */
#include <string.h>
#include "base/err.h"
#include "ctrl.h"
#include "rb/blkserv.h"
#include "rb/sys.h"

#define ADMIN_ENTRIES 32
#define IO_ENTRIES 64 /* at most; CAP.MQES may allow fewer */
#define ADMIN_TIMEOUT_MS 5000
#define WAIT_NS 100000000ull	/* a waiter harvests itself after 100 ms */
#define IRQ_WAIT_NS 100000000ll /* the completion thread looks at least this often */

static uint32_t rd32(struct ctrl *c, unsigned off)
{
	return *(volatile uint32_t *)(c->regs + off);
}

static void wr32(struct ctrl *c, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(c->regs + off) = v;
}

/* A 64-bit register as two dword accesses, low first (§3.1: allowed). */
static void wr64(struct ctrl *c, unsigned off, uint64_t v)
{
	wr32(c, off, (uint32_t)v);
	wr32(c, off + 4, (uint32_t)(v >> 32));
}

static void doorbell(struct ctrl *c, unsigned qid, bool cq, uint32_t v)
{
	uint64_t off = nvme_doorbell(qid, cq, c->cap.dstrd) - NVME_REG_DB;
	__atomic_thread_fence(__ATOMIC_RELEASE); /* the entry before the doorbell */
	*(volatile uint32_t *)(c->dbs + off) = v;
}

/* Wait for CSTS.RDY == want within CAP.TO (§3.1.5, §7.6.1): 0, -E_TIMEDOUT or -E_IO (CFS). */
static int wait_ready(struct ctrl *c, bool want)
{
	uint64_t limit = rb_now_ns() + (uint64_t)(c->cap.to_ms ? c->cap.to_ms : 500) * 1000000;
	for (;;) {
		uint32_t csts = rd32(c, NVME_REG_CSTS);
		if (csts == 0xffffffffu)
			return -E_IO; /* the device is gone */
		if (((csts & NVME_CSTS_RDY) != 0) == want)
			return 0;
		if (want && (csts & NVME_CSTS_CFS))
			return -E_IO;
		if (rb_now_ns() > limit)
			return -E_TIMEDOUT;
		rb_nanosleep(1000000);
	}
}

/* Run one admin command and poll for its completion: 0, -E_IO or -E_TIMEDOUT; its
   completion's dword 0 into *dw0 (may be NULL). */
static int admin_dw0(struct ctrl *c, struct nvme_cmd *cmd, uint32_t *dw0)
{
	cmd->cid = (uint16_t)c->asq_s.tail;
	nvme_sqe_pack(cmd, c->asq + (size_t)c->asq_s.tail * NVME_SQE_SIZE);
	doorbell(c, 0, false, nvme_sq_push(&c->asq_s));
	uint64_t limit = rb_now_ns() + ADMIN_TIMEOUT_MS * 1000000ull;
	struct nvme_cqe e;
	while (!nvme_cq_pop(&c->acq_s, c->acq, &e)) {
		if (rb_now_ns() > limit) {
			drv_log(c->d, "admin command %#x: no completion", cmd->opcode);
			return -E_TIMEDOUT;
		}
		rb_nanosleep(100000);
	}
	doorbell(c, 0, true, c->acq_s.head);
	if (e.status & 0x7ff) {
		drv_log(c->d, "admin command %#x: status type %u code %#x", cmd->opcode,
			nvme_status_sct(e.status), nvme_status_sc(e.status));
		return -E_IO;
	}
	if (dw0)
		*dw0 = e.dw0;
	return 0;
}

static int admin(struct ctrl *c, struct nvme_cmd *cmd)
{
	return admin_dw0(c, cmd, NULL);
}

/* Take every finished command off q's completion queue and wake its
   waiter; sync when the caller blocks next (the completion thread:
   rb_futex_wake_sync). */
static void harvest(struct ctrl_queue *q, bool sync)
{
	struct ctrl *c = q->c;
	rb_mutex_lock(&q->lock);
	struct nvme_cqe e;
	bool any = false;
	while (nvme_cq_pop(&q->cq_s, q->cq, &e)) {
		any = true;
		/* the slot is in flight here (qid set under this lock before the doorbell) */
		if (e.cid >= CTRL_SLOTS ||
		    __atomic_load_n(&c->slots[e.cid].qid, __ATOMIC_ACQUIRE) != q->qid) {
			drv_log(c->d, "queue %u: completion for command %u that was not in flight",
				q->qid, e.cid);
			continue;
		}
		struct ctrl_slot *s = &c->slots[e.cid];
		s->status = e.status;
		__atomic_store_n(&s->qid, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
		if (sync)
			rb_futex_wake_sync(&s->done, 1);
		else
			rb_futex_wake(&s->done, 1);
	}
	if (any)
		doorbell(c, q->qid, true, q->cq_s.head);
	rb_mutex_unlock(&q->lock);
}

static int completion_thread(void *arg)
{
	struct ctrl_queue *q = arg;
	for (;;) {
		drv_irq_wait(&q->c->irq, q->vec, IRQ_WAIT_NS);
		/* Updating the head doorbell deasserts INTx (§7.5.1) before the unmask. */
		harvest(q, true);
		drv_irq_ack(&q->c->irq, q->vec);
	}
	return 0;
}

/* 4 KiB of zeroed DMA memory at a page-aligned bus address. */
static uint8_t *page_alloc(uint64_t *bus)
{
	uint8_t *p = drv_dma_alloc(NVME_PAGE, bus);
	if (p && (*bus & (NVME_PAGE - 1))) {
		drv_dma_free(p, NVME_PAGE);
		return NULL;
	}
	return p;
}

/* Every slot's PRP list page from one allocation (each DMA allocation is a system call of a
   restart), and its data area. */
static int slots_init(struct ctrl *c)
{
	uint64_t bus;
	uint8_t *prp = drv_dma_alloc(CTRL_SLOTS * NVME_PAGE, &bus);
	if (!prp || (bus & (NVME_PAGE - 1)))
		return -E_NOMEM;
	for (unsigned i = 0; i < CTRL_SLOTS; i++) {
		struct ctrl_slot *s = &c->slots[i];
		if (drv_dmabuf_init(&s->data, BLKSERV_BUF_MIN, UINT64_MAX) < 0)
			return -E_NOMEM;
		s->prp_list = (uint64_t *)(prp + i * NVME_PAGE);
		s->prp_bus = bus + i * NVME_PAGE;
		c->free_slots |= 1u << i;
	}
	return 0;
}

/* Map BAR0: the registers, then the doorbells CAP.DSTRD says we need. */
static int map_regs(struct ctrl *c)
{
	c->regs = drv_bar_map(c->d, 0, 0, NVME_PAGE);
	if (!c->regs)
		return -E_NODEV;
	uint64_t cap = rd32(c, NVME_REG_CAP) | (uint64_t)rd32(c, NVME_REG_CAP + 4) << 32;
	nvme_cap_parse(cap, &c->cap);
	size_t len = (size_t)(nvme_doorbell(2, false, c->cap.dstrd) - NVME_REG_DB);
	len = (len + NVME_PAGE - 1) & ~(size_t)(NVME_PAGE - 1);
	c->dbs = drv_bar_map(c->d, 0, NVME_REG_DB, len);
	return c->dbs ? 0 : -E_NODEV;
}

/* Reset, program the admin queues, enable (§7.6.1 steps 1-5). */
static int enable(struct ctrl *c)
{
	uint64_t asq_bus, acq_bus;
	if (!c->cap.css_nvm) {
		drv_log(c->d, "NVM command set not supported");
		return -E_NOTSUP;
	}
	if (c->cap.mpsmin > 0) {
		drv_log(c->d, "minimum page size %u bytes", 4096u << c->cap.mpsmin);
		return -E_NOTSUP;
	}
	/* A controller left enabled (firmware, a killed driver): disable it and
	   wait for RDY to clear before touching AQA/ASQ/ACQ (§3.1.5). */
	if (rd32(c, NVME_REG_CC) & NVME_CC_EN) {
		wr32(c, NVME_REG_CC, rd32(c, NVME_REG_CC) & ~NVME_CC_EN);
	}
	int r = wait_ready(c, false);
	if (r < 0) {
		drv_log(c->d, "controller did not reset (CSTS %#x)", rd32(c, NVME_REG_CSTS));
		return r;
	}
	c->asq = page_alloc(&asq_bus);
	c->acq = page_alloc(&acq_bus);
	if (!c->asq || !c->acq)
		return -E_NOMEM;
	c->asq_s = (struct nvme_sq){ADMIN_ENTRIES, 0};
	nvme_cq_init(&c->acq_s, ADMIN_ENTRIES);
	wr32(c, NVME_REG_AQA, nvme_aqa(ADMIN_ENTRIES, ADMIN_ENTRIES));
	wr64(c, NVME_REG_ASQ, asq_bus);
	wr64(c, NVME_REG_ACQ, acq_bus);
	wr32(c, NVME_REG_CC, nvme_cc_enable());
	if ((r = wait_ready(c, true)) < 0) {
		drv_log(c->d, "controller not ready (CSTS %#x)", rd32(c, NVME_REG_CSTS));
		return r;
	}
	return 0;
}

static int identify(struct ctrl *c)
{
	uint64_t bus;
	uint8_t *buf = page_alloc(&bus);
	if (!buf)
		return -E_NOMEM;
	struct nvme_cmd cmd;
	nvme_cmd_identify(&cmd, 0, NVME_CNS_CTRL, 0, bus);
	int r = admin(c, &cmd);
	if (r == 0 && (r = nvme_id_ctrl_parse(buf, NVME_PAGE, &c->id)) < 0)
		drv_log(c->d, "Identify Controller: unusable queue entry sizes");
	if (r == 0 && c->id.nn < CTRL_NSID) {
		drv_log(c->d, "no namespace 1");
		r = -E_NODEV;
	}
	if (r == 0) {
		memset(buf, 0, NVME_PAGE);
		nvme_cmd_identify(&cmd, 0, NVME_CNS_NS, CTRL_NSID, bus);
		r = admin(c, &cmd);
	}
	if (r == 0 && (r = nvme_id_ns_parse(buf, NVME_PAGE, &c->ns)) < 0)
		drv_log(c->d, "namespace 1: %s",
			r == -E_NOTSUP ? "metadata with each block" : "inactive or bad format");
	drv_dma_free(buf, NVME_PAGE);
	if (r < 0)
		return r;
	c->blocks = c->ns.nsze;
	c->bsize = c->ns.block_size;
	c->xfer_max = BLKSERV_XFER;
	if (c->id.mdts && c->id.mdts < 20) {
		uint64_t m = (uint64_t)NVME_PAGE << c->id.mdts;
		if (m < c->xfer_max)
			c->xfer_max = (uint32_t)m;
	}
	c->xfer_max -= c->xfer_max % c->bsize;
	c->flush = true; /* Flush is mandatory (NVM command set §6.8); a no-op without VWC */
	return 0;
}

/* The CPUs running now (at least 1). */
static unsigned cpus_online(void)
{
	struct rb_sysinfo si;
	return rb_sysinfo(&si) > 0 && si.cpus_online ? (unsigned)si.cpus_online : 1;
}

/* Create completion queue qid and submission queue qid on vector vec (§7.6.1 step 7). */
static int io_queue(struct ctrl *c, struct ctrl_queue *q, uint16_t qid, unsigned vec, uint32_t n)
{
	uint64_t sq_bus, cq_bus;
	*q = (struct ctrl_queue){.c = c, .qid = qid, .vec = vec};
	q->sq = page_alloc(&sq_bus);
	q->cq = page_alloc(&cq_bus);
	if (!q->sq || !q->cq)
		return -E_NOMEM;
	bool ien = c->irq.mode.kind != DRV_IRQ_POLL;
	struct nvme_cmd cmd;
	nvme_cmd_create_cq(&cmd, 0, qid, n, cq_bus, (uint16_t)vec, ien);
	int r = admin(c, &cmd);
	if (r < 0)
		return r;
	nvme_cmd_create_sq(&cmd, 0, qid, n, sq_bus, qid);
	if ((r = admin(c, &cmd)) < 0)
		return r;
	q->sq_s = (struct nvme_sq){n, 0};
	nvme_cq_init(&q->cq_s, n);
	return 0;
}

/*
 * One I/O queue pair per CPU, each on its own vector (qid i on vector i - 1, vector 0
 * shared with the polled admin queue); as many as the vectors, the controller's grant
 * and CTRL_QMAX allow. A refused Set Features leaves the one pair every controller has.
 */
static int io_queues(struct ctrl *c)
{
	uint32_t n = c->cap.mqes < IO_ENTRIES ? c->cap.mqes : IO_ENTRIES;
	if (n < CTRL_SLOTS + 1) {
		drv_log(c->d, "queues of %u entries are too small", n);
		return -E_NOTSUP;
	}
	unsigned cpus = cpus_online();
	unsigned vectors = c->irq.mode.kind == DRV_IRQ_POLL ? 1 : c->irq.mode.vectors;
	unsigned want = nvme_queue_count(cpus, vectors, CTRL_QMAX, CTRL_QMAX);
	uint32_t granted = 1, dw0 = 0;
	struct nvme_cmd cmd;
	nvme_cmd_set_num_queues(&cmd, 0, want, want);
	if (admin_dw0(c, &cmd, &dw0) == 0)
		granted = nvme_num_queues_granted(dw0);
	c->nq = nvme_queue_count(cpus, vectors, granted, CTRL_QMAX);
	for (unsigned i = 0; i < c->nq; i++) {
		int r = io_queue(c, &c->q[i], (uint16_t)(i + 1), i, n);
		if (r < 0)
			return r;
	}
	return 0;
}

int ctrl_start(struct ctrl *c, struct drv_dev *d)
{
	memset(c, 0, sizeof *c);
	c->d = d;
	int r = map_regs(c);
	if (r < 0)
		return r;
	if ((r = drv_pci_enable(d)) < 0)
		return r;
	if ((r = enable(c)) < 0)
		goto out_stop;
	drv_irq_setup(d, cpus_online() < CTRL_QMAX ? cpus_online() : CTRL_QMAX, &c->irq);
	if ((r = identify(c)) < 0 || (r = io_queues(c)) < 0)
		goto out_stop;
	if ((r = slots_init(c)) < 0) {
		drv_log(d, "DMA buffers: %s", err_name(r));
		goto out_stop;
	}
	for (unsigned i = 0; i < c->nq; i++) {
		int tid = rb_thread_create(completion_thread, &c->q[i]);
		if (tid < 0) {
			r = tid;
			goto out_stop;
		}
	}
	return 0;
out_stop:
	ctrl_stop(c);
	return r;
}

void ctrl_stop(struct ctrl *c)
{
	if (!c->regs)
		return;
	/* CC.EN = 0 resets the controller: queues deleted, no more DMA (§7.6.2
	   prefers a shutdown notification first; a reset is what a crash gets
	   anyway, and the data is flushed by then). */
	wr32(c, NVME_REG_CC, rd32(c, NVME_REG_CC) & ~NVME_CC_EN);
	(void)wait_ready(c, false);
}

struct ctrl_slot *ctrl_slot_get(struct ctrl *c)
{
	for (;;) {
		rb_mutex_lock(&c->slot_lock);
		uint32_t seq = __atomic_load_n(&c->slot_seq, __ATOMIC_ACQUIRE);
		if (c->free_slots) {
			unsigned i = (unsigned)__builtin_ctz(c->free_slots);
			c->free_slots &= ~(1u << i);
			rb_mutex_unlock(&c->slot_lock);
			return &c->slots[i];
		}
		rb_mutex_unlock(&c->slot_lock);
		rb_futex_wait(&c->slot_seq, seq, 0);
	}
}

void ctrl_slot_put(struct ctrl *c, struct ctrl_slot *s)
{
	rb_mutex_lock(&c->slot_lock);
	c->free_slots |= 1u << (unsigned)(s - c->slots);
	__atomic_add_fetch(&c->slot_seq, 1, __ATOMIC_RELEASE);
	rb_mutex_unlock(&c->slot_lock);
	rb_futex_wake(&c->slot_seq, 1);
}

int ctrl_io(struct ctrl *c, struct ctrl_slot *s, uint8_t opcode, uint64_t lba, unsigned data_off,
	    uint32_t bytes)
{
	uint16_t cid = (uint16_t)(s - c->slots);
	struct nvme_cmd cmd;
	if (opcode == NVME_CMD_FLUSH) {
		cmd = (struct nvme_cmd){.opcode = NVME_CMD_FLUSH, .cid = cid, .nsid = CTRL_NSID};
	} else {
		uint64_t prp1, prp2;
		if (data_off > s->data.len || bytes > s->data.len - data_off)
			return -E_INVAL;
		int r = nvme_prp_build(s->data.bus + data_off, bytes, s->prp_bus, s->prp_list,
				       NVME_PAGE / 8, &prp1, &prp2);
		if (r < 0 || bytes % c->bsize || bytes / c->bsize > 0x10000)
			return -E_INVAL;
		nvme_cmd_rw(&cmd, opcode, cid, CTRL_NSID, lba, bytes / c->bsize, prp1, prp2);
	}
	s->done = 0;
	s->status = 0;
	int cpu = rb_sched_getcpu(); /* the queue of the CPU we run on: moving later is harmless */
	struct ctrl_queue *q = &c->q[cpu >= 0 ? (unsigned)cpu % c->nq : 0];
	rb_mutex_lock(&q->lock);
	__atomic_store_n(&s->qid, q->qid, __ATOMIC_RELEASE);
	nvme_sqe_pack(&cmd, q->sq + (size_t)q->sq_s.tail * NVME_SQE_SIZE);
	/* At most CTRL_SLOTS commands in flight, fewer than the queue's entries. */
	doorbell(c, q->qid, false, nvme_sq_push(&q->sq_s));
	rb_mutex_unlock(&q->lock);
	while (!__atomic_load_n(&s->done, __ATOMIC_ACQUIRE)) {
		if (rb_futex_wait(&s->done, 0, WAIT_NS) == -E_TIMEDOUT)
			harvest(q, false);
	}
	return s->status & 0x7ff ? -E_IO : 0;
}
