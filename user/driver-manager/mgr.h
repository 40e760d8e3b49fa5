/*
 * mgr.h - driver-manager's state, shared by its modules (docs/drivers.md).
 *
 * driver-manager is the only process that starts PCI drivers and the
 * drivers of ACPI devices. It reads the rules in /etc/drivers.d
 * (lib/drvmgr), follows pcid's event stream (pci:/events), reads acpid's
 * device list (acpi:/devices) once, spawns the best driver for each device with a status
 * pipe as its fd 3, reads the driver's one status line, reaps it, and
 * restarts or skips it as lib/drvmgr's probe bookkeeping decides. It
 * serves drivers:/status for `driver-manager --status`. Each start, status
 * line and exit also goes to init's boot timeline (init:/timeline).
 *
 * Modules: main.c (argv, rules, signals, the poll loop), run.c (devices,
 * spawning, status lines, reaping, stopping), scheme.c (drivers:).
 *
 * Locking: none. One thread, the main loop, owns everything below; the
 * drivers: scheme is served from that loop too (its server fd is in the
 * poll), so the status table is always read between two changes.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "drvmgr/drvmgr.h"

#define MGR_CANDS_MAX 8 /* drivers tried per device, best first */

/* A PCI function pcid listed and has not removed, or an ACPI device a rule matches. */
struct mdev {
	struct drv_desc d;	       /* an ACPI device's: its ids are not kept (nids 0) */
	char hid[DRV_ACPI_ID_MAX + 1]; /* an ACPI device's first id, for drivers:/status */
	unsigned cands[MGR_CANDS_MAX]; /* rule indices, best first */
	unsigned ncands;
};

/* A running driver process. */
struct mproc {
	int pid;
	int fd; /* the status pipe's read end, -1 once the line came */
	char addr[DRV_ADDR_MAX + 1];
	unsigned rule;
	char line[DRV_STATUS_LINE_MAX + 2];
	unsigned len;
	uint64_t t0_ms; /* spawned */
};

struct mgr {
	struct drv_rule *rules;
	unsigned nrules;
	struct mdev *devs;
	unsigned ndevs, capdevs;
	struct drv_pairs pairs;
	struct mproc *procs;
	unsigned nprocs, capprocs;
	int events_fd; /* pci:/events, -1 without pcid */
	int srv_fd;    /* drivers:, -1 when not served */
	int tl_fd;     /* init:/timeline opened for writing, -1 without init: */
	int self_pipe[2];
	bool stopping;
	char last_log[160]; /* the last line printed, for the repeat count */
	unsigned repeats;
};

extern struct mgr mgr_g;

/* Milliseconds since boot. */
uint64_t mgr_now_ms(void);
/* Print "driver-manager: " and the message; an identical line in a row is counted, not printed. */
void mgr_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Tell init's boot timeline: `driver ADDR NAME EVENT` (lib/svc/drvtl.h). */
void mgr_timeline(struct mgr *m, const char *addr, const char *name, const char *event);

/* run.c */
void run_events(struct mgr *m);
/* Read acpi:/devices once (acpid lists its namespace at its start): the devices a rule matches. */
void run_acpi(struct mgr *m);
void run_status(struct mgr *m, struct mproc *p);
void run_reap(struct mgr *m);
/* Spawn whatever is due; the ms until the next deadline (-1: none). */
int64_t run_due(struct mgr *m);
void run_stop(struct mgr *m);

/* scheme.c: register drivers: (its fd, or -1); answer what is queued. */
int scheme_start(struct mgr *m);
void scheme_serve(struct mgr *m);
/* Print drivers:/status (--status): the exit code. */
int scheme_print_status(void);
