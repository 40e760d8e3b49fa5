/*
 * pcid - the PCI bus daemon: enumerates every function and serves pci:
 * (docs/pcid.md).
 *
 * At start it settles the config access (access.c: ECAM from the MCFG,
 * else the legacy ports), walks every segment's buses (lib/pci/enum.c),
 * prints
 * `pcid: N functions on S segment(s), B buses in T ms` and serves:
 *   pci:/                    directory: one entry per function, bus order,
 *                            and `events`
 *   pci:/SSSS:BB:DD.F/       directory: config, bars, irq
 *   .../config               read: the config space; write: the claim
 *                            holder, or uid 0 while unclaimed;
 *                            rb_dup_handle(fd, "claim") on an O_RDWR uid-0
 *                            handle claims the device until that handle
 *                            closes; the claimant is granted the memory
 *                            BARs, and Bus Master is cleared at the end
 *   .../bars                 text: `INDEX mem32|mem64|io ADDR SIZE [prefetch]`
 *   .../irq                  irq.c's node (irq.h)
 *   pci:/events              `add|remove SSSS:BB:DD.F` lines, POLLIN when
 *                            one waits; write `rescan` (uid 0)
 *   pci:/hotplug             write `rescan BRIDGE` / `eject BRIDGE DEV`
 *                            (uid 0; acpid's ACPI hot-plug, acpihp.c),
 *                            read the result line
 *
 * Threads: three workers. tbl_lock guards the handle table, the event log
 * and the device table (a rescan); every handler runs under it except
 * the calls into irq.c, which drop it (irq.c may wait on acpid, whose
 * PCI_Config accesses come back to pcid and need the other worker), and
 * config reads and writes, which drop it around the access so that
 * accesses to different devices never wait on each other (U26); they
 * store the new offset only if the handle's slot still has the
 * generation it had (gen: the slot may have been closed and reused). A
 * handle being served by irq.c may be closed meanwhile (servers.md):
 * handlers read nothing of a handle after such a call, and irq.c defers a
 * release that races its request. Config accesses go through access.c,
 * lock-free per device on ECAM (one lock for the legacy port pair); a
 * device's multi-access sequences take its own lock (pcid.h). One more
 * thread, hotplug.c's, serves hot-plug slots; it reaches the table and
 * the event log only through pcid_slot_*, which take tbl_lock. A write
 * to pci:/hotplug runs acpihp.c without tbl_lock (an eject waits there
 * for drivers' closes, served by the other workers). A slot's
 * rescan gives each new function's unassigned BARs addresses (assign.c,
 * under tbl_lock) before it logs the function's `add`.
 */
#include <stddef.h>
#include <string.h>
#include "base/err.h"
#include "irq.h"
#include "pci/hpctl.h"
#include "pcid.h"
#include "rb/malloc.h"
#include "rb/server.h"
#include "rb/stdio.h"
#include "rb/sys.h"

struct pcid_dev pcid_devs[PCID_MAX_DEVS];
unsigned pcid_ndev;

static struct pcid_access acc;
static struct rb_server srv;
static struct rb_mutex tbl_lock = RB_MUTEX_INIT;
static bool serving; /* the boot walk is over: log every event */
uint32_t pcid_claim_gen;

/* ---- enumeration */

/* Devices found by the current walk, by address; marks and adds. */
static bool walk_seen[PCID_MAX_DEVS];

#define EV_MAX 256
static struct {
	char line[EV_MAX][24]; /* "remove SSSS:BB:DD.F\n" */
	uint64_t head;	       /* lines ever logged */
} evlog;

static void ev_log(const char *what, const char *name);

static int addr_cmp(struct pci_addr a, struct pci_addr b)
{
	uint64_t x = (uint64_t)a.seg << 16 | a.bus << 8 | a.dev << 3 | a.fn;
	uint64_t y = (uint64_t)b.seg << 16 | b.bus << 8 | b.dev << 3 | b.fn;
	return x < y ? -1 : x > y;
}

/* found()'s argument: log new functions as `add` (after the boot walk);
   give unassigned BARs addresses first (a hot-plug slot's rescan). */
struct walk {
	bool rescan, assign;
	unsigned added; /* `add` lines logged */
};

