/*
 * hba.c - AHCI controller bring-up, per-port command issue, completion,
 * error recovery and the request buffer pool (hba.h). Section numbers
 * are AHCI 1.3.1's.
 * Locking: see hba.h; bring-up is single-threaded, then a port's lock
 * orders everything that touches its command registers.
 */
#include <string.h>
#include "base/err.h"
#include "hba.h"
#include "rb/blkserv.h"
#include "rb/sys.h"

/* One port's DMA memory (MEM_LEN bytes). */
#define MEM_CLB 0x000	/* command list, 1 KiB aligned */
#define MEM_FIS 0x400	/* received FIS area, 256-byte aligned */
#define MEM_ID 0x800	/* IDENTIFY data, 512 bytes */
#define MEM_CTBL 0x1000 /* command tables, one per slot, 128-byte aligned */
#define CTBL_LEN 0x100	/* a table: the FIS area and 8 PRD entries */
#define CTBL_PRDS 8	/* PRD entries room in a table (one is used) */
#define MEM_LEN (MEM_CTBL + AHCI_PORTS * CTBL_LEN)
#define PAGE 4096

#define STOP_MS 500		 /* PxCMD.CR/FR clear after ST/FRE (§10.1.2: 500 ms) */
#define BUSY_MS 1000		 /* BSY/DRQ clear before ST, CLO clear */
#define LINK_MS 1000		 /* PxSSTS.DET = 3 after COMRESET */
#define BOH_MS 2000		 /* BIOS busy after the OS ownership request (§10.6.3: 2 s) */
#define HBA_CMD_TIMEOUT_MS 10000 /* one command */
#define WAIT_NS 2000000ull	 /* a waiter looks at the registers at least this often */
#define IRQ_WAIT_NS 100000000ll	 /* the interrupt thread looks at least this often */

static uint32_t hrd(struct hba *h, unsigned off)
{
	return *(volatile uint32_t *)(h->abar + off);
}

static void hwr(struct hba *h, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(h->abar + off) = v;
}

static uint32_t prd(struct hba_port *p, unsigned off)
{
	return *(volatile uint32_t *)(p->regs + off);
}

static void pwr(struct hba_port *p, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(p->regs + off) = v;
}

/* Wait up to ms for (port register off & mask) == want: true if it came. */
static bool pwait(struct hba_port *p, unsigned off, uint32_t mask, uint32_t want, unsigned ms)
{
	uint64_t limit = rb_now_ns() + (uint64_t)ms * 1000000;
	for (;;) {
		uint32_t v = prd(p, off);
		if (v == 0xffffffffu)
			return false; /* the device is gone */
		if ((v & mask) == want)
			return true;
		if (rb_now_ns() > limit)
			return false;
		rb_nanosleep(100000);
	}
}

/* Stop command processing and FIS receive (§10.1.2): true once CR and FR are clear. */
static bool port_stop(struct hba_port *p)
{
	uint32_t cmd = prd(p, AHCI_PX_CMD);
	if (cmd & AHCI_CMD_ST)
		pwr(p, AHCI_PX_CMD, cmd & ~AHCI_CMD_ST);
	bool ok = pwait(p, AHCI_PX_CMD, AHCI_CMD_CR, 0, STOP_MS);
	cmd = prd(p, AHCI_PX_CMD);
	if (cmd & AHCI_CMD_FRE)
		pwr(p, AHCI_PX_CMD, cmd & ~AHCI_CMD_FRE);
	return pwait(p, AHCI_PX_CMD, AHCI_CMD_FR, 0, STOP_MS) && ok;
}

/*
 * COMRESET (§10.4.2): PxSCTL.DET = 1 for at least 1 ms, then 0, and wait
 * for the link (DET = 3). Only with ST clear.
 */
