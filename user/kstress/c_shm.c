/*
 * c_shm.c - the "shm" and "fdlim" cases.
 *
 * "shm": the worker's threads share a few slots, each a shm: object with
 * an fd, a mapping of it, both or neither; threads create, size, map,
 * write through the mapping and read back through the fd (and the other
 * way), unmap all or the tail of a mapping, shrink and close in random
 * order, so an object loses its fd while mapped, its mapping while open,
 * and both at random points. The
 * supervisor's chaos kills workers meanwhile: whatever they held must go
 * (its leak check compares files_open and shm_pages). Every change to a
 * slot and every access to its memory happens under the slot's mutex, so
 * the documented outcomes are checked exactly: the mapping and the fd see
 * the same bytes, shrinking a mapped object is EBUSY, an unmapped one 0.
 *
 * Slot i's fd is always KST_SHM_FD + i (dup2'ed there at creation; while
 * the slot has no object a dup of the console holds the number, so it is
 * never the lowest free fd that another case's open would take), a
 * number the "fd" case never uses, "fdlim" never closes, and "sys" is
 * kept off (c_sys.c's sanitize). Since the number is never free, no
 * other case's open, dup or move can land on it either: before each
 * operation the slot checks that its fd still names its object at the
 * size it set (check_fd), and a mismatch is a failure, not a hand-over.
 *
 * "fdlim": a thread lowers the worker's RLIMIT_NOFILE a little (never
 * below KST_NOFILE_MIN, 64, so every reserved number stays usable: a
 * dup2 onto a number at or past the limit is EBADF, and at 48 the uscheme
 * server's restart could not put the console over its fd 63; the worker is not root, so it never
 * rises again), then dups fd 1 until it fails: every fd it gets must be below the limit, and the
 * failure EMFILE (or ENFILE), while the "fd" case closes and dups in the
 * low fds. The fd table grows from 64 slots towards 1024 on the first
 * bursts.
 *
 * The "mm" case's racing threads munmap and mprotect addresses they may
 * hold after the mapping is gone, and the kernel hands those addresses
 * out again first-fit: a slot maps with kst_mm_exclusive_begin/end
 * (c_mm.c), which retires them first, or its mapping would lose pages.
 *
 * Ownership: slots belong to the worker (one per process); each slot's
 * mutex guards it (taken before the mm space lock while mapping);
 * create_lock (taken inside a slot's mutex) makes creates one at a time.
 * fdlim keeps nothing between operations but the fds of the current
 * burst, on its thread's stack.
 */
#include <string.h>
#include "kstress.h"
#include "rb/sys.h"
#include "rb/syscall.h"
#include "rb/thread.h"

#define SHM_SLOTS KST_SHM_SLOTS
#define SHM_MAX_PAGES 8
#define PAGE 4096ul
#define FDLIM_FLOOR KST_NOFILE_MIN
#define FDLIM_LOW 24 /* fds below belong to the "fd" case */

struct shm_slot {
	struct rb_mutex lock;
	int fd;	       /* -1: closed */
	uint8_t *map;  /* NULL: not mapped */
	size_t pages;  /* size of the object (and of the mapping when made) */
	size_t mapped; /* pages of the mapping still mapped, from map on */
	uint64_t tag;  /* the first 8 bytes of the object */
};

static struct shm_slot slots[SHM_SLOTS];
/* Held around open + dup2 in create: open may hand out another slot's
   fd number (closed, with everything below taken), which must be free
   again before that slot's own create dup2s onto it. */
static struct rb_mutex create_lock;

/* Park slot number fd with a dup of the console: the number is never free,
   so no other case's open, pipe or dup lands on it (they take the lowest
   free fd) and a later dup2 of ours never replaces someone else's file. */
static long park(int fd)
{
	long r = rb_dup2(1, fd);
	return r == fd ? 0 : r;
}

void kst_shm_init(struct kst_worker *w)
{
	for (int i = 0; i < SHM_SLOTS; i++) {
		slots[i].fd = -1;
		(void)park(KST_SHM_FD + i);
	}
}

void kst_shm_fini(struct kst_worker *w)
{
	for (int i = 0; i < SHM_SLOTS; i++) {
		if (slots[i].map)
			rb_munmap(slots[i].map, slots[i].mapped * PAGE);
		if (slots[i].fd >= 0)
			rb_close(slots[i].fd);
	}
}

