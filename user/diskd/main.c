/*
 * diskd - the disk: scheme: one namespace over every block driver, and
 * I/O that survives a driver's restart (docs/disks.md).
 *
 * A block driver serves its disk under its own scheme, `disk-NAME:`
 * (paths `/NAME`, `/NAMEpK`, and `/` listing them), and registers NAME
 * here by opening `disk:/register` (uid 0) and writing NAME; the
 * registration lasts while that handle is open, so a driver that dies
 * unregisters by dying. diskd serves:
 *
 *   disk:/           the nodes of every registered disk (their listings)
 *   disk:/NAME...    a disk or partition node of disk NAME: read, write,
 *                    pread, pwrite, fstat, fsync and ftruncate are
 *                    passed to disk-NAME:/NAME... on a handle of
 *                    diskd's own; reads and writes go as pread/pwrite,
 *                    at the offset diskd keeps (seek moves only that).
 *                    The open's answer forwards the caller's own pread
 *                    and pwrite to a second such handle (RB_ANS_FWD):
 *                    they reach diskd only once that driver died
 *   disk:/register   write NAME (uid 0): the caller serves disk-NAME:
 *
 * A call that fails because the driver died (ENODEV, EPIPE) waits for
 * NAME to be registered again (the driver manager restarts it), at most
 * RESTART_WAIT_S seconds (so does an open in that time after a driver
 * went), opens the node again and repeats the call: a
 * block read or write is idempotent, so the caller sees the data as if
 * nothing happened, or EIO if no driver came back. Only uid 0 opens disk
 * nodes (EACCES), as Linux's disk devices are root's.
 *
 * Locking: reg_lock (with reg_cond) guards the registry: each disk's
 * name, whether it is served, and its generation (bumped at every
 * registration). Each client handle has its own mutex, held across the
 * calls passed on for it, so its offset and backend fd change together;
 * handles live in a fixed table and are never freed memory (a worker
 * racing a CLOSE sees a stale generation and answers EBADF).
 */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include "base/err.h"
#include "part/part.h"
#include "rb/malloc.h"
#include "rb/server.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define DISKS 64
#define HANDLES 256
#define WORKERS 8
#define RESTART_WAIT_S 5 /* a restart is ~tens of ms; a driver that never comes back is an EIO */

enum kind { H_FREE, H_DIR, H_REG, H_NODE };

struct disk {
	char name[PART_NAME_MAX + 1];
	bool served;	  /* a registration handle is open */
	unsigned gen;	  /* bumped at every registration */
	uint64_t gone_ns; /* when it was last unregistered */
};

struct handle {
	pthread_mutex_t lock;
	enum kind kind;
	uint16_t gen;
	int flags;
	int fd;	       /* H_NODE: diskd's handle on the driver's node, -1 while lost */
	unsigned dgen; /* H_NODE: the disk generation fd belongs to */
	uint64_t off;  /* H_NODE: byte offset; H_DIR: listing position */
	unsigned disk; /* H_NODE, H_REG: index in disks */
	char path[64]; /* H_NODE: the node's path, "/virtio0p1" */
	char *list;    /* H_DIR: the listing made at open */
	size_t list_len;
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t reg_cond = PTHREAD_COND_INITIALIZER;
static struct disk disks[DISKS];
static unsigned ndisks;
static pthread_mutex_t tbl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct handle handles[HANDLES];

/* ---------------------------------------------------------------- registry */

/* Index of disk name, or -1 (reg_lock held). */
static int disk_find(const char *name)
{
	for (unsigned i = 0; i < ndisks; i++)
		if (!strcmp(disks[i].name, name))
			return (int)i;
	return -1;
}

static long reg_add(struct handle *h, const char *name, size_t len)
{
	char n[PART_NAME_MAX + 1];
	while (len && (name[len - 1] == '\n' || name[len - 1] == '\0'))
		len--;
	if (!len || len > PART_NAME_MAX || h->disk != UINT32_MAX)
		return -E_INVAL;
	memcpy(n, name, len);
	n[len] = '\0';
	if (!part_disk_name_ok(n))
		return -E_INVAL;
	pthread_mutex_lock(&reg_lock);
	int i = disk_find(n);
	long r = (long)len;
	if (i >= 0 && disks[i].served)
		r = -E_EXIST;
	else if (i < 0 && ndisks == DISKS)
		r = -E_NOSPC;
	else {
		if (i < 0) {
			i = (int)ndisks++;
			strcpy(disks[i].name, n);
		}
		disks[i].served = true;
		disks[i].gen++;
		h->disk = (unsigned)i;
		pthread_cond_broadcast(&reg_cond);
		rb_printf("diskd: %s registered (disk-%s:)\n", n, n);
	}
	pthread_mutex_unlock(&reg_lock);
	return r;
}

static void reg_drop(struct handle *h)
{
	if (h->disk == UINT32_MAX)
		return;
	pthread_mutex_lock(&reg_lock);
	disks[h->disk].served = false;
	disks[h->disk].gone_ns = rb_now_ns();
	rb_printf("diskd: %s gone\n", disks[h->disk].name);
	pthread_mutex_unlock(&reg_lock);
}

/*
 * Wait until disk i is served with a generation other than old (a
 * restarted driver): its generation, or -E_IO after RESTART_WAIT_S.
 */
static long reg_wait_new(unsigned i, unsigned old)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += RESTART_WAIT_S;
	pthread_mutex_lock(&reg_lock);
	long r = 0;
	while (!(disks[i].served && disks[i].gen != old) && r == 0)
		r = pthread_cond_timedwait(&reg_cond, &reg_lock, &until) ? -E_IO : 0;
	if (r == 0)
		r = disks[i].gen;
	pthread_mutex_unlock(&reg_lock);
	return r;
}

