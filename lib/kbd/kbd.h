/*
 * kbd.h - a PC keyboard's scan codes to the bytes a serial terminal would
 * send: the decoder behind ps2d (docs/ps2.md).
 *
 * Two steps, both pure:
 *  - kbd_scan: scan code set 1 bytes (what an i8042 with translation on
 *    hands over) to key events. A key is its set-1 make code (0x01-0x7f),
 *    KBD_EXT | code after an 0xE0 prefix, or KBD_KEY_PAUSE for the
 *    sequence E1 1D 45 (its break, E1 9D C5, gives nothing: Pause has no
 *    release). Bit 7 of the code is the break (release) bit.
 *  - kbd_key: a key event to bytes for a US layout: letters, digits,
 *    punctuation with Shift and Caps Lock; Ctrl+letter is 0x01-0x1a (and
 *    Ctrl with @ [ \ ] ^ _ and Space gives 0x00, 0x1b-0x1f); Alt sends
 *    ESC before the key's bytes; Enter is CR, Backspace DEL (0x7f), Tab,
 *    Esc; arrows ESC [ A/B/C/D, Home ESC [ H, End ESC [ F, Insert, Delete,
 *    Page Up/Down ESC [ 2/3/5/6 ~, F1-F4 ESC O P-S, F5-F12 ESC [ n ~.
 *    The keypad follows Num Lock (off at start: arrows and the like).
 * kbd_feed does both.
 *
 * Robustness: any byte sequence is accepted. A prefix followed by another
 * prefix starts over; an 0xE1 not followed by 1D 45 / 9D C5 gives up and
 * takes the byte as a fresh one; codes with no meaning (the controller's
 * 0x00/0xFF errors, 0xFA ACK, 0xEE, 0xFE, the fake shifts E0 2A / E0 36
 * around some extended keys) produce nothing. Modifier state only changes
 * on the modifier keys' own make and break codes.
 *
 * No I/O, no allocation, no locks: the caller owns the struct kbd and
 * feeds it from one thread.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KBD_EXT 0x100	    /* key after an 0xE0 prefix */
#define KBD_KEY_PAUSE 0x200 /* E1 1D 45 */
#define KBD_OUT_MAX 8	    /* bytes one key event may produce */

/* Modifier bits of struct kbd's mods. */
#define KBD_LSHIFT 0x01
#define KBD_RSHIFT 0x02
#define KBD_LCTRL 0x04
#define KBD_RCTRL 0x08
#define KBD_LALT 0x10
#define KBD_RALT 0x20
#define KBD_CAPS 0x40	    /* Caps Lock on */
#define KBD_NUM 0x80	    /* Num Lock on */
#define KBD_CAPS_DOWN 0x100 /* the Caps Lock key is held (typematic makes do not toggle) */
#define KBD_NUM_DOWN 0x200

struct kbd {
	uint8_t prefix;	 /* 0, 0xE0, or 0xE1 */
	uint8_t e1_seen; /* after 0xE1: bytes of the Pause sequence seen (0 or 1) */
	uint8_t e1_first;
	uint16_t mods; /* KBD_* */
};

struct kbd_event {
	uint16_t key; /* set-1 make code, KBD_EXT | code, or KBD_KEY_PAUSE */
	bool down;    /* make (or typematic repeat) rather than break */
};

/* Start with no prefix, no modifier held, Caps Lock and Num Lock off. */
void kbd_init(struct kbd *k);

/* Feed one scan code byte; true when it completed a key event (in *ev). */
bool kbd_scan(struct kbd *k, uint8_t sc, struct kbd_event *ev);

/* Apply ev: update the modifiers, write its bytes to out (room for KBD_OUT_MAX): how many. */
size_t kbd_key(struct kbd *k, const struct kbd_event *ev, char *out);

/* kbd_scan then kbd_key: the bytes byte sc completes into out (KBD_OUT_MAX): how many. */
size_t kbd_feed(struct kbd *k, uint8_t sc, char *out);
