/*
 * xhcid - the xHCI (USB 3) host controller driver, with USB HID boot
 * keyboards: what is typed on a USB keyboard reaches the console as if
 * typed on the serial line, exactly as ps2d does for PS/2 (docs/usb.md).
 *
 *   xhcid [--index N] SSSS:BB:DD.F      (driver-manager, pci-class 0c:03:30)
 *
 * hc.c brings the controller up (BIOS handoff, halt, reset, DCBAA, command
 * ring, event ring, run) and runs commands and transfers. This file walks
 * the root-hub ports: a USB2 port with a device is reset (PR; USB3 ports
 * enable themselves), the device gets a slot (Enable Slot), an address
 * (Address Device, EP0 at the speed's default max packet size), its
 * device descriptor (8 bytes, EP0 fixed with Evaluate Context if it
 * differs, then 18) and configuration. A boot keyboard (interface class 3,
 * subclass 1, protocol 1, an interrupt IN endpoint) gets its endpoint
 * (Configure Endpoint), SET_CONFIGURATION, SET_PROTOCOL(boot) and
 * SET_IDLE(0); then one Normal TRB (a packet, 8 to 64 bytes) stays queued.
 * Each report is diffed against the last (lib/usb/hid.c), its keys turned
 * into set-1 key events and into bytes by lib/kbd (the layout ps2d uses),
 * written to debug:/input. Held keys repeat (500 ms, then ~30/s). Any
 * other device is one log line and its slot is disabled. Port Status
 * Change events after start attach and detach devices (hot-plug).
 *
 * Status on fd 3: `ready MODE` once the ports were walked, `unsupported`
 * (not an xHCI function or a controller we cannot drive), `defer`,
 * `fatal REASON` (a controller that does not answer). A controller that
 * stops answering later (a command without completion, HSE or HCE) is
 * one line and exit 1: driver-manager restarts us and the reset starts
 * afresh. SIGTERM halts the controller (its DMA stops) and exits 0.
 *
 * Locking: none; one thread owns the controller, every device and the
 * debug:/input handle. The SIGTERM handler only halts the controller.
 */
#include <string.h>
#include "base/err.h"
#include "hc.h"
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define NAME "xhcid"
#define INPUT_PATH "debug:/input"
#define PORT_RESET_NS 500000000ull /* USB 2.0 §7.1.7.5: 10-20 ms; a controller may take longer */
#define IDLE_NS 1000000000ll	   /* the loop looks at the ports at least this often */
#define KBD_ERRORS_MAX 16	   /* transfer errors in a row before a keyboard is dropped */

static struct drv_dev dev;
static struct hc hc;
static int input = -1;

static void on_term(int sig)
{
	hc_halt(&hc);
	drv_log(&dev, "SIGTERM: controller halted, exiting 0");
	rb_exit(0);
}

/* Is a function with this config header an xHCI controller (class 0c:03:30)? */
static bool is_xhci_cfg(const uint8_t cfg[16])
{
	return cfg[11] == 0x0c && cfg[10] == 0x03 && cfg[9] == 0x30;
}

/* The DMA pages of slot s's device, allocated once and zeroed for each use. */
static int dev_pages(struct hc_dev *d)
{
	if (!d->in_ctx) {
		d->in_ctx = hc_page(&hc, &d->in_bus);
		d->out_ctx = hc_page(&hc, &d->out_bus);
		d->buf = hc_page(&hc, &d->buf_bus);
		d->ep0_trbs = hc_page(&hc, &d->ep0_bus);
		d->intr_trbs = hc_page(&hc, &d->intr_bus);
		if (!d->in_ctx || !d->out_ctx || !d->buf || !d->ep0_trbs || !d->intr_trbs) {
			d->in_ctx = NULL; /* a later try allocates afresh; the rest is leaked */
			return -E_NOMEM;
		}
	}
	memset(d->in_ctx, 0, 4096);
	memset(d->out_ctx, 0, 4096);
	memset(d->ep0_trbs, 0, 4096);
	memset(d->intr_trbs, 0, 4096);
	int r = xhci_ring_init(&d->ep0, d->ep0_trbs, d->ep0_bus, HC_RING_TRBS);
	if (!r)
		r = xhci_ring_init(&d->intr, d->intr_trbs, d->intr_bus, HC_RING_TRBS);
	return r;
}

