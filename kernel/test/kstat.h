/*
 * kstat.h - SYS_KSTAT: kernel-wide counts for leak checks (kstat.c).
 *
 * No state of its own: each count is read under its owner's lock.
 */
#pragma once
#include "base/syscall_nr.h"

/* Fill *out with the counts at this moment (each under its own lock). */
void kstat_collect(struct rb_kstat *out);
