/*
 * xhci.c - xHCI 1.2 TRBs, rings, contexts and port fields, pure (xhci.h).
 * Section numbers are the xHCI 1.2 specification's.
 *
 * Locking: none; the caller owns the rings and buffers.
 */
#include "usb/xhci.h"
#include "base/err.h"

static void st32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void trb_set(struct xhci_trb *t, uint64_t param, uint32_t status, uint32_t ctl)
{
	t->d[0] = (uint32_t)param;
	t->d[1] = (uint32_t)(param >> 32);
	t->d[2] = status;
	t->d[3] = ctl;
}

static uint32_t type_bits(unsigned type)
{
	return (uint32_t)type << 10;
}

void xhci_trb_normal(struct xhci_trb *t, uint64_t buf, uint32_t len)
{
	trb_set(t, buf, len & 0x1ffff, type_bits(XHCI_TRB_NORMAL) | XHCI_TRB_IOC | XHCI_TRB_ISP);
}

void xhci_trb_setup(struct xhci_trb *t, const struct usb_setup *s)
{
	uint64_t param = (uint64_t)s->type | (uint64_t)s->request << 8 | (uint64_t)s->value << 16 |
			 (uint64_t)s->index << 32 | (uint64_t)s->length << 48;
	uint32_t trt = 0; /* §6.4.1.2.1: 0 no data stage, 2 OUT data, 3 IN data */
	if (s->length)
		trt = (s->type & 0x80) ? 3 : 2;
	trb_set(t, param, 8, type_bits(XHCI_TRB_SETUP) | XHCI_TRB_IDT | trt << 16);
}

void xhci_trb_data(struct xhci_trb *t, uint64_t buf, uint32_t len, bool in)
{
	trb_set(t, buf, len & 0x1ffff,
		type_bits(XHCI_TRB_DATA) | XHCI_TRB_IOC | XHCI_TRB_ISP |
		    (in ? XHCI_TRB_DIR_IN : 0));
}

void xhci_trb_status(struct xhci_trb *t, bool in)
{
	trb_set(t, 0, 0, type_bits(XHCI_TRB_STATUS) | XHCI_TRB_IOC | (in ? XHCI_TRB_DIR_IN : 0));
}

void xhci_trb_link(struct xhci_trb *t, uint64_t seg, bool toggle)
{
	trb_set(t, seg & ~(uint64_t)0xf, 0, type_bits(XHCI_TRB_LINK) | (toggle ? XHCI_TRB_TC : 0));
}

void xhci_trb_noop_cmd(struct xhci_trb *t)
{
	trb_set(t, 0, 0, type_bits(XHCI_TRB_NOOP_CMD));
}

void xhci_trb_enable_slot(struct xhci_trb *t)
{
	trb_set(t, 0, 0, type_bits(XHCI_TRB_ENABLE_SLOT)); /* slot type 0: USB */
}

void xhci_trb_disable_slot(struct xhci_trb *t, unsigned slot)
{
	trb_set(t, 0, 0, type_bits(XHCI_TRB_DISABLE_SLOT) | (uint32_t)(slot & 0xff) << 24);
}

void xhci_trb_address_device(struct xhci_trb *t, uint64_t input_ctx, unsigned slot, bool bsr)
{
	trb_set(t, input_ctx & ~(uint64_t)0xf, 0,
		type_bits(XHCI_TRB_ADDRESS_DEVICE) | (bsr ? 1u << 9 : 0) |
		    (uint32_t)(slot & 0xff) << 24);
}

void xhci_trb_configure_ep(struct xhci_trb *t, uint64_t input_ctx, unsigned slot)
{
	trb_set(t, input_ctx & ~(uint64_t)0xf, 0,
		type_bits(XHCI_TRB_CONFIGURE_EP) | (uint32_t)(slot & 0xff) << 24);
}

void xhci_trb_evaluate_ctx(struct xhci_trb *t, uint64_t input_ctx, unsigned slot)
{
	trb_set(t, input_ctx & ~(uint64_t)0xf, 0,
		type_bits(XHCI_TRB_EVALUATE_CTX) | (uint32_t)(slot & 0xff) << 24);
}

unsigned xhci_trb_type(const struct xhci_trb *t)
{
	return (t->d[3] >> 10) & 0x3f;
}

int xhci_ring_init(struct xhci_ring *r, struct xhci_trb *trbs, uint64_t bus, unsigned n)
{
	if (n < 3 || (bus & 0xf))
		return -E_INVAL;
	*r = (struct xhci_ring){.trbs = trbs, .bus = bus, .n = n, .cycle = true};
	xhci_trb_link(&trbs[n - 1], bus, true); /* cycle 0: not the controller's until reached */
	return 0;
}

unsigned xhci_ring_room(const struct xhci_ring *r)
{
	/* usable slots are the n-1 non-Link TRBs; one stays empty so full != empty */
	unsigned used = r->enq >= r->deq ? r->enq - r->deq : r->enq + (r->n - 1) - r->deq;
	return (r->n - 1) - 1 - used;
}

