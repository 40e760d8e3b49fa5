/*
 * usb/xhci.h - xHCI 1.2 data structures, pure: register offsets and bits
 * (§5), TRBs and their builders (§6.4), a producer ring with its Link TRB
 * and cycle bit (§4.9.2), the event ring consumer (§4.9.4), the ERST entry
 * (§6.5), input/slot/endpoint contexts at 32 or 64 bytes (HCCPARAMS1.CSZ,
 * §6.2), PORTSC fields (§5.4.8), extended capability walking (§7) and the
 * speed-dependent defaults (default control max packet size, §4.3; the
 * interrupt endpoint Interval, §6.2.3.6). No hardware access: user/xhcid
 * maps the registers and the DMA pages and calls these on them;
 * tests/host/test_usb_xhci.c calls them on plain buffers.
 *
 * Byte order: TRBs and contexts are little-endian; the builders store
 * bytes, so they are right on any host. A TRB is 16 bytes; its cycle bit
 * (bit 0 of the last dword) is written last by xhci_ring_push, after a
 * release fence, so the controller never sees a half-written TRB.
 *
 * Locking: none. The caller owns every ring and buffer and serialises the
 * calls (xhcid is one thread).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

/* Capability registers (§5.3), offsets from BAR0. */
#define XHCI_CAPLENGTH 0x00 /* byte; HCIVERSION is the word at 0x02 */
#define XHCI_HCSPARAMS1 0x04
#define XHCI_HCSPARAMS2 0x08
#define XHCI_HCCPARAMS1 0x10
#define XHCI_DBOFF 0x14
#define XHCI_RTSOFF 0x18

/* Operational registers (§5.4), offsets from CAPLENGTH. */
#define XHCI_USBCMD 0x00
#define XHCI_USBSTS 0x04
#define XHCI_PAGESIZE 0x08
#define XHCI_CRCR 0x18
#define XHCI_DCBAAP 0x30
#define XHCI_CONFIG 0x38
#define XHCI_PORTSC(n) (0x400u + 0x10u * ((n)-1u)) /* n = 1..MaxPorts */

#define XHCI_CMD_RS (1u << 0)
#define XHCI_CMD_HCRST (1u << 1)
#define XHCI_CMD_INTE (1u << 2)
#define XHCI_STS_HCH (1u << 0)
#define XHCI_STS_HSE (1u << 2)
#define XHCI_STS_EINT (1u << 3)
#define XHCI_STS_PCD (1u << 4)
#define XHCI_STS_CNR (1u << 11)
#define XHCI_STS_HCE (1u << 12)
#define XHCI_CRCR_RCS 1u

/* Interrupter 0's registers (§5.5.2), offsets from RTSOFF. */
#define XHCI_IMAN 0x20
#define XHCI_IMOD 0x24
#define XHCI_ERSTSZ 0x28
#define XHCI_ERSTBA 0x30
#define XHCI_ERDP 0x38
#define XHCI_IMAN_IP (1u << 0)
#define XHCI_IMAN_IE (1u << 1)
#define XHCI_ERDP_EHB (1u << 3)

/* PORTSC (§5.4.8). */
#define XHCI_PORT_CCS (1u << 0)
#define XHCI_PORT_PED (1u << 1)
#define XHCI_PORT_OCA (1u << 3)
#define XHCI_PORT_PR (1u << 4)
#define XHCI_PORT_PP (1u << 9)
#define XHCI_PORT_LWS (1u << 16)
#define XHCI_PORT_CSC (1u << 17)
#define XHCI_PORT_PEC (1u << 18)
#define XHCI_PORT_WRC (1u << 19)
#define XHCI_PORT_OCC (1u << 20)
#define XHCI_PORT_PRC (1u << 21)
#define XHCI_PORT_PLC (1u << 22)
#define XHCI_PORT_CEC (1u << 23)
#define XHCI_PORT_CHANGES 0x00fe0000u /* CSC..CEC, all RW1C */
#define XHCI_PORT_WPR (1u << 31)

