/*
 * hid.c - boot keyboard reports to key events, usage IDs to set-1 keys,
 * the repeat timer; pure (hid.h). Usage IDs are the HID Usage Tables'
 * keyboard/keypad page (0x07); set-1 codes are those lib/kbd decodes.
 *
 * Locking: none.
 */
#include "usb/hid.h"
#include <string.h>
#include "kbd/kbd.h"

#define E KBD_EXT

/* Keyboard page usages 0x04-0x65 to set-1 keys. */
static const uint16_t usage_set1[0x66] = {
    [0x04] = 0x1e,	    /* a */
    [0x05] = 0x30,	    /* b */
    [0x06] = 0x2e,	    /* c */
    [0x07] = 0x20,	    /* d */
    [0x08] = 0x12,	    /* e */
    [0x09] = 0x21,	    /* f */
    [0x0a] = 0x22,	    /* g */
    [0x0b] = 0x23,	    /* h */
    [0x0c] = 0x17,	    /* i */
    [0x0d] = 0x24,	    /* j */
    [0x0e] = 0x25,	    /* k */
    [0x0f] = 0x26,	    /* l */
    [0x10] = 0x32,	    /* m */
    [0x11] = 0x31,	    /* n */
    [0x12] = 0x18,	    /* o */
    [0x13] = 0x19,	    /* p */
    [0x14] = 0x10,	    /* q */
    [0x15] = 0x13,	    /* r */
    [0x16] = 0x1f,	    /* s */
    [0x17] = 0x14,	    /* t */
    [0x18] = 0x16,	    /* u */
    [0x19] = 0x2f,	    /* v */
    [0x1a] = 0x11,	    /* w */
    [0x1b] = 0x2d,	    /* x */
    [0x1c] = 0x15,	    /* y */
    [0x1d] = 0x2c,	    /* z */
    [0x1e] = 0x02,	    /* 1 */
    [0x1f] = 0x03,	    /* 2 */
    [0x20] = 0x04,	    /* 3 */
    [0x21] = 0x05,	    /* 4 */
    [0x22] = 0x06,	    /* 5 */
    [0x23] = 0x07,	    /* 6 */
    [0x24] = 0x08,	    /* 7 */
    [0x25] = 0x09,	    /* 8 */
    [0x26] = 0x0a,	    /* 9 */
    [0x27] = 0x0b,	    /* 0 */
    [0x28] = 0x1c,	    /* Enter */
    [0x29] = 0x01,	    /* Esc */
    [0x2a] = 0x0e,	    /* Backspace */
    [0x2b] = 0x0f,	    /* Tab */
    [0x2c] = 0x39,	    /* Space */
    [0x2d] = 0x0c,	    /* - */
    [0x2e] = 0x0d,	    /* = */
    [0x2f] = 0x1a,	    /* [ */
    [0x30] = 0x1b,	    /* ] */
    [0x31] = 0x2b,	    /* \ */
    [0x32] = 0x2b,	    /* non-US # */
    [0x33] = 0x27,	    /* ; */
    [0x34] = 0x28,	    /* ' */
    [0x35] = 0x29,	    /* ` */
    [0x36] = 0x33,	    /* , */
    [0x37] = 0x34,	    /* . */
    [0x38] = 0x35,	    /* / */
    [0x39] = 0x3a,	    /* Caps Lock */
    [0x3a] = 0x3b,	    /* F1 */
    [0x3b] = 0x3c,	    /* F2 */
    [0x3c] = 0x3d,	    /* F3 */
    [0x3d] = 0x3e,	    /* F4 */
    [0x3e] = 0x3f,	    /* F5 */
    [0x3f] = 0x40,	    /* F6 */
    [0x40] = 0x41,	    /* F7 */
    [0x41] = 0x42,	    /* F8 */
    [0x42] = 0x43,	    /* F9 */
    [0x43] = 0x44,	    /* F10 */
    [0x44] = 0x57,	    /* F11 */
    [0x45] = 0x58,	    /* F12 */
    [0x46] = E | 0x37,	    /* Print Screen */
    [0x47] = 0x46,	    /* Scroll Lock */
    [0x48] = KBD_KEY_PAUSE, /* Pause */
    [0x49] = E | 0x52,	    /* Insert */
    [0x4a] = E | 0x47,	    /* Home */
    [0x4b] = E | 0x49,	    /* Page Up */
    [0x4c] = E | 0x53,	    /* Delete */
    [0x4d] = E | 0x4f,	    /* End */
    [0x4e] = E | 0x51,	    /* Page Down */
    [0x4f] = E | 0x4d,	    /* Right */
    [0x50] = E | 0x4b,	    /* Left */
    [0x51] = E | 0x50,	    /* Down */
    [0x52] = E | 0x48,	    /* Up */
    [0x53] = 0x45,	    /* Num Lock */
    [0x54] = E | 0x35,	    /* keypad / */
    [0x55] = 0x37,	    /* keypad * */
    [0x56] = 0x4a,	    /* keypad - */
    [0x57] = 0x4e,	    /* keypad + */
    [0x58] = E | 0x1c,	    /* keypad Enter */
    [0x59] = 0x4f,	    /* keypad 1 */
    [0x5a] = 0x50,	    /* keypad 2 */
    [0x5b] = 0x51,	    /* keypad 3 */
    [0x5c] = 0x4b,	    /* keypad 4 */
    [0x5d] = 0x4c,	    /* keypad 5 */
    [0x5e] = 0x4d,	    /* keypad 6 */
    [0x5f] = 0x47,	    /* keypad 7 */
    [0x60] = 0x48,	    /* keypad 8 */
    [0x61] = 0x49,	    /* keypad 9 */
    [0x62] = 0x52,	    /* keypad 0 */
    [0x63] = 0x53,	    /* keypad . */
    [0x64] = 0x56,	    /* non-US \ */
    [0x65] = E | 0x5d,	    /* Application */
};

