/*
 * blkserv.c - the disk: server block drivers share (rb/blkserv.h): nodes,
 * handles, byte ranges over blocks with read-modify-write, the scheme
 * ops, the partition scan and diskd registration (again after diskd
 * restarts: reg_watch, a thread per server). Moved here from virtio-blkd
 * so every block driver serves the same way.
 * Locking: tbl_lock guards the handle table (shared by every server of
 * the process; a handle belongs to the server it was opened on),
 * rmw_lock orders unaligned writes; see rb/blkserv.h. A server's reg is
 * its watcher thread's once serving.
 */
#include <string.h>
#include "base/err.h"
#include "rb/blkserv.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "rb/thread.h"

#define HANDLES 256
#define REREG_FIRST_NS 10000000ull	/* 10 ms: the first look for a restarted diskd */
#define REREG_MAX_NS 1000000000ull	/* then doubling to 1 s */
#define REREG_GIVE_UP_NS 30000000000ull /* 30 s: longer than init's restart back-off */
#define NODE_DIR (-1)
#define NODE_DISK 0 /* node k > 0: partition table entry k - 1 */
#define S_IFBLK_MODE 0x6000u

struct handle {
	const struct blkserv *bs; /* the server it was opened on */
	bool used;
	uint16_t gen;
	int node;
	int flags;
	bool wrote;
	uint64_t off; /* byte offset, or a directory's entry index */
};

static struct rb_mutex tbl_lock = RB_MUTEX_INIT, rmw_lock = RB_MUTEX_INIT;
static struct handle handles[HANDLES];

/* Node n's first sector and length in sectors. */
static void node_range(const struct blkserv *bs, int n, uint64_t *first, uint64_t *count)
{
	if (n == NODE_DISK) {
		*first = 0;
		*count = bs->blocks;
	} else {
		*first = bs->parts.p[n - 1].first;
		*count = bs->parts.p[n - 1].count;
	}
}

/* Node n's name into buf. */
static void node_name(const struct blkserv *bs, int n, char *buf, size_t len)
{
	if (n == NODE_DISK)
		rb_snprintf(buf, len, "%s", bs->name);
	else
		rb_snprintf(buf, len, "%sp%u", bs->name, bs->parts.p[n - 1].num);
}

/* The node a path names, or -E_NOENT. */
static int node_lookup(const struct blkserv *bs, const char *path)
{
	while (*path == '/')
		path++;
	if (*path == '\0')
		return NODE_DIR;
	char name[32];
	for (int n = 0; n <= (int)bs->parts.n; n++) {
		node_name(bs, n, name, sizeof name);
		if (strcmp(name, path) == 0)
			return n;
	}
	return -E_NOENT;
}

/* The live handle a request names (under tbl_lock), or NULL. */
static struct handle *handle_of(const struct blkserv *bs, const struct rb_req *r)
{
	uint64_t v = r->handle;
	unsigned i = (unsigned)(v & 0xffff);
	if (i == 0 || i > HANDLES)
		return NULL;
	struct handle *h = &handles[i - 1];
	return h->used && h->bs == bs && h->gen == (uint16_t)(v >> 16) ? h : NULL;
}

/* A copy of the handle's fields (the handle may close meanwhile). */
static int handle_get(const struct blkserv *bs, const struct rb_req *r, struct handle *out)
{
	rb_mutex_lock(&tbl_lock);
	struct handle *h = handle_of(bs, r);
	if (h)
		*out = *h;
	rb_mutex_unlock(&tbl_lock);
	return h ? 0 : -E_BADF;
}

static long handle_new(const struct blkserv *bs, int node, int flags)
{
	long r = -E_MFILE;
	rb_mutex_lock(&tbl_lock);
	for (unsigned i = 0; i < HANDLES; i++) {
		struct handle *h = &handles[i];
		if (!h->used) {
			uint16_t gen = (uint16_t)(h->gen + 1);
			*h = (struct handle){bs, true, gen, node, flags, false, 0};
			r = (long)((uint64_t)gen << 16 | (i + 1));
			break;
		}
	}
	rb_mutex_unlock(&tbl_lock);
	return r;
}

