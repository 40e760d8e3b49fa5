/*
 * uscheme.c - the request machinery of user-space schemes (docs/ipc.md,
 * "Serving a scheme", "The life of a request", "When a server dies"):
 * registration, the server fd (read takes a request, write answers, poll
 * says a request waits, its last put kills the scheme), queueing and
 * waiting for requests. The client ops that make the requests are in
 * uscheme_ops.c, the system calls in sys_uscheme.c.
 *
 * Ownership: the struct uscheme is a struct scheme (refs: the registry,
 * the server file, every client file); uscheme_release frees it with the
 * last reference. A request belongs to its caller until usreq_call queues
 * it, then to the scheme: a server thread that takes it (US_READING) or
 * answers it (US_ANSWERING) has it to itself outside the lock, and hands
 * it back under the lock. A DONE request is the caller's again; an
 * abandoned one is freed by whoever finds it abandoned next: the answer,
 * or the death of the scheme. CLOSE and CANCEL requests have no caller:
 * the server's read frees them.
 *
 * Locking: us->lock (spinlock, interrupts off) guards the pending FIFO,
 * the in-flight table, the handle map, count, dead and every request's
 * state, abandoned and waiter. Under it we only link, unlink and wake
 * (thread_wake, waitq_wake: their locks nest inside it); user memory is
 * copied and files are put after it is dropped. A direct answer (a
 * READ's bytes) is written into its caller's buffer by the answering
 * server thread, page by page under the caller's vm lock (vm_copy_into);
 * the request holds a reference to the caller's process for it, and a
 * caller that abandons an ANSWERING request takes that lock once before it
 * leaves, so no byte lands after its call returned. A caller sleeping on its
 * request holds its struct file (or, for unlink/rename, a scheme
 * reference), which keeps the scheme alive; a server thread in read or
 * write holds the server file, so the scheme cannot die under it.
 */
#include <string.h>
#include "base/err.h"
#include "core/log.h"
#include "mm/mem.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "scheme/fdtable.h"
#include "scheme/file.h"
#include "scheme/policy.h"
#include "scheme/uscheme.h"
#include "sync/irqlock.h"

static unsigned hash_of(uint64_t key)
{
	return (unsigned)((key * 0x9e3779b97f4a7c15ull) >> 58) % USCHEME_HASH;
}

/* --- requests --- */

struct usreq *usreq_new(unsigned op, uint64_t handle, const void *data, size_t len, size_t ans_cap)
{
	struct usreq *r = kzalloc(sizeof *r);
	if (!r)
		return NULL;
	if (len && !(r->data = kmalloc(len)))
		goto out_free;
	if (ans_cap && !(r->ans = kmalloc(ans_cap)))
		goto out_free;
	if (len && data)
		memcpy(r->data, data, len);
	r->data_len = len;
	r->ans_cap = ans_cap;
	r->hdr.op = op;
	r->hdr.len = (unsigned)len;
	r->hdr.handle = handle;
	struct proc *p = proc_current();
	if (p) {
		r->hdr.pid = p->pid;
		r->hdr.uid = proc_uid(p);
		r->hdr.gid = proc_gid(p);
	}
	return r;
out_free:
	usreq_free(r);
	return NULL;
}

void usreq_direct(struct usreq *r, uint64_t va, size_t len)
{
	r->dst = proc_current();
	proc_get(r->dst);
	r->dst_va = va;
	r->ans_cap = len;
}

void usreq_free(struct usreq *r)
{
	if (r->file)
		file_put(r->file);
	if (r->dst)
		proc_put(r->dst);
	kfree(r->data);
	kfree(r->ans);
	kfree(r);
}

static void pending_push(struct uscheme *us, struct usreq *r)
{
	r->next = NULL;
	r->state = US_PENDING;
	if (us->pend_tail)
		us->pend_tail->next = r;
	else
		us->pend_head = r;
	us->pend_tail = r;
}

static struct usreq *pending_pop(struct uscheme *us)
{
	struct usreq *r = us->pend_head;
	if (r) {
		us->pend_head = r->next;
		if (!us->pend_head)
			us->pend_tail = NULL;
		r->next = NULL;
	}
	return r;
}

