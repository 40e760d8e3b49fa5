/*
 * fuzz_rsrc.c - libFuzzer target for the resource template decoder
 * (lib/acpi/rsrc.c): the input is a template; every descriptor is decoded,
 * the IRQ list taken, and each IRQ encoded for _SRS and decoded again,
 * which must give back the same interrupt.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/rsrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rsrc_irq irq[32], back;
	struct rsrc_desc d;
	uint8_t enc[16];
	size_t pos = 0, n, len, m;
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size); /* exact length, so ASan sees any overrun */
	while (rsrc_next(copy, size, &pos, &d) > 0)
		if (pos > size || d.size == 0)
			abort();
	if (rsrc_irqs(copy, size, irq, 32, &n) == 0) {
		for (size_t i = 0; i < n && i < 32; i++) {
			if (rsrc_encode_irq(&irq[i], enc, sizeof(enc), &len))
				continue;
			if (rsrc_irqs(enc, len, &back, 1, &m) || m != 1 || back.irq != irq[i].irq)
				abort();
		}
	}
	free(copy);
	return 0;
}
