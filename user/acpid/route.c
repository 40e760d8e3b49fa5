/*
 * route.c - the INTx route of a PCI function for acpi:/route/SSSS:BB:DD.F/P.
 *
 * The bus chain from the function up to its root comes from pcid: every
 * function in pci:/ whose header type is 1 (a PCI-to-PCI bridge) leads to
 * its secondary bus (config byte 0x19). Going down from the root bridge
 * (prt_find_root by _SEG/_BBN), each bridge's ACPI node is the child whose
 * _ADR is its device/function; the nearest _PRT going up answers, and a
 * bridge without one swizzles the pin (lib/acpi/prt.c). A link source is
 * resolved through _CRS, or _PRS + _SRS. Answers are kept in a small table
 * (a link set by _SRS stays set, so the answer cannot change); a miss is
 * not kept. Without pci: only functions on a root bus are routed. The
 * legacy route is never guessed: no _PRT entry means ENOENT.
 *
 * Owned by main.c's struct acpid_state; one thread, no locks.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acpi/prt.h"
#include "aml/aml.h"
#include "base/err.h"
#include "internal.h"

#define MAX_BRIDGES 64
#define MAX_DEPTH 8
#define MAX_PRT 256
#define CACHE 64

struct bridge {
	unsigned bus, dev, fn; /* where the bridge is */
	unsigned secondary;    /* the bus it leads to */
};

struct cached {
	char what[24];
	char answer[48];
};

static struct cached cache[CACHE];
static unsigned ncache, next_slot;

/* n lowercase/uppercase hex digits at *s followed by sep: the value, or -1. */
static long hexfield(const char **s, unsigned n, char sep)
{
	long v = 0;

	for (unsigned i = 0; i < n; i++) {
		char c = (*s)[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	if ((*s)[n] != sep)
		return -1;
	*s += n + (sep ? 1 : 0);
	return v;
}

/* "SSSS:BB:DD.F" followed by sep: 0 or -E_NOENT. */
static int parse_bdf(const char **s, char sep, unsigned *seg, unsigned *bus, unsigned *dev,
		     unsigned *fn)
{
	long a = hexfield(s, 4, ':'), b = a < 0 ? -1 : hexfield(s, 2, ':');
	long c = b < 0 ? -1 : hexfield(s, 2, '.'), d = c < 0 ? -1 : hexfield(s, 1, sep);

	if (d < 0 || c > 31 || d > 7)
		return -E_NOENT;
	*seg = (unsigned)a;
	*bus = (unsigned)b;
	*dev = (unsigned)c;
	*fn = (unsigned)d;
	return 0;
}

static int parse(const char *what, unsigned *seg, unsigned *bus, unsigned *dev, unsigned *fn,
		 unsigned *pin)
{
	if (parse_bdf(&what, '/', seg, bus, dev, fn))
		return -E_NOENT;
	if (what[0] < 'A' || what[0] > 'D' || what[1] != 0)
		return -E_NOENT;
	*pin = (unsigned)(what[0] - 'A');
	return 0;
}

/* The bridges of segment seg, from pcid's config spaces: count or < 0. */
static int scan_bridges(unsigned seg, struct bridge *out, int max)
{
	DIR *d = opendir("pci:/");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -E_NOENT;
	while ((de = readdir(d)) && n < max) {
		unsigned s, b, dv, f;
		const char *name = de->d_name;
		uint8_t cfg[0x1A];
		char path[64];
		int fd;
		if (parse_bdf(&name, 0, &s, &b, &dv, &f) || s != seg)
			continue;
		snprintf(path, sizeof(path), "pci:/%s/config", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		if (read(fd, cfg, sizeof(cfg)) == (ssize_t)sizeof(cfg) && (cfg[0x0E] & 0x7F) == 1)
			out[n++] = (struct bridge){b, dv, f, cfg[0x19]};
		close(fd);
	}
	closedir(d);
	return n;
}

static int compute(struct acpid_state *st, const char *what, char *out, size_t cap)
{
	static struct bridge br[MAX_BRIDGES];
	static struct prt_entry prt[MAX_DEPTH][MAX_PRT];
	struct prt_hop hops[MAX_DEPTH];
	const struct bridge *chain[MAX_DEPTH];
	unsigned seg, bus, dev, fn, pin, depth = 0;
	char node[PRT_PATH_MAX], child[PRT_PATH_MAX];
	const struct prt_entry *hit;
	struct prt_route r;
	bool have_node;
	int nbr, err;

	if ((err = parse(what, &seg, &bus, &dev, &fn, &pin)))
		return err;
	if (!st->a.aml)
		return -E_NOENT;
	nbr = scan_bridges(seg, br, MAX_BRIDGES);
	if (nbr < 0)
		nbr = 0;
	/* up from bus to the root: chain[depth - 1] is nearest the root */
	for (unsigned b = bus;;) {
		int i;
		for (i = 0; i < nbr && br[i].secondary != b; i++)
			;
		if (i == nbr)
			break;
		if (depth == MAX_DEPTH - 1 || br[i].bus == b)
			return -E_NOENT; /* too deep, or a loop */
		chain[depth++] = &br[i];
		b = br[i].bus;
		bus = b;
	}
	/* bus is now the root bus; hops[0] the root bridge, then down */
	have_node = prt_find_root(st->a.aml, seg, bus, node, sizeof(node)) == 0;
	if (!have_node)
		return -E_NOENT;
	for (unsigned h = 0; h <= depth; h++) {
		size_t n = 0;
		if (h > 0) {
			const struct bridge *b = chain[depth - h];
			hops[h].dev = b->dev;
			have_node =
			    have_node && prt_find_child(st->a.aml, node, b->dev << 16 | b->fn,
							child, sizeof(child)) == 0;
			if (have_node)
				strcpy(node, child);
		}
		hops[h].prt = NULL;
		hops[h].n = 0;
		if (have_node && prt_read(st->a.aml, node, prt[h], MAX_PRT, &n) == 0) {
			hops[h].prt = prt[h];
			hops[h].n = n;
		}
	}
	if ((err = prt_route_chain(hops, depth + 1, dev, pin, &hit)))
		return err;
	if ((err = prt_entry_route(st->a.aml, hit, true, &r))) {
		st->aml_errors++;
		printf("acpid: route %s: link %s gives no IRQ (%s%s%s)\n", what, hit->source,
		       err_name(err), aml_last_error(st->a.aml)[0] ? ": " : "",
		       aml_last_error(st->a.aml));
		return -E_NOENT;
	}
	snprintf(out, cap, "%u %s %s\n", r.gsi, r.level ? "level" : "edge",
		 r.active_low ? "low" : "high");
	return 0;
}

int route_query(struct acpid_state *st, const char *what, char *out, size_t cap)
{
	int err;

	for (unsigned i = 0; i < ncache; i++)
		if (strcmp(cache[i].what, what) == 0) {
			snprintf(out, cap, "%s", cache[i].answer);
			return 0;
		}
	err = compute(st, what, out, cap);
	if (err || strlen(what) >= sizeof(cache[0].what))
		return err;
	snprintf(cache[next_slot].what, sizeof(cache[0].what), "%s", what);
	snprintf(cache[next_slot].answer, sizeof(cache[0].answer), "%s", out);
	next_slot = (next_slot + 1) % CACHE;
	if (ncache < CACHE)
		ncache++;
	return 0;
}