/* Usages 0xE0-0xE7, the modifiers. */
static const uint16_t mod_set1[8] = {
    0x1d,     /* left Ctrl */
    0x2a,     /* left Shift */
    0x38,     /* left Alt */
    E | 0x5b, /* left GUI */
    E | 0x1d, /* right Ctrl */
    0x36,     /* right Shift */
    E | 0x38, /* right Alt */
    E | 0x5c, /* right GUI */
};

uint16_t hid_usage_to_set1(uint8_t usage)
{
	if (usage >= 0xe0 && usage <= 0xe7)
		return mod_set1[usage - 0xe0];
	if (usage < sizeof usage_set1 / sizeof usage_set1[0])
		return usage_set1[usage];
	return 0;
}

void hid_kbd_init(struct hid_kbd *h)
{
	memset(h, 0, sizeof *h);
}

static bool has_key(const uint8_t *r, uint8_t usage)
{
	for (int i = 2; i < HID_BOOT_REPORT; i++)
		if (r[i] == usage)
			return true;
	return false;
}

size_t hid_boot_report(struct hid_kbd *h, const uint8_t *report, size_t len, uint64_t now,
		       struct hid_key_event *ev)
{
	uint8_t r[HID_BOOT_REPORT] = {0};
	memcpy(r, report, len < sizeof r ? len : sizeof r);
	for (int i = 2; i < HID_BOOT_REPORT; i++)
		if (r[i] >= 0x01 && r[i] <= 0x03)
			return 0; /* ErrorRollOver, POSTFail, ErrorUndefined: keep the old state */
	size_t n = 0;
	uint8_t gone = (uint8_t)(h->prev[0] & ~r[0]), came = (uint8_t)(r[0] & ~h->prev[0]);
	for (int b = 0; b < 8; b++)
		if (gone & (1u << b))
			ev[n++] = (struct hid_key_event){(uint8_t)(0xe0 + b), false};
	for (int i = 2; i < HID_BOOT_REPORT; i++) {
		uint8_t u = h->prev[i];
		if (u && !has_key(r, u)) {
			bool dup = false;
			for (int j = 2; j < i; j++)
				dup |= h->prev[j] == u;
			if (!dup) {
				ev[n++] = (struct hid_key_event){u, false};
				if (u == h->repeat)
					h->repeat = 0;
			}
		}
	}
	for (int b = 0; b < 8; b++)
		if (came & (1u << b))
			ev[n++] = (struct hid_key_event){(uint8_t)(0xe0 + b), true};
	for (int i = 2; i < HID_BOOT_REPORT; i++) {
		uint8_t u = r[i];
		if (!u || has_key(h->prev, u))
			continue;
		bool dup = false;
		for (int j = 2; j < i; j++)
			dup |= r[j] == u;
		if (dup)
			continue;
		ev[n++] = (struct hid_key_event){u, true};
		if (u < 0xe0 && hid_usage_to_set1(u) && u != 0x39 && u != 0x53 && u != 0x47 &&
		    u != 0x48) {
			/* not the lock keys or Pause: those never repeat */
			h->repeat = u;
			h->repeat_at = now + HID_REPEAT_DELAY_NS;
		}
	}
	memcpy(h->prev, r, sizeof r);
	return n;
}

bool hid_repeat_due(struct hid_kbd *h, uint64_t now, uint8_t *usage)
{
	if (!h->repeat || now < h->repeat_at)
		return false;
	*usage = h->repeat;
	h->repeat_at = now + HID_REPEAT_PERIOD_NS;
	return true;
}

int64_t hid_repeat_wait(const struct hid_kbd *h, uint64_t now)
{
	if (!h->repeat)
		return -1;
	return now >= h->repeat_at ? 0 : (int64_t)(h->repeat_at - now);
}
