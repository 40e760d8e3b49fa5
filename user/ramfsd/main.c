/*
 * ramfsd - the file: server: a RAM file system (lib/ramfs) seeded from
 * initfs, bounded in size, served by two worker threads (docs/ramfs.md).
 *
 *   ramfsd [-s BYTES] [-n NAME]
 *
 * -s bounds the file system (default 32 MiB; K and M suffixes); -n serves
 * another scheme name, empty but for /tmp (tests use it for a small second
 * instance). Each OPEN or DUP makes a struct handle (the node, the open
 * flags and the handle's own offset); its address is the handle number the
 * kernel echoes. Every ramfs call and every handle's offset is guarded by
 * fs_lock, one mutex: the workers only run in parallel while they wait in
 * the kernel. A handle is freed by the CLOSE the kernel sends when its last
 * fd goes; answers are immediate, so CANCEL has nothing to do.
 */
#include "ramfsd.h"
#include "rb/malloc.h"
#include "rb/server.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include <string.h>

#define HANDLE_MAGIC 0x52414d46u /* "RAMF" */

struct ramfs fs;
struct rb_mutex fs_lock = RB_MUTEX_INIT;

struct handle {
	unsigned int magic;
	int flags; /* RB_O_* of the open */
	struct ramfs_node *node;
	uint64_t off; /* file offset, or a directory's entry index */
};

static void *mem_alloc(void *ctx, size_t n)
{
	return rb_malloc(n);
}

static void mem_free(void *ctx, void *p, size_t n)
{
	rb_free(p);
}

static struct ramfs_cred cred_of(const struct rb_req *r)
{
	return (struct ramfs_cred){r->uid, r->gid};
}

/* The handle a request names (the kernel echoes only handles we gave). */
static struct handle *handle_of(const struct rb_req *r)
{
	struct handle *h = (struct handle *)(uintptr_t)r->handle;
	return h && h->magic == HANDLE_MAGIC ? h : NULL;
}

static bool can_read(const struct handle *h)
{
	return (h->flags & RB_O_ACCMODE) != RB_O_WRONLY;
}

static bool can_write(const struct handle *h)
{
	return (h->flags & RB_O_ACCMODE) != RB_O_RDONLY;
}

/* A new handle on node n (whose open reference it takes over): its number or -E_NOMEM. */
static long handle_new(struct ramfs_node *n, int flags)
{
	struct handle *h = rb_malloc(sizeof *h);
	if (!h) {
		ramfs_close(&fs, n);
		return -E_NOMEM;
	}
	*h = (struct handle){HANDLE_MAGIC, flags, n, 0};
	return (long)(uintptr_t)h;
}

static long op_open(struct rb_server *srv, struct rb_server_call *c)
{
	struct ramfs_cred cred = cred_of(c->req);
	int flags = (int)c->req->a;
	unsigned mode = (flags & RB_O_DIRECTORY) ? 0755 : 0644;
	struct ramfs_node *n;
	rb_mutex_lock(&fs_lock);
	long r = ramfs_open(&fs, c->path, flags, mode, &cred, &n);
	if (r == 0)
		r = handle_new(n, flags);
	rb_mutex_unlock(&fs_lock);
	return r;
}

static long op_dup(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle *h = handle_of(c->req);
	if (!h)
		return -E_BADF;
	if (c->path[0] != '\0')
		return -E_INVAL; /* only "": the same file, reopened */
	rb_mutex_lock(&fs_lock);
	long r = handle_new(ramfs_ref(h->node), h->flags);
	rb_mutex_unlock(&fs_lock);
	return r;
}

static long op_close(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle *h = handle_of(c->req);
	if (!h)
		return -E_BADF;
	rb_mutex_lock(&fs_lock);
	ramfs_close(&fs, h->node);
	rb_mutex_unlock(&fs_lock);
	h->magic = 0;
	rb_free(h);
	return 0;
}

