/*
 * policy.h - who may register which scheme name (docs/ipc.md,
 * "Registration policy"): the kernel's side of lib/base/policy.c.
 *
 * scheme_policy_load() reads initfs:/etc/scheme.policy once, on the boot
 * CPU, before any process runs; the rules never change after it, so the
 * checks read them with no lock. Refusals are logged once per process
 * (struct proc's scheme_logged bits, set with __atomic operations).
 */
#pragma once
#include "base/compiler.h"

struct proc;

/* Parse initfs:/etc/scheme.policy (boot CPU, after initfs is set, before any process). */
void scheme_policy_load(void);
/* May process p register scheme name? 0, or -E_ACCES (logged once per process). */
MUST_CHECK int scheme_policy_check(const char *name, struct proc *p);
/* Log, once per process, that p cannot register name because it is in use (EEXIST). */
void scheme_log_conflict(const char *name, struct proc *p);
