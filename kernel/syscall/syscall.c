/*
 * syscall.c - the system call table (numbers and ABI: lib/base/syscall_nr.h,
 * documentation: docs/syscalls.md).
 *
 * syscall_dispatch() receives the user registers as a struct trap_frame,
 * calls the handler for rax with the six argument registers, and puts the
 * result back in rax. Every pointer argument is checked and copied through
 * uaccess.c, so a bad one returns -E_FAULT. Before returning to user mode
 * pending signals are acted on (signal.c).
 *
 * The handlers live with their subsystems (scheme/sys_file.c, mm/sys_mm.c,
 * proc/sys_thread.c, proc/signal.c); those left here are the small process
 * and clock calls. The table is read-only; the handlers own their locking.
 */
#include <stdint.h>
#include <string.h>
#include "arch.h"
#include "base/err.h"
#include "base/syscall_nr.h"
#include "scheme/fdtable.h"
#include "scheme/file.h"
#include "core/log.h"
#include "mm/mem.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "syscall/syscall.h"
#include "core/time.h"
#include "mm/uaccess.h"

typedef long (*sys_fn)(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f);

#define MAX_ARGS 32
#define MAX_ARG_LEN 256

static long sys_exit(uint64_t code, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	proc_thread_exit((int)(code & 0xFF), true);
}

static long sys_getpid(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return proc_current()->pid;
}

static long sys_getppid(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	/* ppid changes under proc_lock (reparenting, proc.c); one atomic load
	   sees the old or the new parent whole, and either was true at some moment */
	return __atomic_load_n(&proc_current()->ppid, __ATOMIC_RELAXED);
}

static long sys_getuid(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	return proc_current()->uid;
}

static long sys_setuid(uint64_t uid, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	struct proc *p = proc_current();
	if (p->uid != 0 && (int)uid != p->uid)
		return -E_PERM;
	if ((int64_t)uid < 0 || uid > 65535)
		return -E_INVAL;
	p->uid = (int)uid;
	return 0;
}

/* Copy a NULL-terminated user array of strings into store; count or -E_*. */
static int copy_strv(uint64_t uv, char *store, size_t cap, char **out, int max)
{
	if (!uv)
		return 0;
	size_t used = 0;
	for (int i = 0;; i++) {
		uint64_t s;
		if (i == max)
			return -E_2BIG;
		int err = copy_from_user(&s, uv + 8 * (uint64_t)i, 8);
		if (err < 0)
			return err;
		if (!s)
			return i;
		if (used >= cap)
			return -E_2BIG;
		err = copy_string_from_user(store + used, cap - used, s);
		if (err < 0)
			return err == -E_NAMETOOLONG ? -E_2BIG : err;
		out[i] = store + used;
		used += strlen(store + used) + 1;
	}
}

static long sys_spawn(uint64_t upath, uint64_t uargv, uint64_t uenvp, uint64_t ufdmap, uint64_t nfd,
		      uint64_t f)
{
	struct spawn_args {
		char path[MAX_ARG_LEN];
		char strings[3072];
		char *argv[MAX_ARGS], *envp[MAX_ARGS];
		int fdmap[MAX_FDS];
	} *a = kzalloc(sizeof *a);
	if (!a)
		return -E_NOMEM;
	char *path = a->path;
	long r = copy_string_from_user(path, sizeof a->path, upath);
	int argc = 0, envc = 0;
	if (r == 0)
		r = argc = copy_strv(uargv, a->strings, 2048, a->argv, MAX_ARGS);
	if (r >= 0)
		r = envc = copy_strv(uenvp, a->strings + 2048, 1024, a->envp, MAX_ARGS);
	if (r >= 0 && nfd > MAX_FDS)
		r = -E_INVAL;
	if (r >= 0 && nfd)
		r = copy_from_user(a->fdmap, ufdmap, nfd * sizeof(int));
	if (r >= 0) {
		char *fallback[1] = {path};
		r = proc_spawn(path, argc ? a->argv : fallback, argc ? argc : 1, a->envp, envc,
			       a->fdmap, (int)nfd);
	}
	kfree(a);
	return r;
}

static long sys_waitpid(uint64_t pid, uint64_t ustatus, uint64_t options, uint64_t d, uint64_t e,
			uint64_t f)
{
	int status = 0;
	int64_t want = (int64_t)pid;
	if (want != -1 && (want < 1 || want > INT32_MAX))
		return -E_CHILD; /* names no child; truncated it could mean "any" */
	if (ustatus && !user_range_ok(ustatus, sizeof status))
		return -E_FAULT;
	int r = proc_wait((int)want, &status, options & RB_WNOHANG);
	if (r > 0 && ustatus && copy_to_user(ustatus, &status, sizeof status) < 0)
		return -E_FAULT;
	return r;
}