/* Port speed IDs (§7.2.2.1.1, the defaults every controller uses). */
#define XHCI_SPEED_FULL 1
#define XHCI_SPEED_LOW 2
#define XHCI_SPEED_HIGH 3
#define XHCI_SPEED_SUPER 4
#define XHCI_SPEED_SUPER_PLUS 5

/* Extended capability IDs (§7). */
#define XHCI_XCAP_LEGACY 1
#define XHCI_XCAP_PROTOCOL 2
#define XHCI_LEGSUP_BIOS (1u << 16) /* HC BIOS Owned Semaphore */
#define XHCI_LEGSUP_OS (1u << 24)   /* HC OS Owned Semaphore */

/* TRB types (§6.4.6). */
#define XHCI_TRB_NORMAL 1
#define XHCI_TRB_SETUP 2
#define XHCI_TRB_DATA 3
#define XHCI_TRB_STATUS 4
#define XHCI_TRB_LINK 6
#define XHCI_TRB_ENABLE_SLOT 9
#define XHCI_TRB_DISABLE_SLOT 10
#define XHCI_TRB_ADDRESS_DEVICE 11
#define XHCI_TRB_CONFIGURE_EP 12
#define XHCI_TRB_EVALUATE_CTX 13
#define XHCI_TRB_NOOP_CMD 23
#define XHCI_TRB_TRANSFER_EVENT 32
#define XHCI_TRB_COMMAND_COMPLETION 33
#define XHCI_TRB_PORT_STATUS_CHANGE 34
#define XHCI_TRB_HOST_CONTROLLER 37

/* TRB control-dword bits. */
#define XHCI_TRB_CYCLE (1u << 0)
#define XHCI_TRB_TC (1u << 1)  /* Link: toggle cycle */
#define XHCI_TRB_ISP (1u << 2) /* interrupt on short packet */
#define XHCI_TRB_CH (1u << 4)  /* chain */
#define XHCI_TRB_IOC (1u << 5) /* interrupt on completion */
#define XHCI_TRB_IDT (1u << 6) /* immediate data (Setup) */
#define XHCI_TRB_DIR_IN (1u << 16)

/* Completion codes (§6.4.5). */
#define XHCI_CC_SUCCESS 1
#define XHCI_CC_DATA_BUFFER 2
#define XHCI_CC_BABBLE 3
#define XHCI_CC_TRANSACTION 4
#define XHCI_CC_TRB 5
#define XHCI_CC_STALL 6
#define XHCI_CC_SHORT_PACKET 13

/* Endpoint types (§6.2.3, Table 6-9). */
#define XHCI_EP_CONTROL 4
#define XHCI_EP_INTR_IN 7

#define XHCI_TRB_SIZE 16u
#define XHCI_ERST_ENTRY_SIZE 16u

/* One TRB: four little-endian dwords as the controller reads them. */
struct xhci_trb {
	uint32_t d[4];
};

/* A producer ring (command or transfer): n TRBs, the last one a Link back
   to the start. enq is the next TRB to write, cycle the producer cycle
   state; deq (advanced by xhci_ring_done from completion events) bounds
   how far enq may go. */
struct xhci_ring {
	struct xhci_trb *trbs;
	uint64_t bus; /* bus address of trbs[0] */
	unsigned n;   /* TRBs, the Link included; >= 3 */
	unsigned enq, deq;
	bool cycle;
};

/* The consumer side of a one-segment event ring. */
struct xhci_evring {
	const struct xhci_trb *trbs;
	uint64_t bus;
	unsigned n;
	unsigned deq;
	bool cycle; /* consumer cycle state: starts 1 */
};

/* A decoded event TRB (§6.4.2). */
struct xhci_event {
	unsigned type;	 /* XHCI_TRB_TRANSFER_EVENT, ... */
	unsigned code;	 /* completion code */
	uint64_t ptr;	 /* the TRB it is about (transfer, command) */
	uint32_t length; /* transfer event: bytes NOT transferred */
	unsigned slot;	 /* slot id (transfer, command) */
	unsigned ep;	 /* transfer event: endpoint DCI */
	unsigned port;	 /* port status change: port id */
};