/* ---------------------------------------------------------------- handles */

static struct handle *handle_get(uint64_t id)
{
	unsigned slot = (unsigned)(id & 0xffff), gen = (unsigned)(id >> 16);
	if (slot < 1 || slot > HANDLES)
		return NULL;
	struct handle *h = &handles[slot - 1];
	pthread_mutex_lock(&h->lock);
	if (h->kind == H_FREE || h->gen != gen) {
		pthread_mutex_unlock(&h->lock);
		return NULL;
	}
	return h; /* locked */
}

/* A free slot, locked and marked kind: its id, or -E_MFILE. */
static long handle_new(enum kind kind, struct handle **out)
{
	pthread_mutex_lock(&tbl_lock);
	for (unsigned i = 0; i < HANDLES; i++) {
		struct handle *h = &handles[i];
		if (h->kind != H_FREE)
			continue;
		pthread_mutex_lock(&h->lock);
		h->kind = kind;
		h->gen++;
		h->fd = -1;
		h->off = 0;
		h->disk = UINT32_MAX;
		h->list = NULL;
		pthread_mutex_unlock(&tbl_lock);
		*out = h;
		return (long)((uint64_t)h->gen << 16 | (i + 1));
	}
	pthread_mutex_unlock(&tbl_lock);
	return -E_MFILE;
}

static void handle_free(struct handle *h)
{
	if (h->fd >= 0)
		rb_close(h->fd);
	rb_free(h->list);
	h->list = NULL;
	h->fd = -1;
	pthread_mutex_lock(&tbl_lock);
	h->kind = H_FREE;
	pthread_mutex_unlock(&tbl_lock);
}

/* ---------------------------------------------------------------- nodes */

/* Open h's node on its disk's driver (h locked): an fd or an error. */
static int node_fd(const struct handle *h)
{
	char p[96];
	pthread_mutex_lock(&reg_lock);
	rb_snprintf(p, sizeof p, "disk-%s:%s", disks[h->disk].name, h->path);
	pthread_mutex_unlock(&reg_lock);
	return rb_open(p, h->flags & RB_O_ACCMODE);
}

/* Open h's node on the driver of generation gen (h locked): 0 or an error. */
static int node_open(struct handle *h, unsigned gen)
{
	int fd = node_fd(h);
	if (fd < 0)
		return fd;
	if (h->fd >= 0)
		rb_close(h->fd);
	h->fd = fd;
	h->dgen = gen;
	return 0;
}

static bool driver_gone(long r)
{
	return r == -E_NODEV || r == -E_PIPE;
}

/* The driver of h's disk is gone: wait for the next one and open the node there. */
static long node_recover(struct handle *h)
{
	long gen = reg_wait_new(h->disk, h->dgen);
	if (gen < 0) {
		rb_printf("diskd: %s: no driver came back in %d s\n", h->path + 1, RESTART_WAIT_S);
		return gen;
	}
	return node_open(h, (unsigned)gen);
}

enum io { IO_READ, IO_WRITE, IO_SYNC, IO_STAT, IO_TRUNC };

/*
 * One call on h's node (a read or write at byte at: pread/pwrite, so the
 * driver's handle needs no seek), repeated once on a restarted driver (h
 * locked).
 */
