/*
 * proc.c - processes (see proc.h).
 *
 * Life of a process: proc_spawn loads the image (exec.c), fills the file
 * table from the parent's fd map and starts one thread on the least loaded
 * CPU of its choice (round-robin for now), which enters user mode. Threads
 * leave through proc_thread_exit. The CPU that frees the last thread's
 * stack (thread_reap_hook, so nothing runs on the address space any more)
 * frees the address space, marks the process exited and wakes a parent
 * blocked in waitpid; waitpid then drops the table's reference, which
 * frees the struct proc unless a proc_find caller still holds one. A
 * child names its parent by pointer (p->parent, under proc_lock), never by
 * pid, which may be reused. When a process exits, its children are handed
 * to init (pid 1) under proc_lock before its own exit is published, so a
 * parent pointer never outlives its target; init's waitpid(-1) reaps them
 * (if init itself is gone, they have no parent and are reaped by nobody).
 *
 * Order at exit, so that what the parent sees is final: the exiting
 * thread gives up its PI futexes (futex_pi.c); the CPU that reaps it frees
 * its kernel stack before reap_hook runs; the last thread's hook frees the
 * files and address space, and only then, under proc_lock, marks the
 * process exited and wakes its waiters. Threads woken after a lock is
 * dropped are pinned with thread_get first. A whole-process end (exit,
 * a fault, a fatal signal) sets p->dying and, like proc_kill, wakes and
 * kicks every other thread under p->lock (kick_threads), so a sibling
 * blocked with no timeout (futex, join, waitpid) leaves too.
 *
 * alloc_pid, under proc_lock, also refuses a process of a non-root uid
 * that has PROCS_PER_UID (live or unreaped) already: EAGAIN. A child
 * inherits its parent's RLIMIT_NOFILE (fdt), RLIMIT_SHM and RLIMIT_MEM, not
 * its usage, and its working directory, process group and session;
 * alloc_pid sets the group (a spawn attribute may choose another) in the
 * same proc_lock section that publishes the process, so no one sees it
 * without one. Memory (mm/memacct.h): exec charges the new space to the
 * child's account as it builds it, start_thread charges
 * MEMACCT_THREAD_PAGES per thread (given back by reap_hook), and the
 * account's rest goes back when the space is freed (exec_free_root).
 *
 * proc_count (SYS_KSTAT) walks the table under proc_lock; it reads each
 * nthreads (guarded by p->lock) with a relaxed atomic load instead of
 * nesting p->lock, so it adds no lock order. proc_list (SYS_PROCLIST)
 * walks it the same way. proc_cpu_ns (SYS_PROCINFO) sums, under p->lock,
 * cpu_done_ns (the time of reaped threads, added by reap_hook under
 * p->lock as it empties the slot) and each live slot's run time, so each
 * thread is counted once.
 */
#include <stdatomic.h>
#include <string.h>
#include "arch.h"
#include "base/err.h"
#include "base/syscall_nr.h"
#include "boot/boot.h"
#include "dev/hw.h"
#include "proc/exec.h"
#include "scheme/builtin.h"
#include "scheme/file.h"
#include "core/log.h"
#include "mm/mem.h"
#include "core/panic.h"
#include "core/time.h"
#include "proc/proc.h"
#include "proc/proc_table.h"
#include "sync/irqlock.h"
#include "mm/uaccess.h"
#include "fmt/fmt.h"

struct proc *procs[MAX_PROCS];
struct spinlock proc_lock = SPINLOCK_INIT;
static int next_pid = 1;
static _Atomic unsigned next_cpu;

void enter_user(uint64_t rip, uint64_t rsp, uint64_t a0, uint64_t a1, uint64_t a2);

struct proc *proc_current(void)
{
	return thread_current()->proc;
}

struct proc *proc_find(int pid)
{
	if (pid <= 0 || pid >= MAX_PROCS)
		return NULL;
	uint64_t f = spin_lock_irqsave(&proc_lock);
	struct proc *p = procs[pid];
	if (p)
		atomic_fetch_add_explicit(&p->refs, 1, memory_order_relaxed);
	spin_unlock_irqrestore(&proc_lock, f);
	return p;
}

static void proc_release(struct proc *p);