static int found(void *arg, const struct pci_cfg *c, const struct pci_hdr *h)
{
	struct walk *w = arg;
	for (unsigned i = 0; i < pcid_ndev; i++) {
		struct pcid_dev *d = &pcid_devs[i];
		if (addr_cmp(d->cfg.addr, c->addr) == 0 && d->hdr.vendor == h->vendor &&
		    d->hdr.device == h->device) {
			walk_seen[i] = true;
			if (!d->present) {
				/* Back after a remove: its BARs may have been
				   assigned anew (d->lock guards them). */
				rb_mutex_lock(&d->lock);
				d->bars_sized = false;
				d->bars_unplaced = false;
				rb_mutex_unlock(&d->lock);
				d->present = true;
				if (w->assign)
					pcid_assign_bars(d);
				ev_log("add", d->name);
				w->added++;
			}
			return 0;
		}
	}
	if (pcid_ndev == PCID_MAX_DEVS) {
		rb_printf("pcid: more than %d functions: the rest are ignored\n", PCID_MAX_DEVS);
		return 0;
	}
	struct pcid_dev *d = &pcid_devs[pcid_ndev];
	memset(d, 0, sizeof *d);
	d->cfg = *c;
	d->hdr = *h;
	d->lock = (struct rb_mutex)RB_MUTEX_INIT;
	d->present = true;
	pci_addr_fmt(c->addr, d->name);
	walk_seen[pcid_ndev++] = true;
	if (w->assign)
		pcid_assign_bars(d);
	if (w->rescan) {
		ev_log("add", d->name);
		w->added++;
	}
	return 0;
}

static void sort_devs(void)
{
	/* Insertion sort: a few hundred entries at most, once per walk. */
	for (unsigned i = 1; i < pcid_ndev; i++) {
		for (unsigned j = i;
		     j > 0 && addr_cmp(pcid_devs[j - 1].cfg.addr, pcid_devs[j].cfg.addr) > 0; j--) {
			struct pcid_dev t = pcid_devs[j];
			pcid_devs[j] = pcid_devs[j - 1];
			pcid_devs[j - 1] = t;
		}
	}
}

