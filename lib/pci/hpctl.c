/*
 * hpctl.c - the command and result lines of pci:/hotplug (hpctl.h).
 * Pure; no state.
 */
#include <stdbool.h>
#include <string.h>
#include "base/err.h"
#include "fmt/fmt.h"
#include "pci/hpctl.h"

#define NUM_MAX 999999999u

/* The word at s[*at] is exactly w followed by one space. */
static bool word(const char *s, size_t len, size_t *at, const char *w)
{
	size_t n = strlen(w);
	if (len - *at < n + 1 || memcmp(s + *at, w, n) != 0 || s[*at + n] != ' ')
		return false;
	*at += n + 1;
	return true;
}

/* A decimal number of 1-9 digits at s[*at], at most max. */
static int number(const char *s, size_t len, size_t *at, unsigned max, unsigned *out)
{
	unsigned v = 0, nd = 0;
	while (*at < len && s[*at] >= '0' && s[*at] <= '9' && nd < 10) {
		v = v * 10 + (unsigned)(s[(*at)++] - '0');
		nd++;
	}
	if (nd == 0 || nd > 9 || v > max)
		return -E_INVAL;
	*out = v;
	return 0;
}

/* The length without one trailing newline. */
static size_t chomp(const char *s, size_t len)
{
	return len && s[len - 1] == '\n' ? len - 1 : len;
}

int pci_hpctl_parse(const char *s, size_t len, struct pci_hpctl_cmd *c)
{
	size_t at = 0;
	unsigned dev = 0;
	struct pci_hpctl_cmd out = {0};
	len = chomp(s, len);
	if (word(s, len, &at, "rescan"))
		out.op = PCI_HPCTL_RESCAN;
	else if (word(s, len, &at, "eject"))
		out.op = PCI_HPCTL_EJECT;
	else
		return -E_INVAL;
	if (len - at < 12 || pci_addr_parse(s + at, 12, &out.bridge) < 0)
		return -E_INVAL;
	at += 12;
	if (out.op == PCI_HPCTL_EJECT) {
		if (at >= len || s[at++] != ' ' || number(s, len, &at, 31, &dev) < 0)
			return -E_INVAL;
		out.dev = (uint8_t)dev;
	}
	if (at != len)
		return -E_INVAL;
	*c = out;
	return 0;
}

int pci_hpctl_fmt(const struct pci_hpctl_cmd *c, char *buf, size_t cap)
{
	char a[13];
	int n;
	if (c->bridge.dev > 31 || c->bridge.fn > 7 || c->dev > 31)
		return -E_INVAL;
	pci_addr_fmt(c->bridge, a);
	if (c->op == PCI_HPCTL_RESCAN)
		n = fmt_snprintf(buf, cap, "rescan %s\n", a);
	else if (c->op == PCI_HPCTL_EJECT)
		n = fmt_snprintf(buf, cap, "eject %s %u\n", a, c->dev);
	else
		return -E_INVAL;
	return n < 0 || (size_t)n >= cap ? -E_INVAL : n;
}

int pci_hpctl_result_parse(const char *s, size_t len, struct pci_hpctl_result *r)
{
	static const char *const names[] = {"added", "removed", "claimed", "ms"};
	unsigned v[4];
	size_t at = 0;
	len = chomp(s, len);
	for (unsigned i = 0; i < 4; i++) {
		if (i > 0 && (at >= len || s[at++] != ' '))
			return -E_INVAL;
		if (!word(s, len, &at, names[i]) || number(s, len, &at, NUM_MAX, &v[i]) < 0)
			return -E_INVAL;
	}
	if (at != len)
		return -E_INVAL;
	*r = (struct pci_hpctl_result){.added = v[0], .removed = v[1], .claimed = v[2], .ms = v[3]};
	return 0;
}

size_t pci_hpctl_result_fmt(const struct pci_hpctl_result *r, char *buf, size_t cap)
{
	/* the parser takes at most 9 digits: larger counts are capped */
	int n =
	    fmt_snprintf(buf, cap, "added %u removed %u claimed %u ms %u\n", MIN(r->added, NUM_MAX),
			 MIN(r->removed, NUM_MAX), MIN(r->claimed, NUM_MAX), MIN(r->ms, NUM_MAX));
	if (n < 0)
		return 0;
	return (size_t)n < cap ? (size_t)n : (cap ? cap - 1 : 0);
}
