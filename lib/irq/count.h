/*
 * count.h - per-CPU interrupt counts of some devices, read from an
 * interrupt table in text: Red Bear's irq:/stats (docs/interrupts.md) or
 * Linux's /proc/interrupts. Both have a header line naming the CPU
 * columns (CPU0 CPU1 ...), then one row per vector or IRQ: a label, one
 * count per CPU (Red Bear writes "-" for a CPU the vector is not on), then
 * free text (kind, chip, owner or device name). kbench's disk figures
 * (user/kbench/disk.c) take the table before and after a run and print
 * the difference of the rows that name the disk's driver.
 *
 * Pure logic: no locks, no allocation; the caller owns the text and the
 * output array.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define IRQCOUNT_MAX_CPUS 256

/* Sum per CPU the counts of the rows of table text[0..len) whose free text
   contains match (non-empty), into out[0..max); CPUs past max are left
   out. The number of CPU columns of the header (at most max counted), or
   -E_INVAL if there is no header naming a CPU. */
int irqcount_sum(const char *text, size_t len, const char *match, uint64_t *out,
		 int max) MUST_CHECK;
