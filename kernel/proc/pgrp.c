/*
 * pgrp.c - process groups and sessions: SYS_SETPGID, SYS_GETPGID,
 * SYS_SETSID, SYS_GETSID, and signals to a whole group (kill with a pid of
 * 0 or below, the console's Ctrl-C).
 *
 * A process's pgid and sid live in its struct proc and are guarded by
 * proc_lock (proc_table.h), like the table itself, so a group's members
 * are exactly the table entries a walk under proc_lock finds. A process
 * with no parent (init) leads session 1 and group 1; spawn puts a child in
 * its parent's group and session unless a spawn attribute names another
 * group (proc.c, alloc_pid). POSIX rules: setpgid changes the caller or a
 * child of it (ESRCH otherwise) in the caller's session (EPERM otherwise),
 * never a session leader (EPERM), to its own pid or to a group that
 * exists in that session (EPERM); unlike POSIX, a child that has already
 * started may still be moved (every spawned child has "exec'd", so
 * EACCES would refuse every case; spawn's attribute is the race-free way).
 * setsid refuses a group leader, or a caller whose pid is some group's id.
 *
 * Signalling a group takes each member's lock inside proc_lock (the lock
 * order proc_table.h states) and sets its pending bit exactly as
 * proc_kill does, so it allocates nothing and may run in interrupt
 * context (the console's Ctrl-C, scheme/debug.c).
 */
#include "base/err.h"
#include "base/syscall_nr.h"
#include "proc/proc.h"
#include "proc/proc_table.h"
#include "sync/irqlock.h"
#include "syscall/syscall.h"

bool pgrp_exists_locked(int pgid, int sid)
{
	for (int i = 1; i < MAX_PROCS; i++)
		if (procs[i] && procs[i]->pgid == pgid && procs[i]->sid == sid)
			return true;
	return false;
}

bool proc_pgrp_in_session(int pgid, int sid)
{
	uint64_t f = spin_lock_irqsave(&proc_lock);
	bool yes = pgrp_exists_locked(pgid, sid);
	spin_unlock_irqrestore(&proc_lock, f);
	return yes;
}

int proc_sid(struct proc *p)
{
	uint64_t f = spin_lock_irqsave(&proc_lock);
	int sid = p->sid;
	spin_unlock_irqrestore(&proc_lock, f);
	return sid;
}

int proc_pgid(struct proc *p)
{
	uint64_t f = spin_lock_irqsave(&proc_lock);
	int pgid = p->pgid;
	spin_unlock_irqrestore(&proc_lock, f);
	return pgid;
}

/*
 * Send sig to the processes pgid selects (a group, or PGID_ALL: every
 * process but init and the caller), skipping those the caller (when
 * check_perm) may not signal. -E_SRCH if none was selected, -E_PERM if
 * all were refused.
 */
#define PGID_ALL (-1)
static int kill_selected(int pgid, int sig, bool check_perm)
{
	if (sig < 0 || sig >= 32)
		return -E_INVAL;
	struct proc *me = check_perm || pgid == PGID_ALL ? proc_current() : NULL;
	int found = 0, sent = 0;
	uint64_t f = spin_lock_irqsave(&proc_lock);
	for (int i = 1; i < MAX_PROCS; i++) {
		struct proc *p = procs[i];
		if (!p)
			continue;
		if (pgid == PGID_ALL ? p->pid == 1 || p == me : p->pgid != pgid)
			continue;
		found++;
		if (check_perm && proc_uid(me) != 0 && proc_uid(me) != proc_uid(p))
			continue;
		sent++;
		if (sig == 0 || p->exited)
			continue; /* a zombie is a member still, but takes no signal */
		spin_lock(&p->lock);
		__atomic_fetch_or(&p->sig_pending, 1ull << sig, __ATOMIC_RELAXED);
		proc_kick_threads(p, NULL);
		spin_unlock(&p->lock);
	}
	spin_unlock_irqrestore(&proc_lock, f);
	if (!found)
		return -E_SRCH;
	return sent ? 0 : -E_PERM;
}

int proc_kill_group(int pgid, int sig, bool check_perm)
{
	return pgid > 0 ? kill_selected(pgid, sig, check_perm) : -E_SRCH;
}

int proc_kill_all(int sig)
{
	return kill_selected(PGID_ALL, sig, true);
}

/* A pid argument: 0 names the caller; 1..INT_MAX a process; else -E_INVAL. */
static int pid_arg(uint64_t v, struct proc *me)
{
	if (v == 0)
		return me->pid;
	return v <= INT32_MAX ? (int)v : -E_INVAL;
}

/* The target of setpgid, under proc_lock: the caller or a child of it. */
static struct proc *self_or_child(struct proc *me, int pid)
{
	if (pid == me->pid)
		return me;
	struct proc *p = pid < MAX_PROCS ? procs[pid] : NULL;
	return p && p->parent == me && !p->exited ? p : NULL;
}

long sys_setpgid(uint64_t upid, uint64_t upgid, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *me = proc_current();
	int pid = pid_arg(upid, me);
	if (pid < 0 || upgid > INT32_MAX)
		return -E_INVAL;
	int pgid = upgid ? (int)upgid : pid;
	long err = 0;
	uint64_t fl = spin_lock_irqsave(&proc_lock);
	struct proc *p = self_or_child(me, pid);
	if (!p)
		err = -E_SRCH;
	else if (p->sid != me->sid || p->sid == p->pid)
		err = -E_PERM; /* another session, or a session leader */
	else if (pgid != p->pid && !pgrp_exists_locked(pgid, me->sid))
		err = -E_PERM;
	else
		p->pgid = pgid;
	spin_unlock_irqrestore(&proc_lock, fl);
	return err;
}

/* pid's group (want_sid false) or session; -E_SRCH if there is no such process. */
static long get_id(uint64_t upid, bool want_sid)
{
	struct proc *me = proc_current();
	int pid = pid_arg(upid, me);
	if (pid < 0)
		return pid;
	long r = -E_SRCH;
	uint64_t f = spin_lock_irqsave(&proc_lock);
	struct proc *p = pid < MAX_PROCS ? procs[pid] : NULL;
	if (p && !p->exited)
		r = want_sid ? p->sid : p->pgid;
	spin_unlock_irqrestore(&proc_lock, f);
	return r;
}

long sys_getpgid(uint64_t pid, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return get_id(pid, false);
}

long sys_getsid(uint64_t pid, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return get_id(pid, true);
}

long sys_setsid(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *me = proc_current();
	long r;
	uint64_t fl = spin_lock_irqsave(&proc_lock);
	bool leader = false;
	for (int i = 1; i < MAX_PROCS && !leader; i++)
		leader = procs[i] && procs[i]->pgid == me->pid;
	if (leader) {
		r = -E_PERM; /* its pid is a group's id already (maybe its own) */
	} else {
		me->pgid = me->sid = me->pid;
		r = me->pid;
	}
	spin_unlock_irqrestore(&proc_lock, fl);
	return r;
}
