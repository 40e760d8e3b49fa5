/*
 * fuzz_kbd.c - libFuzzer target for the scan code decoder (lib/kbd/kbd.c).
 * Every input byte is a scan code. Checks: no key event gives more than
 * KBD_OUT_MAX bytes; the prefix state stays one of none, 0xE0, 0xE1; the
 * modifiers stay within the defined bits; and the decoder never wedges:
 * after any input, a broken prefix costs at most the next byte, so
 * "release every modifier, then press and release A" ends in 'a' or
 * 'A' (Caps Lock may be on).
 */
#include <stdint.h>
#include <stdlib.h>
#include "kbd/kbd.h"

#define MODS_ALL 0x3ff

static void check(const struct kbd *k)
{
	if (k->prefix != 0 && k->prefix != 0xe0 && k->prefix != 0xe1)
		abort();
	if (k->mods & ~MODS_ALL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kbd k;
	kbd_init(&k);
	char out[KBD_OUT_MAX + 8];
	for (size_t i = 0; i < size; i++) {
		size_t n = kbd_feed(&k, data[i], out);
		if (n > KBD_OUT_MAX)
			abort();
		check(&k);
	}
	/* a harmless byte to end any prefix (0x1e's break: nothing typed, no state) */
	(void)kbd_feed(&k, 0x9e, out);
	static const uint8_t release[] = {0xaa, 0xb6, 0x9d, 0xe0, 0x9d, 0xb8, 0xe0, 0xb8};
	for (size_t i = 0; i < sizeof release; i++)
		if (kbd_feed(&k, release[i], out) != 0)
			abort();
	size_t n = kbd_feed(&k, 0x1e, out);
	if (n != 1 || (out[0] != 'a' && out[0] != 'A'))
		abort();
	if (kbd_feed(&k, 0x9e, out) != 0)
		abort();
	return 0;
}
