/*
 * uscheme_ops.c - the file ops of a user-space scheme: each one builds a
 * request, lets usreq_call (uscheme.c) queue it and sleep until the
 * server answers, and turns the answer into the op's result
 * (docs/ipc.md, the table in "Serving a scheme").
 *
 * Ownership and locking: f->priv is a struct uhandle, created by open or
 * dup and freed by close (the last file_put); it holds the preallocated
 * CLOSE request, so closing never allocates or waits. Its events and its
 * place in the scheme's handle map are guarded by us->lock (uscheme.c);
 * handle and close_req never change after open. User memory is copied
 * only here, in the caller's context, with no lock held: a WRITE's data
 * into the request before it is queued, a READ's answer out of it after
 * the caller wakes. User-scheme files are streams to the file layer: the
 * server keeps any offset, and SEEK is forwarded. FMAP's pages belong to
 * the server's answer file (shm:): us_fmap counts the mapping in its
 * maps and hands a reference to the mapping (fmap's owner), which keeps
 * it until unmapped (mm/vm.c), whatever the server does with its fd.
 *
 * A forward (RB_ANS_FWD at open or dup) is a file of the server's that
 * takes the handle's PREAD and PWRITE: the caller's call goes to it
 * directly, not through the server (diskd hands its callers the
 * driver's node this way). uh->fwd is set before the file is published,
 * read and cleared under us->lock with a reference taken (fwd_get), and
 * put outside it; a call on it that fails with ENODEV or EPIPE (its
 * server died) clears it, and that call and every later one go to the
 * server as without a forward. The caller's open mode is checked here
 * (EBADF), since no server sees the call. A forward never forwards itself
 * (take_answer_file), so a call makes one hop at most.
 */
#include <string.h>
#include "base/err.h"
#include "core/panic.h"
#include "mm/mem.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "scheme/file.h"
#include "scheme/uscheme.h"
#include "sync/irqlock.h"

static struct uscheme *us_of(struct scheme *s)
{
	return s->priv;
}

static struct uhandle *uh_of(struct file *f)
{
	return f->priv;
}

/* A request of op on f's handle, with f's flags. */
static struct usreq *req_on(struct file *f, unsigned op, const void *data, size_t len,
			    size_t ans_cap)
{
	struct usreq *r = usreq_new(op, uh_of(f)->handle, data, len, ans_cap);
	if (r)
		r->hdr.flags = (unsigned)f->flags;
	return r;
}

/* Send r to f's server and wait: the answer's result (r freed), or -E_*. */
static long call_simple(struct uscheme *us, struct usreq *r)
{
	if (!r)
		return -E_NOMEM;
	int err = usreq_call(us, r);
	if (err < 0)
		return err;
	long res = r->result;
	usreq_free(r);
	return res;
}

static long op_simple(struct file *f, unsigned op, uint64_t a, uint64_t b)
{
	struct usreq *r = req_on(f, op, NULL, 0, 0);
	if (r) {
		r->hdr.a = a;
		r->hdr.b = b;
	}
	return call_simple(uh_of(f)->us, r);
}

/* A new handle object for the answer of r on us (result, events); NULL without memory. */
static struct uhandle *uhandle_new(struct uscheme *us)
{
	struct uhandle *uh = kzalloc(sizeof *uh);
	if (!uh)
		return NULL;
	uh->close_req = usreq_new(RB_SOP_CLOSE, 0, NULL, 0, 0);
	if (!uh->close_req) {
		kfree(uh);
		return NULL;
	}
	uh->us = us;
	waitq_init(&uh->wq);
	return uh;
}

static void uhandle_free(struct uhandle *uh)
{
	if (uh->close_req)
		usreq_free(uh->close_req);
	if (uh->fwd)
		file_put(uh->fwd);
	kfree(uh);
}

/*
 * Finish an OPEN or DUP whose request r was answered: f->priv becomes uh
 * (a handle) or the server's file (SCHEME_REPLACED). Frees r, and uh if
 * unused.
 */
