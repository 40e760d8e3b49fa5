/*
 * nvme - the NVMe driver (NVMe 1.4, NVM command set): one process per
 * controller, serving namespace 1 and the partitions on it (lib/part) in
 * the disk: scheme. The device side is ctrl.c; this file is the disk:
 * server.
 *
 *   nvme [--index N] SSSS:BB:DD.F
 *
 * The disk is `nvmeNn1`: N from --index, else the function's rank among
 * the NVMe functions (class 01:08:02) pci:/ lists (address order). Nodes:
 * `disk:/` lists the disk and its partitions; `disk:/nvmeNn1` is the
 * whole namespace, `disk:/nvmeNn1pK` partition K. read and write work at
 * the handle's offset, any length and offset (a partial block is read,
 * changed and written back), bounded by the node's end: a read there
 * returns 0, a write ENOSPC. fsync sends Flush, and so does the close of
 * a handle that wrote. fstat gives the size; lseek SEEK_END works;
 * ftruncate to at most the size is accepted and does nothing (dd seek=
 * calls it). Blocks are the namespace's LBA size (512 to 4096 bytes).
 *
 * Naming: the driver serves its own scheme `disk-nvmeNn1:` and registers
 * nvmeNn1 with diskd by writing it to `disk:/register`, holding that
 * handle open while it serves (docs/disks.md).
 *
 * Status on fd 3: `ready MODE` once serving, `unsupported REASON` (not an
 * NVMe function), `defer REASON` (claimed by someone else), `fatal
 * REASON` otherwise; every status but ready is followed by exit 1.
 * SIGTERM disables the controller (CC.EN = 0, stopping its DMA) and exits 0.
 *
 * The disk: server (handles, nodes, read-modify-write, diskd
 * registration) is user/lib/blkserv.c (rb/blkserv.h); this file adapts
 * ctrl.c's slots and commands to it.
 *
 * Locking: blkserv's for handles; commands are ctrl.c's (a lock per
 * queue pair). Several workers serve at once (CTRL_SLOTS, one command in
 * flight each), each submitting on the queue pair of the CPU it runs on.
 */
#include <string.h>
#include "base/err.h"
#include "ctrl.h"
#include "rb/blkserv.h"
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define NAME "nvme"

static struct drv_dev dev;
static struct ctrl disk;
static struct blkserv server;

static void *slot_get(void *d)
{
	return ctrl_slot_get(d);
}

static void slot_put(void *d, void *s)
{
	ctrl_slot_put(d, s);
}

static struct drv_dmabuf *slot_buf(void *s)
{
	return &((struct ctrl_slot *)s)->data;
}

static int slot_io(void *d, void *s, enum blkserv_op op, uint64_t lba, unsigned off, uint32_t bytes)
{
	static const uint8_t opcode[] = {
	    [BLKSERV_READ] = NVME_CMD_READ,
	    [BLKSERV_WRITE] = NVME_CMD_WRITE,
	    [BLKSERV_FLUSH] = NVME_CMD_FLUSH,
	};
	return ctrl_io(d, s, opcode[op], lba, off, bytes);
}

static const struct blkserv_ops ctrl_ops = {slot_get, slot_put, slot_buf, slot_io};

static void on_term(int sig)
{
	ctrl_stop(&disk); /* no DMA into memory the exit frees */
	drv_log(&dev, "SIGTERM: controller disabled, exiting 0");
	rb_exit(0);
}

/* Is a function with this config header an NVMe controller (class 01:08:02)? */
static bool is_nvme_cfg(const uint8_t cfg[16])
{
	return cfg[11] == 0x01 && cfg[10] == 0x08 && cfg[9] == 0x02; /* storage, NVM, NVMe */
}

int main(int argc, char **argv)
{
	int index;
	int r = drv_start(NAME, argc, argv, is_nvme_cfg, "NVMe controller", &index, &dev);
	if (r)
		return r;
	struct rb_sigaction sa = {.handler = on_term};
	(void)rb_sigaction(RB_SIGTERM, &sa, NULL);
	r = ctrl_start(&disk, &dev);
	if (r == -E_NOTSUP)
		return drv_give_up(&dev, "unsupported",
				   "controller or namespace 1 not usable (logged)");
	if (r < 0)
		return drv_give_up(&dev, "fatal", err_name(r));
	server = (struct blkserv){.drv = &dev,
				  .dev = &disk,
				  .ops = &ctrl_ops,
				  .blocks = disk.blocks,
				  .bsize = disk.bsize,
				  .xfer_max = disk.xfer_max,
				  .flush = disk.flush};
	rb_snprintf(server.name, sizeof server.name, "nvme%dn%d",
		    index >= 0 ? index : drv_pci_rank(dev.addr, is_nvme_cfg), CTRL_NSID);
	drv_log(&dev, "%s, serial %s, firmware %s", disk.id.mn, disk.id.sn, disk.id.fr);
	r = blkserv_start(&server);
	if (r < 0) {
		ctrl_stop(&disk);
		char why[64];
		rb_snprintf(why, sizeof why, "register scheme %s: %s", server.scheme, err_name(r));
		return drv_give_up(&dev, "fatal", why);
	}
	char mode[32];
	drv_irq_name(&disk.irq, mode, sizeof mode);
	const char *scheme = server.scheme;
	drv_log(&dev,
		"%s %llu blocks of %u bytes (%llu MiB), %s, %u I/O queue(s), %u partition(s)%s%s",
		server.name, (unsigned long long)disk.blocks, disk.bsize,
		(unsigned long long)(disk.blocks * disk.bsize >> 20), mode, disk.nq, server.parts.n,
		strcmp(scheme, "disk") ? ", scheme " : "", strcmp(scheme, "disk") ? scheme : "");
	drv_status("ready %s", mode);
	r = blkserv_run(&server, CTRL_SLOTS);
	ctrl_stop(&disk);
	return r < 0 ? 1 : 0;
}