/* READ at the handle's offset, or PREAD at req->b (the offset stays). */
static long op_read(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle *h = handle_of(c->req);
	if (!h || !can_read(h))
		return -E_BADF;
	bool at = c->req->op == RB_SOP_PREAD;
	rb_mutex_lock(&fs_lock);
	long r = ramfs_read(&fs, h->node, at ? c->req->b : h->off, c->out, c->out_max);
	if (r > 0) {
		if (!at)
			h->off += (uint64_t)r;
		c->out_len = (size_t)r;
	}
	rb_mutex_unlock(&fs_lock);
	return r;
}

/* WRITE at the handle's offset (the end with O_APPEND), or PWRITE at req->b (POSIX: even
   with O_APPEND; the offset stays). */
static long op_write(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle *h = handle_of(c->req);
	if (!h || !can_write(h))
		return -E_BADF;
	bool at = c->req->op == RB_SOP_PWRITE;
	struct ramfs_stat st;
	rb_mutex_lock(&fs_lock);
	if ((h->flags & RB_O_APPEND) && !at) {
		ramfs_stat(h->node, &st);
		h->off = st.size;
	}
	long r = ramfs_write(&fs, h->node, at ? c->req->b : h->off, c->payload, c->req->len);
	if (r > 0 && !at)
		h->off += (uint64_t)r;
	rb_mutex_unlock(&fs_lock);
	return r;
}

static long op_seek(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle *h = handle_of(c->req);
	if (!h)
		return -E_BADF;
	int64_t off = (int64_t)c->req->a, base;
	struct ramfs_stat st;
	rb_mutex_lock(&fs_lock);
	ramfs_stat(h->node, &st);
	switch (c->req->b) {
	case RB_SEEK_SET:
		base = 0;
		break;
	case RB_SEEK_CUR:
		base = (int64_t)h->off;
		break;
	case RB_SEEK_END:
		base = (int64_t)st.size;
		break;
	default:
		base = -1;
	}
	long r = -E_INVAL;
	if (base >= 0 && !__builtin_add_overflow(base, off, &off) && off >= 0) {
		h->off = (uint64_t)off;
		r = (long)off;
	}
	rb_mutex_unlock(&fs_lock);
	return r;
}

static long op_fstat(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle *h = handle_of(c->req);
	if (!h)
		return -E_BADF;
	struct ramfs_stat st;
	rb_mutex_lock(&fs_lock);
	ramfs_stat(h->node, &st);
	rb_mutex_unlock(&fs_lock);
	struct rb_stat out = {.size = st.size, .mode = st.mode, .uid = st.uid, .gid = st.gid};
	if (c->out_max < sizeof out)
		return -E_INVAL;
	memcpy(c->out, &out, sizeof out);
	c->out_len = sizeof out;
	return 0;
}

static long op_fsync(struct rb_server *srv, struct rb_server_call *c)
{
	return handle_of(c->req) ? 0 : -E_BADF;
}

static long op_ftruncate(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle *h = handle_of(c->req);
	if (!h)
		return -E_BADF;
	if (!can_write(h))
		return -E_INVAL; /* POSIX: not open for writing */
	rb_mutex_lock(&fs_lock);
	long r = ramfs_truncate(&fs, h->node, c->req->a);
	rb_mutex_unlock(&fs_lock);
	return r;
}

static long op_getdents(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle *h = handle_of(c->req);
	if (!h)
		return -E_BADF;
	rb_mutex_lock(&fs_lock);
	long r = ramfs_getdents(h->node, &h->off, c->out, c->out_max);
	rb_mutex_unlock(&fs_lock);
	if (r > 0)
		c->out_len = (size_t)r;
	return r;
}