void proc_get(struct proc *p)
{
	atomic_fetch_add_explicit(&p->refs, 1, memory_order_relaxed);
}

void proc_put(struct proc *p)
{
	if (atomic_fetch_sub_explicit(&p->refs, 1, memory_order_acq_rel) == 1)
		proc_release(p);
}

void proc_set_affinity(struct proc *p, const struct cpumask *m)
{
	uint64_t f = spin_lock_irqsave(&p->lock);
	p->affinity = *m;
	for (int i = 0; i < MAX_THREADS; i++)
		if (p->tslots[i].tid > 0 && !p->tslots[i].done && p->tslots[i].t)
			(void)thread_set_affinity(p->tslots[i].t,
						  m); /* moves at its next syscall */
	spin_unlock_irqrestore(&p->lock, f);
}

struct user_start {
	uint64_t rip, rsp, a0, a1, a2;
};

/* A kill that came before the new thread first ran (its wake-up and IPI
   found it in the kernel) is acted on before it enters user mode. */
static void user_thread_main(void *arg)
{
	struct user_start st = *(struct user_start *)arg;
	kfree(arg);
	struct proc *p = proc_current();
	if (p->dying)
		proc_thread_exit(p->status, false);
	if (__atomic_load_n(&p->sig_pending, __ATOMIC_ACQUIRE) & (1ull << RB_SIGKILL))
		proc_thread_exit(128 + RB_SIGKILL, true);
	enter_user(st.rip, st.rsp, st.a0, st.a1, st.a2);
}

/* A CPU for a new thread: round-robin over the online CPUs of mask. */
static unsigned pick_cpu(const struct cpumask *mask)
{
	struct cpumask m;
	cpumask_and(&m, mask, &cpu_online);
	unsigned n = cpumask_count(&m);
	if (n == 0)
		return cpumask_first(&cpu_online);
	unsigned k = atomic_fetch_add(&next_cpu, 1) % n;
	unsigned cpu = cpumask_first(&m);
	while (k--)
		cpu = cpumask_next(&m, cpu);
	return cpu;
}

/* The CPU mask a new thread of p starts with: its creator's, if that is
   a thread of p, else the process's. */
static void start_mask(struct proc *p, struct cpumask *m)
{
	struct thread *self = thread_current();
	if (self->proc == p) {
		thread_get_affinity(self, m);
		return;
	}
	uint64_t f = spin_lock_irqsave(&p->lock);
	*m = p->affinity;
	spin_unlock_irqrestore(&p->lock, f);
}

static int start_thread(struct proc *p, uint64_t rip, uint64_t rsp, uint64_t a0, uint64_t a1,
			uint64_t a2)
{
	if (memacct_charge(&p->mem, MEMACCT_THREAD_PAGES) < 0)
		return -E_NOMEM; /* its stack and FPU area would pass p's limits */
	struct user_start *st = kmalloc(sizeof *st);
	if (!st) {
		memacct_uncharge(&p->mem, MEMACCT_THREAD_PAGES);
		return -E_NOMEM;
	}
	*st = (struct user_start){rip, rsp, a0, a1, a2};
	uint64_t f = spin_lock_irqsave(&p->lock);
	int slot = -1;
	for (int i = 0; i < MAX_THREADS && slot < 0; i++)
		if (!p->tslots[i].tid)
			slot = i;
	if (slot < 0) {
		spin_unlock_irqrestore(&p->lock, f);
		kfree(st);
		memacct_uncharge(&p->mem, MEMACCT_THREAD_PAGES);
		return -E_AGAIN;
	}
	p->tslots[slot].tid = -1; /* reserved until the thread exists */
	p->nthreads++;
	spin_unlock_irqrestore(&p->lock, f);
	/* The thread must know its process before it first runs. */
	struct cpumask mask;
	start_mask(p, &mask);
	struct thread *t = thread_create_user(user_thread_main, st, p->name, pick_cpu(&mask), p);
	if (t) { /* not running yet: nobody else looks */
		t->se.allowed = mask;
		struct thread *self = thread_current();
		t->sig_blocked = self->proc ? self->sig_blocked : 0; /* POSIX: inherited */
	}
	f = spin_lock_irqsave(&p->lock);
	if (!t) {
		p->nthreads--;
		p->tslots[slot].tid = 0;
	} else {
		p->tslots[slot].tid = (int)t->tid;
		p->tslots[slot].t = t;
		p->tslots[slot].done = false;
	}
	spin_unlock_irqrestore(&p->lock, f);
	if (!t) {
		kfree(st);
		memacct_uncharge(&p->mem, MEMACCT_THREAD_PAGES);
		return -E_NOMEM;
	}
	/* Only now, with its slot recorded, may it run (and possibly exit at once). */
	int tid = (int)t->tid;
	thread_run(t);
	return tid;
}

