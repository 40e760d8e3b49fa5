/*
 * desc.c - USB descriptor parsing and standard requests, pure (desc.h).
 * Section numbers: USB 2.0 chapter 9, HID 1.11.
 *
 * Locking: none.
 */
#include "usb/desc.h"
#include "base/bytes.h"
#include "base/err.h"

int usb_dev_desc_parse(const uint8_t *b, size_t len, struct usb_dev_desc *out)
{
	*out = (struct usb_dev_desc){0};
	if (len < 8 || b[1] != USB_DT_DEVICE || b[0] < 8)
		return -E_BADMSG;
	out->usb = rd16(b + 2);
	out->class = b[4];
	out->subclass = b[5];
	out->protocol = b[6];
	out->mps0 = b[7];
	if (len >= USB_DEV_DESC_LEN && b[0] >= USB_DEV_DESC_LEN) {
		out->vendor = rd16(b + 8);
		out->product = rd16(b + 10);
		out->configs = b[17];
	}
	return 0;
}

int usb_config_parse(const uint8_t *b, size_t len, struct usb_config_info *out)
{
	*out = (struct usb_config_info){0};
	if (len < 9 || b[0] < 9 || b[1] != USB_DT_CONFIG)
		return -E_BADMSG;
	out->total = rd16(b + 2);
	out->value = b[5];
	if (out->total < 9)
		return -E_BADMSG;
	size_t end = len < out->total ? len : out->total;
	/* the interface being walked: is it a boot keyboard's alternate setting 0? */
	bool in_kbd = false, first = true;
	for (size_t off = b[0]; off < end;) {
		if (end - off < 2)
			break; /* a trailing byte: nothing more to read */
		uint8_t dlen = b[off], type = b[off + 1];
		if (dlen < 2 || dlen > end - off)
			return out->kbd ? 0 : -E_BADMSG;
		const uint8_t *d = b + off;
		if (type == USB_DT_INTERFACE && dlen >= 9) {
			bool alt0 = d[3] == 0;
			if (alt0)
				out->ifaces++;
			if (first) {
				out->first_class = d[5];
				first = false;
			}
			in_kbd =
			    !out->kbd && alt0 && d[5] == USB_CLASS_HID && d[6] == 1 && d[7] == 1;
			if (in_kbd)
				out->kbd_iface = d[2];
		} else if (type == USB_DT_HID && in_kbd) {
			out->hid_desc = true;
		} else if (type == USB_DT_ENDPOINT && dlen >= 7 && in_kbd) {
			uint16_t mps = rd16(d + 4) & 0x7ff;
			if ((d[2] & 0x80) && (d[3] & 3) == 3 && (d[2] & 0xf) && mps) {
				out->kbd = true; /* the first interrupt IN endpoint */
				out->ep_addr = d[2];
				out->ep_mps = mps;
				out->ep_interval = d[6];
				in_kbd = false;
			}
		}
		off += dlen;
	}
	return 0;
}

void usb_get_descriptor(struct usb_setup *s, uint8_t type, uint8_t index, uint16_t len)
{
	*s =
	    (struct usb_setup){0x80, USB_REQ_GET_DESCRIPTOR, (uint16_t)(type << 8 | index), 0, len};
}

void usb_set_configuration(struct usb_setup *s, uint8_t value)
{
	*s = (struct usb_setup){0x00, USB_REQ_SET_CONFIGURATION, value, 0, 0};
}

void hid_set_protocol(struct usb_setup *s, uint8_t iface, uint8_t protocol)
{
	/* class request to an interface, host to device (HID 1.11 §7.2.6) */
	*s = (struct usb_setup){0x21, HID_REQ_SET_PROTOCOL, protocol, iface, 0};
}

void hid_set_idle(struct usb_setup *s, uint8_t iface, uint8_t duration)
{
	/* upper byte of wValue the duration (4 ms units), lower the report ID (0: all) (§7.2.4) */
	*s = (struct usb_setup){0x21, HID_REQ_SET_IDLE, (uint16_t)(duration << 8), iface, 0};
}