/* Setup packet of a control request (USB 2.0 §9.3). */
struct usb_setup {
	uint8_t type, request;
	uint16_t value, index, length;
};

/* --- TRB builders: the cycle bit is left 0, xhci_ring_push sets it --- */
/* Normal TRB: len bytes at buf, interrupt on completion and on a short packet. */
void xhci_trb_normal(struct xhci_trb *t, uint64_t buf, uint32_t len);
/* Setup Stage TRB carrying s as immediate data; TRT from s's direction and length. */
void xhci_trb_setup(struct xhci_trb *t, const struct usb_setup *s);
/* Data Stage TRB: len bytes at buf, in or out; IOC and ISP for the residue. */
void xhci_trb_data(struct xhci_trb *t, uint64_t buf, uint32_t len, bool in);
/* Status Stage TRB with IOC; in is the status stage's direction. */
void xhci_trb_status(struct xhci_trb *t, bool in);
/* Link TRB to seg; toggle: flip the cycle state when following it. */
void xhci_trb_link(struct xhci_trb *t, uint64_t seg, bool toggle);
/* Commands (§6.4.3). */
void xhci_trb_noop_cmd(struct xhci_trb *t);
void xhci_trb_enable_slot(struct xhci_trb *t);
void xhci_trb_disable_slot(struct xhci_trb *t, unsigned slot);
void xhci_trb_address_device(struct xhci_trb *t, uint64_t input_ctx, unsigned slot, bool bsr);
void xhci_trb_configure_ep(struct xhci_trb *t, uint64_t input_ctx, unsigned slot);
void xhci_trb_evaluate_ctx(struct xhci_trb *t, uint64_t input_ctx, unsigned slot);
/* A TRB's type field. */
unsigned xhci_trb_type(const struct xhci_trb *t);

/* --- rings --- */
/* Make trbs[0..n) (zeroed by the caller, at bus) a ring: Link at n-1, cycle 1. */
MUST_CHECK int xhci_ring_init(struct xhci_ring *r, struct xhci_trb *trbs, uint64_t bus, unsigned n);
/* TRBs that may still be pushed before enq would reach deq. */
unsigned xhci_ring_room(const struct xhci_ring *r);
/* Copy t in at enq with the producer cycle bit written last; follow the Link
   (its cycle bit handed over, the state toggled) when enq reaches it. *at
   gets t's bus address. 0, or -E_NOSPC when the ring is full. */
MUST_CHECK int xhci_ring_push(struct xhci_ring *r, const struct xhci_trb *t, uint64_t *at);
/* The controller finished the TRB at bus address at: everything up to it is free.
   0, or -E_INVAL when at is not a TRB of this ring in flight (nothing changes). */
int xhci_ring_done(struct xhci_ring *r, uint64_t at);
/* The dequeue pointer with DCS for an endpoint context or CRCR (enq, cycle). */
uint64_t xhci_ring_deq_ptr(const struct xhci_ring *r);

/* Consumer of trbs[0..n) at bus (zeroed by the caller): deq 0, cycle 1. */
MUST_CHECK int xhci_evring_init(struct xhci_evring *e, const struct xhci_trb *trbs, uint64_t bus,
				unsigned n);
/* The next event if the controller has written it (its cycle bit matches): true and *out. */
bool xhci_evring_pop(struct xhci_evring *e, struct xhci_trb *out);
/* What to write to ERDP after popping: the dequeue pointer, EHB set to clear it. */
uint64_t xhci_evring_erdp(const struct xhci_evring *e);
/* The ERST entry for one segment of n TRBs at seg. */
void xhci_erst_entry(uint8_t out[XHCI_ERST_ENTRY_SIZE], uint64_t seg, unsigned n);
/* Decode an event TRB. */
void xhci_event_decode(const struct xhci_trb *t, struct xhci_event *out);