int proc_thread_create(struct proc *p, uint64_t entry, uint64_t arg, uint64_t stack_top)
{
	/* rsp - 8 holds a zero return address, as if entry had been called */
	uint64_t rsp = (stack_top & ~15ull) - 8;
	uint64_t zero = 0;
	if (copy_to_user(rsp, &zero, 8) < 0)
		return -E_FAULT;
	return start_thread(p, entry, rsp, arg, 0, 0);
}

/* Processes in the table whose uid is uid (proc_lock held). */
static int count_uid(int uid)
{
	int n = 0;
	for (int i = 1; i < MAX_PROCS; i++)
		n += procs[i] && proc_uid(procs[i]) == uid;
	return n;
}

/* Give p a pid and its group and session (proc_lock held): the parent's
   group, or with attr RB_SPAWN_SETPGROUP group attr->pgid of the parent's
   session (0: its own). A process with no parent leads a new session. */
static int set_group(struct proc *p, const struct rb_spawn_attr *attr)
{
	if (!p->parent) {
		p->pgid = p->sid = p->pid;
		return 0;
	}
	p->sid = p->parent->sid;
	p->pgid = p->parent->pgid;
	if (!attr || !(attr->flags & RB_SPAWN_SETPGROUP))
		return 0;
	if (attr->pgid == 0) {
		p->pgid = p->pid;
		return 0;
	}
	if (!pgrp_exists_locked(attr->pgid, p->sid))
		return -E_PERM;
	p->pgid = attr->pgid;
	return 0;
}

static int alloc_pid(struct proc *p, const struct rb_spawn_attr *attr)
{
	uint64_t f = spin_lock_irqsave(&proc_lock);
	int uid = proc_uid(p);
	if (uid != 0 && count_uid(uid) >= PROCS_PER_UID) {
		spin_unlock_irqrestore(&proc_lock, f);
		return -E_AGAIN;
	}
	for (int i = 0; i < MAX_PROCS - 1; i++) {
		int pid = next_pid;
		next_pid = next_pid + 1 >= MAX_PROCS ? 2 : next_pid + 1;
		if (!procs[pid]) {
			p->pid = pid;
			int err = set_group(p, attr);
			if (err == 0)
				procs[pid] = p;
			spin_unlock_irqrestore(&proc_lock, f);
			return err < 0 ? err : pid;
		}
	}
	spin_unlock_irqrestore(&proc_lock, f);
	return -E_AGAIN;
}

/* Fds 0..n-1 of init: each a new file on the debug console. */
static int console_fds(struct fdtable *t, int n)
{
	for (int i = 0; i < n && i < FDT_INLINE; i++) {
		struct file *f = file_console();
		if (f && fdt_install(t, f, i) < 0)
			file_put(f);
	}
	return 0;
}