static uint64_t now_us(void)
{
	struct rb_timespec ts;
	rb_clock_gettime(RB_CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.sec * 1000000u + (uint64_t)ts.nsec / 1000u;
}

/* Walk everything; on a rescan, devices gone are marked and logged. */
static void enumerate(bool rescan)
{
	uint64_t t0 = now_us();
	unsigned buses = 0, refused = 0, segs = 0;
	struct walk w = {.rescan = rescan};
	memset(walk_seen, 0, sizeof walk_seen);
	if (acc.necam) {
		for (unsigned i = 0; i < acc.necam; i++) {
			const struct pcid_ecam *e = &acc.ecam[i];
			struct pci_enum en = {.ops = &pcid_ecam_ops,
					      .seg = e->seg,
					      .bus_start = e->bus_start,
					      .bus_end = e->bus_end,
					      .ext = true,
					      .all_buses = true,
					      .found = found,
					      .arg = &w};
			(void)!pci_enum_run(&en);
			buses += en.buses;
			refused += en.refused;
			segs += i == 0 || acc.ecam[i - 1].seg != e->seg;
		}
	} else if (acc.legacy) {
		struct pci_enum en = {.ops = &pcid_legacy_ops,
				      .bus_end = 0xff,
				      .all_buses = true,
				      .found = found,
				      .arg = &w};
		(void)!pci_enum_run(&en);
		buses = en.buses;
		refused = en.refused;
		segs = 1;
	}
	for (unsigned i = 0; i < pcid_ndev; i++) {
		if (pcid_devs[i].present && !walk_seen[i]) {
			pcid_devs[i].present = false;
			ev_log("remove", pcid_devs[i].name);
		}
	}
	if (!rescan)
		sort_devs();
	uint64_t us = now_us() - t0;
	unsigned n = 0;
	for (unsigned i = 0; i < pcid_ndev; i++)
		n += pcid_devs[i].present;
	if (refused)
		rb_printf("pcid: %u bridge(s) refused (secondary bus out of range or seen twice)\n",
			  refused);
	rb_printf("pcid: %u functions on %u segment(s), %u buses in %u.%03u ms\n", n, segs, buses,
		  (unsigned)(us / 1000), (unsigned)(us % 1000));
}

/* ---- one slot's buses (hotplug.c) */

/* Is d on port's secondary..subordinate buses (its segment)? */
static bool behind(const struct pcid_dev *port, const struct pcid_dev *d)
{
	return d->cfg.addr.seg == port->cfg.addr.seg && d->cfg.addr.bus >= port->hdr.secondary &&
	       d->cfg.addr.bus <= port->hdr.subordinate && port->hdr.secondary;
}

/*
 * Is d in device dev's slot behind port: on port's secondary bus with
 * device number dev, or on the buses behind a bridge that is (its
 * function may be gone from the table already: a removed bridge's
 * entry keeps its bus numbers). dev < 0: anything behind port. tbl_lock.
 */
static bool in_slot(const struct pcid_dev *port, int dev, const struct pcid_dev *d)
{
	if (!behind(port, d))
		return false;
	if (dev < 0)
		return true;
	if (d->cfg.addr.bus == port->hdr.secondary)
		return d->cfg.addr.dev == dev;
	for (unsigned i = 0; i < pcid_ndev; i++) {
		const struct pcid_dev *b = &pcid_devs[i];
		if (b->hdr.type == 1 && b->cfg.addr.seg == d->cfg.addr.seg &&
		    b->cfg.addr.bus == port->hdr.secondary && b->cfg.addr.dev == dev &&
		    b->hdr.secondary && d->cfg.addr.bus >= b->hdr.secondary &&
		    d->cfg.addr.bus <= b->hdr.subordinate)
			return true;
	}
	return false;
}

void pcid_slot_rescan(const struct pcid_dev *port, unsigned *added, unsigned *removed)
{
	const struct pci_addr *a = &port->cfg.addr;
	struct walk w = {.rescan = true, .assign = true};
	struct pci_enum en = {.seg = a->seg,
			      .bus_start = port->hdr.secondary,
			      .bus_end = port->hdr.subordinate,
			      .found = found,
			      .arg = &w};
	unsigned gone = 0;
	if (added)
		*added = 0;
	if (removed)
		*removed = 0;
	if (!port->hdr.secondary || port->hdr.secondary > port->hdr.subordinate)
		return;
	rb_mutex_lock(&tbl_lock);
	memset(walk_seen, 0, sizeof walk_seen);
	for (unsigned i = 0; i < acc.necam && !en.ops; i++) {
		const struct pcid_ecam *e = &acc.ecam[i];
		if (e->seg == a->seg && e->bus_start <= en.bus_start && en.bus_end <= e->bus_end) {
			en.ops = &pcid_ecam_ops;
			en.ext = true;
		}
	}
	if (!en.ops && acc.legacy && a->seg == 0)
		en.ops = &pcid_legacy_ops;
	if (en.ops)
		(void)!pci_enum_run(&en);
	for (unsigned i = 0; en.ops && i < pcid_ndev; i++) {
		struct pcid_dev *d = &pcid_devs[i];
		if (d->present && !walk_seen[i] && behind(port, d)) {
			d->present = false;
			ev_log("remove", d->name);
			gone++;
		}
	}
	rb_mutex_unlock(&tbl_lock);
	if (added)
		*added = w.added;
	if (removed)
		*removed = gone;
}

unsigned pcid_slot_remove(const struct pcid_dev *port, int dev)
{
	unsigned n = 0;
	rb_mutex_lock(&tbl_lock);
	for (unsigned i = 0; i < pcid_ndev; i++) {
		struct pcid_dev *d = &pcid_devs[i];
		if (d->present && in_slot(port, dev, d)) {
			d->present = false;
			ev_log("remove", d->name);
			n++;
		}
	}
	rb_mutex_unlock(&tbl_lock);
	return n;
}

bool pcid_slot_has_fns(const struct pcid_dev *port)
{
	bool any = false;
	rb_mutex_lock(&tbl_lock);
	for (unsigned i = 0; i < pcid_ndev && !any; i++)
		any = pcid_devs[i].present && behind(port, &pcid_devs[i]);
	rb_mutex_unlock(&tbl_lock);
	return any;
}

unsigned pcid_slot_claims(const struct pcid_dev *port, int dev)
{
	unsigned n = 0;
	rb_mutex_lock(&tbl_lock);
	for (unsigned i = 0; i < pcid_ndev; i++) {
		struct pcid_dev *d = &pcid_devs[i];
		if (!in_slot(port, dev, d))
			continue;
		rb_mutex_lock(&d->lock);
		n += d->claim_pid != 0;
		rb_mutex_unlock(&d->lock);
	}
	rb_mutex_unlock(&tbl_lock);
	return n;
}

unsigned pcid_slot_wait(const struct pcid_dev *port, int dev, uint64_t timeout_ns, unsigned *ms)
{
	uint64_t t0 = rb_now_ns(), end = t0 + timeout_ns;
	unsigned n;
	for (;;) {
		uint32_t gen = __atomic_load_n(&pcid_claim_gen, __ATOMIC_ACQUIRE);
		n = pcid_slot_claims(port, dev);
		uint64_t now = rb_now_ns();
		if (!n || now >= end)
			break;
		(void)rb_futex_wait(&pcid_claim_gen, gen, end - now);
	}
	*ms = (unsigned)((rb_now_ns() - t0) / 1000000);
	return n;
}

struct pcid_dev *pcid_bridge_at(struct pci_addr a)
{
	struct pcid_dev *found_dev = NULL;
	rb_mutex_lock(&tbl_lock);
	for (unsigned i = 0; i < pcid_ndev && !found_dev; i++) {
		struct pcid_dev *d = &pcid_devs[i];
		if (d->present && d->hdr.type == 1 && addr_cmp(d->cfg.addr, a) == 0)
			found_dev = d;
	}
	rb_mutex_unlock(&tbl_lock);
	return found_dev;
}

void pcid_bars(struct pcid_dev *d)
{
	if (!d->bars_sized) {
		d->nbars = pci_bars_probe(&d->cfg, d->hdr.type, d->bars);
		d->bars_sized = true;
	}
}

/* BAR bar's physical base and size, for irq.c's MSI-X table (irq.h;
   d->lock held). */
int pcid_bar_phys(struct pcid_dev *d, unsigned bar, uint64_t *phys, uint64_t *size)
{
	pcid_bars(d);
	for (unsigned i = 0; i < d->nbars; i++) {
		if (d->bars[i].index != bar)
			continue;
		if (d->bars[i].kind == PCI_BAR_IO)
			return -E_INVAL;
		*phys = d->bars[i].addr;
		*size = d->bars[i].size;
		return 0;
	}
	return -E_NOENT;
}

/* ---- handles */

enum kind { H_ROOT = 1, H_DEVDIR, H_CONFIG, H_BARS, H_IRQ, H_IRQINFO, H_EVENTS, H_HOTPLUG };

struct handle {
	uint8_t kind;
	uint32_t gen; /* handle_new's count at the open: tells a reused slot apart */
	bool writable, claim;
	struct pcid_dev *dev;
	uint64_t off;	 /* config/bars position; directory index */
	uint64_t ev_seq; /* events: next log line to give */
	unsigned ev_dev; /* events: next device of the initial adds */
	unsigned ev_end; /* events: pcid_ndev at the open (later ones come as lines) */
	bool ev_ready;	 /* POLLIN announced */
	char *text;	 /* bars: the text made at open */
	size_t textlen;
};

/* Handles that read a text (bars and irq opened read-only: made at
   open; hotplug: the last command's result). */
static bool is_text(const struct handle *h)
{
	return h->kind == H_BARS || h->kind == H_IRQINFO || h->kind == H_HOTPLUG;
}

#define MAX_HANDLES 1024
static struct handle handles[MAX_HANDLES]; /* handle h is handles[h - 1] */

static struct handle *handle_get(uint64_t h)
{
	return h >= 1 && h <= MAX_HANDLES && handles[h - 1].kind ? &handles[h - 1] : NULL;
}

static uint32_t handle_gen; /* tbl_lock */

static long handle_new(enum kind k, struct pcid_dev *d, bool writable)
{
	for (unsigned i = 0; i < MAX_HANDLES; i++) {
		if (!handles[i].kind) {
			handles[i] = (struct handle){.kind = (uint8_t)k,
						     .gen = ++handle_gen,
						     .dev = d,
						     .writable = writable};
			return i + 1;
		}
	}
	return -E_NFILE;
}

/* ---- events */

static bool ev_pending(const struct handle *h)
{
	if (h->ev_dev < h->ev_end)
		return true;
	return h->ev_seq < evlog.head;
}

static void ev_log(const char *what, const char *name)
{
	char *l = evlog.line[evlog.head % EV_MAX];
	rb_snprintf(l, sizeof evlog.line[0], "%s %s\n", what, name);
	evlog.head++;
	if (serving)
		rb_printf("pcid: event: %s", l); /* a change after boot: rescan or hotplug */
	for (unsigned i = 0; i < MAX_HANDLES; i++) {
		struct handle *h = &handles[i];
		if (h->kind == H_EVENTS && !h->ev_ready) {
			h->ev_ready = true;
			rb_server_event(&srv, i + 1, RB_POLLIN);
		}
	}
}

static long ev_read(struct handle *h, char *out, size_t max)
{
	size_t used = 0;
	char line[24];
	while (h->ev_dev < h->ev_end) {
		struct pcid_dev *d = &pcid_devs[h->ev_dev];
		size_t n =
		    d->present ? (size_t)rb_snprintf(line, sizeof line, "add %s\n", d->name) : 0;
		if (used + n > max)
			goto out;
		memcpy(out + used, line, n);
		used += n;
		h->ev_dev++;
	}
	if (evlog.head - h->ev_seq > EV_MAX)
		h->ev_seq = evlog.head - EV_MAX; /* lost the oldest: the reader was too slow */
	while (h->ev_seq < evlog.head) {
		const char *l = evlog.line[h->ev_seq % EV_MAX];
		size_t n = strlen(l);
		if (used + n > max)
			break;
		memcpy(out + used, l, n);
		used += n;
		h->ev_seq++;
	}
out:
	if (!ev_pending(h) && h->ev_ready) {
		h->ev_ready = false;
		uint64_t id = (uint64_t)(h - handles) + 1;
		rb_server_event(&srv, id, 0);
	}
	return (long)used;
}

/* ---- ops */

static struct pcid_dev *dev_by_name(const char *s, size_t len)
{
	struct pci_addr a;
	if (pci_addr_parse(s, len, &a) < 0 || len != 12)
		return NULL;
	for (unsigned i = 0; i < pcid_ndev; i++)
		if (pcid_devs[i].present && addr_cmp(pcid_devs[i].cfg.addr, a) == 0)
			return &pcid_devs[i];
	return NULL;
}

static long make_bars_text(struct handle *h)
{
	struct pcid_dev *d = h->dev;
	static char buf[6 * 64];
	size_t used = 0;
	rb_mutex_lock(&d->lock);
	pcid_bars(d);
	for (unsigned i = 0; i < d->nbars; i++) {
		const struct pci_bar *b = &d->bars[i];
		used += (size_t)rb_snprintf(
		    buf + used, sizeof buf - used, "%u %s %#llx %#llx%s\n", b->index,
		    pci_bar_kind_name(b->kind), (unsigned long long)b->addr,
		    (unsigned long long)b->size, b->prefetch ? " prefetch" : "");
	}
	rb_mutex_unlock(&d->lock);
	h->text = rb_malloc(used + 1);
	if (!h->text)
		return -E_NOMEM;
	memcpy(h->text, buf, used);
	h->textlen = used;
	return 0;
}

static long op_open(struct rb_server *s, struct rb_server_call *c)
{
	const char *p = c->path;
	while (*p == '/')
		p++;
	int flags = (int)c->req->a;
	bool wr = (flags & 3) != RB_O_RDONLY;
	if (*p == '\0')
		return wr ? -E_ISDIR : handle_new(H_ROOT, NULL, false);
	if (strcmp(p, "events") == 0) {
		long n = handle_new(H_EVENTS, NULL, wr);
		if (n > 0) {
			handles[n - 1].ev_seq = evlog.head;
			handles[n - 1].ev_end = pcid_ndev;
			handles[n - 1].ev_ready = true;
			c->flags = RB_ANS_EVENTS;
			c->events = RB_POLLIN; /* the first read lists every device */
		}
		return n;
	}
	if (strcmp(p, "hotplug") == 0)
		return handle_new(H_HOTPLUG, NULL, wr);
	const char *slash = strchr(p, '/');
	size_t nlen = slash ? (size_t)(slash - p) : strlen(p);
	struct pcid_dev *d = dev_by_name(p, nlen);
	if (!d)
		return -E_NOENT;
	const char *leaf = slash ? slash + 1 : "";
	if (*leaf == '\0')
		return wr ? -E_ISDIR : handle_new(H_DEVDIR, d, false);
	if (strcmp(leaf, "config") == 0) {
		if (wr && c->req->uid != 0 && d->claim_pid != (int)c->req->pid)
			return -E_ACCES;
		return handle_new(H_CONFIG, d, wr);
	}
	if (strcmp(leaf, "bars") == 0) {
		if (wr)
			return -E_ACCES;
		long h = handle_new(H_BARS, d, false);
		if (h > 0) {
			long r = make_bars_text(handle_get((uint64_t)h));
			if (r < 0) {
				handles[h - 1].kind = 0;
				return r;
			}
		}
		return h;
	}
	if (strcmp(leaf, "irq") == 0 && !wr) { /* anyone: the mode in use (lspci -v) */
		char line[64];
		int n = pcid_irq_describe(d, line, sizeof line);
		long h = handle_new(H_IRQINFO, d, false);
		struct handle *hh = h > 0 ? handle_get((uint64_t)h) : NULL;
		if (hh && !(hh->text = rb_malloc((size_t)n + 1))) {
			hh->kind = 0;
			return -E_NOMEM;
		}
		if (hh) {
			memcpy(hh->text, line, (size_t)n);
			hh->textlen = (size_t)n;
		}
		return h;
	}
	if (strcmp(leaf, "irq") == 0) {
		if (c->req->uid != 0)
			return -E_ACCES;
		/* One irq handle per device: its close releases the device's
		   interrupts, so a second one could pull them from under the
		   driver holding the first. */
		if (d->irq_open)
			return -E_BUSY;
		long h = handle_new(H_IRQ, d, true);
		if (h > 0)
			d->irq_open = true;
		return h;
	}
	return -E_NOENT;
}

/* A claim ends: stop the device mastering the bus, so a driver that died
   cannot have it write into memory that is no longer its (d->lock held). */
static void claim_end(struct pcid_dev *d)
{
	uint16_t cmd = pci_read16(&d->cfg, PCI_COMMAND);
	if (cmd != 0xffff && (cmd & PCI_CMD_MASTER))
		pci_write16(&d->cfg, PCI_COMMAND, (uint16_t)(cmd & ~PCI_CMD_MASTER));
	d->claim_pid = 0;
	d->claim_handle = 0;
	/* hotplug.c may wait for this claim to end before it powers the
	   slot off */
	__atomic_add_fetch(&pcid_claim_gen, 1, __ATOMIC_RELEASE);
	(void)rb_futex_wake(&pcid_claim_gen, 1 << 30);
}

static long op_close(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	if (h->kind == H_IRQ) {
		struct pcid_dev *d = h->dev;
		rb_mutex_unlock(&tbl_lock);
		pcid_irq_release(d);
		rb_mutex_lock(&tbl_lock);
		d->irq_open = false;
	}
	if (h->claim) {
		rb_mutex_lock(&h->dev->lock);
		claim_end(h->dev);
		rb_mutex_unlock(&h->dev->lock);
	}
	rb_free(h->text);
	*h = (struct handle){0};
	return 0;
}

/*
 * Give the claimant its memory BARs to physmap (d->lock held). A grant
 * that fails is logged and the claim stands: the driver's physmap then
 * fails and it reports that itself. I/O BARs are not granted: pcid holds
 * only the config ports (a driver that needs ports gets them from
 * hw.policy).
 */
static void grant_bars(struct pcid_dev *d, int pid)
{
	pcid_bars(d);
	for (unsigned i = 0; i < d->nbars; i++) {
		const struct pci_bar *b = &d->bars[i];
		if (b->kind == PCI_BAR_IO || !b->addr || !b->size)
			continue;
		long r = rb_hwgrant(pid, RB_HW_PHYS, b->addr, b->size);
		if (r < 0)
			rb_printf("pcid: %s: granting BAR %u to pid %d: %s\n", d->name, b->index,
				  pid, err_name((int)r));
	}
}

static long op_dup(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	if (c->path[0] == '\0') {
		if (h->kind == H_IRQ)
			return -E_BUSY; /* one irq handle per device (op_open) */
		long n = handle_new((enum kind)h->kind, h->dev, h->writable);
		if (n > 0 && is_text(h)) {
			struct handle *d = &handles[n - 1];
			if (!(d->text = rb_malloc(h->textlen + 1))) {
				d->kind = 0;
				return -E_NOMEM;
			}
			memcpy(d->text, h->text, h->textlen);
			d->textlen = h->textlen;
		}
		return n;
	}
	if (strcmp(c->path, "claim") != 0 || h->kind != H_CONFIG)
		return -E_INVAL;
	if (!h->writable || c->req->uid != 0)
		return -E_ACCES;
	struct pcid_dev *d = h->dev;
	rb_mutex_lock(&d->lock);
	/* A hot-added function whose memory BARs got no address (assign.c
	   logged why): a driver could map nothing, so it is told here. */
	long n = d->claim_pid	    ? -E_BUSY
		 : d->bars_unplaced ? -E_NOSPC
				    : handle_new(H_CONFIG, d, true);
	if (n > 0) {
		handles[n - 1].claim = true;
		d->claim_pid = (int)c->req->pid;
		d->claim_handle = (uint64_t)n;
		grant_bars(d, d->claim_pid);
	}
	rb_mutex_unlock(&d->lock);
	return n;
}

/* Config bytes [off, off + n) through naturally aligned accesses. */
static void cfg_copy_out(struct pcid_dev *d, uint16_t off, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint16_t at = (uint16_t)(off + i);
		if (!(at & 3) && n - i >= 4) {
			uint32_t v = pci_read32(&d->cfg, at);
			memcpy(out + i, &v, 4);
			i += 4;
		} else {
			out[i++] = pci_read8(&d->cfg, at);
		}
	}
}