static int attach(struct file *f, struct uhandle *uh, struct usreq *r)
{
	long res = r->result;
	int ret = 0;
	if (res < 0) {
		ret = (int)res;
	} else if (r->ans_flags & RB_ANS_FD) {
		f->priv = r->file;
		r->file = NULL;
		ret = SCHEME_REPLACED;
	} else {
		uh->handle = (uint64_t)res;
		if (r->ans_flags & RB_ANS_FWD) {
			uh->fwd = r->file; /* before anyone else can see uh */
			r->file = NULL;
		}
		uh->close_req->hdr.handle = uh->handle;
		uh->close_req->hdr.flags = (unsigned)f->flags;
		uh->events =
		    r->ans_flags & RB_ANS_EVENTS ? (unsigned)r->ans_events : RB_POLLIN | RB_POLLOUT;
		uscheme_add_handle(uh->us, uh);
		f->priv = uh;
		uh = NULL;
	}
	usreq_free(r);
	if (uh)
		uhandle_free(uh);
	return ret;
}

static int us_open(struct file *f, const char *path, int flags)
{
	struct uscheme *us = us_of(f->scheme);
	struct uhandle *uh = uhandle_new(us);
	if (!uh)
		return -E_NOMEM;
	struct usreq *r = usreq_new(RB_SOP_OPEN, 0, path, strlen(path), 0);
	if (!r) {
		uhandle_free(uh);
		return -E_NOMEM;
	}
	r->hdr.a = (uint64_t)(unsigned)flags;
	r->hdr.flags = (unsigned)flags;
	int err = usreq_call(us, r);
	if (err < 0) {
		uhandle_free(uh);
		return err;
	}
	return attach(f, uh, r);
}

static int us_dup(struct file *f, const char *arg, struct file *nf)
{
	struct uscheme *us = uh_of(f)->us;
	struct uhandle *uh = uhandle_new(us);
	if (!uh)
		return -E_NOMEM;
	struct usreq *r = req_on(f, RB_SOP_DUP, arg, strlen(arg), 0);
	if (!r) {
		uhandle_free(uh);
		return -E_NOMEM;
	}
	int err = usreq_call(us, r);
	if (err < 0) {
		uhandle_free(uh);
		return err;
	}
	return attach(nf, uh, r);
}

static int us_close(struct file *f)
{
	struct uhandle *uh = uh_of(f);
	uscheme_remove_handle(uh->us, uh);
	usreq_post(uh->us, uh->close_req); /* never waits; freed at once if the scheme is dead */
	uh->close_req = NULL;
	uhandle_free(uh);
	return 0;
}

/* A smaller answer is copied through the kernel: two small copies cost less than looking up
   the caller's page under its lock. */
#define DIRECT_MIN 512

/* Ask f's server for at most len (<= RB_SCHEME_MAX_IO) bytes (READ, PREAD at `at`, GETDENTS,
   FPATH) for the user buffer ubuf (a direct answer, see struct usreq) or for the kernel (0): 0
   with the answered request in *out (the caller frees it), or -E_*. */
static int ask_bytes(struct file *f, unsigned op, size_t len, uint64_t at, uint64_t ubuf,
		     struct usreq **out)
{
	bool direct = ubuf && len >= DIRECT_MIN && proc_current();
	struct usreq *r = req_on(f, op, NULL, 0, direct ? 0 : len);
	if (!r)
		return -E_NOMEM;
	if (direct)
		usreq_direct(r, ubuf, len);
	r->hdr.a = len;
	r->hdr.b = at;
	int err = usreq_call(uh_of(f)->us, r);
	if (err < 0)
		return err;
	*out = r;
	return 0;
}

/* One READ, PREAD or GETDENTS request of at most RB_SCHEME_MAX_IO bytes into ubuf: bytes or
   -E_*. */
static long read_chunk(struct file *f, unsigned op, uint64_t ubuf, size_t len, uint64_t at)
{
	struct usreq *r;
	int err = ask_bytes(f, op, len, at, ubuf, &r);
	if (err < 0)
		return err;
	long res = r->result;
	size_t off = r->ans_off; /* the answer wrote these bytes into ubuf itself */
	if (res > (long)off && copy_to_user(ubuf + off, r->ans, (size_t)res - off) < 0)
		res = -E_FAULT;
	usreq_free(r);
	return res;
}

/*
 * One WRITE (or PWRITE at `at`) request of at most RB_SCHEME_MAX_IO bytes from ubuf: bytes
 * taken or -E_*. *cut is set when the server's read had room for fewer bytes than we sent and
 * it took all it got: that is not a short write, and the call goes on with the rest.
 */
