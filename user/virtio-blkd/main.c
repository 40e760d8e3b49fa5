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
 * Locking: the handle table and every handle's offset are guarded by
 * tbl_lock; the disk and partition table are read-only once serving;
 * requests are blk.c's (q_lock). Several workers serve at once (BLK_SLOTS,
 * one request in flight each). Handles live in a fixed table and are
 * never freed memory, so a worker racing a CLOSE (docs/servers.md) sees a
 * stale but valid slot: its generation no longer matches and it answers
 * EBADF. Unaligned writes are read-modify-write under rmw_lock, which
 * orders them against each other, not against aligned writes to the same
 * sector (as on any disk, concurrent overlapping writes have no order).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "blk.h"
#include "part/part.h"
#include "rb/server.h"
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define NAME "virtio-blkd"
#define HANDLES 256
#define NODE_DIR (-1)
#define NODE_DISK 0 /* node k > 0: partition table entry k - 1 */
#define S_IFBLK_MODE 0x6000u

struct handle {
	bool used;
	uint16_t gen;
	int node;
	int flags;
	bool wrote;
	uint64_t off; /* byte offset, or a directory's entry index */
};

static struct drv_dev dev;
static struct blk disk;
static struct part_table parts;
static char disk_name[16];
static struct rb_mutex tbl_lock = RB_MUTEX_INIT, rmw_lock = RB_MUTEX_INIT;
static struct handle handles[HANDLES];

/* Node n's first sector and length in sectors. */
static void node_range(int n, uint64_t *first, uint64_t *count)
{
	if (n == NODE_DISK) {
		*first = 0;
		*count = disk.sectors;
	} else {
		*first = parts.p[n - 1].first;
		*count = parts.p[n - 1].count;
	}
}

/* Node n's name into buf. */
static void node_name(int n, char *buf, size_t len)
{
	if (n == NODE_DISK)
		rb_snprintf(buf, len, "%s", disk_name);
	else
		rb_snprintf(buf, len, "%sp%u", disk_name, parts.p[n - 1].num);
}

/* The node a path names, or -E_NOENT. */
static int node_lookup(const char *path)
{
	while (*path == '/')
		path++;
	if (*path == '\0')
		return NODE_DIR;
	char name[32];
	for (int n = 0; n <= (int)parts.n; n++) {
		node_name(n, name, sizeof name);
		if (strcmp(name, path) == 0)
			return n;
	}
	return -E_NOENT;
}

/* The live handle a request names (under tbl_lock), or NULL. */
static struct handle *handle_of(const struct rb_req *r)
{
	uint64_t v = r->handle;
	unsigned i = (unsigned)(v & 0xffff);
	if (i == 0 || i > HANDLES)
		return NULL;
	struct handle *h = &handles[i - 1];
	return h->used && h->gen == (uint16_t)(v >> 16) ? h : NULL;
}

/* A copy of the handle's fields (the handle may close meanwhile). */
static int handle_get(const struct rb_req *r, struct handle *out)
{
	rb_mutex_lock(&tbl_lock);
	struct handle *h = handle_of(r);
	if (h)
		*out = *h;
	rb_mutex_unlock(&tbl_lock);
	return h ? 0 : -E_BADF;
}

static long handle_new(int node, int flags)
{
	long r = -E_MFILE;
	rb_mutex_lock(&tbl_lock);
	for (unsigned i = 0; i < HANDLES; i++) {
		struct handle *h = &handles[i];
		if (!h->used) {
			uint16_t gen = (uint16_t)(h->gen + 1);
			*h = (struct handle){true, gen, node, flags, false, 0};
			r = (long)((uint64_t)gen << 16 | (i + 1));
			break;
		}
	}
	rb_mutex_unlock(&tbl_lock);
	return r;
}

