/*
 * lspci - list PCI functions from pci: (docs/pcid.md).
 *
 * One line per function in the style of Linux's lspci -nn:
 * `00:02.0 VGA compatible controller [0300]: Device [1234:1111]`, names
 * from /usr/share/pci.ids (packed by tools/pciids; the numbers alone when
 * it is absent). -n: numbers only; -s SSSS:BB:DD.F (or BB:DD.F): that
 * function only; -v: the bridge's buses, the BARs (pci:/.../bars), the
 * capabilities and extended capabilities by name, the interrupt pin.
 * The lines come from lib/pci (pci_fmt_line) over the config bytes pcid
 * serves; lspci itself touches no hardware.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/err.h"
#include "pci/pci.h"
#include "usage.h"

static const char usage[] =
    "usage: lspci [-n] [-v] [-s [SSSS:]BB:DD.F]\n"
    "List PCI functions (from pci:).\n"
    "  -n   numeric ids only, no names\n"
    "  -v   verbose: buses, BARs, capabilities, interrupt pin and mode in use\n"
    "  -s   only the function at that address\n";

static char *ids;
static size_t idslen;

static void load_ids(void)
{
	static const char *const paths[] = {"/usr/share/pci.ids", "initfs:/usr/share/pci.ids"};
	for (unsigned i = 0; i < 2 && !ids; i++) {
		int fd = open(paths[i], O_RDONLY);
		if (fd < 0)
			continue;
		size_t cap = 1 << 20;
		char *buf = malloc(cap);
		ssize_t n;
		idslen = 0;
		while (buf && (n = read(fd, buf + idslen, cap - idslen)) > 0) {
			idslen += (size_t)n;
			if (idslen == cap) {
				char *nb = realloc(buf, cap * 2);
				if (!nb)
					break;
				buf = nb;
				cap *= 2;
			}
		}
		close(fd);
		ids = buf;
	}
}

/* A config space held in memory: lib/pci reads it through these ops. */
struct mem_cfg {
	uint8_t b[4096];
	size_t len;
};

static uint32_t mem_read(void *ctx, struct pci_addr a, uint16_t off, unsigned width)
{
	struct mem_cfg *m = ctx;
	if (off + width > m->len)
		return width == 4 ? 0xffffffffu : width == 2 ? 0xffffu : 0xffu;
	uint32_t v = 0;
	memcpy(&v, m->b + off, width);
	return v;
}

static void mem_write(void *ctx, struct pci_addr a, uint16_t off, unsigned width, uint32_t v)
{
}

static const struct pci_cfg_ops mem_ops = {.read = mem_read, .write = mem_write};

