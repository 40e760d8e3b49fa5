/*
 * fmt.c - PCI addresses and lspci lines as text (pci.h). Pure.
 */
#include "base/err.h"
#include "base/hex.h"
#include "fmt/fmt.h"
#include "pci/pci.h"

void pci_addr_fmt(struct pci_addr a, char buf[13])
{
	fmt_snprintf(buf, 13, "%04x:%02x:%02x.%x", a.seg, a.bus, a.dev & 0x1f, a.fn & 7);
}

/* Exactly ndig hex digits at s[*at], then *at moves past them. */
static int hexfield(const char *s, size_t len, size_t *at, unsigned ndig, unsigned *out)
{
	unsigned v = 0;
	for (unsigned i = 0; i < ndig; i++) {
		if (*at >= len)
			return -E_INVAL;
		int d = hex_digit(s[(*at)++]);
		if (d < 0)
			return -E_INVAL;
		v = v * 16 + (unsigned)d;
	}
	*out = v;
	return 0;
}

static int expect(const char *s, size_t len, size_t *at, char ch)
{
	if (*at >= len || s[*at] != ch)
		return -E_INVAL;
	(*at)++;
	return 0;
}

int pci_addr_parse(const char *s, size_t len, struct pci_addr *a)
{
	size_t at = 0;
	unsigned seg = 0, bus, dev, fn;
	if (len == 12) {
		if (hexfield(s, len, &at, 4, &seg) || expect(s, len, &at, ':'))
			return -E_INVAL;
	} else if (len != 7) {
		return -E_INVAL;
	}
	if (hexfield(s, len, &at, 2, &bus) || expect(s, len, &at, ':') ||
	    hexfield(s, len, &at, 2, &dev) || expect(s, len, &at, '.') ||
	    hexfield(s, len, &at, 1, &fn))
		return -E_INVAL;
	if (dev > 31 || fn > 7)
		return -E_INVAL;
	*a = (struct pci_addr){
	    .seg = (uint16_t)seg, .bus = (uint8_t)bus, .dev = (uint8_t)dev, .fn = (uint8_t)fn};
	return 0;
}

/* Appends to buf[*at..n) as snprintf would; *at counts what was needed. */
#define ADD(...)                                                                                   \
	do {                                                                                       \
		size_t room_ = *at < n ? n - *at : 0;                                              \
		int k_ = fmt_snprintf(room_ ? buf + *at : NULL, room_, __VA_ARGS__);               \
		if (k_ > 0)                                                                        \
			*at += (size_t)k_;                                                         \
	} while (0)

static void add_addr(char *buf, size_t n, size_t *at, struct pci_addr a)
{
	if (a.seg)
		ADD("%04x:", a.seg);
	ADD("%02x:%02x.%x", a.bus, a.dev & 0x1f, a.fn & 7);
}

size_t pci_fmt_line(char *buf, size_t n, struct pci_addr a, const struct pci_hdr *h,
		    const struct pci_names *names, bool numeric)
{
	size_t len = 0, *at = &len;
	if (n)
		buf[0] = '\0';
	add_addr(buf, n, at, a);
	unsigned cc = (unsigned)h->class_code << 8 | h->subclass;
	if (numeric) {
		ADD(" %04x: %04x:%04x", cc, h->vendor, h->device);
	} else {
		const char *cls = names ? names->cls : NULL;
		const char *ven = names ? names->vendor : NULL;
		const char *devn = names ? names->device : NULL;
		if (cls)
			ADD(" %s [%04x]: ", cls, cc);
		else
			ADD(" Class [%04x]: ", cc);
		if (ven)
			ADD("%s ", ven);
		if (ven && devn)
			ADD("%s [%04x:%04x]", devn, h->vendor, h->device);
		else
			ADD("Device [%04x:%04x]", h->vendor, h->device);
	}
	if (h->revision)
		ADD(" (rev %02x)", h->revision);
	return len;
}