static bool port_comreset(struct hba_port *p)
{
	uint32_t sctl = prd(p, AHCI_PX_SCTL) & ~0xfu;
	pwr(p, AHCI_PX_SCTL, sctl | 1);
	rb_nanosleep(2000000);
	pwr(p, AHCI_PX_SCTL, sctl);
	bool ok = pwait(p, AHCI_PX_SSTS, 0xf, AHCI_DET_PRESENT, LINK_MS);
	pwr(p, AHCI_PX_SERR, 0xffffffffu); /* the reset's own errors (§10.4.2) */
	return ok;
}

/*
 * Get the device idle (BSY and DRQ clear) with ST off: wait, then CLO
 * when CAP.SCLO (§10.4.1: clear the task file's BSY/DRQ without a reset)
 * and last a COMRESET. true if idle.
 */
static bool port_idle(struct hba_port *p)
{
	const uint32_t busy = AHCI_TFD_BSY | AHCI_TFD_DRQ;
	if (pwait(p, AHCI_PX_TFD, busy, 0, BUSY_MS))
		return true;
	if (p->h->cap & AHCI_CAP_SCLO) {
		pwr(p, AHCI_PX_CMD, prd(p, AHCI_PX_CMD) | AHCI_CMD_CLO);
		if (pwait(p, AHCI_PX_CMD, AHCI_CMD_CLO, 0, BUSY_MS) &&
		    pwait(p, AHCI_PX_TFD, busy, 0, BUSY_MS))
			return true;
	}
	return port_comreset(p) && pwait(p, AHCI_PX_TFD, busy, 0, BUSY_MS);
}

/* Program CLB/FB, clear errors, FRE, wait idle, enable interrupts, ST (§10.3.1). */
static int port_start(struct hba_port *p)
{
	uint64_t clb = p->mem_bus + MEM_CLB, fb = p->mem_bus + MEM_FIS;
	pwr(p, AHCI_PX_CLB, (uint32_t)clb);
	pwr(p, AHCI_PX_CLBU, (uint32_t)(clb >> 32));
	pwr(p, AHCI_PX_FB, (uint32_t)fb);
	pwr(p, AHCI_PX_FBU, (uint32_t)(fb >> 32));
	pwr(p, AHCI_PX_SERR, 0xffffffffu);
	pwr(p, AHCI_PX_IS, 0xffffffffu);
	pwr(p, AHCI_PX_CMD, prd(p, AHCI_PX_CMD) | AHCI_CMD_FRE | AHCI_CMD_POD | AHCI_CMD_SUD);
	if (!port_idle(p)) {
		drv_log(p->h->d, "port %u: device stays busy (TFD %#x)", p->num,
			prd(p, AHCI_PX_TFD));
		return -E_IO;
	}
	pwr(p, AHCI_PX_IS, 0xffffffffu);
	pwr(p, AHCI_PX_IE, p->h->irq.mode.kind == DRV_IRQ_POLL ? 0 : AHCI_IE_DEFAULT);
	__atomic_store_n(&p->err_is, 0, __ATOMIC_RELAXED);
	pwr(p, AHCI_PX_CMD, prd(p, AHCI_PX_CMD) | AHCI_CMD_ST);
	p->started = true;
	return 0;
}

/* Wake everyone waiting on the port (a completion, a freed tag, a recovery). */
static void port_kick(struct hba_port *p)
{
	__atomic_add_fetch(&p->seq, 1, __ATOMIC_RELEASE);
	rb_futex_wake(&p->seq, 0x7fffffff);
}

/*
 * After an error or a timeout (§6.2.2.1): stop, clear, COMRESET, get
 * idle, start. The COMRESET ends the device's error state (a non-queued
 * error's left in QEMU's error register made the next queued command
 * fail too) and anything still queued in it. Every command in flight is
 * gone: the epoch moves (odd while recovering) and all tags are free.
 * Under p->lock.
 */