/* Give the slot back (Disable Slot) and forget the device. */
static void slot_free(struct hc_dev *d)
{
	struct xhci_trb t;
	struct xhci_event ev;
	xhci_trb_disable_slot(&t, d->slot);
	if (hc_command(&hc, &t, &ev) == -E_IO)
		drv_log(&dev, "port %u: Disable Slot %u: completion code %u", d->port, d->slot,
			ev.code);
	hc.dcbaa[d->slot] = 0;
	d->used = false;
	d->kbd = false;
}

/* EP0's context for max packet size mps at dci 1 of the input context. */
static void ep0_ctx(struct hc_dev *d, unsigned mps)
{
	struct xhci_ep e = {
	    .type = XHCI_EP_CONTROL, .mps = mps, .deq = xhci_ring_deq_ptr(&d->ep0), .avg_trb = 8};
	xhci_ep_ctx(d->in_ctx + xhci_in_ep_off(hc.csz, 1), &e);
}

static int control(struct hc_dev *d, const struct usb_setup *s, uint32_t *got, const char *what)
{
	unsigned code;
	int r = hc_control(&hc, d, s, got, &code);
	if (r < 0)
		drv_log(&dev, "port %u: %s: %s (completion code %u)", d->port, what, err_name(r),
			code);
	return r;
}

/* Enable Slot, Address Device, and EP0's max packet size right: 0 or an error (logged). */
static int address(struct hc_dev **out, unsigned port, unsigned speed, struct usb_dev_desc *desc)
{
	struct xhci_trb t;
	struct xhci_event ev;
	xhci_trb_enable_slot(&t);
	int r = hc_command(&hc, &t, &ev);
	if (r < 0 || ev.slot == 0 || ev.slot > hc.max_slots || hc.devs[ev.slot].used) {
		drv_log(&dev, "port %u: Enable Slot: %s (code %u, slot %u)", port,
			r < 0 ? err_name(r) : "bad slot", ev.code, ev.slot);
		return r < 0 ? r : -E_IO;
	}
	struct hc_dev *d = &hc.devs[ev.slot];
	*d = (struct hc_dev){.in_ctx = d->in_ctx,
			     .out_ctx = d->out_ctx,
			     .buf = d->buf,
			     .ep0_trbs = d->ep0_trbs,
			     .intr_trbs = d->intr_trbs,
			     .in_bus = d->in_bus,
			     .out_bus = d->out_bus,
			     .buf_bus = d->buf_bus,
			     .ep0_bus = d->ep0_bus,
			     .intr_bus = d->intr_bus,
			     .slot = ev.slot,
			     .port = port,
			     .speed = speed,
			     .mps0 = xhci_speed_mps0(speed),
			     .used = true};
	*out = d;
	if ((r = dev_pages(d)) < 0) {
		drv_log(&dev, "port %u: no DMA memory for slot %u", port, d->slot);
		slot_free(d);
		return r;
	}
	/* §4.3.3: input context with A0 (slot) and A1 (EP0) */
	xhci_input_ctl(d->in_ctx, 3, 0);
	xhci_slot_ctx(d->in_ctx + xhci_in_slot_off(hc.csz), speed, 1, port);
	ep0_ctx(d, d->mps0);
	hc.dcbaa[d->slot] = d->out_bus;
	xhci_trb_address_device(&t, d->in_bus, d->slot, false);
	if ((r = hc_command(&hc, &t, &ev)) < 0) {
		drv_log(&dev, "port %u: Address Device: %s (code %u)", port, err_name(r), ev.code);
		slot_free(d);
		return r;
	}
	struct usb_setup s;
	uint32_t got;
	usb_get_descriptor(&s, USB_DT_DEVICE, 0, 8);
	if ((r = control(d, &s, &got, "GET_DESCRIPTOR device (8)")) < 0)
		goto fail;
	if (usb_dev_desc_parse(d->buf, got, desc) < 0) {
		drv_log(&dev, "port %u: bad device descriptor (%u bytes)", port, (unsigned)got);
		r = -E_BADMSG;
		goto fail;
	}
	unsigned mps = xhci_mps0_bytes(speed, desc->mps0);
	if (!mps) {
		drv_log(&dev, "port %u: bad bMaxPacketSize0 %u", port, desc->mps0);
		r = -E_BADMSG;
		goto fail;
	}
	if (mps != d->mps0) {
		/* §4.6.7: Evaluate Context with A1 updates EP0's max packet size */
		memset(d->in_ctx, 0, xhci_input_ctx_len(hc.csz));
		xhci_input_ctl(d->in_ctx, 2, 0);
		ep0_ctx(d, mps);
		xhci_trb_evaluate_ctx(&t, d->in_bus, d->slot);
		if ((r = hc_command(&hc, &t, &ev)) < 0) {
			drv_log(&dev, "port %u: Evaluate Context: %s (code %u)", port, err_name(r),
				ev.code);
			goto fail;
		}
		d->mps0 = mps;
	}
	usb_get_descriptor(&s, USB_DT_DEVICE, 0, USB_DEV_DESC_LEN);
	if ((r = control(d, &s, &got, "GET_DESCRIPTOR device")) < 0)
		goto fail;
	if (usb_dev_desc_parse(d->buf, got, desc) < 0 || got < USB_DEV_DESC_LEN) {
		drv_log(&dev, "port %u: bad device descriptor (%u bytes)", port, (unsigned)got);
		r = -E_BADMSG;
		goto fail;
	}
	return 0;
fail:
	slot_free(d);
	return r;
}