/* Advance handle r's offset by n from start, if it is still open. */
static void handle_advance(const struct rb_req *r, uint64_t start, uint64_t n, bool wrote)
{
	rb_mutex_lock(&tbl_lock);
	struct handle *h = handle_of(r);
	if (h) {
		h->off = start + n;
		h->wrote |= wrote;
	}
	rb_mutex_unlock(&tbl_lock);
}

/* Read len bytes at byte off of the sectors [first, first+count): bytes read or an error. */
static long range_read(uint64_t first, uint64_t count, uint64_t off, uint8_t *out, size_t len)
{
	uint64_t size = count * BLK_SECTOR;
	if (off >= size)
		return 0;
	len = (size_t)MIN((uint64_t)len, size - off);
	struct blk_slot *s = blk_slot_get(&disk);
	size_t done = 0;
	int r = 0;
	while (done < len) {
		uint64_t pos = off + done;
		unsigned skip = (unsigned)(pos % BLK_SECTOR);
		size_t chunk = MIN(len - done, (size_t)BLK_BUF - skip);
		uint32_t bytes = (uint32_t)ALIGN_UP(skip + chunk, (size_t)BLK_SECTOR);
		r = blk_io(&disk, s, VIRTIO_BLK_T_IN, first + pos / BLK_SECTOR, 0, bytes);
		if (r < 0)
			break;
		memcpy(out + done, s->data + skip, chunk);
		done += chunk;
	}
	blk_slot_put(&disk, s);
	return done ? (long)done : r;
}

/* Write len bytes at byte off of [first, first+count): bytes written or an error. */
static long range_write(uint64_t first, uint64_t count, uint64_t off, const uint8_t *in, size_t len)
{
	uint64_t size = count * BLK_SECTOR;
	if (disk.ro)
		return -E_ROFS;
	if (len == 0)
		return 0;
	if (off >= size)
		return -E_NOSPC;
	len = (size_t)MIN((uint64_t)len, size - off);
	struct blk_slot *s = blk_slot_get(&disk);
	size_t done = 0;
	int r = 0;
	while (done < len) {
		uint64_t pos = off + done, sec = first + pos / BLK_SECTOR;
		unsigned skip = (unsigned)(pos % BLK_SECTOR);
		size_t chunk = MIN(len - done, (size_t)BLK_BUF - skip);
		unsigned tail = (unsigned)((skip + chunk) % BLK_SECTOR);
		uint32_t bytes = (uint32_t)ALIGN_UP(skip + chunk, (size_t)BLK_SECTOR);
		bool partial = skip || tail;
		if (partial)
			rb_mutex_lock(&rmw_lock);
		/* A partial first or last sector: read it, change our bytes. */
		if (skip)
			r = blk_io(&disk, s, VIRTIO_BLK_T_IN, sec, 0, BLK_SECTOR);
		if (r == 0 && tail && (bytes > BLK_SECTOR || !skip))
			r = blk_io(&disk, s, VIRTIO_BLK_T_IN, sec + bytes / BLK_SECTOR - 1,
				   bytes - BLK_SECTOR, BLK_SECTOR);
		if (r == 0) {
			memcpy(s->data + skip, in + done, chunk);
			r = blk_io(&disk, s, VIRTIO_BLK_T_OUT, sec, 0, bytes);
		}
		if (partial)
			rb_mutex_unlock(&rmw_lock);
		if (r < 0)
			break;
		done += chunk;
	}
	blk_slot_put(&disk, s);
	return done ? (long)done : r;
}

static int flush(void)
{
	if (!disk.flush)
		return 0;
	struct blk_slot *s = blk_slot_get(&disk);
	int r = blk_io(&disk, s, VIRTIO_BLK_T_FLUSH, 0, 0, 0);
	blk_slot_put(&disk, s);
	return r;
}

static long op_open(struct rb_server *srv, struct rb_server_call *c)
{
	int n = node_lookup(c->path);
	if (n == -E_NOENT)
		return n;
	int acc = (int)c->req->a & RB_O_ACCMODE;
	if (n == NODE_DIR && acc != RB_O_RDONLY)
		return -E_ISDIR;
	if (acc != RB_O_RDONLY && disk.ro)
		return -E_ROFS;
	if (c->req->uid != 0)
		return -E_ACCES; /* raw disks are root's */
	return handle_new(n, (int)c->req->a);
}