static void port_recover(struct hba_port *p)
{
	/* Odd while recovering: a queued waiter reading the registers now must
	   not take a stopped port's clear PxCI/PxSACT for its completion. */
	__atomic_store_n(&p->epoch, p->epoch + 1, __ATOMIC_SEQ_CST);
	if (!port_stop(p))
		drv_log(p->h->d, "port %u: did not stop (CMD %#x)", p->num, prd(p, AHCI_PX_CMD));
	if (!port_comreset(p))
		drv_log(p->h->d, "port %u: no link after COMRESET (SSTS %#x)", p->num,
			prd(p, AHCI_PX_SSTS));
	if (port_start(p) < 0)
		drv_log(p->h->d, "port %u: recovery failed; its requests will fail", p->num);
	__atomic_store_n(&p->epoch, p->epoch + 1, __ATOMIC_RELEASE);
	p->busy = 0;
	port_kick(p);
}

/* Fatal PxIS bits seen (by the interrupt thread or now). */
static uint32_t port_errors(struct hba_port *p)
{
	return (__atomic_load_n(&p->err_is, __ATOMIC_ACQUIRE) | prd(p, AHCI_PX_IS)) & AHCI_IS_FATAL;
}

static void log_failure(struct hba_port *p, const char *what, const char *then)
{
	uint32_t tfd = prd(p, AHCI_PX_TFD);
	drv_log(p->h->d, "port %u: %s failed: IS %#x TFD %#x (error %#x) SACT %#x SERR %#x%s",
		p->num, what, __atomic_load_n(&p->err_is, __ATOMIC_ACQUIRE) | prd(p, AHCI_PX_IS),
		tfd, (tfd >> 8) & 0xff, prd(p, AHCI_PX_SACT), prd(p, AHCI_PX_SERR), then);
}

/*
 * Issue slot 0's (non-queued) command and wait for it: 0, or -E_IO after
 * logging what failed and recovering the port. Under p->lock, no queued
 * command in flight.
 */
static int issue(struct hba_port *p, const char *what)
{
	__atomic_store_n(&p->err_is, 0, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE); /* the table and header before CI */
	pwr(p, AHCI_PX_CI, 1);
	uint64_t limit = rb_now_ns() + HBA_CMD_TIMEOUT_MS * 1000000ull;
	for (;;) {
		uint32_t seq = __atomic_load_n(&p->seq, __ATOMIC_ACQUIRE);
		uint32_t ci = prd(p, AHCI_PX_CI);
		if (port_errors(p) || ci == 0xffffffffu)
			break;
		if (!(ci & 1)) {
			if (!(prd(p, AHCI_PX_TFD) & AHCI_TFD_ERR))
				return 0;
			break;
		}
		if (rb_now_ns() > limit) {
			drv_log(p->h->d, "port %u: %s: no completion in %u ms", p->num, what,
				HBA_CMD_TIMEOUT_MS);
			port_recover(p);
			return -E_IO;
		}
		(void)rb_futex_wait(&p->seq, seq, WAIT_NS);
	}
	log_failure(p, what, "");
	port_recover(p);
	return -E_IO;
}

/*
 * Fill slot/tag t (header, FIS from fis, one PRDT run over [bus,
 * bus+len)): 0 or -E_INVAL.
 */
static int prepare(struct hba_port *p, unsigned t, const uint8_t fis[AHCI_FIS_H2D_LEN], bool write,
		   uint64_t bus, uint32_t len)
{
	uint8_t *tbl = p->mem + MEM_CTBL + t * CTBL_LEN;
	memset(tbl, 0, AHCI_PRDT_OFF);
	memcpy(tbl, fis, AHCI_FIS_H2D_LEN);
	int n = 0;
	if (len) {
		n = ahci_prdt_build(tbl + AHCI_PRDT_OFF, CTBL_PRDS, bus, len);
		if (n < 0)
			return n;
	}
	ahci_cmd_hdr(p->mem + MEM_CLB + t * AHCI_CMD_HDR_LEN, write, (unsigned)n,
		     p->mem_bus + MEM_CTBL + t * CTBL_LEN);
	return 0;
}

/*
 * A non-queued command: keep new queued commands out, wait for those in
 * flight to end (bounded: then recover), run it on slot 0. 0 or an error.
 */