/* Configure Endpoint for the keyboard's interrupt IN endpoint (§4.6.6). */
static int configure_kbd(struct hc_dev *d, const struct usb_config_info *ci)
{
	d->intr_dci = xhci_dci(ci->ep_addr);
	/* a whole packet: a keyboard whose endpoint is wider than its 8-byte report
	   must not overrun the TRB (a babble error); the report is its first 8 bytes */
	d->intr_len = ci->ep_mps > 64 ? 64 : ci->ep_mps;
	if (d->intr_len < HID_BOOT_REPORT)
		d->intr_len = HID_BOOT_REPORT;
	memset(d->in_ctx, 0, xhci_input_ctx_len(hc.csz));
	xhci_input_ctl(d->in_ctx, 1u | 1u << d->intr_dci, 0);
	xhci_slot_ctx(d->in_ctx + xhci_in_slot_off(hc.csz), d->speed, d->intr_dci, d->port);
	struct xhci_ep e = {.type = XHCI_EP_INTR_IN,
			    .mps = ci->ep_mps,
			    .interval = xhci_intr_interval(d->speed, ci->ep_interval),
			    .deq = xhci_ring_deq_ptr(&d->intr),
			    .avg_trb = HID_BOOT_REPORT,
			    .esit = ci->ep_mps};
	xhci_ep_ctx(d->in_ctx + xhci_in_ep_off(hc.csz, d->intr_dci), &e);
	struct xhci_trb t;
	struct xhci_event ev;
	xhci_trb_configure_ep(&t, d->in_bus, d->slot);
	int r = hc_command(&hc, &t, &ev);
	if (r < 0)
		drv_log(&dev, "port %u: Configure Endpoint: %s (code %u)", d->port, err_name(r),
			ev.code);
	return r;
}

/* Read the configuration, and set a boot keyboard up: 0, or an error (logged; slot freed). */
static int setup_device(struct hc_dev *d, const struct usb_dev_desc *desc)
{
	struct usb_setup s;
	uint32_t got;
	struct usb_config_info ci;
	usb_get_descriptor(&s, USB_DT_CONFIG, 0, 9);
	int r = control(d, &s, &got, "GET_DESCRIPTOR configuration (9)");
	if (r < 0)
		goto fail;
	if ((r = usb_config_parse(d->buf, got, &ci)) == 0) {
		uint16_t len = ci.total < USB_CONFIG_MAX ? ci.total : USB_CONFIG_MAX;
		usb_get_descriptor(&s, USB_DT_CONFIG, 0, len);
		if ((r = control(d, &s, &got, "GET_DESCRIPTOR configuration")) < 0)
			goto fail;
		r = usb_config_parse(d->buf, got, &ci);
	}
	if (r < 0) {
		drv_log(&dev, "port %u: bad configuration descriptor", d->port);
		goto fail;
	}
	const char *speed = xhci_speed_name(d->speed);
	if (!ci.kbd) {
		drv_log(&dev,
			"port %u: USB device %04x:%04x class %02x/%02x (%s): not a boot "
			"keyboard, skipped",
			d->port, desc->vendor, desc->product, desc->class,
			ci.ifaces ? ci.first_class : 0, speed);
		r = -E_NOTSUP;
		goto fail;
	}
	if ((r = configure_kbd(d, &ci)) < 0)
		goto fail;
	usb_set_configuration(&s, ci.value);
	if ((r = control(d, &s, &got, "SET_CONFIGURATION")) < 0)
		goto fail;
	hid_set_protocol(&s, ci.kbd_iface, 0);
	if ((r = control(d, &s, &got, "SET_PROTOCOL(boot)")) < 0)
		goto fail;
	/* SET_IDLE(0): report only on a change. Optional for a boot keyboard (HID 1.11
	   §7.2.4): some stall it; the reports still come */
	hid_set_idle(&s, ci.kbd_iface, 0);
	(void)control(d, &s, &got, "SET_IDLE(0)");
	hid_kbd_init(&d->hid);
	kbd_init(&d->keys);
	d->kbd = true;
	if ((r = hc_intr_queue(&hc, d)) < 0)
		goto fail;
	drv_log(&dev, "port %u: USB keyboard (%s), slot %u, boot protocol", d->port, speed,
		d->slot);
	return 0;
fail:
	slot_free(d);
	return r;
}

