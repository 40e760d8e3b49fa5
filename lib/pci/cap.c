/*
 * cap.c - walking a function's capability list and its PCIe extended
 * capability list (pci.h), and their names for lspci. Pure: it reads
 * config space through the caller's struct pci_cfg and keeps no state.
 * Both walks are bounded by the number of entries the space can hold, so
 * a list that loops or points outside the space ends instead of spinning.
 */
#include "pci/pci.h"

#define CAP_WALK_MAX 48	  /* (256 - 64) / 4: more entries than fit means a loop */
#define ECAP_WALK_MAX 960 /* (4096 - 256) / 4 */

static uint16_t cap_first(const struct pci_cfg *c)
{
	if (!(pci_read16(c, PCI_STATUS) & PCI_STATUS_CAPS))
		return 0;
	return pci_read8(c, pci_cap_ptr_off(pci_read8(c, PCI_HEADER_TYPE))) & 0xfc;
}

uint16_t pci_cap_find(const struct pci_cfg *c, uint8_t id, uint16_t after)
{
	uint16_t at = cap_first(c);
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

unsigned pci_cap_list(const struct pci_cfg *c, struct pci_cap_ent *out, unsigned max)
{
	unsigned n = 0;
	uint16_t at = cap_first(c);
	for (; n < CAP_WALK_MAX && at >= 0x40 && at < 256; n++) {
		uint16_t hdr = pci_read16(c, at);
		if (n < max)
			out[n] = (struct pci_cap_ent){.off = at, .id = hdr & 0xff};
		at = (hdr >> 8) & 0xfc;
	}
	return n;
}

/* An extended capability header: id 15:0, version 19:16, next 31:20. A
   header of 0 or all ones means no list (PCIe base spec 7.6.3). */
static bool ecap_valid(uint32_t hdr)
{
	return hdr != 0 && hdr != 0xffffffff;
}

static uint16_t ecap_next(uint32_t hdr)
{
	return (uint16_t)((hdr >> 20) & 0xffc);
}

uint16_t pci_ecap_find(const struct pci_cfg *c, uint16_t id, uint16_t after)
{
	if (c->size <= PCI_EXT_CAP_START)
		return 0;
	uint16_t at = PCI_EXT_CAP_START;
	bool seen_after = after == 0;
	for (unsigned n = 0; n < ECAP_WALK_MAX && at >= PCI_EXT_CAP_START && at + 4u <= c->size;
	     n++) {
		uint32_t hdr = pci_read32(c, at);
		if (!ecap_valid(hdr))
			return 0;
		if (seen_after && (hdr & 0xffff) == id)
			return at;
		if (at == after)
			seen_after = true;
		at = ecap_next(hdr);
	}
	return 0;
}

unsigned pci_ecap_list(const struct pci_cfg *c, struct pci_cap_ent *out, unsigned max)
{
	if (c->size <= PCI_EXT_CAP_START)
		return 0;
	unsigned n = 0;
	uint16_t at = PCI_EXT_CAP_START;
	for (; n < ECAP_WALK_MAX && at >= PCI_EXT_CAP_START && at + 4u <= c->size; n++) {
		uint32_t hdr = pci_read32(c, at);
		if (!ecap_valid(hdr))
			break;
		if (n < max)
			out[n] = (struct pci_cap_ent){
			    .off = at, .id = hdr & 0xffff, .ver = (hdr >> 16) & 0xf};
		at = ecap_next(hdr);
	}
	return n;
}

/* Ids from the PCI Code and ID Assignment Specification; names as lspci. */
const char *pci_cap_name(uint8_t id)
{
	switch (id) {
	case 0x01:
		return "Power Management";
	case 0x02:
		return "AGP";
	case 0x03:
		return "Vital Product Data";
	case 0x04:
		return "Slot ID";
	case 0x05:
		return "MSI";
	case 0x06:
		return "CompactPCI hot-swap";
	case 0x07:
		return "PCI-X";
	case 0x08:
		return "HyperTransport";
	case 0x09:
		return "Vendor Specific";
	case 0x0a:
		return "Debug port";
	case 0x0b:
		return "CompactPCI central resource control";
	case 0x0c:
		return "PCI hot-plug";
	case 0x0d:
		return "Subsystem";
	case 0x0e:
		return "AGP 8x";
	case 0x0f:
		return "Secure device";
	case 0x10:
		return "Express";
	case 0x11:
		return "MSI-X";
	case 0x12:
		return "SATA HBA";
	case 0x13:
		return "PCI Advanced Features";
	case 0x14:
		return "Enhanced Allocation";
	case 0x15:
		return "Flattening Portal Bridge";
	default:
		return NULL;
	}
}

const char *pci_ecap_name(uint16_t id)
{
	switch (id) {
	case 0x0001:
		return "Advanced Error Reporting";
	case 0x0002:
		return "Virtual Channel";
	case 0x0003:
		return "Device Serial Number";
	case 0x0004:
		return "Power Budgeting";
	case 0x0005:
		return "Root Complex Link";
	case 0x0006:
		return "Root Complex Internal Link";
	case 0x0007:
		return "Root Complex Event Collector";
	case 0x0008:
		return "Multi-Function VC";
	case 0x0009:
		return "Virtual Channel";
	case 0x000a:
		return "Root Complex Register Block";
	case 0x000b:
		return "Vendor Specific Information";
	case 0x000d:
		return "Access Control Services";
	case 0x000e:
		return "Alternative Routing-ID Interpretation";
	case 0x000f:
		return "Address Translation Service";
	case 0x0010:
		return "Single Root I/O Virtualization";
	case 0x0013:
		return "Page Request Interface";
	case 0x0015:
		return "Resizable BAR";
	case 0x0017:
		return "Transaction Processing Hints";
	case 0x0018:
		return "Latency Tolerance Reporting";
	case 0x0019:
		return "Secondary PCI Express";
	case 0x001b:
		return "Process Address Space ID";
	case 0x001d:
		return "Downstream Port Containment";
	case 0x001e:
		return "L1 PM Substates";
	case 0x001f:
		return "Precision Time Measurement";
	case 0x0023:
		return "Designated Vendor-Specific";
	case 0x0025:
		return "Data Link Feature";
	case 0x0026:
		return "Physical Layer 16.0 GT/s";
	default:
		return NULL;
	}
}