int proc_spawn(const char *path, char *const argv[], int argc, char *const envp[], int envc,
	       const int *fdmap, int nfd, const struct rb_spawn_attr *attr)
{
	struct proc *parent = proc_current();
	bool setuid = attr && (attr->flags & RB_SPAWN_SETUID);
	if (setuid && parent && proc_uid(parent) != 0)
		return -E_PERM;
	struct proc *p = kzalloc(sizeof *p);
	if (!p)
		return -E_NOMEM;
	spin_init(&p->lock);
	atomic_init(&p->refs, 1); /* the process table's */
	fdt_init(&p->fdt, parent ? fdt_limit(&parent->fdt) : FDT_DEFAULT);
	p->shm_limit = parent ? __atomic_load_n(&parent->shm_limit, __ATOMIC_RELAXED) : SHM_DEFAULT;
	p->uid = parent ? proc_uid(parent) : 0;
	p->gid = parent ? proc_gid(parent) : 0;
	if (setuid) {
		p->uid = attr->uid;
		p->gid = attr->gid;
	}
	memacct_init(&p->mem, p->uid, parent ? memacct_limit(&parent->mem) : MEMACCT_LIMIT_MAX);
	struct exec_image img;
	int err = exec_load(path, argv, argc, envp, envc, &p->mem, &img);
	if (err < 0) {
		if (err == -E_NOEXEC && img.error[0])
			kprintf("exec: %s refused: %s\n", path, img.error);
		kfree(p);
		return err;
	}
	p->root = img.root;
	p->start_ns = time_ns();
	if (parent)
		thread_get_affinity(thread_current(), &p->affinity); /* as Linux: the caller's */
	else
		cpumask_fill(&p->affinity, MAX_CPUS);
	p->parent = parent; /* set before alloc_pid publishes p; see reparent() */
	p->ppid = parent ? parent->pid : 0;
	fmt_snprintf(p->path, sizeof p->path, "%s", path);
	if (parent)
		proc_cwd(p->cwd); /* the caller's: parent is the current process */
	else
		strcpy(p->cwd, "file:/");
	const char *base = strrchr(path, '/');
	fmt_snprintf(p->name, sizeof p->name, "%s", base ? base + 1 : path);
	err = hw_proc_spawn(p); /* by its path and uid: hw.policy */
	if (err == 0)
		err = parent ? fdt_inherit(&p->fdt, &parent->fdt, fdmap, nfd)
			     : console_fds(&p->fdt, nfd);
	if (err < 0) {
		hw_proc_free(p);
		exec_free_root(img.root, &p->mem);
		kfree(p);
		return err;
	}
	int pid = alloc_pid(p, attr);
	if (pid < 0) {
		proc_release(p);
		return pid;
	}
	int tid = 0;
	if (attr && (attr->flags & RB_SPAWN_FOREGROUND))
		tid = console_set_fg(parent, p->pgid); /* before the child can run */
	if (tid == 0)
		tid = start_thread(p, img.entry, img.rsp, (uint64_t)argc, img.rsp + 8,
				   img.rsp + 8 + 8 * (uint64_t)(argc + 1));
	if (tid < 0) {
		uint64_t f = spin_lock_irqsave(&proc_lock);
		procs[pid] = NULL;
		spin_unlock_irqrestore(&proc_lock, f);
		proc_put(p);
		return tid;
	}
	return pid;
}

/* Free what a process still holds once nothing runs in it and nobody
   holds a reference. */
static void proc_release(struct proc *p)
{
	fdt_close_all(&p->fdt);
	if (p->root)
		exec_free_root(p->root, &p->mem);
	vm_release(&p->vm);
	hw_proc_free(p);
	kfree(p);
}

/* Tell p's parent that p has exited: SIGCHLD and a wake-up of every
   thread it has in waitpid (each unlinks itself under proc_lock). A parent
   with a SIGCHLD handler also has its threads kicked, as a kill does, so
   one blocked in poll or read takes the handler now (init's self-pipe);
   p->lock nests inside proc_lock, as in pgrp.c. */
static void notify_parent(struct proc *p)
{
	struct proc *parent = p->parent;
	if (!parent || parent->exited)
		return;
	__atomic_fetch_or(&parent->sig_pending, 1ull << RB_SIGCHLD, __ATOMIC_RELAXED);
	for (struct proc_waiter *w = parent->waiters; w; w = w->next)
		thread_wake(w->t);
	spin_lock(&parent->lock);
	uint64_t h = parent->sig_handlers[RB_SIGCHLD];
	if (h != (uint64_t)(uintptr_t)RB_SIG_DFL && h != (uint64_t)(uintptr_t)RB_SIG_IGN)
		proc_kick_threads(parent, NULL);
	spin_unlock(&parent->lock);
}

/* p is exiting: hand its children to init, as POSIX does, and tell init
   about those that have exited already. proc_lock held. */
