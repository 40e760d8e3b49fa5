/*
 * hc.c - the xHCI controller: bring-up (§4.2 of xHCI 1.2), the BIOS
 * handoff (§4.22.1), the command ring, control and interrupt transfers,
 * the event ring and its interrupter (hc.h). Section numbers are xHCI
 * 1.2's. Every wait on the controller is bounded; a stuck controller is
 * one log line and an error, which main.c turns into `fatal`.
 *
 * Locking: none, one thread (hc.h).
 */
#include <string.h>
#include "base/err.h"
#include "hc.h"
#include "rb/sys.h"

#define MS 1000000ull
#define HALT_NS (100 * MS)	 /* §5.4.2: HCH within 16 ms of RS = 0; we allow more */
#define RESET_NS (1000 * MS)	 /* HCRST and CNR: no bound in the spec; a second is plenty */
#define HANDOFF_NS (1000 * MS)	 /* BIOS ownership release (§4.22.1) */
#define CMD_NS (1000 * MS)	 /* a command's completion event */
#define CTL_NS (1000 * MS)	 /* a control transfer's last event */
#define WAIT_SLICE_NS (10 * MS)	 /* how long one wait for an interrupt lasts */
#define XCAP_MAX 64		 /* extended capabilities we walk at most */
#define SCRATCH_MAX 512		 /* one page of scratchpad pointers */
#define MAP_MAX (1024 * 1024ull) /* the most of BAR0 we map */

static uint32_t rd(volatile uint8_t *base, unsigned off)
{
	return *(volatile uint32_t *)(base + off);
}