static int run_nonq(struct hba_port *p, const uint8_t fis[AHCI_FIS_H2D_LEN], bool write,
		    uint64_t bus, uint32_t len, const char *what)
{
	rb_mutex_lock(&p->lock);
	p->nonq++;
	uint64_t limit = rb_now_ns() + (HBA_CMD_TIMEOUT_MS + 1000) * 1000000ull;
	while (p->busy) {
		uint32_t seq = __atomic_load_n(&p->seq, __ATOMIC_ACQUIRE);
		rb_mutex_unlock(&p->lock);
		(void)rb_futex_wait(&p->seq, seq, WAIT_NS);
		rb_mutex_lock(&p->lock);
		if (p->busy && rb_now_ns() > limit) {
			drv_log(p->h->d, "port %u: queued commands %#x did not end", p->num,
				p->busy);
			port_recover(p);
		}
	}
	int r = prepare(p, 0, fis, write, bus, len);
	if (r == 0)
		r = issue(p, what);
	p->nonq--;
	port_kick(p);
	rb_mutex_unlock(&p->lock);
	return r;
}

/*
 * A queued (NCQ) read or write on a free tag: 0, -E_AGAIN (a recovery
 * ended it, maybe because of another tag's error: the caller runs it
 * again unqueued) or -E_INVAL.
 */
static int run_ncq(struct hba_port *p, bool write, uint64_t lba, uint32_t count, uint64_t bus,
		   uint32_t len)
{
	rb_mutex_lock(&p->lock);
	while (p->nonq || (p->busy & p->tags) == p->tags) {
		uint32_t seq = __atomic_load_n(&p->seq, __ATOMIC_ACQUIRE);
		rb_mutex_unlock(&p->lock);
		(void)rb_futex_wait(&p->seq, seq, WAIT_NS);
		rb_mutex_lock(&p->lock);
	}
	unsigned t = (unsigned)__builtin_ctz(~p->busy & p->tags);
	uint32_t bit = 1u << t, epoch = p->epoch;
	uint8_t fis[AHCI_FIS_H2D_LEN];
	int r = ahci_fis_fpdma(fis, write, lba, count, t);
	if (r == 0)
		r = prepare(p, t, fis, write, bus, len);
	if (r < 0) {
		rb_mutex_unlock(&p->lock);
		return r;
	}
	p->busy |= bit;
	__atomic_thread_fence(__ATOMIC_RELEASE); /* the table and header before SACT/CI */
	pwr(p, AHCI_PX_SACT, bit);		 /* SACT before CI (§5.3.2.x, NCQ) */
	pwr(p, AHCI_PX_CI, bit);
	rb_mutex_unlock(&p->lock);
	uint64_t limit = rb_now_ns() + HBA_CMD_TIMEOUT_MS * 1000000ull;
	for (;;) {
		uint32_t seq = __atomic_load_n(&p->seq, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&p->epoch, __ATOMIC_ACQUIRE) != epoch)
			return -E_AGAIN;
		/* SACT and CI before IS: a failed tag's bit may clear with TFES set. */
		uint32_t sact = prd(p, AHCI_PX_SACT), ci = prd(p, AHCI_PX_CI);
		bool done = !((sact | ci) & bit);
		bool gone = sact == 0xffffffffu;
		uint32_t err = port_errors(p);
		/* A recovery that began before those reads makes them meaningless. */
		if (__atomic_load_n(&p->epoch, __ATOMIC_SEQ_CST) != epoch)
			return -E_AGAIN;
		if (done && !err && !gone) {
			rb_mutex_lock(&p->lock);
			if (p->epoch == epoch)
				p->busy &= ~bit;
			port_kick(p);
			rb_mutex_unlock(&p->lock);
			return 0;
		}
		bool late = rb_now_ns() > limit;
		if (err || gone || late) {
			rb_mutex_lock(&p->lock);
			if (p->epoch == epoch) {
				if (late)
					drv_log(p->h->d, "port %u: tag %u: no completion in %u ms",
						p->num, t, HBA_CMD_TIMEOUT_MS);
				else
					log_failure(
					    p, write ? "WRITE FPDMA QUEUED" : "READ FPDMA QUEUED",
					    "; retrying unqueued");
				port_recover(p);
			}
			rb_mutex_unlock(&p->lock);
			return -E_AGAIN;
		}
		(void)rb_futex_wait(&p->seq, seq, WAIT_NS);
	}
}