static void reparent_children(struct proc *p)
{
	struct proc *init = procs[1];
	if (!init || init == p || init->exited)
		init = NULL;
	for (int i = 1; i < MAX_PROCS; i++) {
		struct proc *c = procs[i];
		if (!c || c->parent != p)
			continue;
		c->parent = init;
		c->ppid = init ? 1 : 0;
		if (c->exited)
			notify_parent(c);
	}
}

/*
 * Runs on the CPU that freed thread t's stack: t no longer runs anywhere.
 * Drops the scheduler's reference on t once its slot no longer names it,
 * and before the process's exit is published. Waiters are woken with the lock that found them held,
 * and nothing touches p after proc_lock publishes the exit: from then on
 * waitpid may free it.
 */
static void reap_hook(struct thread *t)
{
	struct proc *p = t->proc;
	if (!p) {
		thread_put(t);
		return;
	}
	int tid = (int)t->tid, code = t->exit_code;
	memacct_uncharge(&p->mem, MEMACCT_THREAD_PAGES); /* its stack is free already */
	uint64_t f = spin_lock_irqsave(&p->lock);
	bool last = --p->nthreads == 0;
	/* its time moves from its slot to the total in one p->lock section */
	p->cpu_done_ns += __atomic_load_n(&t->se.sum_runtime, __ATOMIC_RELAXED);
	for (int i = 0; i < MAX_THREADS; i++)
		if (p->tslots[i].tid == tid) {
			p->tslots[i].done = true;
			p->tslots[i].t = NULL;
			p->tslots[i].code = code;
			if (p->tslots[i].joiner)
				thread_wake(p->tslots[i].joiner);
		}
	spin_unlock_irqrestore(&p->lock, f);
	thread_put(t); /* after its slot let go of it */
	if (!last)
		return;
	fdt_close_all(&p->fdt); /* normally empty already: see proc_thread_exit */
	/* taken out under the lock, so vm_copy_into, which looks under it, stops using it */
	f = spin_lock_irqsave(&p->vm.lock);
	uint64_t root = p->root;
	p->root = 0;
	spin_unlock_irqrestore(&p->vm.lock, f);
	exec_free_root(root, &p->mem);
	vm_release(&p->vm);
	futex_pi_proc_exit(p);
	if (p->pid == 1)
		kprintf("init: exited with status %d\n", p->status);
	f = spin_lock_irqsave(&proc_lock);
	reparent_children(p);
	p->exited = true;
	notify_parent(p);
	spin_unlock_irqrestore(&proc_lock, f);
}

/* init's argv: its path and at most 15 "init.*" options (docs/boot.md). */
#define INIT_ARGV_MAX 16

/*
 * Append to argv every command-line option "init.KEY=VALUE" as "KEY=VALUE"
 * (a bare "init.KEY" as "KEY"), in command-line order, at most
 * INIT_ARGV_MAX - 1 of them; the words are built in buf, which holds the
 * whole command line (each word is shorter than the option it came from).
 */
static int init_argv_options(char *argv[], int argc, char *buf, size_t cap)
{
	size_t used = 0;
	for (size_t i = 0; i < cmdline_count(&boot_cmdline); i++) {
		const struct cmdline_opt *o = cmdline_opt_at(&boot_cmdline, i);
		if (strncmp(o->key, "init.", 5) != 0 || o->key[5] == 0)
			continue;
		if (argc == INIT_ARGV_MAX) {
			kprintf("init: more than %d init.* options; '%s' and later dropped\n",
				INIT_ARGV_MAX - 1, o->key);
			break;
		}
		int n = o->bare
			    ? fmt_snprintf(buf + used, cap - used, "%s", o->key + 5)
			    : fmt_snprintf(buf + used, cap - used, "%s=%s", o->key + 5, o->value);
		if (n < 0 || (size_t)n >= cap - used)
			break;
		argv[argc++] = buf + used;
		used += (size_t)n + 1;
	}
	return argc;
}

bool proc_start_init(void)
{
	static char words[CMDLINE_MAX_LEN];
	thread_reap_hook = reap_hook;
	const char *path = cmdline_get(&boot_cmdline, "init");
	char full[128] = "initfs:/bin/init";
	if (path && strlen(path) < sizeof full - 8) {
		strcpy(full, "initfs:");
		strcpy(full + 7, path);
	}
	char *argv[INIT_ARGV_MAX] = {full + 7};
	int argc = init_argv_options(argv, 1, words, sizeof words);
	int fds[3] = {0, 1, 2};
	int pid = proc_spawn(full, argv, argc, NULL, 0, fds, 3, NULL);
	if (pid < 0) {
		kprintf("init: cannot start %s: %s\n", full, err_name(pid));
		return false;
	}
	kprintf("init: started %s as pid %d (%d argv words)\n", full, pid, argc);
	return true;
}