static void cfg_copy_in(struct pcid_dev *d, uint16_t off, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint16_t at = (uint16_t)(off + i);
		if (!(at & 3) && n - i >= 4) {
			uint32_t v;
			memcpy(&v, in + i, 4);
			pci_write32(&d->cfg, at, v);
			i += 4;
		} else if (!(at & 1) && n - i >= 2) {
			uint16_t v;
			memcpy(&v, in + i, 2);
			pci_write16(&d->cfg, at, v);
			i += 2;
		} else {
			pci_write8(&d->cfg, at, in[i++]);
		}
	}
}

static long op_read(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	long r;
	switch (h->kind) {
	case H_CONFIG: {
		struct pcid_dev *d = h->dev;
		if (h->off >= d->cfg.size)
			return 0;
		size_t n = d->cfg.size - (size_t)h->off;
		if (n > c->out_max)
			n = c->out_max;
		/* Without the table lock: accesses to different devices never
		   wait on each other (U26); only the device's own lock. */
		uint64_t start = h->off;
		uint32_t gen = h->gen;
		rb_mutex_unlock(&tbl_lock);
		rb_mutex_lock(&d->lock);
		cfg_copy_out(d, (uint16_t)start, c->out, n);
		rb_mutex_unlock(&d->lock);
		rb_mutex_lock(&tbl_lock);
		h = handle_get(c->req->handle); /* it may have been closed meanwhile */
		if (h && h->gen == gen)
			h->off = start + n;
		r = (long)n;
		break;
	}
	case H_BARS:
	case H_IRQINFO:
	case H_HOTPLUG: {
		if (h->off >= h->textlen)
			return 0;
		size_t n = h->textlen - (size_t)h->off;
		if (n > c->out_max)
			n = c->out_max;
		memcpy(c->out, h->text + h->off, n);
		h->off += n;
		r = (long)n;
		break;
	}
	case H_EVENTS:
		r = ev_read(h, c->out, c->out_max);
		break;
	case H_IRQ: {
		struct pcid_dev *d = h->dev;
		rb_mutex_unlock(&tbl_lock);
		r = pcid_irq_answer(d, c->out, c->out_max);
		rb_mutex_lock(&tbl_lock);
		break;
	}
	default:
		return -E_ISDIR;
	}
	if (r > 0)
		c->out_len = (size_t)r;
	return r;
}

