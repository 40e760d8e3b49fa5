/*
 * policy.h - who may register which scheme name (docs/ipc.md,
 * "Registration policy").
 *
 * No objects of its own here: the rules live in policy.c (parsed from
 * initfs:/etc/scheme.policy at boot, read-only afterwards). uscheme.c
 * carries a weak default (root, or a name starting with "test") so the
 * user-scheme code works before the policy file does.
 */
#pragma once
#include "base/compiler.h"

struct proc;

/* May process p register scheme name (a valid, NUL-terminated name)? 0 or -E_ACCES. */
int scheme_policy_check(const char *name, struct proc *p);