/* Store the control dword last, after the rest is visible (§4.9.2.2). */
static void trb_publish(struct xhci_trb *dst, const struct xhci_trb *src, uint32_t ctl)
{
	dst->d[0] = src->d[0];
	dst->d[1] = src->d[1];
	dst->d[2] = src->d[2];
	__atomic_store_n(&dst->d[3], ctl, __ATOMIC_RELEASE);
}

int xhci_ring_push(struct xhci_ring *r, const struct xhci_trb *t, uint64_t *at)
{
	if (!xhci_ring_room(r))
		return -E_NOSPC;
	uint32_t ctl = (t->d[3] & ~XHCI_TRB_CYCLE) | (r->cycle ? XHCI_TRB_CYCLE : 0);
	trb_publish(&r->trbs[r->enq], t, ctl);
	if (at)
		*at = r->bus + (uint64_t)r->enq * XHCI_TRB_SIZE;
	if (++r->enq == r->n - 1) {
		/* hand the Link over with the current cycle, then toggle (§4.11.5.1) */
		struct xhci_trb *link = &r->trbs[r->n - 1];
		uint32_t lctl = (link->d[3] & ~XHCI_TRB_CYCLE) | (r->cycle ? XHCI_TRB_CYCLE : 0);
		__atomic_store_n(&link->d[3], lctl, __ATOMIC_RELEASE);
		r->enq = 0;
		r->cycle = !r->cycle;
	}
	return 0;
}

int xhci_ring_done(struct xhci_ring *r, uint64_t at)
{
	if (at < r->bus || ((at - r->bus) & 0xf))
		return -E_INVAL;
	uint64_t i = (at - r->bus) / XHCI_TRB_SIZE;
	if (i >= r->n - 1)
		return -E_INVAL;
	/* the TRB must be one we pushed and not yet freed: within [deq, enq) */
	unsigned used = r->enq >= r->deq ? r->enq - r->deq : r->enq + (r->n - 1) - r->deq;
	unsigned dist =
	    (unsigned)i >= r->deq ? (unsigned)i - r->deq : (unsigned)i + (r->n - 1) - r->deq;
	if (dist >= used)
		return -E_INVAL;
	r->deq = (unsigned)(i + 1) % (r->n - 1);
	return 0;
}

uint64_t xhci_ring_deq_ptr(const struct xhci_ring *r)
{
	return (r->bus + (uint64_t)r->enq * XHCI_TRB_SIZE) | (r->cycle ? 1u : 0u);
}

int xhci_evring_init(struct xhci_evring *e, const struct xhci_trb *trbs, uint64_t bus, unsigned n)
{
	if (n < 16 || n > 4096 || (bus & 0x3f))
		return -E_INVAL; /* §6.5: 16 to 4096 TRBs, 64-byte aligned */
	*e = (struct xhci_evring){.trbs = trbs, .bus = bus, .n = n, .cycle = true};
	return 0;
}

bool xhci_evring_pop(struct xhci_evring *e, struct xhci_trb *out)
{
	const struct xhci_trb *t = &e->trbs[e->deq];
	uint32_t ctl = __atomic_load_n(&t->d[3], __ATOMIC_ACQUIRE);
	if (((ctl & XHCI_TRB_CYCLE) != 0) != e->cycle)
		return false;
	out->d[0] = t->d[0];
	out->d[1] = t->d[1];
	out->d[2] = t->d[2];
	out->d[3] = ctl;
	if (++e->deq == e->n) {
		e->deq = 0;
		e->cycle = !e->cycle;
	}
	return true;
}

uint64_t xhci_evring_erdp(const struct xhci_evring *e)
{
	return (e->bus + (uint64_t)e->deq * XHCI_TRB_SIZE) | XHCI_ERDP_EHB;
}

void xhci_erst_entry(uint8_t out[XHCI_ERST_ENTRY_SIZE], uint64_t seg, unsigned n)
{
	st32(out, (uint32_t)seg);
	st32(out + 4, (uint32_t)(seg >> 32));
	st32(out + 8, n & 0xffff);
	st32(out + 12, 0);
}

void xhci_event_decode(const struct xhci_trb *t, struct xhci_event *out)
{
	*out = (struct xhci_event){
	    .type = xhci_trb_type(t),
	    .code = t->d[2] >> 24,
	    .ptr = (uint64_t)t->d[0] | (uint64_t)t->d[1] << 32,
	    .length = t->d[2] & 0xffffff,
	    .slot = t->d[3] >> 24,
	    .ep = (t->d[3] >> 16) & 0x1f,
	    .port = t->d[0] >> 24,
	};
}

unsigned xhci_ctx_size(uint32_t hccparams1)
{
	return (hccparams1 & (1u << 2)) ? 64 : 32;
}

size_t xhci_input_ctx_len(unsigned csz)
{
	return (size_t)csz * 33;
}

size_t xhci_dev_ctx_len(unsigned csz)
{
	return (size_t)csz * 32;
}

size_t xhci_in_slot_off(unsigned csz)
{
	return csz;
}

size_t xhci_in_ep_off(unsigned csz, unsigned dci)
{
	return (size_t)csz * (1 + dci);
}

