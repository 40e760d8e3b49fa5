/*
 * irq.h - the irq: kernel scheme: interrupt vectors for user-space drivers
 * (docs/interrupts.md).
 *
 * irq_init() (boot CPU, after the APs are online, from file_init) sets up
 * the per-CPU vector matrix (lib/irq/matrix.h) for the online CPUs,
 * installs the one handler every allocatable vector shares, and registers
 * the scheme. Everything else is reached through files of the scheme.
 */
#pragma once
#include <stddef.h>
#include "scheme/scheme.h"

extern struct scheme irq_scheme;

/* Set up the vector matrix and handlers and register irq: (boot CPU, once). */
void irq_init(void);

/* irq_stats.c: the text of irq:/stats into buf (len bytes, truncated with a note if it does
   not fit): the bytes written. */
size_t irq_stats_format(char *buf, size_t len);
