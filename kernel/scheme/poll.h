/*
 * poll.h - waiting for a change of one or more files (poll.c), and the
 * kernel's waitq users: pipes (pipe.c), event: (event.c), kmsg: (kmsg.c).
 *
 * No objects of its own. poll_sleep is the second half of the waitq.h
 * pattern for waiters that must take a sleeping lock (a kmutex) to look at
 * their condition: they look first, then call poll_sleep, which prepares
 * to block, and blocks only if no callback fired since the flag was last
 * cleared. A callback that fires after the look sets the flag or finds
 * the thread blocked, so no wake-up is lost and no sleeping lock is ever
 * taken between thread_prepare_block and the block.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "base/compiler.h"

struct file;
struct waitq;
struct waitq_entry;

/* Most entries one SYS_POLL takes (the default RLIMIT_NOFILE). */
#define POLL_MAX 1024

/* Sleep until *fired is set (it is cleared), deadline passes (0: never) or a
   signal interrupts: 0 or -E_INTR. Call after looking at the condition. */
MUST_CHECK int poll_sleep(bool *fired, uint64_t deadline);

/* The wait of a blocking read or write (e from waitq_entry_init_thread,
   removed by the caller when done), after its look found nothing to do:
   the first time add e to q and return 0 to look again (a change from now
   on fires e); later poll_sleep until e fires: 0 (look again) or -E_INTR. */
MUST_CHECK int poll_wait_change(struct waitq *q, struct waitq_entry *e);

/* pipe.c: two new files, the read end (*rd) and the write end (*wr) of a
   pipe; flags may hold RB_O_NONBLOCK. 0 or -E_NOMEM. */
MUST_CHECK int pipe_create(int flags, struct file **rd, struct file **wr);

/* kmsg.c: wake the kernel log's readers if it grew since the last call
   (from a safe point: the timer tick, the syscall return path). */
void kmsg_poke(void);
