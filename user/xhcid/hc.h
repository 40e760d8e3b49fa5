/*
 * hc.h - xhcid's controller side: bring-up, the command ring, control and
 * interrupt transfers on a device slot, the event ring (hc.c); the ports,
 * enumeration and keyboards are main.c's.
 *
 * Locking: none. xhcid is one thread: bring-up, enumeration, the event
 * loop and the SIGTERM handler's halt (registers only) all run on it.
 * struct hc and every struct hc_dev are owned by main.c's one hc.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "kbd/kbd.h"
#include "rb/drv.h"
#include "usb/desc.h"
#include "usb/hid.h"
#include "usb/xhci.h"

#define HC_SLOTS 16	   /* device slots we enable at most (MaxSlotsEn) */
#define HC_PORTS 64	   /* root-hub ports we look at at most */
#define HC_RING_TRBS 256   /* one 4 KiB page per ring */
#define HC_REPORT_OFF 2048 /* the interrupt IN buffer within a device's data page */

/* One device on a root-hub port, in its slot. */
struct hc_dev {
	bool used;
	unsigned slot, port, speed, mps0;
	uint8_t *in_ctx, *out_ctx, *buf; /* one DMA page each, kept across re-plugs */
	uint64_t in_bus, out_bus, buf_bus;
	struct xhci_trb *ep0_trbs, *intr_trbs;
	uint64_t ep0_bus, intr_bus;
	struct xhci_ring ep0, intr;
	/* the control transfer in flight */
	uint64_t ctl_data, ctl_status; /* bus addresses of its Data and Status TRBs */
	bool ctl_done;
	unsigned ctl_code;
	uint32_t ctl_residue;
	/* the keyboard, when it is one */
	bool kbd;
	unsigned intr_dci, intr_len, errors; /* intr_len: the Normal TRB's, 8..64 bytes */
	uint64_t intr_trb;		     /* the queued Normal TRB */
	struct hid_kbd hid;
	struct kbd keys;
};

struct hc {
	struct drv_dev *d;
	volatile uint8_t *regs, *op, *rt;
	volatile uint32_t *db;
	size_t regs_len;
	uint32_t hcs1, hcs2, hcc1;
	unsigned version, max_slots, max_ports, csz;
	uint8_t port_major[HC_PORTS + 1]; /* from the Supported Protocol capabilities; 0 unknown */
	uint64_t *dcbaa;
	struct xhci_ring cmd;
	struct xhci_evring ev;
	struct drv_irq irq;
	/* the command in flight */
	uint64_t cmd_trb;
	bool cmd_done;
	struct xhci_event cmd_ev;
	uint64_t port_pending;	  /* ports with a Port Status Change event not yet handled */
	uint64_t events, reports; /* counters, for the log */
	bool dead; /* a command timed out, or HSE/HCE, or the registers read all ones */
	struct hc_dev devs[HC_SLOTS + 1]; /* by slot id; 0 unused */
};

/* Map, hand off from the BIOS, halt, reset and start the controller: 0 or an error (logged). */
MUST_CHECK int hc_start(struct hc *hc, struct drv_dev *d);
/* Halt the controller (RS = 0, HCH within a bound): its DMA stops. */
void hc_halt(struct hc *hc);
/* One zeroed 4 KiB DMA page the controller can reach (page-aligned; below 4 GiB
   without AC64), its bus address in *bus; NULL if none. */
void *hc_page(struct hc *hc, uint64_t *bus);
/* A port's PORTSC; write one (xhci_port_neutral(v) | the bits meant). */
uint32_t hc_portsc(struct hc *hc, unsigned port);
void hc_portsc_write(struct hc *hc, unsigned port, uint32_t v);
/* Run one command, wait for its completion: 0, -E_TIMEDOUT, -E_IO (*ev has the code). */
MUST_CHECK int hc_command(struct hc *hc, const struct xhci_trb *t, struct xhci_event *ev);
/* A control transfer on dev's EP0 with len (<= 2048) bytes in or out of dev->buf:
   0 and *got bytes, -E_TIMEDOUT, or -E_IO (*code). */
MUST_CHECK int hc_control(struct hc *hc, struct hc_dev *dev, const struct usb_setup *s,
			  uint32_t *got, unsigned *code);
/* Queue the keyboard's Normal TRB (intr_len bytes) and ring its doorbell: 0 or an error. */
MUST_CHECK int hc_intr_queue(struct hc *hc, struct hc_dev *dev);
/* Ring dev's doorbell for endpoint dci. */
void hc_doorbell(struct hc *hc, unsigned slot, unsigned dci);
/* Take every event the controller posted; transfer events of keyboards go to
   main.c's kbd_event, port changes into port_pending. */
void hc_events(struct hc *hc);
/* Wait (at most timeout_ns) for an interrupt or the polling period, then take the events. */
void hc_wait_events(struct hc *hc, int64_t timeout_ns);

/* main.c: a transfer event on a keyboard's interrupt endpoint. */
void kbd_event(struct hc *hc, struct hc_dev *dev, const struct xhci_event *ev);
