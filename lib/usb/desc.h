/*
 * usb/desc.h - USB descriptors and standard requests, pure: the device
 * descriptor (USB 2.0 §9.6.1), a configuration's interfaces and endpoints
 * (§9.6.3-§9.6.6) with the HID descriptor (HID 1.11 §6.2.1), searched for
 * a boot keyboard (interface class 3, subclass 1, protocol 1) and its
 * interrupt IN endpoint; the setup packets xhcid sends (USB 2.0 §9.4, HID
 * 1.11 §7.2).
 *
 * Robustness: the parsers take bytes from the device and accept any of
 * them: every length is checked against the buffer, a descriptor shorter
 * than 2 bytes ends the walk with an error, one running past the end is
 * an error, unknown descriptors are skipped (tests/fuzz/fuzz_usb_desc.c).
 *
 * Locking: none; caller-owned storage.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "usb/xhci.h"

#define USB_DT_DEVICE 1
#define USB_DT_CONFIG 2
#define USB_DT_INTERFACE 4
#define USB_DT_ENDPOINT 5
#define USB_DT_HID 0x21

#define USB_REQ_GET_DESCRIPTOR 6
#define USB_REQ_SET_CONFIGURATION 9
#define HID_REQ_SET_IDLE 0x0a
#define HID_REQ_SET_PROTOCOL 0x0b

#define USB_CLASS_HID 3
#define USB_DEV_DESC_LEN 18
#define USB_CONFIG_MAX 1024 /* the most of a configuration xhcid reads */

/* The device descriptor's fields the driver uses. */
struct usb_dev_desc {
	uint16_t usb; /* bcdUSB */
	uint8_t class, subclass, protocol;
	uint8_t mps0; /* bMaxPacketSize0 as sent (an exponent at SuperSpeed) */
	uint16_t vendor, product;
	uint8_t configs; /* bNumConfigurations */
};

/* The first 8 bytes (all bMaxPacketSize0 needs) or all 18: 0, or -E_BADMSG. */
MUST_CHECK int usb_dev_desc_parse(const uint8_t *b, size_t len, struct usb_dev_desc *out);

/* What a configuration holds, as xhcid needs it. */
struct usb_config_info {
	uint16_t total;	   /* wTotalLength */
	uint8_t value;	   /* bConfigurationValue */
	uint8_t ifaces;	   /* interface descriptors seen (alternate settings 0) */
	bool kbd;	   /* a boot keyboard interface with an interrupt IN endpoint */
	uint8_t kbd_iface; /* its bInterfaceNumber */
	uint8_t ep_addr;   /* its endpoint: address, max packet, bInterval */
	uint16_t ep_mps;
	uint8_t ep_interval;
	bool hid_desc;	     /* the interface had a HID descriptor */
	uint8_t first_class; /* the first interface's class, for the log */
};

/* Parse a configuration descriptor set (len may be less than wTotalLength
   when only the header was read): 0, or -E_BADMSG (a bad header, or a
   descriptor of length < 2 or past the end before a keyboard was found; one
   after it is forgiven). Finding no keyboard is not an error: out->kbd says. */
MUST_CHECK int usb_config_parse(const uint8_t *b, size_t len, struct usb_config_info *out);

/* Setup packets. */
void usb_get_descriptor(struct usb_setup *s, uint8_t type, uint8_t index, uint16_t len);
void usb_set_configuration(struct usb_setup *s, uint8_t value);
/* HID class requests to interface iface: SET_PROTOCOL (0 boot), SET_IDLE (duration 0: only on
 * change). */
void hid_set_protocol(struct usb_setup *s, uint8_t iface, uint8_t protocol);
void hid_set_idle(struct usb_setup *s, uint8_t iface, uint8_t duration);
