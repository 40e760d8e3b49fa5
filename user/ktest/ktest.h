/*
 * ktest.h - the case table and check macros of the user-space test runner.
 *
 * A case is a function int run(char *why, size_t n): 0 when it passed;
 * otherwise it writes a short reason into why (n bytes) and returns -1.
 * KCHECK(cond, fmt, ...) fails the case with a reason; KEXPECT(got, want)
 * compares two integers and names the expression and error codes in the
 * reason ("rb_open(...): got -14 EFAULT, want -2 ENOENT"). Each t_*.c file exports one table
 * ending with a { NULL, NULL } entry; main.c runs them in order. Cases
 * clean up after themselves and never crash on purpose.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rb/stdio.h"
#include "rb/sys.h"

/* A user pointer no process can own: the first kernel-half address. */
#define KERNEL_PTR ((void *)0xffff800000000000ull)

/* The bad address v, hidden from gcc's object-size checks. */
static inline void *kt_bad_ptr(uintptr_t v)
{
	volatile uintptr_t x = v;
	return (void *)x;
}

struct kcase {
	const char *name;
	int (*run)(char *why, size_t n);
};

/* Describe expr, got and want (naming negative error codes) into why; -1. */
int kt_mismatch(char *why, size_t n, const char *expr, long got, long want);

#define KFAIL(...)                                                                                 \
	do {                                                                                       \
		rb_snprintf(why, n, __VA_ARGS__);                                                  \
		return -1;                                                                         \
	} while (0)

#define KCHECK(cond, ...)                                                                          \
	do {                                                                                       \
		if (!(cond))                                                                       \
			KFAIL(__VA_ARGS__);                                                        \
	} while (0)

#define KEXPECT(got, want)                                                                         \
	do {                                                                                       \
		long got_ = (long)(got), want_ = (long)(want);                                     \
		if (got_ != want_)                                                                 \
			return kt_mismatch(why, n, #got, got_, want_);                             \
	} while (0)

extern const struct kcase fd_cases[];
extern const struct kcase mem_cases[];
extern const struct kcase proc_cases[];
extern const struct kcase time_cases[];
extern const struct kcase thread_cases[];
extern const struct kcase pi_cases[];
extern const struct kcase signal_cases[];
extern const struct kcase arch_cases[];
extern const struct kcase uscheme_cases[];
extern const struct kcase pipe_cases[];
extern const struct kcase shm_cases[];
extern const struct kcase limits_cases[];
extern const struct kcase ramfs_cases[];
extern const struct kcase path_cases[];
extern const struct kcase log_cases[];
extern const struct kcase ipcd_cases[];
extern const struct kcase shell_cases[];
extern const struct kcase fmap_cases[];
extern const struct kcase memlim_cases[];
extern const struct kcase sys_cases[];
extern const struct kcase hw_cases[];
extern const struct kcase irq_cases[];

/* Run initfs:/bin/kchild with argv[1] = mode and fds 0-2: its exit status, or a negative error. */
int kt_run_kchild(const char *mode);

/* Wait, yielding, until *p (read with an acquire load) >= want, at most ns: true if it got there.
 */
bool kt_wait_count(int *p, int want, uint64_t ns);

/* Body of the child process some t_arch.c cases spawn (argv[2] = mode). */
void kt_arch_child(const char *mode) __attribute__((noreturn));
/* The child of a t_irq.c case (mode exit, block or user); never returns. */
void kt_irq_child(const char *mode) __attribute__((noreturn));
/* Body of the child process t_ramfs.c spawns (argv[2] = the path to create). */
void kt_ramfs_child(const char *path) __attribute__((noreturn));
/* Body of the child processes t_shell.c spawns (argv[2] = mode, argv[3] = arg). */
void kt_shell_child(const char *mode, const char *arg) __attribute__((noreturn));
/* Body of the server process t_fmap.c spawns (argv[2] = the scheme name to serve). */
void kt_fmap_server(const char *name) __attribute__((noreturn));
/* Body of the child process t_sys.c spawns (argv[2] = mode). */
void kt_sys_child(const char *mode) __attribute__((noreturn));
/* Body of the writer process t_log.c spawns (argv[2] = mode, argv[3] = token). */
void kt_log_child(const char *mode, const char *token) __attribute__((noreturn));