/* Reset a connected USB2 port (USB3 ports train themselves) and wait for it to be enabled. */
static int port_enable(unsigned port, uint32_t *portsc)
{
	uint32_t v = hc_portsc(&hc, port);
	bool usb3 = hc.port_major[port] == 3;
	if (!usb3)
		hc_portsc_write(&hc, port, xhci_port_neutral(v) | XHCI_PORT_PR);
	uint64_t limit = rb_now_ns() + PORT_RESET_NS;
	for (;;) {
		v = hc_portsc(&hc, port);
		if (!(v & XHCI_PORT_CCS))
			return -E_NODEV;
		if ((v & XHCI_PORT_PED) && !(v & XHCI_PORT_PR))
			break;
		if (rb_now_ns() > limit) {
			drv_log(&dev, "port %u: not enabled after %s (PORTSC %#x)", port,
				usb3 ? "link training" : "reset", v);
			return -E_TIMEDOUT;
		}
		hc_wait_events(&hc, 1000000);
	}
	/* clear the changes the reset made (PRC, CSC, PEC ...): the port starts quiet */
	hc_portsc_write(&hc, port, xhci_port_neutral(v) | (v & XHCI_PORT_CHANGES));
	*portsc = v;
	return 0;
}

static struct hc_dev *dev_on_port(unsigned port)
{
	for (unsigned s = 1; s <= hc.max_slots; s++)
		if (hc.devs[s].used && hc.devs[s].port == port)
			return &hc.devs[s];
	return NULL;
}

/* A device is on port (CCS): enable, address and set it up. */
static void port_attach(unsigned port)
{
	uint32_t v;
	if (port_enable(port, &v) < 0)
		return;
	unsigned speed = xhci_port_speed(v);
	if (!xhci_speed_mps0(speed)) {
		drv_log(&dev, "port %u: unknown speed %u, skipped", port, speed);
		return;
	}
	struct hc_dev *d;
	struct usb_dev_desc desc;
	if (address(&d, port, speed, &desc) < 0)
		return;
	(void)setup_device(d, &desc);
}

/* Handle a port's change: a device gone or replaced (a new connection, CSC)
   is dropped, a new connection attached. Other changes (the PRC of our
   own reset, a skipped device's port) do nothing: a device that is not a
   keyboard is looked at once per connection. */
static void port_change(unsigned port)
{
	uint32_t v = hc_portsc(&hc, port);
	if (v == 0xffffffffu)
		return;
	hc_portsc_write(&hc, port, xhci_port_neutral(v) | (v & XHCI_PORT_CHANGES));
	bool gone = !(v & XHCI_PORT_CCS), fresh = (v & XHCI_PORT_CCS) && (v & XHCI_PORT_CSC);
	struct hc_dev *d = dev_on_port(port);
	if (d && (gone || fresh)) {
		drv_log(&dev, "port %u: %s on slot %u disconnected", port,
			d->kbd ? "keyboard" : "device", d->slot);
		slot_free(d);
	}
	if (fresh)
		port_attach(port);
}