/* Make every thread of p but skip leave its blocking wait (sleep, futex,
   join, waitpid: each sees signal_interrupts) and make one running in user
   mode on another CPU enter the kernel now (an IPI only to CPUs running
   p's threads). Each then acts on the pending signal or on p->dying at its
   next kernel exit. p->lock held: the thread pointers stay valid. */
void proc_kick_threads(struct proc *p, struct thread *skip)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		struct thread *o = p->tslots[i].t;
		if (p->tslots[i].tid > 0 && !p->tslots[i].done && o && o != skip) {
			thread_wake(o);
			thread_kick(o);
		}
	}
}

void proc_thread_exit(int status, bool whole_process)
{
	struct proc *p = proc_current();
	struct thread *t = thread_current();
	uint64_t f = spin_lock_irqsave(&p->lock);
	t->exit_code = status;
	t->exited = true;
	bool ending = whole_process || p->nthreads == 1;
	if (ending) {
		if (!p->dying)
			p->status = status;
		p->dying = true;
		if (whole_process)
			proc_kick_threads(p, t); /* siblings must leave too */
	}
	spin_unlock_irqrestore(&p->lock, f);
	futex_pi_thread_exit(t); /* waiters get the locks, marked owner-died */
	if (ending)
		fdt_close_all(&p->fdt); /* here, where a scheme's close may sleep */
	thread_exit();
}

/* True if child c matches waitpid's pid: -1 any, > 0 that pid, 0 the
   caller's group, < -1 group -pid. proc_lock held. */
static bool wait_match(struct proc *me, struct proc *c, int pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0)
		return c->pgid == me->pgid;
	return pid == -1 || c->pgid == -pid;
}

/* Take a child of me matching pid (wait_match) that has exited out of the
   table into *done; false if me has no such child at all. proc_lock held. */
static bool find_exited_child(struct proc *me, int pid, struct proc **done)
{
	bool have_child = false;
	*done = NULL;
	for (int i = 1; i < MAX_PROCS; i++) {
		struct proc *c = procs[i];
		if (!c || c->parent != me || !wait_match(me, c, pid))
			continue;
		have_child = true;
		if (c->exited) {
			*done = c;
			procs[i] = NULL;
			return true;
		}
	}
	return have_child;
}

static void unlink_waiter(struct proc *me, struct proc_waiter *w)
{
	for (struct proc_waiter **pp = &me->waiters; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			return;
		}
}

/*
 * Every waiting thread has its own record on me->waiters, so each exit of
 * a child wakes them all and none is lost. The signal check comes after
 * thread_prepare_block (proc_block_or_intr), so no kill is lost.
 */
int proc_wait(int pid, int *status, bool nohang)
{
	struct proc *me = proc_current();
	struct proc_waiter w = {.t = thread_current()};
	for (;;) {
		struct proc *done;
		uint64_t f = spin_lock_irqsave(&proc_lock);
		if (!find_exited_child(me, pid, &done)) {
			spin_unlock_irqrestore(&proc_lock, f);
			return -E_CHILD;
		}
		if (done) {
			spin_unlock_irqrestore(&proc_lock, f);
			*status = done->status;
			int cpid = done->pid;
			proc_put(done); /* the table's reference */
			return cpid;
		}
		if (nohang) {
			spin_unlock_irqrestore(&proc_lock, f);
			return 0;
		}
		w.next = me->waiters;
		me->waiters = &w;
		thread_prepare_block();
		spin_unlock_irqrestore(&proc_lock, f);
		bool intr = proc_block_or_intr(me);
		f = spin_lock_irqsave(&proc_lock);
		unlink_waiter(me, &w);
		spin_unlock_irqrestore(&proc_lock, f);
		if (intr || signal_interrupts(me))
			return -E_INTR; /* SIGKILL: signal_check ends the process */
	}
}

