/*
 * bootchart.h - read a captured boot (serial log + init's timeline JSON)
 * and draw where the time went.
 *
 * The input is the serial console of one boot, as the host captured it:
 * kernel lines `[    0.064476] text` (seconds.micros since the kernel
 * started timing; 0 before the timer is calibrated), other console output,
 * optional host marks `# host: key=value` added by scripts/bootchart.py, and
 * init's boot timeline (docs/init.md, docs/bootchart.md) as one JSON line
 * between `--- boot-timeline begin ---` and `--- boot-timeline end ---`.
 *
 * bc_parse() fills a struct bootchart: kernel phases (the milestone rule in
 * log.c), the services of the timeline, the host marks. bc_critical_path()
 * marks the dependency chain that decided when boot settled;
 * bc_svg() and bc_summary() render the chart and a text summary into the
 * caller's buffer.
 *
 * Pure: the caller owns the struct bootchart and every buffer; nothing here
 * allocates, locks or prints, and the input is never read past its length.
 * A struct bootchart is used by one thread at a time (the caller's).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"

#define BC_MAX_SERVICES 64
#define BC_MAX_DEPS 16
#define BC_NAME_MAX 32 /* service names, types, states: at most 31 bytes */
#define BC_MAX_PHASES 16
#define BC_MAX_MARKS 8
#define BC_MARK_MAX 48 /* a host mark's key: at most 47 bytes */
#define BC_NONE (-1)   /* a time that is null / absent */

struct bc_service {
	char name[BC_NAME_MAX];
	char type[BC_NAME_MAX];
	char state[BC_NAME_MAX];
	int64_t start_ns, ready_ns, exit_ns; /* BC_NONE when null */
	uint32_t restarts;
	bool critical; /* the service's "critical" flag (init's meaning) */
	bool on_path;  /* on the boot's critical path (bc_critical_path) */
	uint8_t nreq, nafter;
	char req[BC_MAX_DEPS][BC_NAME_MAX];
	char after[BC_MAX_DEPS][BC_NAME_MAX];
};

/* One kernel phase: it ends at its milestone's line and starts where the
 * previous phase ended (the first starts at the kernel's first line). */
struct bc_phase {
	const char *label; /* static string */
	int64_t start_ns, end_ns;
};

struct bc_mark {
	char key[BC_MARK_MAX];
	int64_t value;
};

struct bootchart {
	/* from the log */
	unsigned kernel_lines;	/* lines with a [ s.us ] stamp */
	int64_t kernel_last_ns; /* latest stamp seen, BC_NONE if none */
	int64_t init_line_ns;	/* stamp of the first line from init, or BC_NONE */
	struct bc_phase phase[BC_MAX_PHASES];
	unsigned nphase;
	struct bc_mark mark[BC_MAX_MARKS];
	unsigned nmark;
	/* from the timeline JSON (have_timeline false: none in the log) */
	bool have_timeline;
	int version;
	int64_t init_start_ns, settled_ns;
	struct bc_service svc[BC_MAX_SERVICES];
	unsigned nsvc;		       /* services, then drivers (type "driver") */
	unsigned drivers_dropped;      /* drivers that did not fit in svc[] */
	uint8_t path[BC_MAX_SERVICES]; /* critical path, first to last */
	unsigned npath;
	char error[128]; /* why bc_parse failed */
};

/* Parse a whole captured log; 0, or -E_INVAL with bc->error set. A log
 * without a timeline is fine (have_timeline false); a malformed timeline,
 * an unterminated one, or one more than BC_MAX_SERVICES long is an error. */
int bc_parse(const char *text, size_t len, struct bootchart *bc) MUST_CHECK;

/* Parse just the timeline JSON (one object) into bc's timeline fields (the
 * log's fields are left alone); 0, or -E_INVAL with bc->error set. */
int bc_parse_timeline(const char *json, size_t len, struct bootchart *bc) MUST_CHECK;

/* The time a service finished starting: ready_ns, else exit_ns (a oneshot
 * that exited), else BC_NONE. */
int64_t bc_done_ns(const struct bc_service *s);

/* How many of svc[] are drivers (type "driver"). */
unsigned bc_drivers(const struct bootchart *bc);

/* Index of the service named name[0..n), or -1. */
int bc_find(const struct bootchart *bc, const char *name);

/* Mark the critical path (svc[].on_path, path[], npath): start at the
 * service (not a driver) that was done last, then step to the one among its requires and
 * after services that was done last (and not later than it), until there is
 * none. Returns npath (0 without a timeline or without a done service). */
unsigned bc_critical_path(struct bootchart *bc);

/* Render the SVG Gantt chart into buf (cap bytes); *out_len gets its length.
 * 0, or -E_NOSPC when cap is too small (buf then holds a cut prefix). */
int bc_svg(const struct bootchart *bc, char *buf, size_t cap, size_t *out_len) MUST_CHECK;

/* Render the text summary (kernel to init, each service's start/ready in
 * ms, the critical path); as bc_svg. */
int bc_summary(const struct bootchart *bc, char *buf, size_t cap, size_t *out_len) MUST_CHECK;
