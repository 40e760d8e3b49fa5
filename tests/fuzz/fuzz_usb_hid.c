/*
 * fuzz_usb_hid.c - libFuzzer target for the boot keyboard decoder
 * (lib/usb/hid.c) feeding lib/kbd: the input is a stream of reports, each
 * a length byte (0-15) and that many bytes, with 20 ms between them.
 * Checks: at most HID_EVENTS_MAX events per report, at most KBD_OUT_MAX
 * bytes per key; the repeat timer never asks for a wait over its delay;
 * and the decoder never wedges: after an all-zero report (every key up),
 * pressing and releasing A types 'a' or 'A' (Caps Lock may be on).
 */
#include <stdint.h>
#include <stdlib.h>
#include "kbd/kbd.h"
#include "usb/hid.h"

static size_t feed(struct hid_kbd *h, struct kbd *k, const uint8_t *r, size_t len, uint64_t now,
		   char *out)
{
	struct hid_key_event ev[HID_EVENTS_MAX];
	size_t n = hid_boot_report(h, r, len, now, ev);
	if (n > HID_EVENTS_MAX)
		abort();
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		struct kbd_event ke = {hid_usage_to_set1(ev[i].usage), ev[i].down};
		if (!ke.key)
			continue;
		size_t c = kbd_key(k, &ke, out);
		if (c > KBD_OUT_MAX)
			abort();
		m = c;
	}
	return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hid_kbd h;
	struct kbd k;
	hid_kbd_init(&h);
	kbd_init(&k);
	char out[KBD_OUT_MAX];
	uint64_t now = 0;
	for (size_t i = 0; i < size;) {
		size_t len = data[i++] & 0xf;
		if (len > size - i)
			len = size - i;
		(void)feed(&h, &k, data + i, len, now, out);
		i += len;
		now += 20000000;
		uint8_t u;
		(void)hid_repeat_due(&h, now, &u);
		int64_t w = hid_repeat_wait(&h, now);
		if (w > (int64_t)HID_REPEAT_DELAY_NS)
			abort();
	}
	static const uint8_t up[8], a[8] = {0, 0, 0x04};
	(void)feed(&h, &k, up, 8, now, out);
	size_t n = feed(&h, &k, a, 8, now, out);
	if (n != 1 || (out[0] != 'a' && out[0] != 'A'))
		abort();
	if (feed(&h, &k, up, 8, now, out) != 0)
		abort();
	return 0;
}