static int create(struct kst_thread *t, struct shm_slot *s)
{
	rb_mutex_lock(&create_lock);
	int fd = rb_open("shm:", RB_O_RDWR);
	int mine = KST_SHM_FD + (int)(s - slots);
	int d = fd >= 0 ? rb_dup2(fd, mine) : fd; /* may replace a dup of fdlim's burst */
	if (fd >= 0 && fd != mine) /* open may give mine itself when all below is taken */
		rb_close(fd);
	rb_mutex_unlock(&create_lock);
	if (fd == -E_MFILE || fd == -E_NFILE)
		return 0;
	if (fd < 0)
		return kst_fail(t, KST_SHM, "open shm: %d", fd);
	if (d != mine)
		return kst_fail(t, KST_SHM, "dup2(%d, %d): %d", fd, mine, d);
	fd = mine;
	size_t pages = 1 + kst_rand(t, SHM_MAX_PAGES);
	int r = (int)rb_syscall2(SYS_FTRUNCATE, fd, (long)(pages * PAGE));
	uint64_t tag = kst_rand(t, ~0ull);
	long w = r == 0 ? rb_write(fd, &tag, sizeof tag) : 0;
	if (r == -E_NOMEM || w == -E_NOMEM) {
		(void)park(fd);
		return 0;
	}
	if (r != 0 || w != sizeof tag)
		return kst_fail(t, KST_SHM, "ftruncate %d / write %ld", r, w);
	s->fd = fd;
	s->pages = pages;
	s->tag = tag;
	return 0;
}

/* Whether the fd reads tag at offset 0. */
static int fd_has(struct kst_thread *t, struct shm_slot *s, uint64_t tag)
{
	uint64_t got = 0;
	long off = rb_lseek(s->fd, 0, RB_SEEK_SET);
	long r = rb_read(s->fd, &got, sizeof got);
	if (off != 0 || r != sizeof got || got != tag)
		return kst_fail(t, KST_SHM, "fd %d: lseek %ld read %ld tag %llx, want %llx", s->fd,
				off, r, (unsigned long long)got, (unsigned long long)tag);
	return 0;
}

/* The slot's fd still names its object at its size: nothing else can reach the
   (parked) number, so anything else is the kernel's fault. */
static int check_fd(struct kst_thread *t, struct shm_slot *s)
{
	char path[8];
	struct rb_stat st;
	long n = rb_fpath(s->fd, path, sizeof path);
	if (n < 4 || memcmp(path, "shm:", 4) != 0)
		return kst_fail(t, KST_SHM, "fd %d: fpath %ld, not shm:", s->fd, n);
	long r = rb_fstat(s->fd, &st);
	if (r != 0 || st.size != s->pages * PAGE)
		return kst_fail(t, KST_SHM, "fd %d: fstat %ld size %llu, want %lu", s->fd, r,
				(unsigned long long)st.size, (unsigned long)(s->pages * PAGE));
	return 0;
}

static int slot_op(struct kst_thread *t, struct shm_slot *s)
{
	long r;
	if (s->fd >= 0 && check_fd(t, s) != 0)
		return -1;
	if (s->fd < 0 && !s->map)
		return create(t, s);
	switch (kst_rand(t, 7)) {
	case 0: /* map */
		if (s->map || s->fd < 0)
			return 0;
		kst_mm_exclusive_begin(); /* no stale mm address may name it */
		s->map =
		    rb_mmap_fd(NULL, s->pages * PAGE, RB_PROT_READ | RB_PROT_WRITE, 0, s->fd, 0);
		kst_mm_exclusive_end();
		if (s->map == (void *)(long)-E_NOMEM) {
			s->map = NULL;
			return 0;
		}
		if (RB_IS_ERR(s->map))
			return kst_fail(t, KST_SHM, "mmap fd %d: %ld", s->fd, (long)s->map);
		s->mapped = s->pages;
		if (memcmp(s->map, &s->tag, sizeof s->tag) != 0)
			return kst_fail(t, KST_SHM, "mapping does not show the object's tag");
		return 0;
	case 1: /* write through the mapping, read through the fd */
		if (!s->map)
			return 0;
		s->tag = kst_rand(t, ~0ull);
		memcpy(s->map, &s->tag, sizeof s->tag);
		s->map[s->mapped * PAGE - 1] = (uint8_t)s->tag; /* the last page too */
		return s->fd >= 0 ? fd_has(t, s, s->tag) : 0;
	case 2: /* write through the fd, read through the mapping */
		if (s->fd < 0)
			return 0;
		s->tag = kst_rand(t, ~0ull);
		if (rb_lseek(s->fd, 0, RB_SEEK_SET) != 0 || rb_write(s->fd, &s->tag, 8) != 8)
			return kst_fail(t, KST_SHM, "write fd %d", s->fd);
		if (s->map && memcmp(s->map, &s->tag, sizeof s->tag) != 0)
			return kst_fail(t, KST_SHM, "mapping does not see the fd's write");
		return 0;
	case 3: /* shrink */
		if (s->fd < 0 || s->pages < 2)
			return 0;
		r = rb_syscall2(SYS_FTRUNCATE, s->fd, (long)((s->pages - 1) * PAGE));
		if (r != (s->map ? -E_BUSY : 0))
			return kst_fail(t, KST_SHM, "shrink (mapped %d): %ld", s->map != NULL, r);
		if (r == 0)
			s->pages--;
		return 0;
	case 4: /* unmap */
		if (!s->map)
			return 0;
		r = rb_munmap(s->map, s->mapped * PAGE);
		s->map = NULL;
		return r == 0 ? 0 : kst_fail(t, KST_SHM, "munmap: %ld", r);
	case 5: /* unmap the tail of the mapping: the rest stays, as does the file */
		if (!s->map || s->mapped < 2)
			return 0;
		size_t keep = 1 + kst_rand(t, s->mapped - 1);
		r = rb_munmap(s->map + keep * PAGE, (s->mapped - keep) * PAGE);
		if (r != 0)
			return kst_fail(t, KST_SHM, "munmap of pages %zu..: %ld", keep, r);
		s->mapped = keep;
		if (memcmp(s->map, &s->tag, sizeof s->tag) != 0)
			return kst_fail(t, KST_SHM, "mapping lost its bytes at a partial munmap");
		return s->fd >= 0 ? fd_has(t, s, s->tag) : 0;
	default: /* close */
		if (s->fd < 0)
			return 0;
		r = park(s->fd); /* closes the object's fd: the placeholder replaces it */
		s->fd = -1;
		if (r != 0)
			return kst_fail(t, KST_SHM, "close (dup2 over it): %ld", r);
		if (s->map && memcmp(s->map, &s->tag, sizeof s->tag) != 0)
			return kst_fail(t, KST_SHM, "mapping lost its bytes at close");
		return 0;
	}
}