/* A name as a NUL-terminated copy in buf, or NULL. */
static const char *name_copy(const char *p, size_t len, char *buf, size_t n)
{
	if (!p)
		return NULL;
	if (len >= n)
		len = n - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

/* Read pci:/ADDR/LEAF whole into buf (NUL-terminated): its length, or -1. */
static ssize_t read_node(const char *addr, const char *leaf, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "pci:/%s/%s", addr, leaf);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static void print_bars(const char *addr)
{
	char buf[1024];
	if (read_node(addr, "bars", buf, sizeof buf) < 0)
		return;
	for (char *l = buf, *e; *l; l = e + 1) {
		e = strchr(l, '\n');
		if (!e)
			break;
		*e = '\0';
		printf("\tBAR %s\n", l);
	}
}

/* The interrupt mode pcid gave the driver (pci:/.../irq read-only), if any. */
static void print_irq_mode(const char *addr)
{
	char buf[64];
	if (read_node(addr, "irq", buf, sizeof buf) < 0)
		return;
	buf[strcspn(buf, "\n")] = '\0';
	printf("\tInterrupt in use: %s\n", buf);
}

static void verbose(const char *addr, const struct pci_cfg *c, const struct pci_hdr *h)
{
	if (h->type == 1 || h->type == 2)
		printf("\tBus: primary=%02x, secondary=%02x, subordinate=%02x\n", h->primary,
		       h->secondary, h->subordinate);
	if (h->prog_if)
		printf("\tProg-if: %02x\n", h->prog_if);
	if (h->int_pin)
		printf("\tInterrupt: pin %c\n", 'A' + h->int_pin - 1);
	print_irq_mode(addr);
	print_bars(addr);
	struct pci_cap_ent e[48];
	unsigned n = pci_cap_list(c, e, 48);
	for (unsigned i = 0; i < n && i < 48; i++) {
		const char *nm = pci_cap_name((uint8_t)e[i].id);
		printf("\tCapabilities: [%02x] %s", e[i].off, nm ? nm : "Unknown");
		if (!nm)
			printf(" (id %02x)", e[i].id);
		printf("\n");
	}
	n = pci_ecap_list(c, e, 48);
	for (unsigned i = 0; i < n && i < 48; i++) {
		const char *nm = pci_ecap_name(e[i].id);
		printf("\tCapabilities: [%03x v%u] %s", e[i].off, e[i].ver, nm ? nm : "Unknown");
		if (!nm)
			printf(" (id %04x)", e[i].id);
		printf("\n");
	}
	printf("\n");
}

static int show(const char *addr, bool numeric, bool verb)
{
	char path[64];
	static struct mem_cfg m;
	snprintf(path, sizeof path, "pci:/%s/config", addr);
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "lspci: %s: cannot open\n", path);
		return 1;
	}
	m.len = 0;
	ssize_t n;
	while (m.len < sizeof m.b && (n = read(fd, m.b + m.len, sizeof m.b - m.len)) > 0)
		m.len += (size_t)n;
	close(fd);
	struct pci_cfg c = {
	    .ops = &mem_ops, .ctx = &m, .size = (uint16_t)(m.len >= 4096 ? 4096 : 256)};
	if (pci_addr_parse(addr, strlen(addr), &c.addr) < 0)
		return 1;
	struct pci_hdr h;
	if (pci_hdr_read(&c, &h) == -E_NOENT)
		return 1;
	char cb[96], vb[128], db[160];
	struct pci_names nm = {0};
	if (!numeric) {
		size_t l;
		const char *s =
		    ids ? pci_ids_class(ids, idslen, h.class_code, h.subclass, &l) : NULL;
		nm.cls =
		    s ? name_copy(s, l, cb, sizeof cb) : pci_class_name(h.class_code, h.subclass);
		if (ids) {
			s = pci_ids_vendor(ids, idslen, h.vendor, &l);
			nm.vendor = name_copy(s, l, vb, sizeof vb);
			s = pci_ids_device(ids, idslen, h.vendor, h.device, &l);
			nm.device = name_copy(s, l, db, sizeof db);
		}
	}
	char line[512];
	pci_fmt_line(line, sizeof line, c.addr, &h, &nm, numeric);
	printf("%s\n", line);
	if (verb)
		verbose(addr, &c, &h);
	return 0;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	bool numeric = false, verb = false;
	struct pci_addr want;
	bool filter = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0) {
			numeric = true;
		} else if (strcmp(argv[i], "-nn") == 0) {
			/* names and numbers: the default */
		} else if (strcmp(argv[i], "-v") == 0) {
			verb = true;
		} else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
			i++;
			if (pci_addr_parse(argv[i], strlen(argv[i]), &want) < 0)
				usage_fail("lspci", usage, "bad address '%s'", argv[i]);
			filter = true;
		} else {
			usage_fail("lspci", usage, "unknown argument '%s'", argv[i]);
		}
	}
	if (!numeric)
		load_ids();
	DIR *d = opendir("pci:/");
	if (!d) {
		fprintf(stderr, "lspci: cannot open pci:/ (is pcid running?)\n");
		return 1;
	}
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		struct pci_addr a;
		if (pci_addr_parse(e->d_name, strlen(e->d_name), &a) < 0)
			continue; /* "events" */
		if (filter && (a.seg != want.seg || a.bus != want.bus || a.dev != want.dev ||
			       a.fn != want.fn))
			continue;
		rc |= show(e->d_name, numeric, verb);
	}
	closedir(d);
	return rc;
}
