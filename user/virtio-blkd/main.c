/*
 * virtio-blkd - the virtio-blk driver (virtio 1.1 §5.2 over the modern
 * PCI transport): one process per device, serving its disk and the
 * partitions on it (lib/part) in the disk: scheme.
 *
 *   virtio-blkd [--index N] SSSS:BB:DD.F
 *
 * The disk is `virtioN`: N from --index, else the device's rank among the
 * virtio-blk functions pci:/ lists (address order). Nodes: `disk:/` lists
 * the disk and its partitions; `disk:/virtioN` is the whole disk,
 * `disk:/virtioNpK` partition K. read and write work at the handle's
 * offset, any length and offset (a partial sector is read, changed and
 * written back), bounded by the node's end: a read there returns 0, a
 * write ENOSPC. fsync sends FLUSH (when the device offers it), and so does
 * the close of a handle that wrote. fstat gives the size; lseek SEEK_END
 * works; ftruncate to at most the size is accepted and does nothing (dd
 * seek= calls it).
 *
 * Naming: the shared disk: namespace is diskd's (docs/disks.md): the
 * driver serves its own scheme `disk-virtioN:` (same nodes) and registers
 * virtioN with diskd by writing it to `disk:/register`, holding that
 * handle open while it serves. Without diskd, disk-virtioN: still works.
 *
 * Status on fd 3 (the driver manager's pipe; absent when run by hand):
 * `ready MODE` once serving, `unsupported REASON` for a device this
 * driver cannot drive (not virtio-blk, or legacy-only), `defer REASON`
 * when the function is claimed by someone else, `fatal REASON` otherwise;
 * every status but ready is followed by exit 1. SIGTERM resets the device
 * (stopping its DMA) and exits 0.
 *
 * The disk: server (handles, nodes, read-modify-write, diskd
 * registration) is user/lib/blkserv.c (rb/blkserv.h); this file adapts
 * blk.c's slots and requests to it.
 *
 * Locking: blkserv's for handles; requests are blk.c's (q_lock). Several
 * workers serve at once (BLK_SLOTS, one request in flight each).
 */
#include <string.h>
#include "base/err.h"
#include "blk.h"
#include "rb/blkserv.h"
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define NAME "virtio-blkd"

static struct drv_dev dev;
static struct blk disk;
static struct blkserv server;

static void *slot_get(void *d)
{
	return blk_slot_get(d);
}

static void slot_put(void *d, void *s)
{
	blk_slot_put(d, s);
}

static struct drv_dmabuf *slot_buf(void *s)
{
	return &((struct blk_slot *)s)->data;
}

static int slot_io(void *d, void *s, enum blkserv_op op, uint64_t lba, unsigned off, uint32_t bytes)
{
	static const unsigned type[] = {
	    [BLKSERV_READ] = VIRTIO_BLK_T_IN,
	    [BLKSERV_WRITE] = VIRTIO_BLK_T_OUT,
	    [BLKSERV_FLUSH] = VIRTIO_BLK_T_FLUSH,
	};
	return blk_io(d, s, type[op], lba, off, bytes);
}

static const struct blkserv_ops blk_ops = {slot_get, slot_put, slot_buf, slot_io};

static void on_term(int sig)
{
	blk_stop(&disk); /* no DMA into memory the exit frees */
	drv_log(&dev, "SIGTERM: device reset, exiting 0");
	rb_exit(0);
}

static bool is_virtio_blk_cfg(const uint8_t cfg[16])
{
	return virtio_pci_is(cfg, VIRTIO_ID_BLOCK, VIRTIO_PCI_TRANS_BLOCK);
}

int main(int argc, char **argv)
{
	int index;
	int r = drv_start(NAME, argc, argv, is_virtio_blk_cfg, "virtio-blk device", &index, &dev);
	if (r)
		return r;
	struct rb_sigaction sa = {.handler = on_term};
	(void)rb_sigaction(RB_SIGTERM, &sa, NULL);
	r = blk_start(&disk, &dev);
	if (r == -E_NODEV)
		return drv_give_up(&dev, "unsupported",
				   "legacy-only virtio device (no modern interface)");
	if (r == -E_NOTSUP)
		return drv_give_up(&dev, "unsupported",
				   "VIRTIO_F_VERSION_1 not offered or features refused");
	if (r < 0) {
		blk_stop(&disk);
		return drv_give_up(&dev, "fatal", err_name(r));
	}
	server = (struct blkserv){.drv = &dev,
				  .dev = &disk,
				  .ops = &blk_ops,
				  .blocks = disk.sectors,
				  .bsize = BLK_SECTOR,
				  .xfer_max = BLKSERV_XFER,
				  .ro = disk.ro,
				  .flush = disk.flush};
	rb_snprintf(server.name, sizeof server.name, "virtio%d",
		    index >= 0 ? index : drv_pci_rank(dev.addr, is_virtio_blk_cfg));
	r = blkserv_start(&server);
	if (r < 0) {
		blk_stop(&disk);
		char why[64];
		rb_snprintf(why, sizeof why, "register scheme %s: %s", server.scheme, err_name(r));
		return drv_give_up(&dev, "fatal", why);
	}
	char mode[32];
	drv_irq_name(&disk.irq, mode, sizeof mode);
	const char *scheme = server.scheme;
	drv_log(&dev, "%s %llu sectors (%llu MiB), %s, %u partition(s)%s%s%s", server.name,
		(unsigned long long)disk.sectors, (unsigned long long)(disk.sectors >> 11), mode,
		server.parts.n, disk.ro ? ", read-only" : "",
		strcmp(scheme, "disk") ? ", scheme " : "", strcmp(scheme, "disk") ? scheme : "");
	drv_status("ready %s", mode);
	r = blkserv_run(&server, BLK_SLOTS);
	blk_stop(&disk);
	return r < 0 ? 1 : 0;
}