static long sys_kill(uint64_t pid, uint64_t sig, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (sig >= 32)
		return -E_INVAL;
	if (pid < 1 || pid > INT32_MAX)
		return -E_NOENT; /* names no process; truncated it could name a real one */
	return proc_kill((int)pid, (int)sig);
}

static long sys_nanosleep(uint64_t ns, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	uint64_t deadline;
	if (__builtin_add_overflow(time_ns(), ns, &deadline))
		deadline = UINT64_MAX; /* a wrapped sum would be in the past: no sleep at all */
	proc_sleep_until(deadline);    /* a signal or kill ends it early */
	return 0;
}

static long sys_clock_gettime(uint64_t clock, uint64_t uts, uint64_t c, uint64_t d, uint64_t e,
			      uint64_t f)
{
	if (clock != RB_CLOCK_MONOTONIC && clock != RB_CLOCK_REALTIME)
		return -E_INVAL;
	uint64_t ns = time_ns();
	if (clock == RB_CLOCK_REALTIME)
		ns += time_realtime_offset();
	struct rb_timespec ts = {(long long)(ns / 1000000000), (long long)(ns % 1000000000)};
	return copy_to_user(uts, &ts, sizeof ts);
}

static long sys_sched_yield(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	thread_yield();
	return 0;
}

static long sys_poweroff(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	if (proc_current()->uid != 0)
		return -E_PERM;
	kprintf("poweroff: halting (ACPI power-off arrives with acpid)\n");
	cpu_halt_forever();
}

static long sys_meminfo(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
	mem_trim();
	return (long)mem_free_pages();
}

static const sys_fn table[SYS_COUNT] = {
    [SYS_EXIT] = sys_exit,
    [SYS_WRITE] = sys_write,
    [SYS_READ] = sys_read,
    [SYS_OPEN] = sys_open,
    [SYS_CLOSE] = sys_close,
    [SYS_DUP] = sys_dup,
    [SYS_DUP2] = sys_dup2,
    [SYS_LSEEK] = sys_lseek,
    [SYS_FSTAT] = sys_fstat,
    [SYS_FSYNC] = sys_fsync,
    [SYS_FTRUNCATE] = sys_ftruncate,
    [SYS_FCNTL] = sys_fcntl,
    [SYS_GETDENTS] = sys_getdents,
    [SYS_MMAP] = sys_mmap,
    [SYS_MUNMAP] = sys_munmap,
    [SYS_MPROTECT] = sys_mprotect,
    [SYS_PHYSMAP] = sys_physmap,
    [SYS_VMQUERY] = sys_vmquery,
    [SYS_SPAWN] = sys_spawn,
    [SYS_WAITPID] = sys_waitpid,
    [SYS_KILL] = sys_kill,
    [SYS_GETPID] = sys_getpid,
    [SYS_GETPPID] = sys_getppid,
    [SYS_GETUID] = sys_getuid,
    [SYS_SETUID] = sys_setuid,
    [SYS_SIGACTION] = sys_sigaction,
    [SYS_SIGPROCMASK] = sys_sigprocmask,
    [SYS_THREAD_CREATE] = sys_thread_create,
    [SYS_THREAD_EXIT] = sys_thread_exit,
    [SYS_THREAD_JOIN] = sys_thread_join,
    [SYS_FUTEX_WAIT] = sys_futex_wait,
    [SYS_FUTEX_WAKE] = sys_futex_wake,
    [SYS_FUTEX_LOCK_PI] = sys_futex_lock_pi,
    [SYS_FUTEX_UNLOCK_PI] = sys_futex_unlock_pi,
    [SYS_NANOSLEEP] = sys_nanosleep,
    [SYS_CLOCK_GETTIME] = sys_clock_gettime,
    [SYS_SCHED_YIELD] = sys_sched_yield,
    [SYS_SCHED_SETAFFINITY] = sys_sched_setaffinity,
    [SYS_SCHED_GETAFFINITY] = sys_sched_getaffinity,
    [SYS_SCHED_SETPARAM] = sys_sched_setparam,
    [SYS_SCHED_GETCPU] = sys_sched_getcpu,
    [SYS_POWEROFF] = sys_poweroff,
    [SYS_MEMINFO] = sys_meminfo,
    [SYS_KSTAT] = sys_kstat,
};

void syscall_dispatch(struct trap_frame *tf)
{
	uint64_t nr = tf->rax;
	if (nr == SYS_SIGRETURN) {
		signal_sigreturn(tf); /* rax and every other register come from the frame */
		signal_check(tf);
		return;
	}
	long r = -E_NOSYS;
	if (nr < SYS_COUNT && table[nr])
		r = table[nr](tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9);
	tf->rax = (uint64_t)r;
	signal_check(tf);
	affinity_enforce(); /* a changed affinity takes effect here, not in interrupts */
}