static long op_dup(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0)
		return -E_BADF;
	return handle_new(h.node, h.flags);
}

static long op_close(struct rb_server *srv, struct rb_server_call *c)
{
	rb_mutex_lock(&tbl_lock);
	struct handle *h = handle_of(c->req);
	bool wrote = h && h->wrote;
	if (h)
		h->used = false;
	rb_mutex_unlock(&tbl_lock);
	if (wrote)
		(void)flush();
	return 0;
}

static long op_read(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0 || (h.flags & RB_O_ACCMODE) == RB_O_WRONLY)
		return -E_BADF;
	if (h.node == NODE_DIR)
		return -E_ISDIR;
	uint64_t first, count;
	node_range(h.node, &first, &count);
	long r = range_read(first, count, h.off, c->out, c->out_max);
	if (r > 0) {
		c->out_len = (size_t)r;
		handle_advance(c->req, h.off, (uint64_t)r, false);
	}
	return r;
}

static long op_write(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0 || (h.flags & RB_O_ACCMODE) == RB_O_RDONLY)
		return -E_BADF;
	uint64_t first, count;
	node_range(h.node, &first, &count);
	long r = range_write(first, count, h.off, c->payload, c->req->len);
	if (r > 0)
		handle_advance(c->req, h.off, (uint64_t)r, true);
	return r;
}

static uint64_t node_size(int n)
{
	uint64_t first, count;
	if (n == NODE_DIR)
		return 0;
	node_range(n, &first, &count);
	return count * BLK_SECTOR;
}

static long op_seek(struct rb_server *srv, struct rb_server_call *c)
{
	int64_t off = (int64_t)c->req->a, base;
	long r = -E_BADF;
	rb_mutex_lock(&tbl_lock);
	struct handle *h = handle_of(c->req);
	if (h) {
		switch (c->req->b) {
		case RB_SEEK_SET:
			base = 0;
			break;
		case RB_SEEK_CUR:
			base = (int64_t)h->off;
			break;
		case RB_SEEK_END:
			base = (int64_t)node_size(h->node);
			break;
		default:
			base = -1;
		}
		r = -E_INVAL;
		if (base >= 0 && !__builtin_add_overflow(base, off, &off) && off >= 0) {
			h->off = (uint64_t)off;
			r = (long)off;
		}
	}
	rb_mutex_unlock(&tbl_lock);
	return r;
}

static long op_fstat(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0)
		return -E_BADF;
	struct rb_stat st = {.size = node_size(h.node),
			     .mode = h.node == NODE_DIR ? 0x4000u | 0555 : S_IFBLK_MODE | 0600};
	if (c->out_max < sizeof st)
		return -E_INVAL;
	memcpy(c->out, &st, sizeof st);
	c->out_len = sizeof st;
	return 0;
}

static long op_fsync(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0)
		return -E_BADF;
	return flush();
}

static long op_ftruncate(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0)
		return -E_BADF;
	if (h.node == NODE_DIR || (h.flags & RB_O_ACCMODE) == RB_O_RDONLY)
		return -E_INVAL;
	return c->req->a <= node_size(h.node) ? 0 : -E_INVAL;
}

static long op_getdents(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0)
		return -E_BADF;
	if (h.node != NODE_DIR)
		return -E_NOTDIR;
	uint8_t *out = c->out;
	size_t used = 0;
	uint64_t i = h.off;
	for (; i <= parts.n; i++) {
		char name[32];
		node_name((int)i, name, sizeof name);
		size_t nl = strlen(name), reclen = ALIGN_UP(3 + nl + 1, (size_t)8);
		if (reclen > c->out_max - used)
			break;
		memset(out + used, 0, reclen);
		struct rb_dirent d = {.reclen = (unsigned short)reclen, .type = RB_DT_REG};
		memcpy(out + used, &d, 3);
		memcpy(out + used + 3, name, nl);
		used += reclen;
	}
	if (used == 0 && i <= parts.n)
		return -E_INVAL; /* the buffer holds no record */
	handle_advance(c->req, i, 0, false);
	c->out_len = used;
	return (long)used;
}