/* --- contexts (§6.2): csz is 32 or 64 (HCCPARAMS1.CSZ) --- */
/* Context size from HCCPARAMS1. */
unsigned xhci_ctx_size(uint32_t hccparams1);
/* Bytes of an input context (control + slot + 31 endpoints), of a device context. */
size_t xhci_input_ctx_len(unsigned csz);
size_t xhci_dev_ctx_len(unsigned csz);
/* Offsets within an input context: the slot context, endpoint context dci (1..31). */
size_t xhci_in_slot_off(unsigned csz);
size_t xhci_in_ep_off(unsigned csz, unsigned dci);
/* Offset of endpoint dci in an output device context (the slot is at 0). */
size_t xhci_dev_ep_off(unsigned csz, unsigned dci);
/* Input control context: add and drop flags (bit i: context i; A0 the slot). */
void xhci_input_ctl(uint8_t *in, uint32_t add, uint32_t drop);
/* Slot context for a root-hub device: speed, last valid DCI, root port (1-based). */
void xhci_slot_ctx(uint8_t *slot, unsigned speed, unsigned entries, unsigned port);
/* An endpoint context's fields (§6.2.3). */
struct xhci_ep {
	unsigned type;	   /* XHCI_EP_* */
	unsigned mps;	   /* max packet size */
	unsigned interval; /* the encoded Interval (0 for control) */
	uint64_t deq;	   /* TR dequeue pointer with DCS in bit 0 */
	unsigned avg_trb;  /* average TRB length */
	unsigned esit;	   /* max ESIT payload (periodic endpoints) */
};
void xhci_ep_ctx(uint8_t *ep, const struct xhci_ep *e);
/* Slot state (§6.2.2: 0 disabled/enabled, 1 default, 2 addressed, 3 configured),
   USB address from an output slot context. */
unsigned xhci_slot_state(const uint8_t *slot);
unsigned xhci_slot_address(const uint8_t *slot);
/* Endpoint state (§6.2.3: 0 disabled, 1 running, 2 halted, 3 stopped, 4 error). */
unsigned xhci_ep_state(const uint8_t *ep);
/* Device Context Index of endpoint address addr (bit 7: IN); EP0 is 1. */
unsigned xhci_dci(uint8_t addr);

/* --- ports, speeds --- */
/* PORTSC with the bits a write must not echo cleared (PED, PR, LWS, WPR,
   the RW1C changes): the base for any write. */
uint32_t xhci_port_neutral(uint32_t portsc);
/* PORTSC's speed ID. */
unsigned xhci_port_speed(uint32_t portsc);
/* "full-speed" etc. for a speed ID. */
const char *xhci_speed_name(unsigned speed);
/* Default max packet size of the control endpoint for a speed: 8, 64, 512, 0 if unknown. */
unsigned xhci_speed_mps0(unsigned speed);
/* The endpoint context's Interval for an interrupt endpoint's bInterval at speed. */
unsigned xhci_intr_interval(unsigned speed, uint8_t binterval);
/* bMaxPacketSize0 to bytes: for SuperSpeed 2^v, else v itself (0 if invalid). */
unsigned xhci_mps0_bytes(unsigned speed, uint8_t v);

/* --- extended capabilities --- */
/* ID and next (in dwords, 0: the last) of an extended capability's first dword. */
static inline unsigned xhci_xcap_id(uint32_t v)
{
	return v & 0xff;
}
static inline unsigned xhci_xcap_next(uint32_t v)
{
	return (v >> 8) & 0xff;
}
/* Supported Protocol capability (§7.2): major revision, first port, count. */
void xhci_proto_parse(uint32_t dw0, uint32_t dw2, unsigned *major, unsigned *first,
		      unsigned *count);
/* Scratchpad buffers HCSPARAMS2 asks for. */
unsigned xhci_scratchpads(uint32_t hcsparams2);
