/*
 * proc.c - processes (see proc.h).
 *
 * Life of a process: proc_spawn loads the image (exec.c), fills the file
 * table from the parent's fd map and starts one thread on the least loaded
 * CPU of its choice (round-robin for now), which enters user mode. Threads
 * leave through proc_thread_exit. The CPU that frees the last thread's
 * stack (thread_reap_hook, so nothing runs on the address space any more)
 * frees the address space, marks the process exited and wakes a parent
 * blocked in waitpid; waitpid then frees the struct proc. Orphans are
 * reaped by nobody for now and keep only their small struct (pid 1 adopts
 * them once init grows a reaper loop).
 */
#include <stdatomic.h>
#include <string.h>
#include "arch.h"
#include "base/err.h"
#include "boot/boot.h"
#include "proc/exec.h"
#include "scheme/file.h"
#include "core/log.h"
#include "mm/mem.h"
#include "core/panic.h"
#include "proc/proc.h"
#include "sync/irqlock.h"
#include "mm/uaccess.h"
#include "fmt/fmt.h"

static struct proc *procs[MAX_PROCS];
static struct spinlock proc_lock = SPINLOCK_INIT;
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
	spin_unlock_irqrestore(&proc_lock, f);
	return p;
}

struct user_start {
	uint64_t rip, rsp, a0, a1, a2;
};

static void user_thread_main(void *arg)
{
	struct user_start st = *(struct user_start *)arg;
	kfree(arg);
	enter_user(st.rip, st.rsp, st.a0, st.a1, st.a2);
}

/* A CPU for a new thread of p: round-robin over the online CPUs it may use. */
static unsigned pick_cpu(struct proc *p)
{
	struct cpumask m;
	cpumask_and(&m, &p->affinity, &cpu_online);
	unsigned n = cpumask_count(&m);
	if (n == 0)
		return cpumask_first(&cpu_online);
	unsigned k = atomic_fetch_add(&next_cpu, 1) % n;
	unsigned cpu = cpumask_first(&m);
	while (k--)
		cpu = cpumask_next(&m, cpu);
	return cpu;
}

