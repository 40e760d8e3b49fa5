/*
 * drv/drv.h - the pure parsers of the driver runtime (user/lib/drv.c,
 * rb/drv.h): one line of pcid's `bars` file and pcid's answer to an irq
 * request (docs/pcid.md).
 *
 * drv_bar_parse() reads `INDEX mem32|mem64|io 0xADDR 0xSIZE [prefetch]`
 * (one line, without its newline); drv_bars_parse() reads the whole file
 * into a table indexed by BAR number. drv_irq_parse() reads `msix N`,
 * `msi N`, `intx GSI level|edge low|high` or `poll` (a trailing newline
 * allowed). Anything else is -E_INVAL; nothing is ever read past len.
 *
 * Locking: none; pure functions of their bytes.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define DRV_BARS 6     /* BARs of a type 0 header */
#define DRV_IRQ_MAX 32 /* most vectors pcid hands out */

enum drv_bar_kind { DRV_BAR_NONE, DRV_BAR_MEM32, DRV_BAR_MEM64, DRV_BAR_IO };

struct drv_bar {
	enum drv_bar_kind kind; /* DRV_BAR_NONE: not in use */
	uint64_t addr, size;
	bool prefetch;
};

enum drv_irq_kind { DRV_IRQ_POLL, DRV_IRQ_INTX, DRV_IRQ_MSI, DRV_IRQ_MSIX };

struct drv_irq_mode {
	enum drv_irq_kind kind;
	unsigned vectors; /* handles to receive: N for msi/msix, 1 for intx, 0 for poll */
	unsigned gsi;	  /* intx only */
	bool level, active_low;
};

/* Parse one bars line (no newline) into *index and *bar: 0 or -E_INVAL. */
MUST_CHECK int drv_bar_parse(const char *s, size_t len, unsigned *index, struct drv_bar *bar);
/* Parse a whole bars file into bars[DRV_BARS] (unlisted ones DRV_BAR_NONE): 0 or -E_INVAL. */
MUST_CHECK int drv_bars_parse(const char *s, size_t len, struct drv_bar bars[DRV_BARS]);
/* Parse an irq answer line: 0 or -E_INVAL. */
MUST_CHECK int drv_irq_parse(const char *s, size_t len, struct drv_irq_mode *out);
/* The answer's text form ("msix 2", "intx 11 level low", "poll") into buf: its length. */
size_t drv_irq_fmt(const struct drv_irq_mode *m, char *buf, size_t n);