static long op_fpath(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle h;
	if (handle_get(c->req, &h) < 0)
		return -E_BADF;
	char path[40] = "/";
	if (h.node != NODE_DIR)
		node_name(h.node, path + 1, sizeof path - 1);
	size_t len = MIN(strlen(path), c->out_max);
	memcpy(c->out, path, len);
	c->out_len = len;
	return (long)len;
}

static long op_cancel(struct rb_server *srv, struct rb_server_call *c)
{
	return 0; /* a request in flight finishes; its answer is dropped */
}

static const struct rb_server_ops ops = {
    .open = op_open,
    .close = op_close,
    .read = op_read,
    .write = op_write,
    .seek = op_seek,
    .fstat = op_fstat,
    .fsync = op_fsync,
    .ftruncate = op_ftruncate,
    .getdents = op_getdents,
    .fpath = op_fpath,
    .dup = op_dup,
    .cancel = op_cancel,
};

/* part_scan's reads, through one slot. */
static int part_read(void *ctx, uint64_t lba, unsigned count, void *buf)
{
	long want = (long)count * BLK_SECTOR;
	long r = range_read(0, disk.sectors, lba * BLK_SECTOR, buf, (size_t)want);
	return r == want ? 0 : (r < 0 ? (int)r : -E_IO);
}

static void on_term(int sig)
{
	blk_stop(&disk); /* no DMA into memory the exit frees */
	drv_log(&dev, "SIGTERM: device reset, exiting 0");
	rb_exit(0);
}

/* Is function name a virtio-blk device (modern or transitional)? */
static bool is_virtio_blk(uint16_t ven, uint16_t devid)
{
	return ven == VIRTIO_PCI_VENDOR && (devid == VIRTIO_PCI_MODERN_BASE + VIRTIO_ID_BLOCK ||
					    devid == VIRTIO_PCI_TRANS_BLOCK);
}

/* Our rank among the virtio-blk functions pci:/ lists (address order). */
static int default_index(const char *addr)
{
	DIR *dir = opendir("pci:/");
	if (!dir)
		return 0;
	int rank = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (strlen(e->d_name) != 12 || e->d_name[4] != ':' || strcmp(e->d_name, addr) >= 0)
			continue;
		char p[40];
		uint16_t id[2] = {0, 0};
		rb_snprintf(p, sizeof p, "pci:/%s/config", e->d_name);
		int fd = rb_open(p, RB_O_RDONLY);
		if (fd < 0)
			continue;
		if (rb_read(fd, id, 4) == 4 && is_virtio_blk(id[0], id[1]))
			rank++;
		rb_close(fd);
	}
	closedir(dir);
	return rank;
}

static int give_up(const char *kind, const char *why)
{
	drv_log(&dev, "%s: %s", kind, why);
	drv_status("%s %s", kind, why);
	drv_pci_close(&dev);
	return 1;
}

/*
 * Serve disk-NAME: and tell diskd NAME (docs/disks.md), holding *reg open
 * while serving: diskd's disk:/NAME then reaches us. 0 or an error;
 * scheme gets the name tried.
 */
static int serve(struct rb_server *srv, char *scheme, size_t len, int *reg)
{
	char own[32];
	rb_snprintf(own, sizeof own, "disk-%s", disk_name);
	*reg = rb_open("disk:/register", RB_O_WRONLY);
	if (*reg < 0)
		drv_log(&dev, "disk:/register: %s; only %s: serves %s", err_name(*reg), own,
			disk_name);
	rb_snprintf(scheme, len, "%s", own);
	int r = rb_server_init(srv, scheme, &ops, NULL);
	if (r < 0 || *reg < 0)
		return r;
	/* diskd opens disk-NAME: as soon as it reads NAME: register after serving. */
	long w = rb_write(*reg, disk_name, strlen(disk_name));
	if (w < 0) {
		drv_log(&dev, "diskd registration of %s: %s; only %s: serves it", disk_name,
			err_name((int)w), scheme);
		rb_close(*reg);
		*reg = -1;
	}
	return 0;
}

