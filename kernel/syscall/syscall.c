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
 * This file holds the table and the dispatch only. The handlers live with
 * their subsystems: scheme/sys_file.c (files), mm/sys_mm.c (memory),
 * proc/sys_proc.c (processes), proc/sys_limit.c (rlimits), proc/sys_thread.c (threads, affinity,
 * priorities), sync/futex*.c, proc/signal.c, sched/sys_sched.c (clocks,
 * sleep, yield), proc/sys_cwd.c (chdir, getcwd), proc/pgrp.c (process
 * groups, sessions), scheme/debug.c (the console's tcsetpgrp, tcgetpgrp,
 * tcsetmode) and syscall/sys_system.c (kstat, poweroff, reboot, sysinfo,
 * cpuinfo); each is
 * declared in syscall.h. The table is read-only; the handlers own their
 * locking.
 */
#include <stdint.h>
#include "arch.h"
#include "base/err.h"
#include "base/syscall_nr.h"
#include "boot/boot.h"
#include "proc/proc.h"
#include "syscall/syscall.h"
#include "scheme/poll.h"

typedef long (*sys_fn)(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f);

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
    [SYS_PIPE] = sys_pipe,
    [SYS_POLL] = sys_poll,
    [SYS_FPATH] = sys_fpath,
    [SYS_UNLINK] = sys_unlink,
    [SYS_RENAME] = sys_rename,
    [SYS_MMAP] = sys_mmap,
    [SYS_MUNMAP] = sys_munmap,
    [SYS_MPROTECT] = sys_mprotect,
    [SYS_PHYSMAP] = sys_physmap,
    [SYS_VMQUERY] = sys_vmquery,
    [SYS_GETRLIMIT] = sys_getrlimit,
    [SYS_SETRLIMIT] = sys_setrlimit,
    [SYS_SPAWN] = sys_spawn,
    [SYS_WAITPID] = sys_waitpid,
    [SYS_KILL] = sys_kill,
    [SYS_GETPID] = sys_getpid,
    [SYS_GETPPID] = sys_getppid,
    [SYS_GETUID] = sys_getuid,
    [SYS_SETUID] = sys_setuid,
    [SYS_GETGID] = sys_getgid,
    [SYS_SETGID] = sys_setgid,
    [SYS_PROCINFO] = sys_procinfo,
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
    [SYS_DUP_HANDLE] = sys_dup_handle,
    [SYS_SCHEME_CREATE] = sys_scheme_create,
    [SYS_SENDFD] = sys_sendfd,
    [SYS_RECVFD] = sys_recvfd,
    [SYS_CHDIR] = sys_chdir,
    [SYS_GETCWD] = sys_getcwd,
    [SYS_SETPGID] = sys_setpgid,
    [SYS_GETPGID] = sys_getpgid,
    [SYS_SETSID] = sys_setsid,
    [SYS_GETSID] = sys_getsid,
    [SYS_REBOOT] = sys_reboot,
    [SYS_PROCLIST] = sys_proclist,
    [SYS_CPUINFO] = sys_cpuinfo,
    [SYS_SYSINFO] = sys_sysinfo,
    [SYS_FWTABLES] = sys_fwtables,
    [SYS_HWGRANT] = sys_hwgrant,
    [SYS_DMAMAP] = sys_dmamap,
    [SYS_HWSTORE] = sys_hwstore,
    [SYS_PREAD] = sys_pread,
    [SYS_PWRITE] = sys_pwrite,
    [SYS_TCSETPGRP] = sys_tcsetpgrp,
    [SYS_TCGETPGRP] = sys_tcgetpgrp,
    [SYS_TCSETMODE] = sys_tcsetmode,
};

/*
 * On the way out of every system call, interrupts off: must the thread
 * act on a kill or a signal before it returns to user mode? This is the
 * one signal check of the system call path (syscall.S calls signal_check
 * and asks again while the answer is yes). Asking with interrupts off
 * matters: a signal sent later finds the thread in user mode and its
 * kick IPI brings it back into the kernel, whereas one sent while the
 * thread was still in the kernel would have had its IPI taken there,
 * and a thread that then spins in user mode alone on its CPU (no tick)
 * would never see it. The common case (nothing pending) takes no lock.
 */
bool syscall_exit_work(void);
bool syscall_exit_work(void)
{
	struct proc *p = proc_current();
	return p && signal_pending_here(p);
}

void syscall_dispatch(struct trap_frame *tf)
{
	uint64_t nr = tf->rax;
	if (nr == SYS_SIGRETURN) {
		signal_sigreturn(tf); /* rax and every other register come from the frame */
		return;		      /* a signal the restored mask unblocks: syscall_exit_work */
	}
	long r = -E_NOSYS;
	if (nr < SYS_COUNT && table[nr])
		r = table[nr](tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9);
	tf->rax = (uint64_t)r;
	kmsg_poke();	    /* a safe point to wake kmsg: readers (scheme/kmsg.c) */
	console_poke();	    /* and the screen's renderer (core/console.c) */
	affinity_enforce(); /* a changed affinity takes effect here, not in interrupts */
}