static long write_chunk(struct file *f, unsigned op, uint64_t ubuf, size_t len, uint64_t at,
			bool *cut)
{
	struct usreq *r = req_on(f, op, NULL, len, 0);
	if (!r)
		return -E_NOMEM;
	if (copy_from_user(r->data, ubuf, len) < 0) {
		usreq_free(r);
		return -E_FAULT;
	}
	r->hdr.a = len;
	r->hdr.b = at;
	int err = usreq_call(uh_of(f)->us, r);
	if (err < 0)
		return err;
	long res = r->result;
	*cut = r->hdr.len < len && res == (long)r->hdr.len;
	usreq_free(r);
	return res;
}

/*
 * A READ or WRITE call (PREAD or PWRITE from offset at): requests of up
 * to RB_SCHEME_MAX_IO bytes, each with a kernel buffer of its size;
 * writes no bigger than the server's reads can take (write_room). When
 * no such buffer can be had (or the server answers -E_NOMEM) the call
 * goes on in requests of SMALL_IO bytes rather than fail. A server that
 * does not know PREAD or PWRITE (ENOSYS) cannot do them: ESPIPE.
 */
#define SMALL_IO 65536

/* After a request of n bytes failed with err: should the call go on in SMALL_IO pieces? */
static bool shrink(long err, size_t n, size_t *cap)
{
	if (err != -E_NOMEM || n <= SMALL_IO)
		return false;
	*cap = SMALL_IO;
	return true;
}

static long chunk_io(struct file *f, unsigned op, uint64_t ubuf, size_t len, uint64_t at)
{
	struct uscheme *us = uh_of(f)->us;
	bool write = op == RB_SOP_WRITE || op == RB_SOP_PWRITE;
	bool positioned = op == RB_SOP_PREAD || op == RB_SOP_PWRITE;
	size_t done = 0, cap = RB_SCHEME_MAX_IO;
	do {
		size_t n = len - done < cap ? len - done : cap;
		uint64_t b = positioned ? at + done : 0; /* READ and WRITE send b = 0 */
		bool cut = false;
		long r;
		if (write) {
			size_t room = __atomic_load_n(&us->write_room, __ATOMIC_RELAXED);
			n = n < room ? n : room;
			r = write_chunk(f, op, ubuf + done, n, b, &cut);
		} else {
			r = read_chunk(f, op, ubuf + done, n, b);
		}
		if (shrink(r, n, &cap))
			continue;
		if (r == -E_NOSYS && positioned)
			r = -E_SPIPE;
		if (r < 0)
			return done ? (long)done : r;
		done += (size_t)r;
		if ((size_t)r < n && !cut)
			break; /* short: the call ends here */
	} while (done < len);
	return (long)done;
}

static long us_read(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	return chunk_io(f, RB_SOP_READ, ubuf, len, 0);
}

static long us_write(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	return chunk_io(f, RB_SOP_WRITE, ubuf, len, 0);
}

/* uh's forward with a reference, or NULL (none, or its scheme is dead: no more calls). */
static struct file *fwd_get(struct uhandle *uh)
{
	struct uscheme *us = uh->us;
	if (!__atomic_load_n(&uh->fwd, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&us->dead, __ATOMIC_RELAXED))
		return NULL;
	uint64_t fl = spin_lock_irqsave(&us->lock);
	struct file *fw = uh->fwd;
	if (fw)
		file_get(fw);
	spin_unlock_irqrestore(&us->lock, fl);
	return fw;
}

/*
 * PREAD or PWRITE: through uh's forward while it works, else (none, or
 * its server died: it is dropped, once) to the server.
 */
static long positioned_io(struct file *f, unsigned op, uint64_t ubuf, size_t len, uint64_t off)
{
	struct uhandle *uh = uh_of(f);
	struct file *fw = fwd_get(uh);
	if (fw) {
		/* The server is not asked, so the caller's open mode is checked here (the
		   forward's own mode is its scheme's to check, as for any call on it). */
		int acc = f->flags & RB_O_ACCMODE;
		long r = op == RB_SOP_PREAD
			     ? (acc == RB_O_WRONLY ? -E_BADF : file_pread(fw, ubuf, len, off))
			     : (acc == RB_O_RDONLY ? -E_BADF : file_pwrite(fw, ubuf, len, off));
		if (r != -E_NODEV && r != -E_PIPE) {
			file_put(fw);
			return r;
		}
		uint64_t fl = spin_lock_irqsave(&uh->us->lock);
		bool ours = uh->fwd == fw; /* not dropped by a racing call already */
		if (ours)		   /* atomic: fwd_get reads it unlocked as a hint */
			__atomic_store_n(&uh->fwd, NULL, __ATOMIC_RELAXED);
		spin_unlock_irqrestore(&uh->us->lock, fl);
		if (ours)
			file_put(fw); /* the handle's reference */
		file_put(fw);
	}
	return chunk_io(f, op, ubuf, len, off);
}

