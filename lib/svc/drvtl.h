/*
 * drvtl.h - drivers in init's boot timeline (docs/init.md, "The boot
 * timeline"; docs/drivers.md). driver-manager writes one event per write
 * to init:/timeline:
 *
 *   driver ADDR NAME EVENT
 *
 * ADDR is the device (`0000:00:04.0`, or an ACPI device's path
 * `\_SB_.PCI0.SF8_.KBD_`: at most DRVTL_ADDR_MAX bytes of hex digits,
 * upper-case letters, digits, `:`, `.`, `\` and `_`), NAME the driver's rule name (at most
 * DRVTL_NAME_MAX bytes of [A-Za-z0-9._-]), EVENT one of `start` (spawned,
 * also for a restart), `ready`, `defer`, `unsupported`, `fatal` (its
 * status line) and `exit` (reaped). One space between words; a trailing
 * newline is allowed. init stamps an event when it reads it: the write is
 * synchronous, so the stamp is the event's time plus one IPC.
 *
 * struct drvtl keeps one entry per (ADDR, NAME) pair, in first-start
 * order: the first start, the first ready, the latest exit (cleared by a
 * restart), the state after the latest event and the restart count. At
 * most DRVTL_MAX pairs: events for a further pair are counted in
 * `dropped`, never stored. Pure: the caller owns the table and its lock
 * (init: its one thread).
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define DRVTL_MAX 64
#define DRVTL_ADDR_MAX 31
#define DRVTL_NAME_MAX 31

enum drvtl_event {
	DRVTL_START,
	DRVTL_READY,
	DRVTL_DEFER,
	DRVTL_UNSUPPORTED,
	DRVTL_FATAL,
	DRVTL_EXIT
};

struct drvtl_ev {
	enum drvtl_event event;
	char addr[DRVTL_ADDR_MAX + 1];
	char name[DRVTL_NAME_MAX + 1];
};

struct drvtl_entry {
	char addr[DRVTL_ADDR_MAX + 1];
	char name[DRVTL_NAME_MAX + 1];
	uint64_t start_ns, ready_ns, exit_ns; /* 0: not yet (exit_ns: or running again) */
	enum drvtl_event last;		      /* the latest event */
	unsigned restarts;		      /* starts after the first */
};

struct drvtl {
	struct drvtl_entry v[DRVTL_MAX];
	size_t n;
	unsigned dropped; /* events of pairs beyond DRVTL_MAX */
};

/* Parse one write, s[0..len): 0, or -E_INVAL for anything but the form above. */
MUST_CHECK int drvtl_parse(const char *s, size_t len, struct drvtl_ev *ev);

/* Record ev at time now (ns, nonzero). */
void drvtl_apply(struct drvtl *t, const struct drvtl_ev *ev, uint64_t now);

/* The state an entry is in, in words: "probing", "ready", "deferred",
   "unsupported", "fatal", "exited". */
const char *drvtl_state(const struct drvtl_entry *e);
