/*
 * logd.h - what logd's two threads share (main.c, messages.c).
 *
 * The ring of lines (lib/base/logring.h) is written by the main thread,
 * which serves log:, and read by the messages thread, which appends every
 * line to /var/log/messages on file:. log_lock guards the ring and its
 * writers and readers; log_gen counts the lines stored (a futex word: the
 * messages thread sleeps on it).
 */
#pragma once
#include <stdint.h>
#include "base/logring.h"
#include "rb/thread.h"

extern struct logring log_ring;
extern struct rb_mutex log_lock;
extern uint32_t log_gen;

/* Start the thread that copies the ring to /var/log/messages; 0 or an error. */
int messages_start(void);
/* Tell the messages thread that lines were stored (called without log_lock). */
void messages_kick(void);