static int identify(struct hba_port *p)
{
	uint8_t fis[AHCI_FIS_H2D_LEN];
	ahci_fis_identify(fis);
	memset(p->mem + MEM_ID, 0, ATA_ID_LEN);
	int r = run_nonq(p, fis, false, p->mem_bus + MEM_ID, ATA_ID_LEN, "IDENTIFY DEVICE");
	if (r < 0)
		return r;
	if (ata_id_parse(p->mem + MEM_ID, &p->id) < 0) {
		drv_log(p->h->d,
			"port %u: IDENTIFY data unusable (no LBA, no sectors or a bad "
			"sector size)",
			p->num);
		return -E_NOTSUP;
	}
	unsigned depth = AHCI_CAP_NCS(p->h->cap);
	if (p->id.queue_depth < depth)
		depth = p->id.queue_depth;
	if (p->id.ncq && (p->h->cap & AHCI_CAP_SNCQ) && depth > 1)
		p->tags = depth == 32 ? 0xffffffffu : (1u << depth) - 1;
	return 0;
}

/* Bring one SATA disk's port up: 0 or an error (logged). */
static int port_init(struct hba *h, struct hba_port *p)
{
	p->mem = drv_dma_alloc(MEM_LEN, &p->mem_bus);
	if (!p->mem)
		return -E_NOMEM;
	if ((p->mem_bus & (AHCI_CMD_LIST_LEN - 1)) ||
	    ((p->mem_bus >> 32) && !(h->cap & AHCI_CAP_S64A))) {
		drv_log(h->d, "port %u: DMA page at %#llx unusable", p->num,
			(unsigned long long)p->mem_bus);
		return -E_NOMEM;
	}
	if (!port_stop(p)) {
		drv_log(h->d, "port %u: did not stop (CMD %#x)", p->num, prd(p, AHCI_PX_CMD));
		return -E_IO;
	}
	int r = port_start(p);
	if (r == 0)
		r = identify(p);
	if (r == 0 && !p->id.lba48) {
		drv_log(h->d, "port %u: no 48-bit addressing (READ DMA EXT)", p->num);
		r = -E_NOTSUP;
	}
	if (r < 0) {
		(void)port_stop(p);
		p->started = false;
	}
	return r;
}

/* Take the HBA from the BIOS (§10.6.3), bounded: it only logs. */
static void bios_handoff(struct hba *h)
{
	if (!(hrd(h, AHCI_CAP2) & AHCI_CAP2_BOH))
		return;
	hwr(h, AHCI_BOHC, hrd(h, AHCI_BOHC) | AHCI_BOHC_OOS);
	uint64_t limit = rb_now_ns() + 25000000; /* BOS clears within 25 ms, else BB is set */
	while ((hrd(h, AHCI_BOHC) & AHCI_BOHC_BOS) && rb_now_ns() < limit)
		rb_nanosleep(1000000);
	limit = rb_now_ns() + BOH_MS * 1000000ull;
	while ((hrd(h, AHCI_BOHC) & (AHCI_BOHC_BOS | AHCI_BOHC_BB)) && rb_now_ns() < limit)
		rb_nanosleep(1000000);
	if (hrd(h, AHCI_BOHC) & AHCI_BOHC_BOS)
		drv_log(h->d, "BIOS kept ownership (BOHC %#x); going on", hrd(h, AHCI_BOHC));
}