void kbd_event(struct hc *h, struct hc_dev *d, const struct xhci_event *ev)
{
	xhci_ring_done(&d->intr, ev->ptr);
	if (ev->ptr != d->intr_trb)
		return;
	if (ev->code == XHCI_CC_SUCCESS || ev->code == XHCI_CC_SHORT_PACKET) {
		d->errors = 0;
		h->reports++;
		uint32_t len = d->intr_len - (ev->length < d->intr_len ? ev->length : d->intr_len);
		struct hid_key_event kev[HID_EVENTS_MAX];
		size_t n = hid_boot_report(&d->hid, d->buf + HC_REPORT_OFF, len, rb_now_ns(), kev);
		char out[HID_EVENTS_MAX * KBD_OUT_MAX];
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			struct kbd_event ke = {hid_usage_to_set1(kev[i].usage), kev[i].down};
			if (ke.key)
				m += kbd_key(&d->keys, &ke, out + m);
		}
		if (m)
			(void)rb_write(input, out, m); /* a full ring drops them, as for serial */
	} else if (++d->errors >= KBD_ERRORS_MAX || ev->code == XHCI_CC_STALL) {
		drv_log(&dev, "port %u: keyboard on slot %u: transfer completion code %u; dropped",
			d->port, d->slot, ev->code);
		d->kbd = false; /* the slot stays until the port changes */
		return;
	}
	if (hc_intr_queue(h, d) < 0) {
		drv_log(&dev, "port %u: keyboard on slot %u: cannot requeue; dropped", d->port,
			d->slot);
		d->kbd = false;
	}
}

/* Type the repeats that are due; how long until the next one (or IDLE_NS). */
static int64_t repeats(void)
{
	uint64_t now = rb_now_ns();
	int64_t wait = IDLE_NS;
	for (unsigned s = 1; s <= hc.max_slots; s++) {
		struct hc_dev *d = &hc.devs[s];
		if (!d->used || !d->kbd)
			continue;
		uint8_t usage;
		if (hid_repeat_due(&d->hid, now, &usage)) {
			struct kbd_event ke = {hid_usage_to_set1(usage), true};
			char out[KBD_OUT_MAX];
			size_t m = ke.key ? kbd_key(&d->keys, &ke, out) : 0;
			if (m)
				(void)rb_write(input, out, m);
		}
		int64_t w = hid_repeat_wait(&d->hid, now);
		if (w >= 0 && w < wait)
			wait = w;
	}
	return wait;
}

int main(int argc, char **argv)
{
	int index;
	int r = drv_start(NAME, argc, argv, is_xhci_cfg, "xHCI controller", &index, &dev);
	if (r)
		return r;
	struct rb_sigaction sa = {.handler = on_term};
	(void)rb_sigaction(RB_SIGTERM, &sa, NULL);
	input = rb_open(INPUT_PATH, RB_O_WRONLY);
	if (input < 0) {
		char why[64];
		rb_snprintf(why, sizeof why, "open %s: %s", INPUT_PATH, err_name(input));
		return drv_give_up(&dev, "fatal", why);
	}
	uint64_t t0 = rb_now_ns();
	r = hc_start(&hc, &dev);
	if (r == -E_NODEV || r == -E_NOTSUP) {
		hc_halt(&hc);
		return drv_give_up(&dev, "unsupported", "controller not usable (logged)");
	}
	if (r < 0) {
		hc_halt(&hc);
		return drv_give_up(&dev, "fatal", err_name(r));
	}
	char mode[32];
	drv_irq_name(&hc.irq, mode, sizeof mode);
	uint64_t t1 = rb_now_ns();
	drv_log(&dev, "xHCI %x.%02x, %u ports, %u slots, %u-byte contexts, %s, started in %llu ms",
		hc.version >> 8, hc.version & 0xff, hc.max_ports, hc.max_slots, hc.csz, mode,
		(unsigned long long)((t1 - t0) / 1000000));
	for (unsigned p = 1; p <= hc.max_ports; p++)
		if (hc_portsc(&hc, p) & XHCI_PORT_CCS)
			port_attach(p);
	drv_log(&dev, "ports walked in %llu ms",
		(unsigned long long)((rb_now_ns() - t1) / 1000000));
	if (hc.dead) {
		hc_halt(&hc);
		return drv_give_up(&dev, "fatal", "controller stopped answering (logged)");
	}
	drv_status("ready %s", mode);
	while (!hc.dead) {
		int64_t wait = repeats();
		hc_wait_events(&hc, wait);
		while (hc.port_pending) {
			unsigned p = (unsigned)__builtin_ctzll(hc.port_pending) + 1;
			hc.port_pending &= ~(1ull << (p - 1));
			port_change(p);
		}
	}
	/* driver-manager restarts us: a fresh reset may bring the controller back */
	drv_log(&dev, "controller stopped answering after %llu events, %llu reports; exiting",
		(unsigned long long)hc.events, (unsigned long long)hc.reports);
	hc_halt(&hc);
	return 1;
}