static long us_pread(struct file *f, uint64_t ubuf, size_t len, uint64_t off)
{
	return positioned_io(f, RB_SOP_PREAD, ubuf, len, off);
}

static long us_pwrite(struct file *f, uint64_t ubuf, size_t len, uint64_t off)
{
	return positioned_io(f, RB_SOP_PWRITE, ubuf, len, off);
}

static long us_getdents(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	return read_chunk(f, RB_SOP_GETDENTS, ubuf, len < RB_SCHEME_MAX_IO ? len : RB_SCHEME_MAX_IO,
			  0);
}

static long us_seek(struct file *f, int64_t off, int whence, uint64_t *pos)
{
	return op_simple(f, RB_SOP_SEEK, (uint64_t)off, (uint64_t)(unsigned)whence);
}

static int us_fstat(struct file *f, struct rb_stat *st)
{
	struct usreq *r = req_on(f, RB_SOP_FSTAT, NULL, 0, sizeof *st);
	if (!r)
		return -E_NOMEM;
	int err = usreq_call(uh_of(f)->us, r);
	if (err < 0)
		return err;
	long res = r->result;
	if (res >= 0)
		memcpy(st, r->ans, sizeof *st);
	usreq_free(r);
	return res < 0 ? (int)res : 0;
}

static int us_fsync(struct file *f)
{
	long r = op_simple(f, RB_SOP_FSYNC, 0, 0);
	return r < 0 ? (int)r : 0;
}

static int us_ftruncate(struct file *f, uint64_t len)
{
	long r = op_simple(f, RB_SOP_FTRUNCATE, len, 0);
	return r < 0 ? (int)r : 0;
}

static long us_fcntl(struct file *f, int cmd, long arg)
{
	return op_simple(f, RB_SOP_FCNTL, (uint64_t)(unsigned)cmd, (uint64_t)arg);
}

static long us_fpath(struct file *f, char *buf, size_t len)
{
	struct usreq *r;
	int err =
	    ask_bytes(f, RB_SOP_FPATH, len < RB_SCHEME_MAX_IO ? len : RB_SCHEME_MAX_IO, 0, 0, &r);
	if (err < 0)
		return err;
	long res = r->result;
	if (res > 0)
		memcpy(buf, r->ans, (size_t)res);
	usreq_free(r);
	return res;
}

/*
 * The page of the server's answer file sf at off for a mapping with prot: sf must be a kernel
 * file with fmap of its own (shm:), not another user scheme's (a chain could loop back to us).
 * sf's maps is taken before its page is asked for, so a shrink of it either came first (the
 * offset is then past its end: EINVAL) or sees the mapping (EBUSY); on success the reference
 * and the count go to *owner, for the mapping to keep.
 */
static int map_answer_file(struct file *sf, uint64_t off, int prot, uint64_t *paddr,
			   struct file **owner)
{
	struct file *inner;
	if (uscheme_file(sf) || !sf->scheme->ops->fmap)
		return -E_IO;
	__atomic_add_fetch(&sf->maps, 1, __ATOMIC_ACQ_REL);
	int err = file_fmap(sf, off, prot, paddr, &inner);
	KASSERT(!inner, "only a user scheme's fmap names an owner");
	if (err < 0) {
		__atomic_sub_fetch(&sf->maps, 1, __ATOMIC_RELEASE);
		return err;
	}
	file_get(sf);
	*owner = sf;
	return 0;
}

/* FMAP: the server answers with a file of its own (a shm: fd it keeps) and the byte offset in
   it of the page that holds off; the page comes from that file's fmap, and the mapping keeps
   that file (*owner) so the page lives as long as it is mapped. */
static int us_fmap(struct file *f, uint64_t off, int prot, uint64_t *paddr, struct file **owner)
{
	struct usreq *r = req_on(f, RB_SOP_FMAP, NULL, 0, 0);
	if (!r)
		return -E_NOMEM;
	r->hdr.a = off;
	r->hdr.b = (uint64_t)(unsigned)prot;
	int err = usreq_call(uh_of(f)->us, r);
	if (err < 0)
		return err;
	long res = r->result;
	if (res >= 0 && r->file)
		res = map_answer_file(r->file, r->ans_arg, prot, paddr, owner);
	else if (res >= 0)
		res = -E_IO; /* FMAP must be answered with RB_ANS_FD */
	usreq_free(r);
	return (int)res;
}