static int irq_thread(void *arg)
{
	struct hba *h = arg;
	for (;;) {
		drv_irq_wait(&h->irq, 0, IRQ_WAIT_NS);
		uint32_t is = hrd(h, AHCI_IS);
		for (unsigned i = 0; i < h->ndisks; i++) {
			struct hba_port *p = h->disks[i];
			uint32_t pis = prd(p, AHCI_PX_IS);
			if (!pis || pis == 0xffffffffu)
				continue;
			__atomic_or_fetch(&p->err_is, pis & AHCI_IS_FATAL, __ATOMIC_RELEASE);
			pwr(p, AHCI_PX_IS, pis); /* write 1 to clear, before IS (§10.7.2) */
			/* We wait for the interrupt next: the first waiter may run here. */
			__atomic_add_fetch(&p->seq, 1, __ATOMIC_RELEASE);
			rb_futex_wake_sync(&p->seq, 0x7fffffff);
		}
		if (is && is != 0xffffffffu)
			hwr(h, AHCI_IS, is);
		drv_irq_ack(&h->irq, 0);
	}
	return 0;
}

static int bufs_init(struct hba *h)
{
	for (unsigned i = 0; i < HBA_SLOTS; i++) {
		struct hba_buf *b = &h->bufs[i];
		uint64_t top = h->cap & AHCI_CAP_S64A ? UINT64_MAX : 1ull << 32;
		if (drv_dmabuf_init(&b->data, BLKSERV_BUF_MIN, top) < 0)
			return -E_NOMEM;
		h->free_slots |= 1u << i;
	}
	return 0;
}

/* Classify and bring up every implemented port; count the disks. */
static void ports_init(struct hba *h)
{
	for (unsigned n = 0; n < AHCI_PORTS; n++) {
		if (!(h->pi & (1u << n)))
			continue;
		struct hba_port *p = &h->ports[n];
		p->h = h;
		p->num = n;
		if (AHCI_PORT_BASE + (n + 1) * AHCI_PORT_SIZE > h->abar_len) {
			drv_log(h->d, "port %u: beyond the %zu bytes of ABAR; skipped", n,
				h->abar_len);
			continue;
		}
		p->regs = h->abar + AHCI_PORT_BASE + n * AHCI_PORT_SIZE;
		uint32_t ssts = prd(p, AHCI_PX_SSTS), sig = prd(p, AHCI_PX_SIG);
		enum ahci_dev_kind k = ahci_port_kind(ssts, sig);
		if (k == AHCI_DEV_NONE)
			continue;
		if (k != AHCI_DEV_ATA) {
			h->atapi += k == AHCI_DEV_ATAPI;
			drv_log(h->d, "port %u: %s (signature %#x); left alone", n,
				ahci_kind_name(k), sig);
			continue;
		}
		int r = port_init(h, p);
		if (r < 0) {
			drv_log(h->d, "port %u: SATA disk not usable: %s", n, err_name(r));
			continue;
		}
		h->disks[h->ndisks++] = p;
	}
}

