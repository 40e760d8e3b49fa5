/*
 * kbd.c - scan code set 1 to key events to US-layout bytes (kbd.h).
 *
 * Set 1 in short (IBM PC/XT and AT keyboard references; an AT keyboard
 * talks set 2 and the i8042 translates it to set 1 while bit 6 of its
 * configuration byte is set): a key's make code is one byte 0x01-0x7f,
 * its break code the same with bit 7 set. Keys added with the 101-key
 * keyboard (right Ctrl and Alt, the separate arrows and editing keys,
 * keypad Enter and /) send 0xE0 before each make and break. Pause sends
 * E1 1D 45 E1 9D C5 on press and nothing on release. The controller and
 * the keyboard add a few bytes of their own that are not keys: 0x00 and
 * 0xFF (buffer overrun or error), 0xAA (self-test passed: also Left
 * Shift's break, harmless as such), 0xEE (echo), 0xFA (ACK), 0xFC/0xFD
 * (self-test failed), 0xFE (resend).
 *
 * Pure and single-threaded: the caller owns the struct kbd.
 */
#include "kbd/kbd.h"

#define ESC 0x1b
#define DEL 0x7f

/* US layout, set-1 make code to the byte without and with Shift; 0: not a
   plain character key (handled by special_bytes or ignored). */
static const char us_plain[0x59] = {
    [0x02] = '1',  [0x03] = '2', [0x04] = '3', [0x05] = '4', [0x06] = '5',  [0x07] = '6',
    [0x08] = '7',  [0x09] = '8', [0x0a] = '9', [0x0b] = '0', [0x0c] = '-',  [0x0d] = '=',
    [0x10] = 'q',  [0x11] = 'w', [0x12] = 'e', [0x13] = 'r', [0x14] = 't',  [0x15] = 'y',
    [0x16] = 'u',  [0x17] = 'i', [0x18] = 'o', [0x19] = 'p', [0x1a] = '[',  [0x1b] = ']',
    [0x1e] = 'a',  [0x1f] = 's', [0x20] = 'd', [0x21] = 'f', [0x22] = 'g',  [0x23] = 'h',
    [0x24] = 'j',  [0x25] = 'k', [0x26] = 'l', [0x27] = ';', [0x28] = '\'', [0x29] = '`',
    [0x2b] = '\\', [0x2c] = 'z', [0x2d] = 'x', [0x2e] = 'c', [0x2f] = 'v',  [0x30] = 'b',
    [0x31] = 'n',  [0x32] = 'm', [0x33] = ',', [0x34] = '.', [0x35] = '/',  [0x39] = ' ',
    [0x56] = '\\', /* the 102nd key of ISO keyboards, '\' on a US map */
};

static const char us_shift[0x59] = {
    [0x02] = '!', [0x03] = '@', [0x04] = '#', [0x05] = '$', [0x06] = '%', [0x07] = '^',
    [0x08] = '&', [0x09] = '*', [0x0a] = '(', [0x0b] = ')', [0x0c] = '_', [0x0d] = '+',
    [0x10] = 'Q', [0x11] = 'W', [0x12] = 'E', [0x13] = 'R', [0x14] = 'T', [0x15] = 'Y',
    [0x16] = 'U', [0x17] = 'I', [0x18] = 'O', [0x19] = 'P', [0x1a] = '{', [0x1b] = '}',
    [0x1e] = 'A', [0x1f] = 'S', [0x20] = 'D', [0x21] = 'F', [0x22] = 'G', [0x23] = 'H',
    [0x24] = 'J', [0x25] = 'K', [0x26] = 'L', [0x27] = ':', [0x28] = '"', [0x29] = '~',
    [0x2b] = '|', [0x2c] = 'Z', [0x2d] = 'X', [0x2e] = 'C', [0x2f] = 'V', [0x30] = 'B',
    [0x31] = 'N', [0x32] = 'M', [0x33] = '<', [0x34] = '>', [0x35] = '?', [0x39] = ' ',
    [0x56] = '|',
};

/* The keypad 0x47-0x53 with Num Lock on. */
static const char keypad_num[] = "789-456+1230.";