static void pending_remove(struct uscheme *us, struct usreq *r)
{
	struct usreq *prev = NULL;
	for (struct usreq *q = us->pend_head; q; prev = q, q = q->next) {
		if (q != r)
			continue;
		if (prev)
			prev->next = r->next;
		else
			us->pend_head = r->next;
		if (us->pend_tail == r)
			us->pend_tail = prev;
		r->next = NULL;
		return;
	}
}

static void inflight_add(struct uscheme *us, struct usreq *r)
{
	unsigned b = hash_of(r->hdr.id);
	r->state = US_INFLIGHT;
	r->next = us->inflight[b];
	us->inflight[b] = r;
}

/* Find and unlink the in-flight request id; NULL if none. */
static struct usreq *inflight_take(struct uscheme *us, uint64_t id)
{
	for (struct usreq **pp = &us->inflight[hash_of(id)]; *pp; pp = &(*pp)->next) {
		struct usreq *r = *pp;
		if (r->hdr.id == id) {
			*pp = r->next;
			r->next = NULL;
			return r;
		}
	}
	return NULL;
}

void usreq_post(struct uscheme *us, struct usreq *r)
{
	r->waited = false;
	uint64_t fl = spin_lock_irqsave(&us->lock);
	bool dead = us->dead;
	if (!dead) {
		r->hdr.id = ++us->next_id;
		pending_push(us, r);
	}
	spin_unlock_irqrestore(&us->lock, fl);
	if (dead)
		usreq_free(r);
	else
		waitq_wake_one(&us->wq);
}

/* Tell the server its request id was given up (best effort: no memory, no CANCEL). */
static void post_cancel(struct uscheme *us, uint64_t id)
{
	struct usreq *c = usreq_new(RB_SOP_CANCEL, 0, NULL, 0, 0);
	if (c) {
		c->hdr.a = id;
		usreq_post(us, c);
	}
}

