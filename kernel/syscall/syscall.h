/*
 * syscall.h - system call entry and every handler the table in syscall.c names.
 *
 * No objects and no state of its own: each handler follows the locking of
 * the subsystem it lives in (see its file).
 */
#pragma once
#include <stdint.h>

struct trap_frame;

/* Program SYSCALL on this CPU (STAR/LSTAR/FMASK, EFER.SCE): arch/x86_64/cpu_setup.c. */
void syscall_init_cpu(void);
/* Entry point for SYSCALL (syscall.S). */
void syscall_entry(void);
/* Called by syscall.S with the user registers. */
void syscall_dispatch(struct trap_frame *tf);
/* Move the caller onto a CPU its process's affinity allows (sys_thread.c). */
void affinity_enforce(void);
/* Act on pending signals before returning to user mode (signal.c). */
void signal_check(struct trap_frame *tf);

#define SYS_ARGS uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t
long sys_write(SYS_ARGS);
long sys_read(SYS_ARGS);
long sys_pread(SYS_ARGS);
long sys_pwrite(SYS_ARGS);
long sys_open(SYS_ARGS);
long sys_close(SYS_ARGS);
long sys_dup(SYS_ARGS);
long sys_dup2(SYS_ARGS);
long sys_lseek(SYS_ARGS);
long sys_fstat(SYS_ARGS);
long sys_fsync(SYS_ARGS);
long sys_ftruncate(SYS_ARGS);
long sys_fcntl(SYS_ARGS);
long sys_getdents(SYS_ARGS);
/* proc/sys_cwd.c */
long sys_chdir(SYS_ARGS);
long sys_getcwd(SYS_ARGS);
/* proc/pgrp.c */
long sys_setpgid(SYS_ARGS);
long sys_getpgid(SYS_ARGS);
long sys_setsid(SYS_ARGS);
long sys_getsid(SYS_ARGS);
/* scheme/debug.c */
long sys_tcsetpgrp(SYS_ARGS);
long sys_tcgetpgrp(SYS_ARGS);
long sys_tcsetmode(SYS_ARGS);
/* scheme/sys_path.c */
long sys_fpath(SYS_ARGS);
long sys_unlink(SYS_ARGS);
long sys_rename(SYS_ARGS);
/* scheme/sys_uscheme.c */
long sys_dup_handle(SYS_ARGS);
long sys_scheme_create(SYS_ARGS);
long sys_sendfd(SYS_ARGS);
long sys_recvfd(SYS_ARGS);
long sys_pipe(SYS_ARGS);
long sys_poll(SYS_ARGS);
long sys_mmap(SYS_ARGS);
long sys_munmap(SYS_ARGS);
long sys_mprotect(SYS_ARGS);
long sys_physmap(SYS_ARGS);
long sys_vmquery(SYS_ARGS);
long sys_getrlimit(SYS_ARGS);
long sys_setrlimit(SYS_ARGS);
long sys_thread_create(SYS_ARGS);
long sys_thread_exit(SYS_ARGS);
long sys_thread_join(SYS_ARGS);
long sys_futex_wait(SYS_ARGS);
long sys_futex_wake(SYS_ARGS);
long sys_futex_lock_pi(SYS_ARGS);
long sys_futex_unlock_pi(SYS_ARGS);
long sys_sched_setaffinity(SYS_ARGS);
long sys_sched_getaffinity(SYS_ARGS);
long sys_sched_setparam(SYS_ARGS);
long sys_sched_getcpu(SYS_ARGS);
long sys_sigaction(SYS_ARGS);
long sys_sigprocmask(SYS_ARGS);
long sys_kstat(SYS_ARGS);
long sys_poweroff(SYS_ARGS);
long sys_reboot(SYS_ARGS);
long sys_sysinfo(SYS_ARGS);
long sys_cpuinfo(SYS_ARGS);
/* dev/fwtables.c, dev/hw.c */
long sys_fwtables(SYS_ARGS);
long sys_hwgrant(SYS_ARGS);
long sys_dmamap(SYS_ARGS);
long sys_hwstore(SYS_ARGS);
long sys_meminfo(SYS_ARGS);
long sys_exit(SYS_ARGS);
long sys_getpid(SYS_ARGS);
long sys_getppid(SYS_ARGS);
long sys_getuid(SYS_ARGS);
long sys_setuid(SYS_ARGS);
long sys_getgid(SYS_ARGS);
long sys_setgid(SYS_ARGS);
long sys_procinfo(SYS_ARGS);
long sys_proclist(SYS_ARGS);
long sys_spawn(SYS_ARGS);
long sys_waitpid(SYS_ARGS);
long sys_kill(SYS_ARGS);
long sys_nanosleep(SYS_ARGS);
long sys_clock_gettime(SYS_ARGS);
long sys_sched_yield(SYS_ARGS);
/* Threads queued in futex_wait now (sys_thread.c; for SYS_KSTAT). */
uint64_t futex_waiter_count(void);
/* SYS_SIGRETURN: restore the registers saved by a signal delivery. */
void signal_sigreturn(struct trap_frame *tf);