/* Advance handle r's offset by n from start, if it is still open. */
static void handle_advance(const struct blkserv *bs, const struct rb_req *r, uint64_t start,
			   uint64_t n, bool wrote)
{
	rb_mutex_lock(&tbl_lock);
	struct handle *h = handle_of(bs, r);
	if (h) {
		if (r->op != RB_SOP_PREAD && r->op != RB_SOP_PWRITE) /* those keep the offset */
			h->off = start + n;
		h->wrote |= wrote;
	}
	rb_mutex_unlock(&tbl_lock);
}

/*
 * The bytes slot s's area holds for a call of `want` bytes (from its first
 * block's start): the area is grown first when it holds fewer, to
 * BLKSERV_AREA, and if that fails the call goes on in pieces of what it
 * holds. A block multiple.
 */
static size_t slot_room(const struct blkserv *bs, void *s, uint64_t want)
{
	struct drv_dmabuf *buf = bs->ops->slot_buf(s);
	if (want > buf->len)
		(void)drv_dmabuf_grow(buf, BLKSERV_AREA); /* failed or not needed: pieces */
	return buf->len - buf->len % bs->bsize;
}

/* Run op on the first `bytes` of s's area from block lba, in io() calls of at most
   xfer_max: 0 or the first error. */
static int area_io(const struct blkserv *bs, void *s, enum blkserv_op op, uint64_t lba,
		   uint32_t bytes)
{
	for (uint32_t at = 0; at < bytes;) {
		uint32_t n = MIN(bytes - at, bs->xfer_max);
		int r = bs->ops->io(bs->dev, s, op, lba + at / bs->bsize, at, n);
		if (r < 0)
			return r;
		at += n;
	}
	return 0;
}

static const struct blkserv *bs_of(const struct rb_server *srv);

/* rb_server's done: give back the slot an answer was sent from (out_at). */
static void slot_put_sent(struct rb_server *srv, void *slot)
{
	const struct blkserv *bs = bs_of(srv);
	bs->ops->slot_put(bs->dev, slot);
}

/*
 * Read len bytes at byte off of the sectors [first, first+count) into out:
 * bytes read or an error. With a call c, a read the slot's area holds whole
 * is answered from the area itself (c->out_at, the slot kept until the
 * answer is sent): no copy into out.
 */
static long range_read(const struct blkserv *bs, uint64_t first, uint64_t count, uint64_t off,
		       uint8_t *out, size_t len, struct rb_server_call *c)
{
	uint64_t size = count * bs->bsize;
	if (off >= size)
		return 0;
	len = (size_t)MIN((uint64_t)len, size - off);
	void *s = bs->ops->slot_get(bs->dev);
	size_t room = slot_room(bs, s, off % bs->bsize + len);
	uint8_t *data = bs->ops->slot_buf(s)->p;
	size_t done = 0;
	int r = 0;
	while (done < len) {
		uint64_t pos = off + done;
		unsigned skip = (unsigned)(pos % bs->bsize);
		size_t chunk = MIN(len - done, room - skip);
		uint32_t bytes = (uint32_t)ALIGN_UP(skip + chunk, (size_t)bs->bsize);
		r = area_io(bs, s, BLKSERV_READ, first + pos / bs->bsize, bytes);
		if (r < 0)
			break;
		if (c && chunk == len) {
			/* the header goes in the skip bytes or the area's headroom before them */
			c->out_at = (char *)data + skip;
			c->done = slot_put_sent;
			c->done_arg = s;
			return (long)len;
		}
		memcpy(out + done, data + skip, chunk);
		done += chunk;
	}
	bs->ops->slot_put(bs->dev, s);
	return done ? (long)done : r;
}