static void wr(volatile uint8_t *base, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

/* A 64-bit register as two dword writes, low first (§5.1: allowed with AC64 or not). */
static void wr64(volatile uint8_t *base, unsigned off, uint64_t v)
{
	wr(base, off, (uint32_t)v);
	wr(base, off + 4, (uint32_t)(v >> 32));
}

/* Wait until (reg & mask) == want within ns: 0 or -E_TIMEDOUT. A read of all
   ones means the device is gone: -E_IO. */
static int wait_reg(volatile uint8_t *base, unsigned off, uint32_t mask, uint32_t want, uint64_t ns)
{
	uint64_t limit = rb_now_ns() + ns;
	for (;;) {
		uint32_t v = rd(base, off);
		if (v == 0xffffffffu)
			return -E_IO;
		if ((v & mask) == want)
			return 0;
		if (rb_now_ns() > limit)
			return -E_TIMEDOUT;
		rb_nanosleep(100000);
	}
}

uint32_t hc_portsc(struct hc *hc, unsigned port)
{
	return rd(hc->op, XHCI_PORTSC(port));
}

void hc_portsc_write(struct hc *hc, unsigned port, uint32_t v)
{
	wr(hc->op, XHCI_PORTSC(port), v);
}

void hc_doorbell(struct hc *hc, unsigned slot, unsigned dci)
{
	__atomic_thread_fence(__ATOMIC_RELEASE); /* the TRBs before the doorbell */
	hc->db[slot] = dci;
}

void *hc_page(struct hc *hc, uint64_t *bus)
{
	void *p = drv_dma_alloc(4096, bus);
	/* a controller without AC64 (HCCPARAMS1 bit 0) reaches only the low 4 GiB */
	if (p && ((*bus & 4095) || (!(hc->hcc1 & 1) && (*bus >> 32)))) {
		drv_dma_free(p, 4096);
		return NULL;
	}
	return p;
}

/* Take the controller from the BIOS (USB Legacy Support capability, §7.1):
   set OS Owned, wait for BIOS Owned to clear, turn its SMIs off. */
static void bios_handoff(struct hc *hc)
{
	unsigned off = (hc->hcc1 >> 16) * 4;
	for (int i = 0; off && i < XCAP_MAX; i++) {
		if (off + 8 > hc->regs_len)
			return;
		uint32_t v = rd(hc->regs, off);
		if (xhci_xcap_id(v) == XHCI_XCAP_PROTOCOL && off + 12 <= hc->regs_len) {
			unsigned major, first, count;
			xhci_proto_parse(v, rd(hc->regs, off + 8), &major, &first, &count);
			for (unsigned p = first; count && p < first + count && p <= HC_PORTS; p++)
				if (p)
					hc->port_major[p] = (uint8_t)major;
		}
		if (xhci_xcap_id(v) == XHCI_XCAP_LEGACY) {
			if (v & XHCI_LEGSUP_BIOS) {
				wr(hc->regs, off, v | XHCI_LEGSUP_OS);
				if (wait_reg(hc->regs, off, XHCI_LEGSUP_BIOS, 0, HANDOFF_NS) < 0) {
					/* firmware that never lets go: take it anyway, as Linux
					 * does */
					drv_log(hc->d,
						"BIOS did not release the controller; taking it");
					wr(hc->regs, off,
					   (rd(hc->regs, off) & ~XHCI_LEGSUP_BIOS) |
					       XHCI_LEGSUP_OS);
				}
			}
			/* USBLEGCTLSTS: SMI enables off (bits 0, 4, 13-15), its RW1C events cleared
			 */
			uint32_t ctl = rd(hc->regs, off + 4);
			wr(hc->regs, off + 4, (ctl & ~0xe011u) | 0xe0000000u);
		}
		if (!xhci_xcap_next(v))
			return;
		off += xhci_xcap_next(v) * 4;
	}
}

static int map_regs(struct hc *hc)
{
	uint64_t size = hc->d->bars[0].size;
	if (hc->d->bars[0].kind == DRV_BAR_NONE || size < 4096) {
		drv_log(hc->d, "BAR0 missing or too small");
		return -E_NODEV;
	}
	if (size > MAP_MAX)
		size = MAP_MAX;
	hc->regs_len = (size_t)size & ~(size_t)4095;
	hc->regs = drv_bar_map(hc->d, 0, 0, hc->regs_len);
	if (!hc->regs)
		return -E_NODEV;
	uint32_t cap0 = rd(hc->regs, XHCI_CAPLENGTH);
	unsigned caplen = cap0 & 0xff;
	hc->version = cap0 >> 16;
	hc->hcs1 = rd(hc->regs, XHCI_HCSPARAMS1);
	hc->hcs2 = rd(hc->regs, XHCI_HCSPARAMS2);
	hc->hcc1 = rd(hc->regs, XHCI_HCCPARAMS1);
	uint32_t dboff = rd(hc->regs, XHCI_DBOFF) & ~3u, rtsoff = rd(hc->regs, XHCI_RTSOFF) & ~31u;
	hc->max_ports = hc->hcs1 >> 24;
	if (hc->max_ports > HC_PORTS)
		hc->max_ports = HC_PORTS;
	hc->max_slots = hc->hcs1 & 0xff;
	if (hc->max_slots > HC_SLOTS)
		hc->max_slots = HC_SLOTS;
	if (cap0 == 0xffffffffu || caplen < 0x20 || !hc->max_slots || !hc->max_ports ||
	    caplen + XHCI_PORTSC(hc->max_ports) + 16 > hc->regs_len ||
	    (uint64_t)rtsoff + 0x40 > hc->regs_len ||
	    (uint64_t)dboff + 4 * (hc->max_slots + 1) > hc->regs_len) {
		drv_log(hc->d, "registers do not fit BAR0 (cap %#x, db %#x, rt %#x, %zu bytes)",
			cap0, dboff, rtsoff, hc->regs_len);
		return -E_NODEV;
	}
	hc->op = hc->regs + caplen;
	hc->rt = hc->regs + rtsoff;
	hc->db = (volatile uint32_t *)(hc->regs + dboff);
	hc->csz = xhci_ctx_size(hc->hcc1);
	return 0;
}

/* USBCMD.RS = 0 and wait for HCH (§4.2: required before HCRST). */
static int halt(struct hc *hc)
{
	wr(hc->op, XHCI_USBCMD, rd(hc->op, XHCI_USBCMD) & ~(XHCI_CMD_RS | XHCI_CMD_INTE));
	return wait_reg(hc->op, XHCI_USBSTS, XHCI_STS_HCH, XHCI_STS_HCH, HALT_NS);
}

void hc_halt(struct hc *hc)
{
	if (hc->op)
		(void)halt(hc);
}

static int reset(struct hc *hc)
{
	/* CNR: no operational register may be written until it clears (§5.4.2) */
	int r = wait_reg(hc->op, XHCI_USBSTS, XHCI_STS_CNR, 0, RESET_NS);
	if (r < 0) {
		drv_log(hc->d, "controller not ready (USBSTS %#x): %s", rd(hc->op, XHCI_USBSTS),
			err_name(r));
		return r;
	}
	if ((r = halt(hc)) < 0) {
		drv_log(hc->d, "controller did not halt (USBSTS %#x): %s", rd(hc->op, XHCI_USBSTS),
			err_name(r));
		return r;
	}
	wr(hc->op, XHCI_USBCMD, XHCI_CMD_HCRST);
	/* some controllers hang if the registers are read at once after HCRST; 1 ms is Linux's and
	   the Intel errata's figure */
	rb_nanosleep(MS);
	r = wait_reg(hc->op, XHCI_USBCMD, XHCI_CMD_HCRST, 0, RESET_NS);
	if (!r)
		r = wait_reg(hc->op, XHCI_USBSTS, XHCI_STS_CNR, 0, RESET_NS);
	if (r < 0)
		drv_log(hc->d, "controller reset did not complete (USBCMD %#x, USBSTS %#x): %s",
			rd(hc->op, XHCI_USBCMD), rd(hc->op, XHCI_USBSTS), err_name(r));
	return r;
}

/* DCBAA, with the scratchpad buffers HCSPARAMS2 asks for in entry 0 (§4.20). */
static int dcbaa_init(struct hc *hc)
{
	uint64_t bus;
	hc->dcbaa = hc_page(hc, &bus);
	if (!hc->dcbaa)
		return -E_NOMEM;
	unsigned n = xhci_scratchpads(hc->hcs2);
	if (n) {
		if (n > SCRATCH_MAX || !(rd(hc->op, XHCI_PAGESIZE) & 1)) {
			drv_log(hc->d, "%u scratchpad buffers, page sizes %#x: not supported", n,
				rd(hc->op, XHCI_PAGESIZE));
			return -E_NOTSUP;
		}
		uint64_t abus;
		uint64_t *arr = hc_page(hc, &abus);
		if (!arr)
			return -E_NOMEM;
		for (unsigned i = 0; i < n; i++) {
			uint64_t b;
			if (!hc_page(hc, &b))
				return -E_NOMEM;
			arr[i] = b;
		}
		hc->dcbaa[0] = abus;
	}
	wr(hc->op, XHCI_CONFIG, (rd(hc->op, XHCI_CONFIG) & ~0xffu) | hc->max_slots);
	wr64(hc->op, XHCI_DCBAAP, bus);
	return 0;
}

static int rings_init(struct hc *hc)
{
	uint64_t cbus, ebus, erst_bus;
	struct xhci_trb *ctrbs = hc_page(hc, &cbus), *etrbs = hc_page(hc, &ebus);
	uint8_t *erst = hc_page(hc, &erst_bus);
	if (!ctrbs || !etrbs || !erst)
		return -E_NOMEM;
	int r = xhci_ring_init(&hc->cmd, ctrbs, cbus, HC_RING_TRBS);
	if (!r)
		r = xhci_evring_init(&hc->ev, etrbs, ebus, HC_RING_TRBS);
	if (r < 0)
		return r;
	wr64(hc->op, XHCI_CRCR, cbus | XHCI_CRCR_RCS);
	/* interrupter 0 (§4.9.4): ERSTSZ, ERDP, then ERSTBA, which starts the event ring */
	xhci_erst_entry(erst, ebus, HC_RING_TRBS);
	wr(hc->rt, XHCI_ERSTSZ, (rd(hc->rt, XHCI_ERSTSZ) & ~0xffffu) | 1);
	wr64(hc->rt, XHCI_ERDP, ebus);
	wr64(hc->rt, XHCI_ERSTBA, erst_bus);
	wr(hc->rt, XHCI_IMOD, 4000); /* at most one interrupt per ms (250 ns units) */
	wr(hc->rt, XHCI_IMAN, XHCI_IMAN_IE | XHCI_IMAN_IP);
	return 0;
}

int hc_start(struct hc *hc, struct drv_dev *d)
{
	hc->d = d;
	int r = map_regs(hc);
	if (r < 0)
		return r;
	int e = drv_pci_enable(d);
	if (e < 0) {
		drv_log(d, "enable: %s", err_name(e));
		return e;
	}
	bios_handoff(hc);
	if ((r = reset(hc)) < 0)
		return r;
	if ((r = dcbaa_init(hc)) < 0 || (r = rings_init(hc)) < 0)
		return r;
	drv_irq_setup(d, 1, &hc->irq);
	wr(hc->op, XHCI_USBCMD, XHCI_CMD_RS | XHCI_CMD_INTE);
	r = wait_reg(hc->op, XHCI_USBSTS, XHCI_STS_HCH, 0, HALT_NS);
	if (r < 0) {
		drv_log(d, "controller did not start (USBSTS %#x): %s", rd(hc->op, XHCI_USBSTS),
			err_name(r));
		return r;
	}
	/* a No-Op through the command ring proves rings, doorbell and events work */
	struct xhci_trb t;
	struct xhci_event ev;
	xhci_trb_noop_cmd(&t);
	if ((r = hc_command(hc, &t, &ev)) < 0)
		return r;
	return 0;
}

/* A transfer event on a device's control endpoint. */
static void ctl_event(struct hc_dev *dev, const struct xhci_event *ev)
{
	xhci_ring_done(&dev->ep0, ev->ptr);
	if (ev->ptr == dev->ctl_data) {
		dev->ctl_residue = ev->length;
		if (ev->code == XHCI_CC_SUCCESS || ev->code == XHCI_CC_SHORT_PACKET)
			return; /* the status stage's event ends it */
	} else if (ev->ptr != dev->ctl_status && ev->code == XHCI_CC_SUCCESS) {
		return; /* the Setup TRB has no IOC; nothing else is ours */
	}
	dev->ctl_code = ev->code;
	dev->ctl_done = true;
}

static void dispatch(struct hc *hc, const struct xhci_event *ev)
{
	switch (ev->type) {
	case XHCI_TRB_COMMAND_COMPLETION:
		xhci_ring_done(&hc->cmd, ev->ptr);
		if (ev->ptr == hc->cmd_trb) {
			hc->cmd_ev = *ev;
			hc->cmd_done = true;
		}
		break;
	case XHCI_TRB_TRANSFER_EVENT: {
		if (ev->slot == 0 || ev->slot > hc->max_slots || !hc->devs[ev->slot].used)
			break; /* a slot we gave up: its last events */
		struct hc_dev *dev = &hc->devs[ev->slot];
		if (ev->ep == 1)
			ctl_event(dev, ev);
		else if (dev->kbd && ev->ep == dev->intr_dci)
			kbd_event(hc, dev, ev);
		break;
	}
	case XHCI_TRB_PORT_STATUS_CHANGE:
		if (ev->port >= 1 && ev->port <= hc->max_ports)
			hc->port_pending |= 1ull << (ev->port - 1);
		break;
	case XHCI_TRB_HOST_CONTROLLER:
		drv_log(hc->d, "host controller event, code %u", ev->code);
		break;
	}
}

void hc_events(struct hc *hc)
{
	uint32_t sts = rd(hc->op, XHCI_USBSTS);
	if (sts == 0xffffffffu || (sts & (XHCI_STS_HSE | XHCI_STS_HCE))) {
		if (!hc->dead)
			drv_log(hc->d, "controller error (USBSTS %#x)", sts);
		hc->dead = true;
		return;
	}
	/* acknowledge first (§4.17.2): an event posted while we drain raises a new interrupt */
	wr(hc->op, XHCI_USBSTS, XHCI_STS_EINT);
	wr(hc->rt, XHCI_IMAN, XHCI_IMAN_IE | XHCI_IMAN_IP);
	struct xhci_trb t;
	bool any = false;
	for (unsigned i = 0; i < HC_RING_TRBS && xhci_evring_pop(&hc->ev, &t); i++) {
		struct xhci_event ev;
		xhci_event_decode(&t, &ev);
		hc->events++;
		any = true;
		dispatch(hc, &ev);
	}
	if (any)
		wr64(hc->rt, XHCI_ERDP, xhci_evring_erdp(&hc->ev));
}

void hc_wait_events(struct hc *hc, int64_t timeout_ns)
{
	drv_irq_wait(&hc->irq, 0, timeout_ns);
	hc_events(hc);
	drv_irq_ack(&hc->irq, 0);
}

/* Wait for *flag, taking events, for at most ns. */
static int wait_flag(struct hc *hc, const bool *flag, uint64_t ns)
{
	uint64_t limit = rb_now_ns() + ns;
	hc_events(hc);
	while (!*flag) {
		if (hc->dead)
			return -E_IO;
		if (rb_now_ns() > limit)
			return -E_TIMEDOUT;
		hc_wait_events(hc, WAIT_SLICE_NS);
	}
	return 0;
}

int hc_command(struct hc *hc, const struct xhci_trb *t, struct xhci_event *ev)
{
	int r = xhci_ring_push(&hc->cmd, t, &hc->cmd_trb);
	if (r < 0)
		return r;
	hc->cmd_done = false;
	hc_doorbell(hc, 0, 0);
	if ((r = wait_flag(hc, &hc->cmd_done, CMD_NS)) < 0) {
		if (!hc->dead)
			drv_log(hc->d, "command %u: no completion event (USBSTS %#x)",
				xhci_trb_type(t), rd(hc->op, XHCI_USBSTS));
		hc->dead = true; /* the command ring is stuck: nothing more can be done */
		return r;
	}
	*ev = hc->cmd_ev;
	return ev->code == XHCI_CC_SUCCESS ? 0 : -E_IO;
}

int hc_control(struct hc *hc, struct hc_dev *dev, const struct usb_setup *s, uint32_t *got,
	       unsigned *code)
{
	struct xhci_trb setup, data, status;
	bool in = s->type & 0x80;
	*got = 0;
	*code = 0;
	if (s->length > HC_REPORT_OFF || xhci_ring_room(&dev->ep0) < 3)
		return -E_INVAL;
	xhci_trb_setup(&setup, s);
	xhci_trb_status(&status, !(in && s->length)); /* §4.11.2.2: opposite to the data stage */
	dev->ctl_done = false;
	dev->ctl_data = dev->ctl_status = 0;
	dev->ctl_residue = 0;
	int r = xhci_ring_push(&dev->ep0, &setup, NULL);
	if (!r && s->length) {
		xhci_trb_data(&data, dev->buf_bus, s->length, in);
		r = xhci_ring_push(&dev->ep0, &data, &dev->ctl_data);
	}
	if (!r)
		r = xhci_ring_push(&dev->ep0, &status, &dev->ctl_status);
	if (r < 0)
		return r;
	hc_doorbell(hc, dev->slot, 1);
	if ((r = wait_flag(hc, &dev->ctl_done, CTL_NS)) < 0)
		return r;
	*code = dev->ctl_code;
	if (dev->ctl_code != XHCI_CC_SUCCESS)
		return -E_IO;
	*got = s->length - (dev->ctl_residue < s->length ? dev->ctl_residue : s->length);
	return 0;
}

int hc_intr_queue(struct hc *hc, struct hc_dev *dev)
{
	struct xhci_trb t;
	xhci_trb_normal(&t, dev->buf_bus + HC_REPORT_OFF, dev->intr_len);
	int r = xhci_ring_push(&dev->intr, &t, &dev->intr_trb);
	if (r < 0)
		return r;
	hc_doorbell(hc, dev->slot, dev->intr_dci);
	return 0;
}