int proc_kill(int pid, int sig)
{
	if (sig < 0 || sig >= 32)
		return -E_INVAL;
	struct proc *p = proc_find(pid);
	struct proc *me = proc_current();
	int err = 0;
	if (!p)
		err = -E_NOENT;
	else if (me && proc_uid(me) != 0 && proc_uid(me) != proc_uid(p))
		err = -E_PERM;
	/* An exited process not yet reaped still exists (POSIX): 0, no effect. */
	if (err < 0 || sig == 0 || p->exited) {
		if (p)
			proc_put(p);
		return err;
	}
	uint64_t f = spin_lock_irqsave(&p->lock);
	__atomic_fetch_or(&p->sig_pending, 1ull << sig, __ATOMIC_RELAXED);
	proc_kick_threads(p, NULL);
	spin_unlock_irqrestore(&p->lock, f);
	proc_put(p);
	return 0;
}

bool proc_block_or_intr(struct proc *p)
{
	if (p && signal_interrupts(p)) {
		thread_wake(thread_current()); /* undo the prepare */
		return true;
	}
	thread_block();
	return false;
}

void proc_sleep_until(uint64_t deadline)
{
	if (deadline > time_ns()) {
		thread_prepare_block_until(deadline);
		(void)proc_block_or_intr(proc_current());
	} else {
		thread_resched();
	}
}

void proc_oom(uint64_t rip, uint64_t addr)
{
	struct proc *p = proc_current();
	kprintf("pid %d (%s): out of memory at address %#lx, rip %#lx (uid %d, RLIMIT_MEM %lu "
		"pages); killed (SIGKILL)\n",
		p->pid, p->name, (unsigned long)addr, (unsigned long)rip, proc_uid(p),
		(unsigned long)memacct_limit(&p->mem));
	proc_thread_exit(128 + RB_SIGKILL, true);
}

void proc_fault(const char *what, uint64_t rip, uint64_t addr)
{
	struct proc *p = proc_current();
	kprintf("pid %d (%s): %s at rip %#lx, address %#lx; killed (SIGSEGV)\n", p->pid, p->name,
		what, (unsigned long)rip, (unsigned long)addr);
	proc_thread_exit(128 + RB_SIGSEGV, true);
}

void proc_count(uint64_t *live, uint64_t *zombie, uint64_t *threads)
{
	*live = *zombie = *threads = 0;
	uint64_t f = spin_lock_irqsave(&proc_lock);
	for (int i = 1; i < MAX_PROCS; i++) {
		struct proc *p = procs[i];
		if (!p)
			continue;
		if (p->exited)
			++*zombie;
		else
			++*live;
		/* p->lock guards nthreads; a racy snapshot is all a count needs. */
		*threads += (uint64_t)__atomic_load_n(&p->nthreads, __ATOMIC_RELAXED);
	}
	spin_unlock_irqrestore(&proc_lock, f);
}

int proc_list(int *out, int cap)
{
	int n = 0;
	uint64_t f = spin_lock_irqsave(&proc_lock);
	for (int i = 1; i < MAX_PROCS; i++) {
		struct proc *p = procs[i];
		if (!p || p->exited)
			continue;
		if (n < cap)
			out[n] = i;
		n++;
	}
	spin_unlock_irqrestore(&proc_lock, f);
	return n;
}

uint64_t proc_cpu_ns(struct proc *p, bool *runnable)
{
	*runnable = false;
	uint64_t f = spin_lock_irqsave(&p->lock);
	uint64_t ns = p->cpu_done_ns;
	for (int i = 0; i < MAX_THREADS; i++) {
		struct thread *t = p->tslots[i].t;
		if (p->tslots[i].tid <= 0 || p->tslots[i].done || !t)
			continue;
		/* sum_runtime and state change under t's run queue lock; a
		   relaxed load of each is a value that held at some moment */
		ns += __atomic_load_n(&t->se.sum_runtime, __ATOMIC_RELAXED);
		if (__atomic_load_n(&t->state, __ATOMIC_RELAXED) == THREAD_RUNNABLE)
			*runnable = true;
	}
	spin_unlock_irqrestore(&p->lock, f);
	return ns;
}