static unsigned us_poll(struct file *f, struct waitq_entry *w)
{
	struct uhandle *uh = uh_of(f);
	struct uscheme *us = uh->us;
	if (w)
		waitq_add(&uh->wq, w);
	uint64_t fl = spin_lock_irqsave(&us->lock);
	unsigned ev = us->dead ? RB_POLLHUP | RB_POLLERR : uh->events;
	spin_unlock_irqrestore(&us->lock, fl);
	return ev;
}

static int us_unlink(struct scheme *s, const char *path, int flags)
{
	struct usreq *r = usreq_new(RB_SOP_UNLINK, 0, path, strlen(path), 0);
	if (r)
		r->hdr.a = (uint64_t)(unsigned)flags;
	long res = call_simple(us_of(s), r);
	return res < 0 ? (int)res : 0;
}

static int us_rename(struct scheme *s, const char *from, const char *to)
{
	size_t lf = strlen(from), lt = strlen(to);
	struct usreq *r = usreq_new(RB_SOP_RENAME, 0, NULL, lf + 1 + lt, 0);
	if (!r)
		return -E_NOMEM;
	memcpy(r->data, from, lf + 1); /* "from\0to" */
	memcpy((char *)r->data + lf + 1, to, lt);
	long res = call_simple(us_of(s), r);
	return res < 0 ? (int)res : 0;
}

const struct scheme_ops uscheme_ops = {
    .open = us_open,
    .close = us_close,
    .read = us_read,
    .write = us_write,
    .pread = us_pread,
    .pwrite = us_pwrite,
    .seek = us_seek,
    .fstat = us_fstat,
    .getdents = us_getdents,
    .dup = us_dup,
    .fsync = us_fsync,
    .ftruncate = us_ftruncate,
    .fcntl = us_fcntl,
    .fpath = us_fpath,
    .fmap = us_fmap,
    .poll = us_poll,
    .unlink = us_unlink,
    .rename = us_rename,
};

bool uscheme_file(struct file *f)
{
	return f->scheme->ops == &uscheme_ops;
}

bool uscheme_file_forwards(struct file *f)
{
	return uscheme_file(f) && __atomic_load_n(&uh_of(f)->fwd, __ATOMIC_RELAXED);
}

long uscheme_read_kernel(struct file *f, void *buf, size_t len)
{
	size_t done = 0, cap = RB_SCHEME_MAX_IO;
	while (done < len) {
		size_t n = len - done < cap ? len - done : cap;
		struct usreq *r;
		int err = ask_bytes(f, RB_SOP_READ, n, 0, 0, &r);
		if (shrink(err, n, &cap))
			continue;
		if (err < 0)
			return done ? (long)done : err;
		long res = r->result;
		if (res > (long)n) /* the server cannot answer more than was asked */
			res = -E_IO;
		if (res > 0)
			memcpy((char *)buf + done, r->ans, (size_t)res);
		usreq_free(r);
		if (res < 0)
			return done ? (long)done : res;
		if (res == 0)
			break;
		done += (size_t)res;
	}
	return (long)done;
}

long uscheme_sendfd(struct file *f, struct file *sendf, int flags)
{
	struct usreq *r = req_on(f, RB_SOP_SENDFD, NULL, 0, 0);
	if (!r)
		return -E_NOMEM;
	file_get(sendf);
	r->file = sendf; /* installed in the server's table when it reads r */
	r->hdr.b = (uint64_t)(unsigned)flags;
	return call_simple(uh_of(f)->us, r);
}

int uscheme_recvfd(struct file *f, int flags, struct file **out)
{
	struct usreq *r = req_on(f, RB_SOP_RECVFD, NULL, 0, 0);
	if (!r)
		return -E_NOMEM;
	r->hdr.a = (uint64_t)(unsigned)flags;
	int err = usreq_call(uh_of(f)->us, r);
	if (err < 0)
		return err;
	long res = r->result;
	if (res >= 0 && r->file) {
		*out = r->file;
		r->file = NULL;
		res = 0;
	} else if (res >= 0) {
		res = -E_IO; /* RECVFD must be answered with RB_ANS_FD */
	}
	usreq_free(r);
	return (int)res;
}