/* Key codes the decoder names. */
enum {
	K_ESC = 0x01,
	K_BACKSPACE = 0x0e,
	K_TAB = 0x0f,
	K_ENTER = 0x1c,
	K_LCTRL = 0x1d,
	K_LSHIFT = 0x2a,
	K_RSHIFT = 0x36,
	K_KP_STAR = 0x37,
	K_LALT = 0x38,
	K_CAPS = 0x3a,
	K_F1 = 0x3b,
	K_F10 = 0x44,
	K_NUMLOCK = 0x45,
	K_KP7 = 0x47,
	K_KP_DOT = 0x53,
	K_F11 = 0x57,
	K_F12 = 0x58,
	K_KP_ENTER = KBD_EXT | 0x1c,
	K_RCTRL = KBD_EXT | 0x1d,
	K_KP_SLASH = KBD_EXT | 0x35,
	K_RALT = KBD_EXT | 0x38,
	K_HOME = KBD_EXT | 0x47,
	K_UP = KBD_EXT | 0x48,
	K_PGUP = KBD_EXT | 0x49,
	K_LEFT = KBD_EXT | 0x4b,
	K_RIGHT = KBD_EXT | 0x4d,
	K_END = KBD_EXT | 0x4f,
	K_DOWN = KBD_EXT | 0x50,
	K_PGDN = KBD_EXT | 0x51,
	K_INSERT = KBD_EXT | 0x52,
	K_DELETE = KBD_EXT | 0x53,
};

void kbd_init(struct kbd *k)
{
	k->prefix = 0;
	k->e1_seen = 0;
	k->e1_first = 0;
	k->mods = 0;
}

/* Bytes that are never a key when they come without a prefix. */
static bool not_a_key(uint8_t sc)
{
	return sc == 0x00 || sc == 0xee || sc == 0xfa || sc == 0xfc || sc == 0xfd || sc == 0xfe ||
	       sc == 0xff;
}

bool kbd_scan(struct kbd *k, uint8_t sc, struct kbd_event *ev)
{
	if (k->prefix == 0xe1) {
		if (k->e1_seen == 0 && (sc == 0x1d || sc == 0x9d)) {
			k->e1_first = sc;
			k->e1_seen = 1;
			return false;
		}
		bool pause = k->e1_seen == 1 && sc == (k->e1_first == 0x1d ? 0x45 : 0xc5);
		k->prefix = 0;
		k->e1_seen = 0;
		if (pause) {
			if (k->e1_first != 0x1d)
				return false; /* E1 9D C5: Pause's "break", sent right after its
						 make */
			ev->key = KBD_KEY_PAUSE;
			ev->down = true;
			return true;
		}
		/* not the Pause sequence: take sc as a fresh byte */
	}
	if (sc == 0xe0 || sc == 0xe1) {
		k->prefix = sc; /* a prefix after a prefix starts over */
		k->e1_seen = 0;
		return false;
	}
	bool ext = k->prefix == 0xe0;
	k->prefix = 0;
	if ((!ext && not_a_key(sc)) || (sc & 0x7f) == 0)
		return false;
	ev->key = (uint16_t)((ext ? KBD_EXT : 0) | (sc & 0x7f));
	ev->down = !(sc & 0x80);
	return true;
}

/* The modifier bit of key, or 0. */
static uint16_t mod_bit(uint16_t key)
{
	switch (key) {
	case K_LSHIFT:
		return KBD_LSHIFT;
	case K_RSHIFT:
		return KBD_RSHIFT;
	case K_LCTRL:
		return KBD_LCTRL;
	case K_RCTRL:
		return KBD_RCTRL;
	case K_LALT:
		return KBD_LALT;
	case K_RALT:
		return KBD_RALT;
	default:
		return 0;
	}
}

/* Copy the NUL-terminated s to out: its length. */
static size_t put(char *out, const char *s)
{
	size_t n = 0;
	while (s[n]) {
		out[n] = s[n];
		n++;
	}
	return n;
}

/* A lock key (Caps or Num Lock): toggle on a make that is not a repeat. */
static void lock_key(struct kbd *k, uint16_t on, uint16_t held, bool down)
{
	if (!down)
		k->mods &= (uint16_t)~held;
	else if (!(k->mods & held))
		k->mods = (uint16_t)((k->mods ^ on) | held);
}

/* The bytes of a function key F1-F12 (code K_F1..K_F10, K_F11, K_F12). */
static size_t fkey_bytes(uint16_t key, char *out)
{
	static const char *const seq[12] = {
	    "\x1bOP",	"\x1bOQ",   "\x1bOR",	"\x1bOS",   "\x1b[15~", "\x1b[17~",
	    "\x1b[18~", "\x1b[19~", "\x1b[20~", "\x1b[21~", "\x1b[23~", "\x1b[24~",
	};
	unsigned i = key == K_F11 ? 10 : key == K_F12 ? 11 : (unsigned)(key - K_F1);
	return put(out, seq[i]);
}