size_t xhci_dev_ep_off(unsigned csz, unsigned dci)
{
	return (size_t)csz * dci;
}

void xhci_input_ctl(uint8_t *in, uint32_t add, uint32_t drop)
{
	st32(in, drop);
	st32(in + 4, add);
}

void xhci_slot_ctx(uint8_t *slot, unsigned speed, unsigned entries, unsigned port)
{
	/* route string 0 (a root-hub port), speed, Context Entries (§6.2.2) */
	st32(slot, (uint32_t)(speed & 0xf) << 20 | (uint32_t)(entries & 0x1f) << 27);
	st32(slot + 4, (uint32_t)(port & 0xff) << 16); /* Root Hub Port Number */
	st32(slot + 8, 0);			       /* interrupter 0, no TT */
	st32(slot + 12, 0);
}

void xhci_ep_ctx(uint8_t *ep, const struct xhci_ep *e)
{
	st32(ep, (uint32_t)(e->interval & 0xff) << 16 | ((e->esit >> 16) & 0xffu) << 24);
	/* CErr 3: retry a failed transaction three times (§4.10.2.7) */
	st32(ep + 4, 3u << 1 | (uint32_t)(e->type & 7) << 3 | (uint32_t)(e->mps & 0xffff) << 16);
	st32(ep + 8, (uint32_t)e->deq);
	st32(ep + 12, (uint32_t)(e->deq >> 32));
	st32(ep + 16, (e->avg_trb & 0xffff) | (e->esit & 0xffff) << 16);
}

unsigned xhci_slot_state(const uint8_t *slot)
{
	return ld32(slot + 12) >> 27;
}

unsigned xhci_slot_address(const uint8_t *slot)
{
	return ld32(slot + 12) & 0xff;
}

unsigned xhci_ep_state(const uint8_t *ep)
{
	return ld32(ep) & 7;
}

unsigned xhci_dci(uint8_t addr)
{
	unsigned num = addr & 0xf;
	if (num == 0)
		return 1;
	return num * 2 + ((addr & 0x80) ? 1 : 0);
}

uint32_t xhci_port_neutral(uint32_t portsc)
{
	return portsc &
	       ~(XHCI_PORT_PED | XHCI_PORT_PR | XHCI_PORT_LWS | XHCI_PORT_WPR | XHCI_PORT_CHANGES);
}

unsigned xhci_port_speed(uint32_t portsc)
{
	return (portsc >> 10) & 0xf;
}

const char *xhci_speed_name(unsigned speed)
{
	switch (speed) {
	case XHCI_SPEED_FULL:
		return "full-speed";
	case XHCI_SPEED_LOW:
		return "low-speed";
	case XHCI_SPEED_HIGH:
		return "high-speed";
	case XHCI_SPEED_SUPER:
		return "SuperSpeed";
	case XHCI_SPEED_SUPER_PLUS:
		return "SuperSpeedPlus";
	}
	return "unknown speed";
}

unsigned xhci_speed_mps0(unsigned speed)
{
	switch (speed) {
	case XHCI_SPEED_FULL:
	case XHCI_SPEED_LOW:
		return 8; /* full speed may be 8-64: read 8 bytes, then Evaluate Context */
	case XHCI_SPEED_HIGH:
		return 64;
	case XHCI_SPEED_SUPER:
	case XHCI_SPEED_SUPER_PLUS:
		return 512;
	}
	return 0;
}

unsigned xhci_intr_interval(unsigned speed, uint8_t binterval)
{
	if (speed == XHCI_SPEED_FULL || speed == XHCI_SPEED_LOW) {
		/* bInterval in frames (1-255 ms); Interval is 2^n x 125 us: the
		   largest n with 2^n <= 8 x bInterval, within 3..10 (§6.2.3.6) */
		unsigned uframes = (binterval ? binterval : 1) * 8u;
		unsigned n = 0;
		while ((2u << n) <= uframes)
			n++;
		return n < 3 ? 3 : n > 10 ? 10 : n;
	}
	/* high speed and above: 2^(bInterval-1) microframes, bInterval 1-16 */
	unsigned b = binterval < 1 ? 1 : binterval > 16 ? 16 : binterval;
	return b - 1;
}

unsigned xhci_mps0_bytes(unsigned speed, uint8_t v)
{
	if (speed == XHCI_SPEED_SUPER || speed == XHCI_SPEED_SUPER_PLUS)
		return v == 9 ? 512 : 0;
	if (v == 8 || v == 16 || v == 32 || v == 64)
		return speed == XHCI_SPEED_LOW && v != 8 ? 0 : v;
	return 0;
}

void xhci_proto_parse(uint32_t dw0, uint32_t dw2, unsigned *major, unsigned *first, unsigned *count)
{
	*major = dw0 >> 24;
	*first = dw2 & 0xff;
	*count = (dw2 >> 8) & 0xff;
}

unsigned xhci_scratchpads(uint32_t hcsparams2)
{
	return ((hcsparams2 >> 21) & 0x1f) << 5 | (hcsparams2 >> 27);
}
