/*
 * c_svc.c - the fds of the service cases (files, ipc, log: c_files.c,
 * c_ipc.c, c_log.c).
 *
 * Those cases keep files of ramfsd, ipcd and logd open across several
 * calls, and the fd and sys cases close, dup2 over and read random fds,
 * so a service file must never sit where they reach. Each thread works in
 * one of KST_SVC_SETS sets of KST_SVC_SET_FDS fixed numbers (24..39; the
 * sys case keeps off them, the fd case only names 3..23). A set's numbers
 * are always taken: unused ones hold a dup of the console ("parked"), so
 * no open of another case lands there and "closing" one is a dup2 over it.
 * A new file (open, accept, recvfd) first lands on the lowest free fd,
 * where the fd and sys cases reach: it is made and moved while holding
 * the fd lock alone (kst_fds_exclusive_begin, c_uscheme.c).
 *
 * Ownership: set s's numbers belong to the thread holding set_lock[s]
 * (threads idx, idx + 4, ... share a set); the kernel's fd table lock
 * guards the fds themselves.
 */
#include <string.h>
#include "kstress.h"
#include "rb/sys.h"
#include "rb/thread.h"

static struct rb_mutex set_lock[KST_SVC_SETS];
static bool parked;

void kst_svc_park(int fd)
{
	(void)rb_dup2(1, fd); /* fails only for a bad number: none here */
}

void kst_svc_init(struct kst_worker *w)
{
	if (parked) /* once per worker, by the first service case's init */
		return;
	for (int fd = KST_SVC_FD; fd < KST_SVC_FD + KST_SVC_SETS * KST_SVC_SET_FDS; fd++)
		kst_svc_park(fd);
	parked = true;
}

static int set_of(const struct kst_thread *t)
{
	return t->idx % KST_SVC_SETS;
}

int kst_svc_begin(struct kst_thread *t)
{
	rb_mutex_lock(&set_lock[set_of(t)]);
	return KST_SVC_FD + set_of(t) * KST_SVC_SET_FDS;
}

void kst_svc_end(struct kst_thread *t)
{
	int base = KST_SVC_FD + set_of(t) * KST_SVC_SET_FDS;
	for (int k = 0; k < KST_SVC_SET_FDS; k++)
		kst_svc_park(base + k);
	rb_mutex_unlock(&set_lock[set_of(t)]);
}

/* Move a fresh fd (or an error) to number to; called holding the fd lock alone. */
static long place(long fd, int to)
{
	if (fd < 0 || fd == to)
		return fd;
	long r = rb_dup2((int)fd, to);
	rb_close((int)fd);
	return r;
}

long kst_svc_open(const char *path, int flags, int to)
{
	kst_fds_exclusive_begin();
	long r = place(rb_open(path, flags), to);
	kst_fds_exclusive_end();
	return r;
}

long kst_svc_dup_handle(int fd, const char *arg, int to)
{
	kst_fds_exclusive_begin();
	long r = place(rb_dup_handle(fd, arg), to);
	kst_fds_exclusive_end();
	return r;
}

long kst_svc_recvfd(int fd, int to)
{
	kst_fds_exclusive_begin();
	long r = place(rb_recvfd(fd, 0), to);
	kst_fds_exclusive_end();
	return r;
}

bool kst_svc_transient(long r)
{
	return r == -E_INTR || r == -E_MFILE || r == -E_NFILE;
}

const char *kst_find(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; *s; s++)
		if (strncmp(s, needle, n) == 0)
			return s;
	return n ? NULL : s;
}