static long node_io(struct handle *h, enum io op, void *buf, size_t n, uint64_t at)
{
	for (int attempt = 0;; attempt++) {
		long r = h->fd >= 0 ? 0 : -E_NODEV;
		if (r >= 0) {
			switch (op) {
			case IO_READ:
				r = rb_pread(h->fd, buf, n, at);
				break;
			case IO_WRITE:
				r = rb_pwrite(h->fd, buf, n, at);
				break;
			case IO_SYNC:
				r = rb_fsync(h->fd);
				break;
			case IO_STAT:
				r = rb_fstat(h->fd, buf);
				break;
			case IO_TRUNC:
				r = rb_ftruncate(h->fd, n);
				break;
			}
		}
		if (!driver_gone(r) || attempt == 2)
			return driver_gone(r) ? -E_IO : r;
		long e = node_recover(h);
		if (e < 0)
			return -E_IO;
	}
}

/* The listing of every served disk (tbl order), as rb_dirent records, into h->list. */
static long dir_list(struct handle *h)
{
	size_t cap = 16384, used = 0;
	char *out = rb_malloc(cap);
	if (!out)
		return -E_NOMEM;
	char names[DISKS][PART_NAME_MAX + 1];
	unsigned n = 0;
	pthread_mutex_lock(&reg_lock);
	for (unsigned i = 0; i < ndisks; i++)
		if (disks[i].served)
			strcpy(names[n++], disks[i].name);
	pthread_mutex_unlock(&reg_lock);
	for (unsigned i = 0; i < n; i++) {
		char p[64];
		rb_snprintf(p, sizeof p, "disk-%s:/", names[i]);
		int fd = rb_open(p, RB_O_RDONLY | RB_O_DIRECTORY);
		if (fd < 0)
			continue; /* went meanwhile */
		long got;
		while (used + 4096 <= cap && (got = rb_getdents(fd, out + used, 4096)) > 0)
			used += (size_t)got;
		rb_close(fd);
	}
	h->list = out;
	h->list_len = used;
	return 0;
}

/* ---------------------------------------------------------------- ops */

/*
 * Answer an open of h's node with a forward (RB_ANS_FWD): a second handle
 * on the driver's node, which the kernel moves out of our table and
 * sends the caller's pread and pwrite to straight, not through us: one
 * process and two copies fewer per call. Once the driver dies, the kernel
 * drops it and sends those calls here again, where they wait for the
 * restarted driver (node_io); read, write and seek always come here. No
 * forward if the second open fails: everything comes here then.
 */
static void forward(const struct handle *h, struct rb_server_call *c)
{
	int fd = node_fd(h);
	if (fd < 0)
		return;
	c->flags |= RB_ANS_FWD;
	c->arg = (uint64_t)fd;
}

static long op_open(struct rb_server *s, struct rb_server_call *c)
{
	const char *p = c->path;
	while (*p == '/')
		p++;
	int acc = (int)(c->req->a & RB_O_ACCMODE);
	struct handle *h;
	long id;
	if (!*p) {
		if (acc != RB_O_RDONLY)
			return -E_ISDIR;
		if ((id = handle_new(H_DIR, &h)) < 0)
			return id;
		long r = dir_list(h);
		if (r < 0)
			handle_free(h);
		pthread_mutex_unlock(&h->lock);
		return r < 0 ? r : id;
	}
	if (!strcmp(p, "register")) {
		if (c->req->uid != 0)
			return -E_ACCES;
		if (acc == RB_O_RDONLY)
			return -E_INVAL;
		if ((id = handle_new(H_REG, &h)) >= 0)
			pthread_mutex_unlock(&h->lock);
		return id;
	}
	char dname[PART_NAME_MAX + 1];
	if (strlen(p) >= sizeof h->path - 1 || part_node_split(p, dname, sizeof dname, NULL) < 0)
		return -E_NOENT;
	if (c->req->uid != 0)
		return -E_ACCES;
	pthread_mutex_lock(&reg_lock);
	int di = disk_find(dname);
	bool served = di >= 0 && disks[di].served;
	unsigned gen = di >= 0 ? disks[di].gen : 0;
	bool restarting =
	    di >= 0 && !served && rb_now_ns() - disks[di].gone_ns < RESTART_WAIT_S * 1000000000ull;
	pthread_mutex_unlock(&reg_lock);
	if (restarting) { /* its driver died just now: the manager is restarting it */
		long g = reg_wait_new((unsigned)di, gen);
		served = g >= 0;
		gen = (unsigned)g;
	}
	if (!served)
		return -E_NOENT;
	if ((id = handle_new(H_NODE, &h)) < 0)
		return id;
	h->flags = (int)c->req->a;
	h->disk = (unsigned)di;
	rb_snprintf(h->path, sizeof h->path, "/%s", p);
	long r = node_open(h, gen);
	if (r < 0)
		handle_free(h);
	else
		forward(h, c);
	pthread_mutex_unlock(&h->lock);
	return r < 0 ? r : id;
}