/*
 * A command to pci:/hotplug (acpihp.c), run without tbl_lock: an eject
 * waits for drivers to close their claims, which other workers serve.
 * Its result line becomes the handle's text, read from its start.
 */
static long hotplug_write(struct rb_server_call *c, struct handle *h, size_t len)
{
	char cmd[PCI_HPCTL_MAX], res[PCI_HPCTL_MAX];
	if (!h->writable)
		return -E_BADF;
	if (c->req->uid != 0)
		return -E_PERM;
	if (len >= sizeof cmd)
		return -E_INVAL;
	memcpy(cmd, c->payload, len);
	uint32_t gen = h->gen;
	rb_mutex_unlock(&tbl_lock);
	int r = pcid_hpctl(cmd, len, (int)c->req->pid, res, sizeof res);
	rb_mutex_lock(&tbl_lock);
	if (r < 0)
		return r;
	h = handle_get(c->req->handle); /* it may have been closed meanwhile */
	if (h && h->gen == gen) {
		size_t n = strlen(res);
		char *t = rb_malloc(n + 1);
		if (!t)
			return -E_NOMEM;
		memcpy(t, res, n + 1);
		rb_free(h->text);
		h->text = t;
		h->textlen = n;
		h->off = 0;
	}
	return (long)len;
}

