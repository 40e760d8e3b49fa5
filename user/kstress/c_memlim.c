/*
 * c_memlim.c - the "memlim" case: memory limits under concurrency.
 *
 * A thread spawns "kchild memhog SEED" (user/kchild/memlim.c), which
 * lowers its own RLIMIT_MEM to 3 MiB and has three threads fill it at
 * once with populated and lazily faulted chunks until ENOMEM / EFAULT,
 * checking every byte and unmapping each its largest chunk; then 64 KiB
 * must fit again (exit frees the rest: munmaps are shootdowns). The worker checks its status: 0, or
 * a death by signal when "signal" or "sys" may have hit it. The child has its own limit, so the
 * other cases never see the lowered one. Spawn may fail with ENOMEM or
 * EAGAIN (the uid's processes and memory are shared by the workers).
 *
 * Ownership: a child belongs to the thread that spawned it (it alone
 * waits for that pid); hogs counts them atomically.
 */
#include "kstress.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define MAX_HOGS 1 /* per worker: each munmap is a shootdown of every CPU */

static int hogs;

int kst_memlim_op(struct kst_thread *t)
{
	static const int console[] = {0, 1, 2};
	if (__atomic_add_fetch(&hogs, 1, __ATOMIC_SEQ_CST) > MAX_HOGS) {
		__atomic_sub_fetch(&hogs, 1, __ATOMIC_SEQ_CST);
		return 0;
	}
	char seed[24];
	rb_snprintf(seed, sizeof seed, "%llu", (unsigned long long)kst_rand(t, 1ull << 40));
	char *argv[] = {"kchild", "memhog", seed, NULL};
	int r = 0, status = -1;
	int pid = rb_spawn("initfs:/bin/kchild", argv, NULL, console, 3);
	if (pid < 0) {
		if (pid != -E_AGAIN && pid != -E_NOMEM)
			r = kst_fail(t, KST_MEMLIM, "spawn kchild memhog: %d", pid);
		goto out;
	}
	int w;
	do /* a handled signal (the signal case) ends the wait with EINTR */
		w = rb_waitpid(pid, &status, 0);
	while (w == -E_INTR);
	bool signalled =
	    (t->w->cases & ((1u << KST_SIGNAL) | (1u << KST_SYS))) && status > 128 && status < 160;
	if (w != pid)
		r = kst_fail(t, KST_MEMLIM, "waitpid(%d) = %d", pid, w);
	else if (status != 0 && !signalled)
		r = kst_fail(t, KST_MEMLIM, "memhog %d (seed %s) status %d", pid, seed, status);
out:
	__atomic_sub_fetch(&hogs, 1, __ATOMIC_SEQ_CST);
	return r;
}
