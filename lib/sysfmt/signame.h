/*
 * signame.h - signal names and numbers as kill and ps show them
 * (Linux's numbering, which the kernel uses: lib/base/syscall_nr.h).
 *
 * Names are given without "SIG" (HUP, INT, ... SYS); the kernel knows
 * signals 1..31. Pure and stateless: a constant table.
 */
#pragma once

#define SIGNAME_MAX 31 /* the highest signal number */

/* The name of sig without "SIG" ("TERM"), or NULL for 0 or an unknown number. */
const char *sig_name(int sig);
/*
 * The signal s names: a number 0..SIGNAME_MAX (0: only check), or a name,
 * with or without "SIG", in any case ("term", "SIGTERM"); -E_INVAL otherwise.
 */
int sig_parse(const char *s);