static long op_write(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	size_t len = c->req->len;
	switch (h->kind) {
	case H_CONFIG: {
		struct pcid_dev *d = h->dev;
		if (!h->writable)
			return -E_BADF;
		uint64_t start = h->off;
		uint32_t gen = h->gen;
		rb_mutex_unlock(&tbl_lock); /* as for reads: only the device's lock */
		rb_mutex_lock(&d->lock);
		bool ok = d->claim_pid ? d->claim_pid == (int)c->req->pid : c->req->uid == 0;
		if (ok && start < d->cfg.size) {
			if (len > d->cfg.size - start)
				len = d->cfg.size - (size_t)start;
			cfg_copy_in(d, (uint16_t)start, c->payload, len);
		}
		rb_mutex_unlock(&d->lock);
		rb_mutex_lock(&tbl_lock);
		if (!ok)
			return -E_ACCES;
		if (start >= d->cfg.size)
			return -E_NOSPC;
		h = handle_get(c->req->handle);
		if (h && h->gen == gen)
			h->off = start + len;
		return (long)len;
	}
	case H_EVENTS: {
		if (c->req->uid != 0)
			return -E_ACCES;
		const char *p = c->payload;
		if (len >= 6 && memcmp(p, "rescan", 6) == 0 &&
		    (len == 6 || (len == 7 && p[6] == '\n'))) {
			enumerate(true);
			return (long)len;
		}
		return -E_INVAL;
	}
	case H_IRQ: {
		struct pcid_dev *d = h->dev;
		rb_mutex_unlock(&tbl_lock);
		int r = pcid_irq_request(d, c->payload, len, (int)c->req->pid);
		rb_mutex_lock(&tbl_lock);
		return r;
	}
	case H_HOTPLUG:
		return hotplug_write(c, h, len);
	default:
		return -E_BADF;
	}
}

