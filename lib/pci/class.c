/*
 * class.c - the built-in class and subclass names lspci prints when no
 * pci.ids is at hand (names as in pci.ids's class section, "C" lines).
 * A table sorted by (class, subclass); subclass 0xff... entries with
 * SUB_ANY give the class's own name.
 */
#include "pci/pci.h"

#define SUB_ANY 0x100

static const struct {
	uint8_t cls;
	uint16_t sub; /* SUB_ANY: the class's own name */
	const char *name;
} classes[] = {
    {0x00, SUB_ANY, "Unclassified device"},
    {0x00, 0x00, "Non-VGA unclassified device"},
    {0x00, 0x01, "VGA compatible unclassified device"},
    {0x01, SUB_ANY, "Mass storage controller"},
    {0x01, 0x00, "SCSI storage controller"},
    {0x01, 0x01, "IDE interface"},
    {0x01, 0x02, "Floppy disk controller"},
    {0x01, 0x03, "IPI bus controller"},
    {0x01, 0x04, "RAID bus controller"},
    {0x01, 0x05, "ATA controller"},
    {0x01, 0x06, "SATA controller"},
    {0x01, 0x07, "Serial Attached SCSI controller"},
    {0x01, 0x08, "Non-Volatile memory controller"},
    {0x01, 0x80, "Mass storage controller"},
    {0x02, SUB_ANY, "Network controller"},
    {0x02, 0x00, "Ethernet controller"},
    {0x02, 0x01, "Token ring network controller"},
    {0x02, 0x02, "FDDI network controller"},
    {0x02, 0x03, "ATM network controller"},
    {0x02, 0x04, "ISDN controller"},
    {0x02, 0x80, "Network controller"},
    {0x03, SUB_ANY, "Display controller"},
    {0x03, 0x00, "VGA compatible controller"},
    {0x03, 0x01, "XGA compatible controller"},
    {0x03, 0x02, "3D controller"},
    {0x03, 0x80, "Display controller"},
    {0x04, SUB_ANY, "Multimedia controller"},
    {0x04, 0x00, "Multimedia video controller"},
    {0x04, 0x01, "Multimedia audio controller"},
    {0x04, 0x02, "Computer telephony device"},
    {0x04, 0x03, "Audio device"},
    {0x04, 0x80, "Multimedia controller"},
    {0x05, SUB_ANY, "Memory controller"},
    {0x05, 0x00, "RAM memory"},
    {0x05, 0x01, "FLASH memory"},
    {0x05, 0x80, "Memory controller"},
    {0x06, SUB_ANY, "Bridge"},
    {0x06, 0x00, "Host bridge"},
    {0x06, 0x01, "ISA bridge"},
    {0x06, 0x02, "EISA bridge"},
    {0x06, 0x03, "MicroChannel bridge"},
    {0x06, 0x04, "PCI bridge"},
    {0x06, 0x05, "PCMCIA bridge"},
    {0x06, 0x06, "NuBus bridge"},
    {0x06, 0x07, "CardBus bridge"},
    {0x06, 0x08, "RACEway bridge"},
    {0x06, 0x09, "Semi-transparent PCI-to-PCI bridge"},
    {0x06, 0x0a, "InfiniBand to PCI host bridge"},
    {0x06, 0x80, "Bridge"},
    {0x07, SUB_ANY, "Communication controller"},
    {0x07, 0x00, "Serial controller"},
    {0x07, 0x01, "Parallel controller"},
    {0x07, 0x02, "Multiport serial controller"},
    {0x07, 0x03, "Modem"},
    {0x07, 0x80, "Communication controller"},
    {0x08, SUB_ANY, "Generic system peripheral"},
    {0x08, 0x00, "PIC"},
    {0x08, 0x01, "DMA controller"},
    {0x08, 0x02, "Timer"},
    {0x08, 0x03, "RTC"},
    {0x08, 0x05, "SD Host controller"},
    {0x08, 0x06, "IOMMU"},
    {0x08, 0x80, "System peripheral"},
    {0x09, SUB_ANY, "Input device controller"},
    {0x09, 0x00, "Keyboard controller"},
    {0x09, 0x02, "Mouse controller"},
    {0x0a, SUB_ANY, "Docking station"},
    {0x0b, SUB_ANY, "Processor"},
    {0x0c, SUB_ANY, "Serial bus controller"},
    {0x0c, 0x00, "FireWire (IEEE 1394)"},
    {0x0c, 0x03, "USB controller"},
    {0x0c, 0x04, "Fibre Channel"},
    {0x0c, 0x05, "SMBus"},
    {0x0c, 0x07, "IPMI Interface"},
    {0x0c, 0x80, "Serial bus controller"},
    {0x0d, SUB_ANY, "Wireless controller"},
    {0x0d, 0x11, "Bluetooth"},
    {0x0d, 0x80, "Wireless controller"},
    {0x0e, SUB_ANY, "Intelligent controller"},
    {0x0f, SUB_ANY, "Satellite communications controller"},
    {0x10, SUB_ANY, "Encryption controller"},
    {0x11, SUB_ANY, "Signal processing controller"},
    {0x12, SUB_ANY, "Processing accelerators"},
    {0x13, SUB_ANY, "Non-Essential Instrumentation"},
    {0x40, SUB_ANY, "Coprocessor"},
    {0xff, SUB_ANY, "Unassigned class"},
};

const char *pci_class_name(uint8_t class_code, uint8_t subclass)
{
	const char *cls = NULL;
	for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
		if (classes[i].cls != class_code)
			continue;
		if (classes[i].sub == subclass)
			return classes[i].name;
		if (classes[i].sub == SUB_ANY)
			cls = classes[i].name;
	}
	return cls;
}
