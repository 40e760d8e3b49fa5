/*
 * usb/hid.h - the USB HID boot keyboard, pure: an 8-byte boot report
 * (HID 1.11 Appendix B.1: modifier bits, a reserved byte, six key usage
 * IDs) is turned into key press and release events by comparing it with
 * the previous report, and each key's usage ID (HID Usage Tables, page
 * 0x07) into the scan code set 1 key lib/kbd takes (KBD_EXT | code for
 * the E0-prefixed keys, KBD_KEY_PAUSE), so the layout, modifiers and
 * escape sequences are kbd_key's, the same as for PS/2 (docs/usb.md).
 *
 * hid_boot_report: releases come before presses (a key moved from one
 * slot to another is neither); modifiers are the usages 0xE0-0xE7. A
 * report whose key slots hold ErrorRollOver, POSTFail or ErrorUndefined
 * (0x01-0x03: too many keys held) changes nothing and is not remembered
 * (the keys stay as they were). A short report is padded with zeros;
 * bytes past 8 are ignored. Duplicate usages count once.
 *
 * hid_repeat: the typematic timer HID boot keyboards leave to the host
 * (the device reports a held key once): the last key pressed repeats
 * after HID_REPEAT_DELAY_NS, then every HID_REPEAT_PERIOD_NS, until it is
 * released or another key is pressed. Time comes in as a parameter.
 *
 * Locking: none; the caller owns struct hid_kbd and calls from one thread.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HID_BOOT_REPORT 8
#define HID_EVENTS_MAX 28 /* 8 modifiers + 6 releases + 6 presses, with room */
#define HID_REPEAT_DELAY_NS 500000000ull
#define HID_REPEAT_PERIOD_NS 33000000ull /* about 30 per second */

struct hid_key_event {
	uint8_t usage; /* keyboard page usage ID */
	bool down;
};

struct hid_kbd {
	uint8_t prev[HID_BOOT_REPORT]; /* the last report taken */
	uint8_t repeat;		       /* usage that repeats, 0 none */
	uint64_t repeat_at;	       /* when it next repeats (ns) */
};

/* No key held, nothing repeating. */
void hid_kbd_init(struct hid_kbd *h);
/* Diff report (len bytes) against the previous one: events into ev
   (HID_EVENTS_MAX), their count; now (ns) arms the repeat timer. */
size_t hid_boot_report(struct hid_kbd *h, const uint8_t *report, size_t len, uint64_t now,
		       struct hid_key_event *ev);
/* A repeat is due at now: true and *usage (and the timer rearmed). */
bool hid_repeat_due(struct hid_kbd *h, uint64_t now, uint8_t *usage);
/* ns until the next repeat from now, or -1 when nothing repeats. */
int64_t hid_repeat_wait(const struct hid_kbd *h, uint64_t now);
/* The set-1 key (lib/kbd's encoding) for a keyboard-page usage, 0 if none. */
uint16_t hid_usage_to_set1(uint8_t usage);