static long op_seek(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	if (h->kind != H_CONFIG && !is_text(h))
		return -E_SPIPE;
	int64_t off = (int64_t)c->req->a, base;
	uint64_t size = h->kind == H_CONFIG ? h->dev->cfg.size : h->textlen;
	switch (c->req->b) {
	case RB_SEEK_SET:
		base = 0;
		break;
	case RB_SEEK_CUR:
		base = (int64_t)h->off;
		break;
	case RB_SEEK_END:
		base = (int64_t)size;
		break;
	default:
		return -E_INVAL;
	}
	if (__builtin_add_overflow(base, off, &off) || off < 0)
		return -E_INVAL;
	h->off = (uint64_t)off;
	return (long)off;
}

static long op_fstat(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	struct rb_stat st = {.mode = 0x8000 | 0644};
	if (h->kind == H_ROOT || h->kind == H_DEVDIR)
		st.mode = 0x4000 | 0755;
	else if (h->kind == H_CONFIG)
		st.size = h->dev->cfg.size;
	else if (is_text(h))
		st.size = h->textlen;
	if (c->out_max < sizeof st)
		return -E_INVAL;
	memcpy(c->out, &st, sizeof st);
	c->out_len = sizeof st;
	return 0;
}

/* One rb_dirent into out at *used if it fits: true when it did. */
static bool dirent_put(char *out, size_t max, size_t *used, const char *name, unsigned type)
{
	size_t hdr = offsetof(struct rb_dirent, name), nl = strlen(name);
	size_t reclen = (hdr + nl + 1 + 7) & ~(size_t)7;
	if (reclen > max - *used)
		return false;
	struct rb_dirent d = {.reclen = (unsigned short)reclen, .type = (unsigned char)type};
	memset(out + *used, 0, reclen);
	memcpy(out + *used, &d, hdr);
	memcpy(out + *used + hdr, name, nl);
	*used += reclen;
	return true;
}

