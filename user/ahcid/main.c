/*
 * ahcid - the AHCI driver (AHCI 1.3.1, ATA8-ACS): one process per
 * controller (class 01:06:01), serving a SATA disk and the partitions on
 * it (lib/part) in the disk: scheme. The device side is hba.c; this file
 * is the disk: server.
 *
 *   ahcid [--index N] SSSS:BB:DD.F
 *
 * Every SATA disk is served, in port order, as `ahciN`: N starts at
 * --index, else at the controller's rank among the AHCI functions pci:/
 * lists (address order), and moves on past a number another process
 * serves already, so with one controller the disks are ahci0, ahci1...
 * in port order. Each disk has its own blkserv server and scheme
 * (disk-ahciN:), run by its own workers. ATAPI devices (q35's boot
 * CD-ROM is on the ICH9 AHCI's port 2) are left alone. A
 * controller without a usable SATA disk says `unsupported` and exits, so
 * it costs nothing on a q35 boot without a disk; it has no hotplug.
 *
 * Nodes, offsets and flush: as every block driver (rb/blkserv.h):
 * `disk:/ahciN` is the whole disk, `disk:/ahciNpK` partition K; fsync and
 * the close of a handle that wrote send FLUSH CACHE EXT.
 *
 * Status on fd 3: `ready MODE` once serving, `unsupported REASON` (not an
 * AHCI function, no SATA disk), `defer REASON` (claimed by someone else),
 * `fatal REASON` otherwise; every status but ready is followed by exit 1.
 * SIGTERM stops the disks' ports (PxCMD.ST and FRE off, stopping its DMA)
 * and exits 0.
 *
 * Locking: blkserv's for handles; commands are hba.c's (NCQ tags and a
 * port lock; several commands in flight per port with NCQ). WORKERS workers per disk copy at once,
 * sharing HBA_SLOTS buffers.
 */
#include <string.h>
#include "base/err.h"
#include "hba.h"
#include "rb/blkserv.h"
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define NAME "ahcid"
#define NAME_TRIES 64 /* ahciN numbers tried per disk */
#define WORKERS 8     /* server workers per disk */

static struct drv_dev dev;
static struct hba hba;
static struct blkserv servers[HBA_MAX_DISKS]; /* one per disk, as hba.disks */

static void *slot_get(void *d)
{
	return hba_slot_get(((struct hba_port *)d)->h);
}

static void slot_put(void *d, void *s)
{
	hba_slot_put(((struct hba_port *)d)->h, s);
}

static struct drv_dmabuf *slot_buf(void *s)
{
	return &((struct hba_buf *)s)->data;
}

static int slot_io(void *d, void *s, enum blkserv_op op, uint64_t lba, unsigned off, uint32_t bytes)
{
	static const enum hba_op ops[] = {
	    [BLKSERV_READ] = HBA_READ,
	    [BLKSERV_WRITE] = HBA_WRITE,
	    [BLKSERV_FLUSH] = HBA_FLUSH,
	};
	return hba_io(d, s, ops[op], lba, off, bytes);
}

static const struct blkserv_ops port_ops = {slot_get, slot_put, slot_buf, slot_io};

static void on_term(int sig)
{
	hba_stop(&hba); /* no DMA into memory the exit frees */
	drv_log(&dev, "SIGTERM: ports stopped, exiting 0");
	rb_exit(0);
}

/*
 * Serve disk i as ahciN, N the first number from *n on that no other
 * process serves (-E_EXIST from the scheme registration), and log it; *n
 * moves past the number taken. 0 or the registration's error.
 */
static int serve_disk(unsigned i, int *n, const char *mode)
{
	struct hba_port *p = hba.disks[i];
	struct blkserv *b = &servers[i];
	char ncq[24] = "no NCQ";
	if (p->tags)
		rb_snprintf(ncq, sizeof ncq, "NCQ %d tags", __builtin_popcount(p->tags));
	drv_log(&dev, "port %u: \"%s\", serial %s, firmware %s, %s%s", p->num, p->id.model,
		p->id.serial, p->id.firmware, ncq, p->id.flush || p->id.flush_ext ? ", flush" : "");
	int r = -E_EXIST;
	for (int tries = 0; r == -E_EXIST && tries < NAME_TRIES; tries++, (*n)++) {
		*b = (struct blkserv){.drv = &dev,
				      .dev = p,
				      .ops = &port_ops,
				      .blocks = p->id.sectors,
				      .bsize = p->id.sector_size,
				      .xfer_max = BLKSERV_XFER,
				      .flush = p->id.flush || p->id.flush_ext};
		rb_snprintf(b->name, sizeof b->name, "ahci%d", *n);
		r = blkserv_start(b);
	}
	if (r < 0)
		return r;
	const char *scheme = b->scheme;
	drv_log(&dev, "%s %llu blocks of %u bytes (%llu MiB), %s, %u partition(s)%s%s", b->name,
		(unsigned long long)p->id.sectors, p->id.sector_size,
		(unsigned long long)(p->id.sectors * p->id.sector_size >> 20), mode, b->parts.n,
		strcmp(scheme, "disk") ? ", scheme " : "", strcmp(scheme, "disk") ? scheme : "");
	return 0;
}

static int run_server(void *arg)
{
	struct blkserv *b = arg;
	int r = blkserv_run(b, WORKERS);
	drv_log(&dev, "%s: server ended: %s", b->name, err_name(r));
	return 0;
}

/* Is a function with this config header an AHCI controller (class 01:06:01)? */
static bool is_ahci_cfg(const uint8_t cfg[16])
{
	return cfg[11] == 0x01 && cfg[10] == 0x06 && cfg[9] == 0x01; /* storage, SATA, AHCI */
}

int main(int argc, char **argv)
{
	int index;
	int r = drv_start(NAME, argc, argv, is_ahci_cfg, "AHCI controller", &index, &dev);
	if (r)
		return r;
	struct rb_sigaction sa = {.handler = on_term};
	(void)rb_sigaction(RB_SIGTERM, &sa, NULL);
	r = hba_start(&hba, &dev);
	if (r == -E_NOTSUP)
		return drv_give_up(&dev, "unsupported", "no memory ABAR (BAR 5)");
	if (r < 0)
		return drv_give_up(&dev, "fatal", err_name(r));
	if (hba.ndisks == 0) {
		char why[64];
		rb_snprintf(why, sizeof why, "no SATA disk (%u ATAPI port(s) left alone)",
			    hba.atapi);
		return drv_give_up(&dev, "unsupported", why);
	}
	char mode[32];
	drv_irq_name(&hba.irq, mode, sizeof mode);
	int n = index >= 0 ? index : drv_pci_rank(dev.addr, is_ahci_cfg);
	for (unsigned i = 0; i < hba.ndisks; i++) {
		r = serve_disk(i, &n, mode);
		if (r < 0) {
			hba_stop(&hba);
			char why[64];
			rb_snprintf(why, sizeof why, "register scheme %s: %s", servers[i].scheme,
				    err_name(r));
			return drv_give_up(&dev, "fatal", why);
		}
	}
	for (unsigned i = 1; i < hba.ndisks; i++) {
		int tid = rb_thread_create(run_server, &servers[i]);
		if (tid < 0) {
			hba_stop(&hba);
			return drv_give_up(&dev, "fatal", "no thread for a disk's server");
		}
	}
	drv_status("ready %s", mode);
	r = blkserv_run(&servers[0], WORKERS);
	hba_stop(&hba);
	return r < 0 ? 1 : 0;
}