int kst_shm_op(struct kst_thread *t)
{
	struct shm_slot *s = &slots[kst_rand(t, SHM_SLOTS)];
	rb_mutex_lock(&s->lock);
	int r = slot_op(t, s);
	rb_mutex_unlock(&s->lock);
	return r;
}

#define BURST_MAX 1100

int kst_fdlim_op(struct kst_thread *t)
{
	static int got[BURST_MAX]; /* one burst at a time: under burst_lock */
	static struct rb_mutex burst_lock;
	/* Lower and burst in one critical section: a limit lowered during another
	   thread's burst would make that burst's last fds look out of range. */
	int n = 0, fd = -E_MFILE, bad = 0;
	rb_mutex_lock(&burst_lock);
	long limit = rb_getrlimit(RB_RLIMIT_NOFILE);
	if (limit < FDLIM_FLOOR) {
		rb_mutex_unlock(&burst_lock);
		return kst_fail(t, KST_FDLIM, "RLIMIT_NOFILE %ld", limit);
	}
	if (kst_rand(t, 4) == 0 && limit > FDLIM_FLOOR) {
		long to = limit - 1 - (long)kst_rand(t, 64);
		to = to < FDLIM_FLOOR ? FDLIM_FLOOR : to;
		int r = rb_setrlimit(RB_RLIMIT_NOFILE, (uint64_t)to);
		if (r == -E_PERM && rb_getrlimit(RB_RLIMIT_NOFILE) < to)
			goto out; /* lowered further meanwhile (the sys case may) */
		if (r != 0) {
			rb_mutex_unlock(&burst_lock);
			return kst_fail(t, KST_FDLIM, "lower RLIMIT_NOFILE to %ld: %d", to, r);
		}
		if (rb_setrlimit(RB_RLIMIT_NOFILE, (uint64_t)to + 1) != -E_PERM) {
			rb_mutex_unlock(&burst_lock);
			return kst_fail(t, KST_FDLIM, "raising RLIMIT_NOFILE did not give EPERM");
		}
		limit = to;
	}
	/* Shared with the fd case and apart from the uscheme case's registration, whose new
	   server fd sits on the lowest free number until it moves to 63: a burst dup must not
	   take or close it (when 63 was closed for the move, as it once was, a burst dup landing
	   there was replaced by the server fd, which the close below then killed). */
	kst_fds_share();
	while (n < BURST_MAX && (fd = rb_dup(1)) >= 0) {
		if (fd >= limit)
			bad = fd;
		got[n++] = fd;
	}
	for (int i = 0; i < n; i++)
		if (got[i] >= FDLIM_LOW &&
		    (got[i] < KST_SHM_FD || got[i] >= KST_SHM_FD + KST_SHM_SLOTS))
			rb_close(got[i]); /* lower ones are the "fd" case's, shm's its own */
	kst_fds_unshare();
out:
	rb_mutex_unlock(&burst_lock);
	if (bad)
		return kst_fail(t, KST_FDLIM, "dup gave fd %d, limit %ld", bad, limit);
	if (fd != -E_MFILE && fd != -E_NFILE && fd != -E_NOMEM)
		return kst_fail(t, KST_FDLIM, "dup at the limit: %d", fd);
	return 0;
}

void kst_fdlim_fini(struct kst_worker *w)
{
	for (int fd = FDLIM_LOW; fd < 1024; fd++)
		if (fd < KST_SHM_FD || fd >= KST_SHM_FD + KST_SHM_SLOTS)
			rb_close(fd);
}