/* The bytes of a key that is not a plain character key (0 if none). */
static size_t special_bytes(const struct kbd *k, uint16_t key, char *out)
{
	bool shift = k->mods & (KBD_LSHIFT | KBD_RSHIFT);
	if (key >= K_KP7 && key <= K_KP_DOT && (k->mods & KBD_NUM)) {
		out[0] = keypad_num[key - K_KP7];
		return 1;
	}
	switch (key) {
	case K_ESC:
		out[0] = ESC;
		return 1;
	case K_BACKSPACE:
		out[0] = DEL; /* what a serial terminal's Backspace sends */
		return 1;
	case K_TAB:
		return shift ? put(out, "\x1b[Z") : put(out, "\t");
	case K_ENTER:
	case K_KP_ENTER:
		out[0] = '\r'; /* as a serial terminal sends Enter */
		return 1;
	case K_KP_STAR:
		out[0] = '*';
		return 1;
	case K_KP_SLASH:
		out[0] = '/';
		return 1;
	case K_KP7 + 3: /* keypad - */
		out[0] = '-';
		return 1;
	case K_KP7 + 7: /* keypad + */
		out[0] = '+';
		return 1;
	case K_UP:
	case K_KP7 + 1:
		return put(out, "\x1b[A");
	case K_DOWN:
	case K_KP7 + 9:
		return put(out, "\x1b[B");
	case K_RIGHT:
	case K_KP7 + 6:
		return put(out, "\x1b[C");
	case K_LEFT:
	case K_KP7 + 4:
		return put(out, "\x1b[D");
	case K_HOME:
	case K_KP7:
		return put(out, "\x1b[H");
	case K_END:
	case K_KP7 + 8:
		return put(out, "\x1b[F");
	case K_INSERT:
	case K_KP7 + 11:
		return put(out, "\x1b[2~");
	case K_DELETE:
	case K_KP_DOT:
		return put(out, "\x1b[3~");
	case K_PGUP:
	case K_KP7 + 2:
		return put(out, "\x1b[5~");
	case K_PGDN:
	case K_KP7 + 10:
		return put(out, "\x1b[6~");
	default:
		break;
	}
	if ((key >= K_F1 && key <= K_F10) || key == K_F11 || key == K_F12)
		return fkey_bytes(key, out);
	return 0;
}

/* A character key's byte under Shift, Caps Lock and Ctrl in *c; false if key is not one. */
static bool char_byte(const struct kbd *k, uint16_t key, char *c)
{
	if (key >= sizeof us_plain || !us_plain[key])
		return false;
	char plain = us_plain[key], shifted = us_shift[key];
	bool letter = plain >= 'a' && plain <= 'z';
	bool shift = k->mods & (KBD_LSHIFT | KBD_RSHIFT);
	if (letter && (k->mods & KBD_CAPS))
		shift = !shift;
	char ch = shift ? shifted : plain;
	if (k->mods & (KBD_LCTRL | KBD_RCTRL)) {
		if (letter)
			ch = (char)(plain & 0x1f); /* Ctrl-A 0x01 .. Ctrl-Z 0x1a */
		else if (plain == ' ')
			ch = 0; /* Ctrl-Space: NUL */
		else if (plain >= '[' && plain <= ']')
			ch = (char)(plain & 0x1f); /* Ctrl-[ ESC, Ctrl-\ FS, Ctrl-] GS */
		else if (shifted >= '@' && shifted <= '_')
			ch = (char)(shifted & 0x1f); /* Ctrl-2 (@) NUL, Ctrl-6 (^), Ctrl-- (_) */
	}
	*c = ch;
	return true;
}

size_t kbd_key(struct kbd *k, const struct kbd_event *ev, char *out)
{
	uint16_t bit = mod_bit(ev->key);
	if (bit) {
		k->mods = (uint16_t)(ev->down ? k->mods | bit : k->mods & ~bit);
		return 0;
	}
	if (ev->key == K_CAPS) {
		lock_key(k, KBD_CAPS, KBD_CAPS_DOWN, ev->down);
		return 0;
	}
	if (ev->key == K_NUMLOCK) {
		lock_key(k, KBD_NUM, KBD_NUM_DOWN, ev->down);
		return 0;
	}
	if (!ev->down)
		return 0;
	size_t n = 0;
	if (k->mods & (KBD_LALT | KBD_RALT))
		out[n++] = ESC; /* Alt as Meta: ESC first, as xterm's metaSendsEscape */
	char c;
	size_t m;
	if (char_byte(k, ev->key, &c)) {
		out[n] = c;
		m = 1;
	} else {
		m = special_bytes(k, ev->key, out + n);
	}
	return m ? n + m : 0;
}

size_t kbd_feed(struct kbd *k, uint8_t sc, char *out)
{
	struct kbd_event ev;
	if (!kbd_scan(k, sc, &ev))
		return 0;
	return kbd_key(k, &ev, out);
}