static long op_getdents(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	size_t used = 0;
	if (h->kind == H_ROOT) {
		/* index i < ndev: device i (present ones); ndev: "events";
		   ndev + 1: "hotplug" */
		for (; h->off <= pcid_ndev + 1; h->off++) {
			if (h->off < pcid_ndev && !pcid_devs[h->off].present)
				continue;
			const char *name = h->off < pcid_ndev	 ? pcid_devs[h->off].name
					   : h->off == pcid_ndev ? "events"
								 : "hotplug";
			if (!dirent_put(c->out, c->out_max, &used, name,
					h->off < pcid_ndev ? RB_DT_DIR : RB_DT_REG))
				break;
		}
	} else if (h->kind == H_DEVDIR) {
		static const char *const leaves[] = {"config", "bars", "irq"};
		for (; h->off < 3; h->off++)
			if (!dirent_put(c->out, c->out_max, &used, leaves[h->off], RB_DT_REG))
				break;
	} else {
		return -E_NOTDIR;
	}
	c->out_len = used;
	return (long)used;
}

static long op_fpath(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	static const char *const leaf[] = {"", "", "", "/config", "/bars", "/irq", "", "", ""};
	char p[48];
	int n;
	if (h->kind == H_ROOT)
		n = rb_snprintf(p, sizeof p, "/");
	else if (h->kind == H_EVENTS)
		n = rb_snprintf(p, sizeof p, "/events");
	else if (h->kind == H_HOTPLUG)
		n = rb_snprintf(p, sizeof p, "/hotplug");
	else
		n = rb_snprintf(p, sizeof p, "/%s%s", h->dev->name, leaf[h->kind]);
	size_t len = (size_t)n < c->out_max ? (size_t)n : c->out_max;
	memcpy(c->out, p, len);
	c->out_len = len;
	return (long)len;
}

static long op_recvfd(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	if (h->kind != H_IRQ)
		return -E_INVAL;
	struct pcid_dev *d = h->dev;
	rb_mutex_unlock(&tbl_lock);
	int fd = pcid_irq_take_fd(d);
	rb_mutex_lock(&tbl_lock);
	if (fd < 0)
		return -E_NOENT;
	c->flags = RB_ANS_FD;
	return fd;
}

static long op_cancel(struct rb_server *s, struct rb_server_call *c)
{
	return 0; /* every answer is immediate */
}

/* Every op under tbl_lock (the irq calls drop it inside). */
#define LOCKED(op)                                                                                 \
	static long locked_##op(struct rb_server *s, struct rb_server_call *c)                     \
	{                                                                                          \
		rb_mutex_lock(&tbl_lock);                                                          \
		long r = op(s, c);                                                                 \
		rb_mutex_unlock(&tbl_lock);                                                        \
		return r;                                                                          \
	}
LOCKED(op_open)
LOCKED(op_close)
LOCKED(op_read)
LOCKED(op_write)
LOCKED(op_seek)
LOCKED(op_fstat)
LOCKED(op_getdents)
LOCKED(op_fpath)
LOCKED(op_dup)
LOCKED(op_recvfd)

static const struct rb_server_ops ops = {
    .open = locked_op_open,
    .close = locked_op_close,
    .read = locked_op_read,
    .write = locked_op_write,
    .seek = locked_op_seek,
    .fstat = locked_op_fstat,
    .getdents = locked_op_getdents,
    .fpath = locked_op_fpath,
    .dup = locked_op_dup,
    .recvfd = locked_op_recvfd,
    .cancel = op_cancel,
};

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			rb_printf("usage: pcid [fail_msi=SSSS:BB:DD.F]\n"
				  "Enumerate PCI and serve pci: (docs/pcid.md).\n");
			return 0;
		}
		if (!pcid_irq_option(argv[i]))
			rb_printf("pcid: unknown argument '%s' ignored\n", argv[i]);
	}
	pcid_access_init(&acc);
	rb_printf("pcid: config access: %s\n", acc.how);
	enumerate(false);
	int r = rb_server_init(&srv, "pci", &ops, NULL);
	if (r < 0) {
		rb_printf("pcid: cannot register pci: (error %d)\n", -r);
		return 1;
	}
	rb_printf("pcid: serving pci:\n");
	serving = true;
	/* After the scheme exists: an INTx route asks acpid, whose
	   PCI_Config reads come back here (docs/pcid.md, "Hotplug"). */
	pcid_hotplug_start();
	/* Three workers: an ACPI eject holds one while it waits for a
	   driver's close, which another must serve (acpihp.c). */
	return rb_server_run(&srv, 3) < 0;
}