static void usage(void)
{
	rb_printf("usage: " NAME " [--index N] SSSS:BB:DD.F\n");
	rb_exit(2);
}

int main(int argc, char **argv)
{
	int index = -1;
	const char *addr = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--index") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || v < 0 || v > 999)
				usage();
			index = (int)v;
		} else if (argv[i][0] == '-') {
			usage();
		} else {
			addr = argv[i]; /* the manager puts the address last */
		}
	}
	if (!addr || strlen(addr) != 12)
		usage();
	int r = drv_pci_open(NAME, addr, &dev);
	if (r == -E_BUSY)
		return give_up("defer", "function claimed by another process");
	if (r < 0)
		return give_up("fatal", err_name(r));
	uint16_t ven = (uint16_t)(dev.config[0] | dev.config[1] << 8);
	uint16_t devid = (uint16_t)(dev.config[2] | dev.config[3] << 8);
	if (!is_virtio_blk(ven, devid)) {
		char why[64];
		rb_snprintf(why, sizeof why, "not a virtio-blk device (%04x:%04x)", ven, devid);
		return give_up("unsupported", why);
	}
	struct rb_sigaction sa = {.handler = on_term};
	(void)rb_sigaction(RB_SIGTERM, &sa, NULL);
	r = blk_start(&disk, &dev);
	if (r == -E_NODEV)
		return give_up("unsupported", "legacy-only virtio device (no modern interface)");
	if (r == -E_NOTSUP)
		return give_up("unsupported", "VIRTIO_F_VERSION_1 not offered or features refused");
	if (r < 0) {
		blk_stop(&disk);
		return give_up("fatal", err_name(r));
	}
	rb_snprintf(disk_name, sizeof disk_name, "virtio%d",
		    index >= 0 ? index : default_index(addr));

	size_t scratch_len = PART_SCRATCH_MIN(BLK_SECTOR);
	void *scratch = rb_mmap(NULL, scratch_len, RB_PROT_READ | RB_PROT_WRITE, 0);
	if (RB_IS_ERR(scratch) || part_scan(disk.sectors, BLK_SECTOR, part_read, NULL, scratch,
					    scratch_len, &parts) < 0) {
		drv_log(&dev, "partition table not read");
		memset(&parts, 0, sizeof parts);
	}
	if (parts.note[0])
		drv_log(&dev, "partitions: %s", parts.note);
	if (!RB_IS_ERR(scratch))
		rb_munmap(scratch, scratch_len);

	struct rb_server srv;
	char scheme[32];
	int reg = -1;
	r = serve(&srv, scheme, sizeof scheme, &reg);
	if (r < 0) {
		blk_stop(&disk);
		char why[64];
		rb_snprintf(why, sizeof why, "register scheme %s: %s", scheme, err_name(r));
		return give_up("fatal", why);
	}
	char mode[32];
	drv_irq_name(&disk.irq, mode, sizeof mode);
	drv_log(&dev, "%s %llu sectors (%llu MiB), %s, %u partition(s)%s%s%s", disk_name,
		(unsigned long long)disk.sectors, (unsigned long long)(disk.sectors >> 11), mode,
		parts.n, disk.ro ? ", read-only" : "", strcmp(scheme, "disk") ? ", scheme " : "",
		strcmp(scheme, "disk") ? scheme : "");
	drv_status("ready %s", mode);
	r = rb_server_run(&srv, BLK_SLOTS);
	blk_stop(&disk);
	return r < 0 ? 1 : 0;
}
