/*
 * fuzz_pci_hpctl.c - libFuzzer target for the text of pci:/hotplug
 * (lib/pci/hpctl.c: what a client writes to pcid, what pcid answers to
 * acpid) and acpid's Notify queue (lib/acpi/pcihp.c). The input is
 * parsed as a command and as a result; whatever parses must format back
 * to a line that parses to the same thing. The input, cut into
 * NUL-separated paths with a value byte each, fills a note queue, which
 * must stay bounded, hold only hot-plug values and never a note twice.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "acpi/pcihp.h"
#include "pci/hpctl.h"

static void check_cmd(const char *s, size_t n)
{
	struct pci_hpctl_cmd c, d;
	char buf[PCI_HPCTL_MAX];
	if (pci_hpctl_parse(s, n, &c) < 0)
		return;
	int len = pci_hpctl_fmt(&c, buf, sizeof buf);
	if (len <= 0 || pci_hpctl_parse(buf, (size_t)len, &d) < 0)
		abort();
	if (c.op != d.op || c.dev != d.dev || memcmp(&c.bridge, &d.bridge, sizeof c.bridge) != 0)
		abort();
}

static void check_result(const char *s, size_t n)
{
	struct pci_hpctl_result r, p;
	char buf[PCI_HPCTL_MAX];
	if (pci_hpctl_result_parse(s, n, &r) < 0)
		return;
	size_t len = pci_hpctl_result_fmt(&r, buf, sizeof buf);
	if (pci_hpctl_result_parse(buf, len, &p) < 0 || memcmp(&r, &p, sizeof r) != 0)
		abort();
}

static void check_queue(const uint8_t *data, size_t size)
{
	static char path[4096];
	struct acpi_hp_queue q = {0};
	size_t at = 0;
	while (at < size) {
		uint8_t value = data[at++];
		size_t n = 0;
		while (at < size && data[at] != 0 && n < sizeof path - 1)
			path[n++] = (char)data[at++];
		path[n] = '\0';
		at++;
		unsigned before = q.n;
		int r = acpi_hp_note(&q, path, value);
		if (r == 1 && (q.n != before + 1 || strcmp(q.note[before].path, path) != 0))
			abort();
		if (r != 1 && q.n != before)
			abort();
		if (q.n > ACPI_HP_NOTES)
			abort();
	}
	for (unsigned i = 0; i < q.n; i++) {
		if (q.note[i].kind != 0 && q.note[i].kind != 1 && q.note[i].kind != 3)
			abort();
		for (unsigned j = i + 1; j < q.n; j++)
			if (q.note[i].kind == q.note[j].kind &&
			    strcmp(q.note[i].path, q.note[j].path) == 0)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1); /* exact size: ASan sees a read past it */
	if (!s)
		return 0;
	memcpy(s, data, size);
	check_cmd(s, size);
	check_result(s, size);
	free(s);
	check_queue(data, size);
	return 0;
}