static long op_fpath(struct rb_server *srv, struct rb_server_call *c)
{
	struct handle *h = handle_of(c->req);
	if (!h)
		return -E_BADF;
	char path[RB_PATH_MAX];
	rb_mutex_lock(&fs_lock);
	long r = ramfs_path(&fs, h->node, path, sizeof path);
	rb_mutex_unlock(&fs_lock);
	if (r < 0)
		return r;
	size_t len = MIN((size_t)r, c->out_max);
	memcpy(c->out, path, len);
	c->out_len = len;
	return (long)len;
}

static long op_unlink(struct rb_server *srv, struct rb_server_call *c)
{
	struct ramfs_cred cred = cred_of(c->req);
	rb_mutex_lock(&fs_lock);
	long r = ramfs_unlink(&fs, c->path, (int)c->req->a, &cred);
	rb_mutex_unlock(&fs_lock);
	return r;
}

static long op_rename(struct rb_server *srv, struct rb_server_call *c)
{
	struct ramfs_cred cred = cred_of(c->req);
	rb_mutex_lock(&fs_lock);
	long r = ramfs_rename(&fs, c->path, c->path2, &cred);
	rb_mutex_unlock(&fs_lock);
	return r;
}

static long op_cancel(struct rb_server *srv, struct rb_server_call *c)
{
	return 0; /* every answer is immediate: nothing is ever waiting */
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
    .unlink = op_unlink,
    .rename = op_rename,
    .cancel = op_cancel,
};

/* "123", "64K", "32M" -> bytes; 0 if malformed. */
static uint64_t parse_size(const char *s)
{
	uint64_t v = 0;
	if (!*s)
		return 0;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	if (*s == 'K' || *s == 'k')
		v <<= 10, s++;
	else if (*s == 'M' || *s == 'm')
		v <<= 20, s++;
	return *s ? 0 : v;
}

/* Make directory path owned by root with mode. */
static int make_dir(const char *path, unsigned mode)
{
	static const struct ramfs_cred root = {0, 0};
	struct ramfs_node *n;
	rb_mutex_lock(&fs_lock);
	int r = ramfs_open(&fs, path, RB_O_CREAT | RB_O_DIRECTORY, mode, &root, &n);
	if (r == 0)
		ramfs_close(&fs, n);
	rb_mutex_unlock(&fs_lock);
	return r;
}

int main(int argc, char **argv, char **envp)
{
	static const struct ramfs_mem mem = {mem_alloc, mem_free, NULL};
	uint64_t limit = 32ull << 20, files = 0, bytes = 0;
	const char *name = "file";
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-s") && parse_size(argv[i + 1]))
			limit = parse_size(argv[i + 1]);
		else if (!strcmp(argv[i], "-n"))
			name = argv[i + 1];
		else
			rb_printf("ramfsd: ignoring argument %s\n", argv[i]);
	}
	int r = ramfs_init(&fs, &mem, limit);
	bool seed = !strcmp(name, "file");
	if (r == 0 && seed)
		r = seed_from_initfs(&files, &bytes);
	if (r == 0)
		r = make_dir("/tmp", 01777);
	if (r == 0 && seed && (r = make_dir("/var", 0755)) == 0 &&
	    (r = make_dir("/var/log", 0755)) == 0)
		r = make_dir("/var/run", 0755);
	if (r == 0 && seed)
		r = apply_fs_perms(); /* after the fixed directories, so the table has the last word
				       */
	if (r < 0) {
		rb_printf("ramfsd: cannot build the file system: %s\n", err_name(r));
		return 1;
	}
	struct rb_server srv;
	r = rb_server_init(&srv, name, &ops, NULL);
	if (r < 0) {
		rb_printf("ramfsd: cannot register %s: %s\n", name, err_name(r));
		return 1;
	}
	rb_printf("ramfsd: serving %s: (%lu files, %lu bytes from initfs)\n", name,
		  (unsigned long)files, (unsigned long)bytes);
	r = rb_server_run(&srv, 2);
	rb_printf("ramfsd: %s: stopped: %s\n", name, err_name(r));
	return 0;
}