static int start_thread(struct proc *p, uint64_t rip, uint64_t rsp, uint64_t a0, uint64_t a1,
			uint64_t a2)
{
	struct user_start *st = kmalloc(sizeof *st);
	if (!st)
		return -E_NOMEM;
	*st = (struct user_start){ rip, rsp, a0, a1, a2 };
	uint64_t f = spin_lock_irqsave(&p->lock);
	int slot = -1;
	for (int i = 0; i < MAX_THREADS && slot < 0; i++)
		if (!p->tslots[i].tid)
			slot = i;
	if (slot < 0) {
		spin_unlock_irqrestore(&p->lock, f);
		kfree(st);
		return -E_AGAIN;
	}
	p->tslots[slot].tid = -1; /* reserved until the thread exists */
	p->nthreads++;
	spin_unlock_irqrestore(&p->lock, f);
	/* The thread must know its process before it first runs. */
	struct thread *t = thread_create_user(user_thread_main, st, p->name, pick_cpu(p), p);
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

static int alloc_pid(struct proc *p)
{
	uint64_t f = spin_lock_irqsave(&proc_lock);
	for (int i = 0; i < MAX_PROCS - 1; i++) {
		int pid = next_pid;
		next_pid = next_pid + 1 >= MAX_PROCS ? 2 : next_pid + 1;
		if (!procs[pid]) {
			procs[pid] = p;
			p->pid = pid;
			spin_unlock_irqrestore(&proc_lock, f);
			return pid;
		}
	}
	spin_unlock_irqrestore(&proc_lock, f);
	return -E_AGAIN;
}

int proc_spawn(const char *path, char *const argv[], int argc, char *const envp[], int envc,
	       const int *fdmap, int nfd)
{
	struct proc *parent = proc_current();
	struct proc *p = kzalloc(sizeof *p);
	if (!p)
		return -E_NOMEM;
	spin_init(&p->lock);
	struct exec_image img;
	int err = exec_load(path, argv, argc, envp, envc, &img);
	if (err < 0) {
		if (err == -E_NOEXEC)
			kprintf("exec: %s refused: %s\n", path, img.error);
		kfree(p);
		return err;
	}
	p->root = img.root;
	if (parent)
		p->affinity = parent->affinity;
	else
		cpumask_fill(&p->affinity, MAX_CPUS);
	p->ppid = parent ? parent->pid : 0;
	p->uid = parent ? parent->uid : 0;
	const char *base = strrchr(path, '/');
	fmt_snprintf(p->name, sizeof p->name, "%s", base ? base + 1 : path);
	for (int i = 0; i < nfd && i < MAX_FDS && parent; i++) {
		if (fdmap[i] >= MAX_FDS || (fdmap[i] >= 0 && !parent->fds[fdmap[i]])) {
			exec_free_root(img.root);
			kfree(p);
			return -E_BADF; /* -1 leaves the slot closed; anything else must be open */
		}
	}
	for (int i = 0; i < nfd && i < MAX_FDS; i++) {
		struct file *src = NULL;
		if (parent && fdmap[i] >= 0)
			src = parent->fds[fdmap[i]];
		else if (!parent)
			src = file_console();
		if (src) {
			if (parent)
				file_get(src);
			p->fds[i] = src;
		}
	}
	int pid = alloc_pid(p);
	if (pid < 0) {
		proc_release(p);
		return pid;
	}
	int tid = start_thread(p, img.entry, img.rsp, (uint64_t)argc, img.rsp + 8,
			       img.rsp + 8 + 8 * (uint64_t)(argc + 1));
	if (tid < 0) {
		uint64_t f = spin_lock_irqsave(&proc_lock);
		procs[pid] = NULL;
		spin_unlock_irqrestore(&proc_lock, f);
		proc_release(p);
		return tid;
	}
	return pid;
}

/* Free what a process still holds once nothing runs in it. */
void proc_release(struct proc *p)
{
	for (int i = 0; i < MAX_FDS; i++)
		if (p->fds[i])
			file_put(p->fds[i]);
	if (p->root)
		exec_free_root(p->root);
	vm_release(&p->vm);
	kfree(p);
}

/* Runs on the CPU freeing thread t's stack: t no longer runs anywhere. */
static void reap_hook(struct thread *t)
{
	struct proc *p = t->proc;
	if (!p)
		return;
	uint64_t f = spin_lock_irqsave(&p->lock);
	bool last = --p->nthreads == 0;
	struct thread *joiner = NULL;
	for (int i = 0; i < MAX_THREADS; i++)
		if (p->tslots[i].tid == (int)t->tid) {
			p->tslots[i].done = true;
			p->tslots[i].t = NULL;
			p->tslots[i].code = t->exit_code;
			joiner = p->tslots[i].joiner;
		}
	spin_unlock_irqrestore(&p->lock, f);
	if (joiner)
		thread_wake(joiner);
	if (!last)
		return;
	for (int i = 0; i < MAX_FDS; i++)
		if (p->fds[i]) {
			file_put(p->fds[i]);
			p->fds[i] = NULL;
		}
	exec_free_root(p->root);
	p->root = 0;
	vm_release(&p->vm);
	f = spin_lock_irqsave(&proc_lock);
	p->exited = true;
	struct thread *w = p->waiter;
	struct proc *parent = p->ppid ? procs[p->ppid] : NULL;
	struct thread *pw = parent ? parent->waiter : NULL;
	if (parent && !parent->exited)
		__atomic_fetch_or(&parent->sig_pending, 1ull << 17, __ATOMIC_RELAXED); /* SIGCHLD */
	spin_unlock_irqrestore(&proc_lock, f);
	if (w)
		thread_wake(w);
	if (pw && pw != w)
		thread_wake(pw);
	if (p->pid == 1)
		kprintf("init: exited with status %d\n", p->status);
}

bool proc_start_init(void)
{
	thread_reap_hook = reap_hook;
	const char *path = cmdline_get(&boot_cmdline, "init");
	char full[128] = "initfs:/bin/init";
	if (path && strlen(path) < sizeof full - 8) {
		strcpy(full, "initfs:");
		strcpy(full + 7, path);
	}
	char *argv[] = { full + 7 };
	int fds[3] = { 0, 1, 2 };
	int pid = proc_spawn(full, argv, 1, NULL, 0, fds, 3);
	if (pid < 0) {
		kprintf("init: cannot start %s: %s\n", full, err_name(pid));
		return false;
	}
	kprintf("init: started %s as pid %d\n", full, pid);
	return true;
}

void proc_thread_exit(int status, bool whole_process)
{
	struct proc *p = proc_current();
	struct thread *t = thread_current();
	uint64_t f = spin_lock_irqsave(&p->lock);
	t->exit_code = status;
	t->exited = true;
	if (whole_process || p->nthreads == 1) {
		if (!p->dying)
			p->status = status;
		p->dying = true;
	}
	spin_unlock_irqrestore(&p->lock, f);
	thread_exit();
}

int proc_wait(int pid, int *status, bool nohang)
{
	struct proc *me = proc_current();
	for (;;) {
		uint64_t f = spin_lock_irqsave(&proc_lock);
		bool have_child = false;
		struct proc *done = NULL;
		for (int i = 1; i < MAX_PROCS; i++) {
			struct proc *c = procs[i];
			if (!c || c->ppid != me->pid || (pid > 0 && c->pid != pid))
				continue;
			have_child = true;
			if (c->exited) {
				done = c;
				procs[i] = NULL;
				break;
			}
		}
		if (!have_child) {
			spin_unlock_irqrestore(&proc_lock, f);
			return -E_CHILD;
		}
		if (done) {
			spin_unlock_irqrestore(&proc_lock, f);
			*status = done->status;
			int cpid = done->pid;
			proc_release(done);
			return cpid;
		}
		if (nohang) {
			spin_unlock_irqrestore(&proc_lock, f);
			return 0;
		}
		me->waiter = thread_current();
		thread_prepare_block();
		spin_unlock_irqrestore(&proc_lock, f);
		thread_block();
		me->waiter = NULL;
	}
}

int proc_kill(int pid, int sig)
{
	if (sig < 0 || sig >= 32)
		return -E_INVAL;
	struct proc *p = proc_find(pid);
	struct proc *me = proc_current();
	if (!p || p->exited)
		return -E_NOENT;
	if (me && me->uid != 0 && me->uid != p->uid)
		return -E_PERM;
	if (sig == 0)
		return 0;
	uint64_t f = spin_lock_irqsave(&p->lock);
	__atomic_fetch_or(&p->sig_pending, 1ull << sig, __ATOMIC_RELAXED);
	/* blocked threads (sleep, futex, wait) return early and see it */
	for (int i = 0; i < MAX_THREADS; i++)
		if (p->tslots[i].tid > 0 && !p->tslots[i].done && p->tslots[i].t)
			thread_wake(p->tslots[i].t);
	spin_unlock_irqrestore(&p->lock, f);
	/* Its threads act on it when they next leave the kernel; a thread
	   spinning in user mode on a tickless CPU is made to enter it now. */
	sched_kick_others();
	return 0;
}

void proc_fault(const char *what, uint64_t rip, uint64_t addr)
{
	struct proc *p = proc_current();
	kprintf("pid %d (%s): %s at rip %#lx, address %#lx; killed (SIGSEGV)\n", p->pid, p->name,
		what, (unsigned long)rip, (unsigned long)addr);
	proc_thread_exit(128 + 11, true);
}