int hba_start(struct hba *h, struct drv_dev *d)
{
	memset(h, 0, sizeof *h);
	h->d = d;
	const struct drv_bar *bar = &d->bars[5];
	if (bar->kind != DRV_BAR_MEM32 && bar->kind != DRV_BAR_MEM64) {
		drv_log(d, "BAR 5 (ABAR) is not a memory BAR");
		return -E_NOTSUP;
	}
	/* QEMU's ICH9 ABAR is 4 KiB (six ports); the spec's full layout is 0x1100 bytes. */
	h->abar_len = bar->size < AHCI_ABAR_LEN ? (size_t)bar->size : AHCI_ABAR_LEN;
	h->abar = drv_bar_map(d, 5, 0, (h->abar_len + PAGE - 1) & ~(size_t)(PAGE - 1));
	if (!h->abar)
		return -E_NODEV;
	int r = drv_pci_enable(d);
	if (r < 0)
		return r;
	/* AHCI mode before anything else (§10.1.2 step 1; AE may be read-only 1). */
	hwr(h, AHCI_GHC, hrd(h, AHCI_GHC) | AHCI_GHC_AE);
	bios_handoff(h);
	h->cap = hrd(h, AHCI_CAP);
	h->pi = hrd(h, AHCI_PI);
	if (h->cap == 0xffffffffu) {
		drv_log(d, "ABAR reads all ones: device gone");
		return -E_NODEV;
	}
	ports_init(h); /* polled: PxIE stays 0 until the interrupts are set up */
	if (h->ndisks == 0)
		return 0;
	drv_irq_setup(d, 1, &h->irq);
	if ((r = bufs_init(h)) < 0) {
		drv_log(d, "DMA buffers: %s", err_name(r));
		goto out_stop;
	}
	hwr(h, AHCI_IS, 0xffffffffu);
	if (h->irq.mode.kind != DRV_IRQ_POLL) {
		for (unsigned i = 0; i < h->ndisks; i++)
			pwr(h->disks[i], AHCI_PX_IE, AHCI_IE_DEFAULT);
		hwr(h, AHCI_GHC, hrd(h, AHCI_GHC) | AHCI_GHC_IE);
	}
	int tid = rb_thread_create(irq_thread, h);
	if (tid < 0) {
		r = tid;
		goto out_stop;
	}
	return 0;
out_stop:
	hba_stop(h);
	return r;
}

void hba_stop(struct hba *h)
{
	for (unsigned i = 0; i < h->ndisks; i++) {
		struct hba_port *p = h->disks[i];
		if (p->started) {
			pwr(p, AHCI_PX_IE, 0);
			(void)port_stop(p); /* ST then FRE off: no more DMA (§10.1.2) */
			p->started = false;
		}
	}
}

struct hba_buf *hba_slot_get(struct hba *h)
{
	for (;;) {
		rb_mutex_lock(&h->slot_lock);
		uint32_t seq = __atomic_load_n(&h->slot_seq, __ATOMIC_ACQUIRE);
		if (h->free_slots) {
			unsigned i = (unsigned)__builtin_ctz(h->free_slots);
			h->free_slots &= ~(1u << i);
			rb_mutex_unlock(&h->slot_lock);
			return &h->bufs[i];
		}
		rb_mutex_unlock(&h->slot_lock);
		rb_futex_wait(&h->slot_seq, seq, 0);
	}
}

void hba_slot_put(struct hba *h, struct hba_buf *b)
{
	rb_mutex_lock(&h->slot_lock);
	h->free_slots |= 1u << (unsigned)(b - h->bufs);
	__atomic_add_fetch(&h->slot_seq, 1, __ATOMIC_RELEASE);
	rb_mutex_unlock(&h->slot_lock);
	rb_futex_wake(&h->slot_seq, 1);
}

int hba_io(struct hba_port *p, struct hba_buf *b, enum hba_op op, uint64_t lba, unsigned data_off,
	   uint32_t bytes)
{
	uint8_t fis[AHCI_FIS_H2D_LEN];
	uint32_t bsize = p->id.sector_size;
	int r;
	if (op == HBA_FLUSH) {
		ahci_fis_flush(fis, p->id.flush_ext);
		return run_nonq(p, fis, false, 0, 0,
				p->id.flush_ext ? "FLUSH CACHE EXT" : "FLUSH CACHE");
	}
	if (bytes == 0 || bytes % bsize || data_off > b->data.len || bytes > b->data.len - data_off)
		return -E_INVAL;
	bool write = op == HBA_WRITE;
	if (p->tags) {
		r = run_ncq(p, write, lba, bytes / bsize, b->data.bus + data_off, bytes);
		if (r != -E_AGAIN)
			return r;
	}
	/* No NCQ, or a recovery ended the queued command: once more, unqueued. */
	if ((r = ahci_fis_rw(fis, write, lba, bytes / bsize)) < 0)
		return r;
	return run_nonq(p, fis, write, b->data.bus + data_off, bytes,
			write ? "WRITE DMA EXT" : "READ DMA EXT");
}
