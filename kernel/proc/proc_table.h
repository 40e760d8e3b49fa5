/*
 * proc_table.h - the process table, shared by proc.c and pgrp.c only.
 *
 * procs[pid] is the process with that pid (live, or exited and not yet
 * reaped), or NULL; proc_lock guards the table, parent links, exit state
 * and every process's pgid and sid. Lock order: proc_lock before a
 * process's own lock (pgrp.c signals a group with both held); nothing
 * takes proc_lock while holding a process's lock.
 */
#pragma once
#include <stdbool.h>
#include "proc/proc.h"
#include "sync/spinlock.h"

extern struct proc *procs[MAX_PROCS];
extern struct spinlock proc_lock;

/* Wake and kick every thread of p but skip so each sees a new signal (p->lock held). */
void proc_kick_threads(struct proc *p, struct thread *skip);
/* True if a process of session sid is in group pgid (proc_lock held). */
bool pgrp_exists_locked(int pgid, int sid);