/* The caller was interrupted: give r up. 0 if its answer came meanwhile (use it), else -E_INTR. */
static int usreq_abandon(struct uscheme *us, struct usreq *r)
{
	uint64_t fl = spin_lock_irqsave(&us->lock);
	enum us_state st = r->state;
	uint64_t id = r->hdr.id;
	bool direct = r->dst != NULL; /* r is not ours once the lock is dropped */
	if (st == US_PENDING) {
		pending_remove(us, r);
		us->count--;
	} else if (st != US_DONE) {
		/* READING/INFLIGHT/ANSWERING: the scheme frees it */
		__atomic_store_n(&r->abandoned, true, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&us->lock, fl);
	if (st == US_DONE)
		return 0;
	if (st == US_ANSWERING && direct) {
		/* An answer writing into our buffer (r->dst is our process) reads abandoned
		   under our vm lock before each page: once we have had the lock, no more bytes
		   come after we leave. */
		struct vm_space *vm = &proc_current()->vm;
		fl = spin_lock_irqsave(&vm->lock);
		spin_unlock_irqrestore(&vm->lock, fl);
	}
	if (st == US_PENDING)
		usreq_free(r);
	else if (st == US_INFLIGHT)
		post_cancel(us, id); /* r may be gone already: its answer freed it */
	return -E_INTR;
}

/*
 * Sleep until r is DONE: true, or false if a signal ended the wait. The
 * waitq.h pattern: a preemption between the prepare and the block leaves
 * us queued (docs/sched.md, "Prepared, not yet blocked").
 */
static bool wait_answer(struct proc *p, struct usreq *r)
{
	for (;;) {
		thread_prepare_block();
		if (__atomic_load_n(&r->state, __ATOMIC_ACQUIRE) == US_DONE) {
			thread_wake(thread_current());
			return true;
		}
		if (proc_block_or_intr(p))
			return false;
	}
}

int usreq_call(struct uscheme *us, struct usreq *r)
{
	struct proc *p = proc_current();
	r->waited = true;
	r->waiter = thread_current();
	uint64_t fl = spin_lock_irqsave(&us->lock);
	int err = us->dead ? -E_NODEV : us->count >= USCHEME_MAX_REQS ? -E_AGAIN : 0;
	if (!err) {
		us->count++;
		r->hdr.id = ++us->next_id;
		pending_push(us, r);
	}
	spin_unlock_irqrestore(&us->lock, fl);
	if (err) {
		usreq_free(r);
		return err;
	}
	waitq_wake_one_sync(&us->wq); /* we wait for its answer next */
	if (!wait_answer(p, r))
		return usreq_abandon(us, r);
	/* The answerer wakes us under the lock: pass it once so it is done with r. */
	fl = spin_lock_irqsave(&us->lock);
	spin_unlock_irqrestore(&us->lock, fl);
	return 0;
}

/* Under us->lock: r is answered (or failed); wake its caller (sync: we block next, see
   thread_wake_sync). */
static void usreq_finish(struct uscheme *us, struct usreq *r, bool sync)
{
	us->count--;
	__atomic_store_n(&r->state, US_DONE, __ATOMIC_RELEASE);
	if (sync)
		thread_wake_sync(r->waiter);
	else
		thread_wake(r->waiter);
}

/* --- handles (for RB_ANS_EVENT) --- */

void uscheme_add_handle(struct uscheme *us, struct uhandle *uh)
{
	unsigned b = hash_of(uh->handle);
	uint64_t fl = spin_lock_irqsave(&us->lock);
	uh->hnext = us->handles[b];
	us->handles[b] = uh;
	uh->hashed = true;
	spin_unlock_irqrestore(&us->lock, fl);
}

void uscheme_remove_handle(struct uscheme *us, struct uhandle *uh)
{
	uint64_t fl = spin_lock_irqsave(&us->lock);
	for (struct uhandle **pp = &us->handles[hash_of(uh->handle)]; uh->hashed && *pp;
	     pp = &(*pp)->hnext) {
		if (*pp == uh) {
			*pp = uh->hnext;
			uh->hashed = false;
			break;
		}
	}
	spin_unlock_irqrestore(&us->lock, fl);
}

/* The server says handle's readiness is now events: store it in its files, wake their pollers. */
static void set_events(struct uscheme *us, uint64_t handle, unsigned events)
{
	uint64_t fl = spin_lock_irqsave(&us->lock);
	for (struct uhandle *uh = us->handles[hash_of(handle)]; uh; uh = uh->hnext) {
		if (uh->handle == handle) {
			uh->events = events;
			waitq_wake(&uh->wq);
		}
	}
	spin_unlock_irqrestore(&us->lock, fl);
}

/* --- death --- */

/* Under us->lock: a request the scheme holds at its death. Returns it if it must be freed. */
static struct usreq *fail_req(struct uscheme *us, struct usreq *r)
{
	r->next = NULL;
	if (r->waited && !r->abandoned) {
		r->result = -E_PIPE;
		usreq_finish(us, r, false);
		return NULL;
	}
	return r;
}

/* The server fd is gone: free the name, fail every request, hang up every handle. */
static void uscheme_kill(struct uscheme *us)
{
	struct usreq *dead = NULL;
	if (scheme_unregister(&us->s) < 0)
		kprintf("uscheme: %s was not registered\n", us->s.name);
	uint64_t fl = spin_lock_irqsave(&us->lock);
	us->dead = true;
	for (struct usreq *r; (r = pending_pop(us));) {
		if ((r = fail_req(us, r))) {
			r->next = dead;
			dead = r;
		}
	}
	for (unsigned b = 0; b < USCHEME_HASH; b++) {
		while (us->inflight[b]) {
			struct usreq *r = us->inflight[b];
			us->inflight[b] = r->next;
			if ((r = fail_req(us, r))) {
				r->next = dead;
				dead = r;
			}
		}
		for (struct uhandle *uh = us->handles[b]; uh; uh = uh->hnext)
			waitq_wake(&uh->wq);
	}
	us->count = 0;
	spin_unlock_irqrestore(&us->lock, fl);
	while (dead) {
		struct usreq *r = dead;
		dead = r->next;
		usreq_free(r);
	}
}

static void uscheme_release(struct scheme *s)
{
	kfree(s->priv);
}

/* --- the server fd --- */

/* Take the oldest pending request (sleeping for one unless nonblocking): 0 or -E_*. */
static int take_request(struct uscheme *us, size_t room, struct usreq **out)
{
	struct proc *p = proc_current();
	struct waitq_entry e;
	int err = 0;
	waitq_entry_init_thread(&e);
	e.exclusive = true; /* a request wakes one reader, not every worker */
	waitq_add(&us->wq, &e);
	struct usreq *r = NULL;
	bool more = false; /* requests were left pending behind ours */
	for (;;) {
		__atomic_store_n(&e.fired, false, __ATOMIC_SEQ_CST); /* wakeable again */
		thread_prepare_block();
		uint64_t fl = spin_lock_irqsave(&us->lock);
		r = pending_pop(us);
		if (r) {
			r->state = US_READING;
			if ((r->hdr.op == RB_SOP_WRITE || r->hdr.op == RB_SOP_PWRITE) &&
			    r->hdr.len > room) {
				r->hdr.len = (unsigned)room; /* the server takes what fits */
				if (room < us->write_room)   /* only ever lowered, under us->lock */
					__atomic_store_n(&us->write_room, room, __ATOMIC_RELAXED);
			}
			more = us->pend_head != NULL;
		}
		spin_unlock_irqrestore(&us->lock, fl);
		if (r || us->nonblock) {
			thread_wake(thread_current());
			*out = r;
			err = r ? 0 : -E_AGAIN;
			break;
		}
		/* Looked and found nothing: a wake before the look was for a request another
		   reader took, so we are free to be chosen again. One after the look made us
		   runnable already (the prepare came first): the block returns at once. */
		__atomic_store_n(&e.fired, false, __ATOMIC_SEQ_CST);
		if (proc_block_or_intr(p)) {
			err = -E_INTR;
			break;
		}
	}
	waitq_remove(&e);
	/* Chosen by a post since our last look (fired is cleared before each look, so the
	   wake that woke us does not count): that wake may be for a request we did not take,
	   and we may not read again (a signal, a thread that leaves after its request), so
	   pass it on; at worst one more reader looks and sleeps again. And requests left
	   behind ours may have been posted while we were chosen already, which chose nobody
	   else: another reader takes the next at once instead of after our answer. */
	if (more || __atomic_load_n(&e.fired, __ATOMIC_SEQ_CST))
		waitq_wake_one(&us->wq);
	return err;
}

/* SENDFD: put the caller's file in the server's table now; its fd, or -E_MFILE. */
static int hand_file(struct usreq *r)
{
	int fd = fdt_install(&proc_current()->fdt, r->file, 0);
	if (fd >= 0)
		r->file = NULL; /* the table's reference now */
	return fd;
}

/* A taken request is delivered (or failed): to the in-flight table, or finished. */
static void delivered(struct uscheme *us, struct usreq *r, int fail)
{
	bool cancel = false, drop = false;
	uint64_t id = r->hdr.id;
	uint64_t fl = spin_lock_irqsave(&us->lock);
	if (fail && !r->abandoned) {
		r->result = fail;
		usreq_finish(us, r, false);
	} else if (fail) {
		us->count--; /* abandoned and never seen by the server */
		drop = true;
	} else {
		inflight_add(us, r);
		cancel = r->abandoned;
	}
	spin_unlock_irqrestore(&us->lock, fl);
	if (drop)
		usreq_free(r);
	if (cancel)
		post_cancel(us, id); /* r may be gone: its answer came */
}

static long server_read(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	struct uscheme *us = f->priv;
	if (len < RB_REQ_MIN_BUF)
		return -E_INVAL;
	for (;;) {
		struct usreq *r;
		int err = take_request(us, len - sizeof r->hdr, &r);
		if (err < 0)
			return err;
		int fail = 0;
		if (r->hdr.op == RB_SOP_SENDFD) {
			int fd = hand_file(r);
			if (fd < 0)
				fail = fd;
			r->hdr.a = (uint64_t)fd;
		}
		if (!fail)
			fail = copy_to_user(ubuf, &r->hdr, sizeof r->hdr) < 0 ||
				       copy_to_user(ubuf + sizeof r->hdr, r->data, r->hdr.len) < 0
				   ? -E_FAULT
				   : 0;
		long n = (long)(sizeof r->hdr + r->hdr.len);
		if (!r->waited) { /* CLOSE, CANCEL: nothing comes back */
			usreq_free(r);
			return fail ? fail : n;
		}
		delivered(us, r, fail == -E_FAULT ? -E_IO : fail);
		if (fail == -E_FAULT)
			return fail;
		if (!fail)
			return n;
		/* SENDFD into a full table: the caller has its EMFILE; take the next one */
	}
}

/* Can answer a of len payload bytes answer r? 0, or the error for the server's write. */
static int check_answer(const struct usreq *r, const struct rb_ans *a)
{
	unsigned op = r->hdr.op;
	if (a->len > r->ans_cap)
		return -E_INVAL;
	if (a->flags & RB_ANS_FWD)
		return (op == RB_SOP_OPEN || op == RB_SOP_DUP) && !(a->flags & RB_ANS_FD) &&
			       a->result >= 0
			   ? 0
			   : -E_INVAL;
	if (a->flags & RB_ANS_FD)
		return op == RB_SOP_OPEN || op == RB_SOP_RECVFD || op == RB_SOP_FMAP ||
			       op == RB_SOP_DUP
			   ? 0
			   : -E_INVAL;
	if (a->result < 0)
		return a->len == 0 && a->result >= -4095 ? 0 : -E_INVAL;
	if ((op == RB_SOP_WRITE || op == RB_SOP_PWRITE) && (uint64_t)a->result > r->hdr.len)
		return -E_INVAL;
	if ((op == RB_SOP_READ || op == RB_SOP_PREAD || op == RB_SOP_GETDENTS ||
	     op == RB_SOP_FPATH) &&
	    (uint64_t)a->result != a->len)
		return -E_INVAL;
	if (op == RB_SOP_FSTAT && a->len != sizeof(struct rb_stat))
		return -E_INVAL;
	return 0;
}

static const struct scheme_ops server_ops;

/* RB_ANS_FD: the server file the answer names (moved out of its table, or shared for FMAP);
   RB_ANS_FWD: the one arg names, which may not forward itself (one hop at most) nor be a
   server fd (a pread of it would take the scheme's requests, and it would keep the scheme
   alive after its server died). */
static int take_answer_file(const struct usreq *r, const struct rb_ans *a, struct file **out)
{
	struct fdtable *t = &proc_current()->fdt;
	bool fwd = a->flags & RB_ANS_FWD;
	uint64_t n = fwd ? a->arg : (uint64_t)a->result;
	if (n > INT32_MAX)
		return -E_BADF;
	int fd = (int)n;
	struct file *f = fdt_get(t, fd);
	if (!f)
		return -E_BADF;
	if (fwd && (uscheme_file_forwards(f) || f->scheme->ops == &server_ops)) {
		file_put(f);
		return -E_INVAL;
	}
	if (r->hdr.op != RB_SOP_FMAP)
		if (fdt_close(t, fd) < 0) /* moved: ours is the reference fdt_get took */
			kprintf("uscheme: fd %d left the server's table under us\n", fd);
	*out = f;
	return 0;
}

/*
 * Copy an answer's len payload bytes from the server's upay: for a direct
 * answer as far as it goes into the caller's buffer, the rest into ans.
 * 0, 1 when the caller must fail with ENOMEM (no room for the rest: it
 * asks again in smaller pieces), or -E_FAULT for the server.
 */
static int take_payload(struct usreq *r, size_t len, uint64_t upay)
{
	size_t done = 0;
	if (r->dst && len) {
		long n = vm_copy_into(r->dst, r->dst_va, upay, len, &r->abandoned);
		if (n < 0)
			return (int)n;
		done = (size_t)n;
	}
	r->ans_off = done;
	if (done == len || (r->dst && __atomic_load_n(&r->abandoned, __ATOMIC_ACQUIRE)))
		return 0; /* all there, or nobody waits for the rest */
	if (!r->ans && !(r->ans = kmalloc(len - done)))
		return 1;
	return copy_from_user(r->ans, upay + done, len - done) < 0 ? -E_FAULT : 0;
}

/* Fill r from answer a (payload at upay): 0, or the error for the server (r then fails with EIO).
 */
static int fill_answer(struct usreq *r, const struct rb_ans *a, uint64_t upay)
{
	int err = check_answer(r, a);
	if (err < 0)
		return err;
	int got = take_payload(r, a->len, upay);
	if (got < 0)
		return got;
	r->ans_len = got ? 0 : a->len;
	if (a->flags & (RB_ANS_FD | RB_ANS_FWD)) {
		err = take_answer_file(r, a, &r->file);
		if (err < 0)
			return err;
	}
	r->result = got ? -E_NOMEM : a->result;
	r->ans_flags = a->flags;
	r->ans_arg = a->arg;
	r->ans_events = a->events;
	return 0;
}

/* The answer to an abandoned request: drop it, and close a handle it made. */
static void discard_answer(struct uscheme *us, struct usreq *r, const struct rb_ans *a, int err)
{
	unsigned op = r->hdr.op;
	if (!err && (op == RB_SOP_OPEN || op == RB_SOP_DUP) && !(a->flags & RB_ANS_FD) &&
	    a->result >= 0) {
		struct usreq *c = usreq_new(RB_SOP_CLOSE, (uint64_t)a->result, NULL, 0, 0);
		if (c)
			usreq_post(us, c);
	}
	usreq_free(r);
}

static long server_write(struct file *f, uint64_t ubuf, size_t len, uint64_t *off)
{
	struct uscheme *us = f->priv;
	struct rb_ans a;
	if (len < sizeof a)
		return -E_INVAL;
	if (copy_from_user(&a, ubuf, sizeof a) < 0)
		return -E_FAULT;
	if (a.flags & RB_ANS_EVENT) {
		if (len != sizeof a)
			return -E_INVAL;
		set_events(us, a.arg, (unsigned)a.events);
		return (long)len;
	}
	uint64_t fl = spin_lock_irqsave(&us->lock);
	struct usreq *r = inflight_take(us, a.id);
	if (r)
		r->state = US_ANSWERING;
	spin_unlock_irqrestore(&us->lock, fl);
	if (!r)
		return -E_INVAL;
	int err = len - sizeof a != a.len ? -E_INVAL : fill_answer(r, &a, ubuf + sizeof a);
	fl = spin_lock_irqsave(&us->lock);
	bool abandoned = r->abandoned;
	if (abandoned) {
		us->count--;
	} else {
		if (err < 0)
			r->result = -E_IO;
		/* a server thread reads next; it blocks there when nothing else waits */
		usreq_finish(us, r, !us->pend_head);
	}
	spin_unlock_irqrestore(&us->lock, fl);
	if (abandoned) { /* its caller gave up: accepted, whatever it says, and dropped */
		discard_answer(us, r, &a, err);
		return (long)len;
	}
	return err < 0 ? err : (long)len;
}

static unsigned server_poll(struct file *f, struct waitq_entry *w)
{
	struct uscheme *us = f->priv;
	if (w)
		waitq_add(&us->wq, w);
	return RB_POLLOUT | (__atomic_load_n(&us->pend_head, __ATOMIC_ACQUIRE) ? RB_POLLIN : 0);
}

static int server_close(struct file *f)
{
	struct uscheme *us = f->priv;
	if (!us)
		return 0; /* uscheme_create failed before it was set */
	uscheme_kill(us);
	scheme_put(&us->s); /* the server file's reference */
	return 0;
}

/* A server fd is a character device of no size: every fd can be fstat'ed. */
static int server_fstat(struct file *f, struct rb_stat *st)
{
	st->mode = 0x2000;
	st->size = 0;
	return 0;
}

static const struct scheme_ops server_ops = {
    .read = server_read,
    .write = server_write,
    .poll = server_poll,
    .close = server_close,
    .fstat = server_fstat,
};

/* The scheme of every server fd: never registered, static, so never released. */
static struct scheme server_scheme = {
    .name = "scheme-server",
    .ops = &server_ops,
    .flags = SCHEME_STREAM,
    .refs = 1,
};

int uscheme_create(const char *name, int flags, struct file **out)
{
	struct uscheme *us = kzalloc(sizeof *us);
	if (!us)
		return -E_NOMEM;
	memcpy(us->s.name, name, strnlen(name, sizeof us->s.name - 1));
	us->s.ops = &uscheme_ops;
	us->s.flags = SCHEME_STREAM;
	us->s.priv = us;
	us->s.release = uscheme_release;
	us->nonblock = flags & RB_O_NONBLOCK;
	us->write_room = RB_SCHEME_MAX_IO;
	spin_init(&us->lock);
	waitq_init(&us->wq);
	struct file *f;
	int err = file_new(&server_scheme, RB_O_RDWR | (flags & RB_O_NONBLOCK), NULL, &f);
	if (err < 0) {
		kfree(us);
		return err;
	}
	err = scheme_register(&us->s);
	if (err < 0) {
		file_put(f); /* priv is still NULL: its close does nothing */
		kfree(us);
		return err;
	}
	scheme_get(&us->s); /* the server file's */
	f->priv = us;
	*out = f;
	return 0;
}