/* Write len bytes at byte off of [first, first+count): bytes written or an error. */
static long range_write(const struct blkserv *bs, uint64_t first, uint64_t count, uint64_t off,
			const uint8_t *in, size_t len)
{
	uint64_t size = count * bs->bsize;
	if (bs->ro)
		return -E_ROFS;
	if (len == 0)
		return 0;
	if (off >= size)
		return -E_NOSPC;
	len = (size_t)MIN((uint64_t)len, size - off);
	void *s = bs->ops->slot_get(bs->dev);
	size_t room = slot_room(bs, s, off % bs->bsize + len);
	uint8_t *data = bs->ops->slot_buf(s)->p;
	size_t done = 0;
	int r = 0;
	while (done < len) {
		uint64_t pos = off + done, sec = first + pos / bs->bsize;
		unsigned skip = (unsigned)(pos % bs->bsize);
		size_t chunk = MIN(len - done, room - skip);
		unsigned tail = (unsigned)((skip + chunk) % bs->bsize);
		uint32_t bytes = (uint32_t)ALIGN_UP(skip + chunk, (size_t)bs->bsize);
		bool partial = skip || tail;
		if (partial)
			rb_mutex_lock(&rmw_lock);
		/* A partial first or last sector: read it, change our bytes. */
		if (skip)
			r = bs->ops->io(bs->dev, s, BLKSERV_READ, sec, 0, bs->bsize);
		if (r == 0 && tail && (bytes > bs->bsize || !skip))
			r = bs->ops->io(bs->dev, s, BLKSERV_READ, sec + bytes / bs->bsize - 1,
					bytes - bs->bsize, bs->bsize);
		if (r == 0) {
			memcpy(data + skip, in + done, chunk);
			r = area_io(bs, s, BLKSERV_WRITE, sec, bytes);
		}
		if (partial)
			rb_mutex_unlock(&rmw_lock);
		if (r < 0)
			break;
		done += chunk;
	}
	bs->ops->slot_put(bs->dev, s);
	return done ? (long)done : r;
}

static int flush(const struct blkserv *bs)
{
	if (!bs->flush)
		return 0;
	void *s = bs->ops->slot_get(bs->dev);
	int r = bs->ops->io(bs->dev, s, BLKSERV_FLUSH, 0, 0, 0);
	bs->ops->slot_put(bs->dev, s);
	return r;
}

/* The server whose scheme a call came in on. */
static const struct blkserv *bs_of(const struct rb_server *srv)
{
	return (const struct blkserv *)((const char *)srv - offsetof(struct blkserv, srv));
}

static long op_open(struct rb_server *srv, struct rb_server_call *c)
{
	const struct blkserv *bs = bs_of(srv);
	int n = node_lookup(bs, c->path);
	if (n == -E_NOENT)
		return n;
	int acc = (int)c->req->a & RB_O_ACCMODE;
	if (n == NODE_DIR && acc != RB_O_RDONLY)
		return -E_ISDIR;
	if (acc != RB_O_RDONLY && bs->ro)
		return -E_ROFS;
	if (c->req->uid != 0)
		return -E_ACCES; /* raw disks are root's */
	return handle_new(bs, n, (int)c->req->a);
}

static long op_dup(struct rb_server *srv, struct rb_server_call *c)
{
	const struct blkserv *bs = bs_of(srv);
	struct handle h;
	if (handle_get(bs, c->req, &h) < 0)
		return -E_BADF;
	return handle_new(bs, h.node, h.flags);
}

static long op_close(struct rb_server *srv, struct rb_server_call *c)
{
	const struct blkserv *bs = bs_of(srv);
	rb_mutex_lock(&tbl_lock);
	struct handle *h = handle_of(bs, c->req);
	bool wrote = h && h->wrote;
	if (h)
		h->used = false;
	rb_mutex_unlock(&tbl_lock);
	if (wrote)
		(void)flush(bs);
	return 0;
}

/* READ at the handle's offset, or PREAD at req->b. */
static long op_read(struct rb_server *srv, struct rb_server_call *c)
{
	const struct blkserv *bs = bs_of(srv);
	struct handle h;
	if (handle_get(bs, c->req, &h) < 0 || (h.flags & RB_O_ACCMODE) == RB_O_WRONLY)
		return -E_BADF;
	if (h.node == NODE_DIR)
		return -E_ISDIR;
	uint64_t first, count, at = c->req->op == RB_SOP_PREAD ? c->req->b : h.off;
	node_range(bs, h.node, &first, &count);
	long r = range_read(bs, first, count, at, c->out, c->out_max, c);
	if (r > 0) {
		c->out_len = (size_t)r;
		handle_advance(bs, c->req, at, (uint64_t)r, false);
	}
	return r;
}

/* WRITE at the handle's offset, or PWRITE at req->b. */
static long op_write(struct rb_server *srv, struct rb_server_call *c)
{
	const struct blkserv *bs = bs_of(srv);
	struct handle h;
	if (handle_get(bs, c->req, &h) < 0 || (h.flags & RB_O_ACCMODE) == RB_O_RDONLY)
		return -E_BADF;
	uint64_t first, count, at = c->req->op == RB_SOP_PWRITE ? c->req->b : h.off;
	node_range(bs, h.node, &first, &count);
	long r = range_write(bs, first, count, at, c->payload, c->req->len);
	if (r > 0)
		handle_advance(bs, c->req, at, (uint64_t)r, true);
	return r;
}

