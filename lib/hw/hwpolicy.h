/*
 * hwpolicy.h - the hardware grant policy, initfs:/etc/hw.policy
 * (docs/hwaccess.md): which program, run by which uid, is given which
 * I/O ports, physical ranges and the irq right when it is spawned.
 *
 * The text holds one rule per line, "KIND ARG PROGRAM UID", fields
 * separated by spaces or tabs ('\r' counts as a space); '#' starts a
 * comment that runs to the end of the line; blank lines are skipped.
 *   irq  -            the right to open irq:
 *   port FIRST-LAST   the I/O ports FIRST..LAST (hex, with or without
 *                     0x; a single port may be written alone), or
 *   port *            every port but the kernel's own (hwio_port_kernel)
 *   phys acpi|mcfg|mmio   a named class of physical ranges the kernel
 *                     computes at boot (firmware tables, ECAM windows,
 *                     anything neither RAM nor the kernel's devices)
 * PROGRAM is the exact path the process was spawned from
 * ("initfs:/bin/pcid") or '*'; UID a decimal number or '*'.
 *
 * hwpol_parse() fills a caller-given rule array and reports each line it
 * skips (malformed, or past the array's end) with its number (from 1) and
 * a short reason; hwpol_collect() gathers what every matching rule
 * grants. Pure: no allocation, no locks, no printing; the caller owns the
 * rules and serialises access to them. Shared by the kernel
 * (kernel/dev/hw.c), the host tests and the fuzzer.
 */
#pragma once
#include "base/policy.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HWPOL_MAX_RULES 64 /* the kernel's table; more lines are reported and skipped */
#define HWPOL_PROGRAM_MAX POLICY_PROGRAM_MAX /* the scheme policy's reader checks it */
#define HWPOL_ANY_UID POLICY_ANY_UID	     /* rule.uid for '*' */

enum hwpol_kind {
	HWPOL_IRQ = 1,
	HWPOL_PORT = 2,
	HWPOL_PHYS = 3,
};

/* Physical classes (bits, so a grant can hold several). */
#define HWPOL_PHYS_ACPI 1u
#define HWPOL_PHYS_MCFG 2u
#define HWPOL_PHYS_MMIO 4u

struct hwpol_rule {
	uint8_t kind;			     /* enum hwpol_kind */
	uint8_t phys;			     /* HWPOL_PHYS: one HWPOL_PHYS_* bit */
	bool all_ports;			     /* HWPOL_PORT: "port *" */
	uint16_t first, last;		     /* HWPOL_PORT without '*': first <= last */
	int uid;			     /* >= 0, or HWPOL_ANY_UID */
	char program[HWPOL_PROGRAM_MAX + 1]; /* NUL-terminated path, or "*" */
};

/* What the rules matching one process grant it. */
struct hwpol_grant {
	bool irq;
	bool all_ports;
	uint8_t phys; /* HWPOL_PHYS_* bits */
	size_t nports;
	struct {
		uint16_t first, last;
	} ports[HWPOL_MAX_RULES];
};

/* Told about a skipped line: its number (from 1) and a short reason. */
typedef policy_report_fn hwpol_report_fn;

/* Parse text[0..len) into rules[0..max): how many were stored. */
size_t hwpol_parse(const char *text, size_t len, struct hwpol_rule *rules, size_t max,
		   hwpol_report_fn report, void *ctx);

/* Everything rules[0..n) grant to program run by uid, into *out (cleared first). */
void hwpol_collect(const struct hwpol_rule *rules, size_t n, const char *program, int uid,
		   struct hwpol_grant *out);

/* True if *g grants nothing at all. */
bool hwpol_grant_empty(const struct hwpol_grant *g);
