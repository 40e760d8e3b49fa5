/*
 * cap.c - walking a function's capability list (pci.h). Pure: it reads
 * config space through the caller's struct pci_cfg and keeps no state.
 */
#include "pci/pci.h"

#define CAP_WALK_MAX 48 /* (256 - 64) / 4: more entries than fit means a loop */

uint16_t pci_cap_find(const struct pci_cfg *c, uint8_t id, uint16_t after)
{
	if (!(pci_read16(c, PCI_STATUS) & PCI_STATUS_CAPS))
		return 0;
	uint16_t at = pci_read8(c, PCI_CAP_PTR) & 0xfc;
	bool seen_after = after == 0;
	for (unsigned n = 0; n < CAP_WALK_MAX && at >= 0x40 && at < 256; n++) {
		uint16_t hdr = pci_read16(c, at);
		if (seen_after && (hdr & 0xff) == id)
			return at;
		if (at == after)
			seen_after = true;
		at = (hdr >> 8) & 0xfc;
	}
	return 0;
}