static uint64_t node_size(const struct blkserv *bs, int n)
{
	uint64_t first, count;
	if (n == NODE_DIR)
		return 0;
	node_range(bs, n, &first, &count);
	return count * bs->bsize;
}

static long op_seek(struct rb_server *srv, struct rb_server_call *c)
{
	const struct blkserv *bs = bs_of(srv);
	int64_t off = (int64_t)c->req->a, base;
	long r = -E_BADF;
	rb_mutex_lock(&tbl_lock);
	struct handle *h = handle_of(bs, c->req);
	if (h) {
		switch (c->req->b) {
		case RB_SEEK_SET:
			base = 0;
			break;
		case RB_SEEK_CUR:
			base = (int64_t)h->off;
			break;
		case RB_SEEK_END:
			base = (int64_t)node_size(bs, h->node);
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
	const struct blkserv *bs = bs_of(srv);
	struct handle h;
	if (handle_get(bs, c->req, &h) < 0)
		return -E_BADF;
	struct rb_stat st = {.size = node_size(bs, h.node),
			     .mode = h.node == NODE_DIR ? 0x4000u | 0555 : S_IFBLK_MODE | 0600};
	if (c->out_max < sizeof st)
		return -E_INVAL;
	memcpy(c->out, &st, sizeof st);
	c->out_len = sizeof st;
	return 0;
}

static long op_fsync(struct rb_server *srv, struct rb_server_call *c)
{
	const struct blkserv *bs = bs_of(srv);
	struct handle h;
	if (handle_get(bs, c->req, &h) < 0)
		return -E_BADF;
	return flush(bs);
}

static long op_ftruncate(struct rb_server *srv, struct rb_server_call *c)
{
	const struct blkserv *bs = bs_of(srv);
	struct handle h;
	if (handle_get(bs, c->req, &h) < 0)
		return -E_BADF;
	if (h.node == NODE_DIR || (h.flags & RB_O_ACCMODE) == RB_O_RDONLY)
		return -E_INVAL;
	return c->req->a <= node_size(bs, h.node) ? 0 : -E_INVAL;
}

static long op_getdents(struct rb_server *srv, struct rb_server_call *c)
{
	const struct blkserv *bs = bs_of(srv);
	struct handle h;
	if (handle_get(bs, c->req, &h) < 0)
		return -E_BADF;
	if (h.node != NODE_DIR)
		return -E_NOTDIR;
	uint8_t *out = c->out;
	size_t used = 0;
	uint64_t i = h.off;
	for (; i <= bs->parts.n; i++) {
		char name[32];
		node_name(bs, (int)i, name, sizeof name);
		size_t nl = strlen(name), reclen = ALIGN_UP(3 + nl + 1, (size_t)8);
		if (reclen > c->out_max - used)
			break;
		memset(out + used, 0, reclen);
		struct rb_dirent d = {.reclen = (unsigned short)reclen, .type = RB_DT_REG};
		memcpy(out + used, &d, 3);
		memcpy(out + used + 3, name, nl);
		used += reclen;
	}
	if (used == 0 && i <= bs->parts.n)
		return -E_INVAL; /* the buffer holds no record */
	handle_advance(bs, c->req, i, 0, false);
	c->out_len = used;
	return (long)used;
}

static long op_fpath(struct rb_server *srv, struct rb_server_call *c)
{
	const struct blkserv *bs = bs_of(srv);
	struct handle h;
	if (handle_get(bs, c->req, &h) < 0)
		return -E_BADF;
	char path[40] = "/";
	if (h.node != NODE_DIR)
		node_name(bs, h.node, path + 1, sizeof path - 1);
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
    .pread = op_read,
    .pwrite = op_write,
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
	const struct blkserv *bs = ctx;
	long want = (long)count * bs->bsize;
	long r = range_read(bs, 0, bs->blocks, lba * bs->bsize, buf, (size_t)want, NULL);
	return r == want ? 0 : (r < 0 ? (int)r : -E_IO);
}

/* Open disk:/register and write bs's name: the handle, or an error. */
static int do_register(const struct blkserv *bs)
{
	int reg = rb_open("disk:/register", RB_O_WRONLY);
	if (reg < 0)
		return reg;
	long w = rb_write(reg, bs->name, strlen(bs->name));
	if (w < 0) {
		rb_close(reg);
		return (int)w;
	}
	return reg;
}

/*
 * Serve disk-NAME: and tell diskd NAME (docs/disks.md), holding *reg open
 * while serving: diskd's disk:/NAME then reaches us. 0 or an error;
 * scheme gets the name tried.
 */
static int serve(const struct blkserv *bs, struct rb_server *srv, char *scheme, size_t len,
		 int *reg)
{
	char own[32];
	rb_snprintf(own, sizeof own, "disk-%s", bs->name);
	rb_snprintf(scheme, len, "%s", own);
	int r = rb_server_init(srv, scheme, &ops, NULL);
	if (r < 0)
		return r;
	/* diskd opens disk-NAME: as soon as it reads NAME: register after serving. */
	*reg = do_register(bs);
	if (*reg < 0)
		drv_log(bs->drv, "diskd registration of %s: %s; only %s: serves it", bs->name,
			err_name(*reg), scheme);
	return 0;
}

/*
 * A server's registration watcher: diskd's death shows on its
 * disk:/register handle as POLLHUP (docs/ipc.md, "When a server dies";
 * we ask for no other event, so the poll sleeps until then). init
 * restarts diskd, which starts with an empty registry: register again as
 * soon as a new diskd answers, looking after 10 ms, doubling to 1 s, for
 * 30 s at most. This thread alone changes b->reg once serving.
 */
static int reg_watch(void *arg)
{
	struct blkserv *b = arg;
	for (;;) {
		struct rb_pollfd pf = {.fd = b->reg, .events = 0};
		int p = rb_poll(&pf, 1, -1);
		if (p < 0 && p != -E_INTR)
			return 0;
		if (p <= 0 || !(pf.revents & (RB_POLLHUP | RB_POLLERR | RB_POLLNVAL)))
			continue;
		rb_close(b->reg);
		b->reg = -1;
		drv_log(b->drv, "diskd went away; registering %s again when it is back", b->name);
		uint64_t t0 = rb_now_ns(), wait = REREG_FIRST_NS;
		int reg;
		while ((reg = do_register(b)) < 0 && rb_now_ns() - t0 < REREG_GIVE_UP_NS) {
			rb_nanosleep(wait);
			wait = wait * 2 < REREG_MAX_NS ? wait * 2 : REREG_MAX_NS;
		}
		if (reg < 0) {
			drv_log(b->drv, "diskd not back in 30 s (%s); only %s: serves %s",
				err_name(reg), b->scheme, b->name);
			return 0;
		}
		b->reg = reg;
		drv_log(b->drv, "registered %s again with diskd after %llu ms", b->name,
			(unsigned long long)((rb_now_ns() - t0) / 1000000));
	}
}

int blkserv_start(struct blkserv *b)
{
	b->reg = -1;
	size_t scratch_len = PART_SCRATCH_MIN(4096);
	void *scratch = rb_mmap(NULL, scratch_len, RB_PROT_READ | RB_PROT_WRITE, 0);
	if (RB_IS_ERR(scratch) ||
	    part_scan(b->blocks, b->bsize, part_read, b, scratch, scratch_len, &b->parts) < 0) {
		drv_log(b->drv, "partition table not read");
		memset(&b->parts, 0, sizeof b->parts);
	}
	if (b->parts.note[0])
		drv_log(b->drv, "partitions: %s", b->parts.note);
	if (!RB_IS_ERR(scratch))
		rb_munmap(scratch, scratch_len);
	int r = serve(b, &b->srv, b->scheme, sizeof b->scheme, &b->reg);
	if (r == 0 && b->reg >= 0) {
		int tid = rb_thread_create(reg_watch, b);
		if (tid < 0)
			drv_log(b->drv,
				"no registration watcher (%s): a restarted diskd will not "
				"know %s",
				err_name(tid), b->name);
	}
	return r;
}

int blkserv_run(struct blkserv *b, int nworkers)
{
	return rb_server_run(&b->srv, nworkers);
}