static long op_close(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return 0;
	if (h->kind == H_REG)
		reg_drop(h);
	handle_free(h);
	pthread_mutex_unlock(&h->lock);
	return 0;
}

/* READ at the handle's offset, or PREAD at req->b (the offset stays). */
static long op_read(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	long r = -E_BADF;
	bool at = c->req->op == RB_SOP_PREAD;
	if (h->kind == H_NODE) {
		r = node_io(h, IO_READ, c->out, c->out_max, at ? c->req->b : h->off);
		if (r > 0 && !at)
			h->off += (uint64_t)r;
	} else if (h->kind == H_DIR) {
		r = -E_ISDIR;
	}
	if (r > 0)
		c->out_len = (size_t)r;
	pthread_mutex_unlock(&h->lock);
	return r;
}

/* WRITE at the handle's offset, or PWRITE at req->b (the offset stays). */
static long op_write(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	long r = -E_BADF;
	bool at = c->req->op == RB_SOP_PWRITE;
	if (h->kind == H_REG) {
		r = at ? -E_SPIPE : reg_add(h, c->payload, c->req->len);
	} else if (h->kind == H_NODE) {
		r = node_io(h, IO_WRITE, (void *)c->payload, c->req->len, at ? c->req->b : h->off);
		if (r > 0 && !at)
			h->off += (uint64_t)r;
	}
	pthread_mutex_unlock(&h->lock);
	return r;
}

static long op_seek(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	long r = -E_SPIPE;
	if (h->kind == H_NODE) {
		int64_t base = 0, off = (int64_t)c->req->a;
		struct rb_stat st = {0};
		r = 0;
		if (c->req->b == RB_SEEK_CUR)
			base = (int64_t)h->off;
		else if (c->req->b == RB_SEEK_END &&
			 (r = node_io(h, IO_STAT, &st, sizeof st, 0)) == 0)
			base = (int64_t)st.size;
		else if (c->req->b != RB_SEEK_SET && c->req->b != RB_SEEK_END)
			r = -E_INVAL;
		if (r >= 0 && (__builtin_add_overflow(base, off, &off) || off < 0))
			r = -E_INVAL;
		if (r >= 0)
			r = (long)(h->off = (uint64_t)off);
	}
	pthread_mutex_unlock(&h->lock);
	return r;
}

static long op_fstat(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	long r;
	struct rb_stat *st = c->out;
	if (h->kind == H_NODE) {
		r = node_io(h, IO_STAT, st, sizeof *st, 0);
	} else {
		memset(st, 0, sizeof *st);
		st->mode = h->kind == H_DIR ? 0x4000 | 0555 : 0200;
		r = 0;
	}
	if (r == 0)
		c->out_len = sizeof *st;
	pthread_mutex_unlock(&h->lock);
	return r;
}

static long op_fsync(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	long r = h->kind == H_NODE ? node_io(h, IO_SYNC, NULL, 0, 0) : 0;
	pthread_mutex_unlock(&h->lock);
	return r;
}

static long op_ftruncate(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	long r = h->kind == H_NODE ? node_io(h, IO_TRUNC, NULL, c->req->a, 0) : -E_INVAL;
	pthread_mutex_unlock(&h->lock);
	return r;
}

static long op_getdents(struct rb_server *s, struct rb_server_call *c)
{
	struct handle *h = handle_get(c->req->handle);
	if (!h)
		return -E_BADF;
	long r = -E_NOTDIR;
	if (h->kind == H_DIR) {
		size_t n = 0; /* whole records only */
		while (h->off + n < h->list_len) {
			const struct rb_dirent *d = (const void *)(h->list + h->off + n);
			if (!d->reclen || n + d->reclen > c->out_max)
				break;
			n += d->reclen;
		}
		memcpy(c->out, h->list + h->off, n);
		h->off += n;
		c->out_len = n;
		r = (long)n;
	}
	pthread_mutex_unlock(&h->lock);
	return r;
}

static const struct rb_server_ops ops = {
    .open = op_open,
    .close = op_close,
    .read = op_read,
    .write = op_write,
    .pread = op_read,
    .pwrite = op_write,
    .seek = op_seek,
    .fstat = op_fstat,
    .fsync = op_fsync,
    .ftruncate = op_ftruncate,
    .getdents = op_getdents,
};

int main(void)
{
	for (unsigned i = 0; i < HANDLES; i++)
		pthread_mutex_init(&handles[i].lock, NULL);
	struct rb_server srv;
	int r = rb_server_init(&srv, "disk", &ops, NULL);
	if (r < 0) {
		rb_printf("diskd: cannot serve disk: (%s)\n", err_name(r));
		return 1;
	}
	return rb_server_run(&srv, WORKERS) < 0;
}
