/*
 * drvmgr.h - the pure logic of driver-manager: which driver serves which
 * device, what a driver says about its probe, and what to do next.
 *
 * Rules (rules.c). One file /etc/drivers.d/<name>.toml describes one
 * driver; <name> follows init's service name rules (svc_name_valid()):
 *
 *   exec     = "/bin/virtio-blkd"          required, 1..127 bytes
 *   args     = ["--queue-depth", "32"]     optional, at most 16, each 1..127 bytes
 *   priority = 10                          optional, -1000..1000, default 0
 *   match    = ["pci 1af4:1001", "pci-class 01:08:02", "pci-class 01:06",
 *               "pci 8086:*", "acpi PNP0303"]            required, 1..64 entries
 *   restart  = "on-failure"                optional: always, on-failure (default), never
 *
 * A match entry is "pci VVVV:DDDD" (4 hex digits each, either may be '*',
 * not both), "pci-class CC:SS" or "pci-class CC:SS:PP" (2 hex digits
 * each), or "acpi ID" with ID an ACPI _HID/_CID as the ACPI spec (6.1.5)
 * writes them: "AAA####" (a PNP ID: 3 upper-case letters, 4 hex digits)
 * or "NNNN####" (an ACPI ID: 4 upper-case letters or digits, 4 hex
 * digits). Hex digits are case-insensitive in pci entries; ACPI IDs are
 * upper case, as firmware reports them. The kind word and its argument are
 * separated by one space. An unknown key, a wrong type, a value out of
 * range, a bad or repeated match entry is an error with the file, line and
 * column of the key or array element at fault (as lib/svc/def.c reports);
 * the caller skips the whole file.
 *
 * Matching (match.c). drv_match() lists the rules that match a device,
 * best first: higher priority, then the more specific entry (see
 * enum drv_spec), then rule order (the caller loads the files in name
 * order). A device descriptor comes from pcid/acpid: it is checked, never
 * trusted.
 *
 * ACPI devices (acpi.c). acpid lists the namespace's present devices in
 * acpi:/devices, one "PATH ID [ID...]" line each (its _HID, then its
 * _CIDs); drv_acpi_parse() checks one such line and drv_acpi_desc() makes
 * it a descriptor to match.
 *
 * Status lines (status.c). A probing driver writes one line to the pipe
 * the manager gives it: "ready", "ready MODE" (its interrupt mode: "msix 2",
 * "msi 1", "intx 11", "poll"), "defer REASON", "unsupported REASON" or
 * "fatal REASON". The word is exact (lower case) and followed by the end
 * or one space; the rest is free text: bytes outside printable ASCII
 * become '?', MODE keeps 31 bytes and REASON 95 (the rest is dropped); a
 * bare "defer"/"unsupported"/"fatal" has an empty reason. One line end
 * ("\n", "\r\n" or "\r") may close it; the line without it is 1..255
 * bytes. A line the parser refuses is a driver broken beyond retrying: the
 * daemon should treat it as "fatal".
 *
 * Probe bookkeeping (probe.c). One struct drv_pair per (device, rule) the
 * daemon has tried, in a table whose storage the daemon gives and grows.
 * The life of a pair:
 *
 *   IDLE --spawned--> PROBING --"ready"--> BOUND --exit--> BACKOFF/STOPPED
 *                        |  --"defer"--> DEFERRED --event--> (due) --spawned--> PROBING
 *                        |  --"unsupported"/"fatal"--> SKIPPED
 *                        |  --exit without a line--> BACKOFF (crash in probe)
 *   BACKOFF --at_ms reached--> (due) --spawned--> PROBING
 *
 * SKIPPED is the skip set: that driver is never probed on that device
 * again until the device is removed (drv_pair_remove_dev() forgets every
 * pair of the device). A pair goes there when the driver said
 * "unsupported" or "fatal", deferred more than DRV_DEFER_MAX times, or
 * crashed in probe more than DRV_PROBE_CRASH_MAX times. A driver that has
 * been BOUND once is never skipped for crashing: it is restarted with a
 * growing backoff (restart policy permitting), because a device whose
 * driver crashed must come back.
 *
 * The daemon's side of the contract: it calls drv_pair_spawned() when it
 * starts a probe (also for a restart; a spawn that fails is spawned, then
 * drv_pair_exit() with a non-zero status), drv_pair_result() with the
 * parsed line, drv_pair_exit() when the process ends (a driver that wrote
 * "defer", "unsupported" or "fatal" then exits; that exit changes
 * nothing), drv_pair_event() on every event that may satisfy a deferred
 * probe, and drv_pair_due() to learn what to spawn now and when to wake.
 * Before drv_pair_remove_dev() it kills the device's processes; their
 * exits then find no pair and are ignored. An event that arrives while a
 * driver probes is remembered: if that probe then defers, it is due at
 * once (otherwise a dependency that appeared mid-probe would never wake
 * it).
 *
 * Times are milliseconds from any fixed origin, passed in.
 *
 * Locking: none. Pure functions over the caller's storage; the daemon
 * owns the rules, the pair table and every pair, from one thread.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "toml/toml.h"

/* ---------------------------------------------------------------- rules */

#define DRV_NAME_MAX 31	 /* bytes of a driver name (init's service name rules) */
#define DRV_MATCH_MAX 64 /* match entries of one rule */
#define DRV_ARGS_MAX 16	 /* args of one rule */
#define DRV_STR_MAX 127	 /* bytes of exec and of one arg */
#define DRV_PRIO_MIN (-1000)
#define DRV_PRIO_MAX 1000

enum drv_match_kind {
	DRV_M_PCI_ID,	 /* pci VVVV:DDDD, either may be '*' */
	DRV_M_PCI_CLASS, /* pci-class CC:SS[:PP] */
	DRV_M_ACPI,	 /* acpi ID */
};

struct drv_match {
	enum drv_match_kind kind;
	int vendor, device;   /* PCI_ID: 0..0xffff, or -1 for '*' (not both) */
	int cls, sub, progif; /* PCI_CLASS: 0..0xff; progif -1 when not given */
	char acpi[9];	      /* ACPI: 7 or 8 bytes and a NUL */
};

enum drv_restart {
	DRV_RESTART_ON_FAILURE, /* default: restart after a non-zero exit or a kill */
	DRV_RESTART_ALWAYS,	/* restart after any exit */
	DRV_RESTART_NEVER,	/* never restart a driver that was bound */
};

struct drv_rule {
	char name[DRV_NAME_MAX + 1]; /* the file name without ".toml" */
	char exec[DRV_STR_MAX + 1];
	char args[DRV_ARGS_MAX][DRV_STR_MAX + 1];
	unsigned nargs;
	int priority;
	enum drv_restart restart;
	unsigned nmatch; /* 1..DRV_MATCH_MAX */
	struct drv_match m[DRV_MATCH_MAX];
};

/*
 * Parse the text[0..len) of the rules file file_name ("virtio-blk.toml"
 * or a path to it) into *out, the TOML document in the caller's
 * nodes[nnodes] and buf[buflen] (toml_init()); *out keeps copies of every
 * string. 0, or -E_INVAL/-E_NOSPC with err[errlen] holding one line
 * (control bytes as '?') such as "virtio-blk.toml: line 4, column 10:
 * bad match \"pci 1af4\": expected pci VVVV:DDDD".
 */
MUST_CHECK int drv_rule_parse(const char *file_name, const char *text, size_t len,
			      struct toml_node *nodes, size_t nnodes, char *buf, size_t buflen,
			      struct drv_rule *out, char *err, size_t errlen);

/* One match entry ("pci 1af4:1001") into *out: 0, or -E_INVAL with the reason in why[whylen]. */
MUST_CHECK int drv_match_parse(const char *s, struct drv_match *out, char *why, size_t whylen);

/* Write m as a rules file spells it ("pci 1af4:*", "pci-class 01:06"); as snprintf. */
int drv_match_format(const struct drv_match *m, char *buf, size_t n);

/* "always", "on-failure", "never": the file's spellings. */
const char *drv_restart_name(enum drv_restart r);

/* ---------------------------------------------------------------- matching */

enum drv_bus {
	DRV_BUS_PCI,
	DRV_BUS_ACPI,
};

#define DRV_ADDR_MAX 31	  /* bytes of a device address */
#define DRV_IDS_MAX 9	  /* ACPI ids of a device: its _HID and up to 8 _CIDs */
#define DRV_ACPI_ID_MAX 8 /* bytes of one ACPI id we can match */

/* A device as pcid or acpid describes it. */
struct drv_desc {
	enum drv_bus bus;
	char addr[DRV_ADDR_MAX + 1]; /* "0000:00:04.0", or the ACPI path "\\_SB.PCI0.SF8.KBD" */
	int vendor, device, cls, sub, progif; /* PCI */
	const char *ids[DRV_IDS_MAX];	      /* ACPI: _HID, then the _CIDs in firmware order */
	unsigned nids;
};

/*
 * How closely an entry matches a device; the larger, the better. PCI:
 * vendor:device > class with prog-if > class > vendor:* or *:device.
 * ACPI: the _HID > the first _CID > the second _CID ... (ACPI lists the
 * _CIDs in order of preference). 0: no match.
 */
enum drv_spec {
	DRV_SPEC_NONE = 0,
	DRV_SPEC_PCI_WILD = 1,
	DRV_SPEC_PCI_CLASS = 2,
	DRV_SPEC_PCI_PROGIF = 3,
	DRV_SPEC_PCI_ID = 4,
	DRV_SPEC_ACPI_CID = 10, /* ids[i], i >= 1: DRV_SPEC_ACPI_CID + DRV_IDS_MAX - 1 - i */
	DRV_SPEC_ACPI_HID = 20,
};

/* The best specificity of any of rule's entries for d (DRV_SPEC_NONE: it does not match). */
unsigned drv_rule_spec(const struct drv_rule *rule, const struct drv_desc *d);

/*
 * Write into out[0..max) the indices of the rules[0..nrules) that match
 * d, best first: higher priority, then higher drv_rule_spec(), then lower
 * index. Returns how many were written (the best max when more match).
 */
unsigned drv_match(const struct drv_rule *rules, unsigned nrules, const struct drv_desc *d,
		   unsigned *out, unsigned max);

/*
 * Fill *out as a PCI device at addr from the first 16 bytes of its
 * configuration space cfg[0..len): 0, or -E_INVAL if len < 16, the
 * vendor is 0xffff (no function) or addr is longer than DRV_ADDR_MAX.
 */
MUST_CHECK int drv_dev_from_pci_config(const uint8_t *cfg, size_t len, const char *addr,
				       struct drv_desc *out);

/* A device of acpid's acpi:/devices (the ACPI namespace). */
struct drv_acpi_dev {
	char addr[DRV_ADDR_MAX + 1];		    /* "\_SB_.PCI0.SF8_.PS2K" */
	char ids[DRV_IDS_MAX][DRV_ACPI_ID_MAX + 1]; /* _HID, then the _CIDs */
	unsigned nids;
};

/*
 * Parse one line of acpi:/devices, "PATH ID [ID...]" (a line end allowed):
 * 0; -E_NAMETOOLONG for a path over DRV_ADDR_MAX bytes; -E_INVAL for a
 * line that is not a namespace path and at least one usable id (ids that
 * are not 1..DRV_ACPI_ID_MAX letters, digits or '_' are left out).
 */
MUST_CHECK int drv_acpi_parse(const char *line, size_t len, struct drv_acpi_dev *out);
/* *out as a device to match: its ids point into *a, which must outlive it. */
void drv_acpi_desc(const struct drv_acpi_dev *a, struct drv_desc *out);

/* ---------------------------------------------------------------- status lines */

#define DRV_STATUS_LINE_MAX 255 /* bytes of a status line, without its line end */
#define DRV_MODE_MAX 31		/* bytes of MODE kept */
#define DRV_REASON_MAX 95	/* bytes of REASON kept */

enum drv_status_kind {
	DRV_ST_READY,
	DRV_ST_DEFER,
	DRV_ST_UNSUPPORTED,
	DRV_ST_FATAL,
};

struct drv_status {
	enum drv_status_kind kind;
	char mode[DRV_MODE_MAX + 1];	 /* READY: the interrupt mode, may be "" */
	char reason[DRV_REASON_MAX + 1]; /* the others: may be "" */
};

/* Parse one status line line[0..len): 0, or -E_INVAL (empty, unknown word, too long). */
MUST_CHECK int drv_status_parse(const char *line, size_t len, struct drv_status *out);

/* "ready", "defer", "unsupported", "fatal". */
const char *drv_status_name(enum drv_status_kind k);

/* ---------------------------------------------------------------- probe bookkeeping */

/*
 * DRV_DEFER_MAX: a deferred probe is retried only when an event arrives
 * (a device appeared, a driver became ready, firmware was loaded), and
 * each retry costs a process spawn (~2 ms) and a probe. A dependency
 * that a device needs is normally provided by the very next driver to
 * bind, one or two events later; one that is still missing after 5
 * further events is not coming (its driver is absent or itself skipped),
 * so the sixth "defer" puts the pair in the skip set. On a big machine
 * with hundreds of devices appearing at boot, a higher bound would turn
 * every event into a storm of doomed spawns (deferred pairs x events).
 *
 * DRV_PROBE_CRASH_MAX: a driver that dies in probe before saying anything
 * may have hit a transient state (a device still resetting), so it is
 * retried after 0, 50, 100 ms; a fourth crash is a bug in the driver or
 * a device it cannot handle, and each crash may leave the device in a
 * worse state: the pair is skipped, which lets the next matching driver
 * have the device.
 */
#define DRV_DEFER_MAX 5
#define DRV_PROBE_CRASH_MAX 3

/* Restart backoff of a bound driver (and retry delay after a crash in probe). */
#define DRV_BACKOFF_FIRST_MS 50 /* the second delay; the first is 0 */
#define DRV_BACKOFF_CAP_MS 5000 /* delays double up to this */
#define DRV_STABLE_RUN_MS 10000 /* a run this long resets the backoff */

enum drv_pair_state {
	DRV_PAIR_IDLE,	   /* never probed: due now */
	DRV_PAIR_PROBING,  /* spawned, no status line yet */
	DRV_PAIR_BOUND,	   /* said "ready"; runs */
	DRV_PAIR_DEFERRED, /* said "defer": due after the next event */
	DRV_PAIR_BACKOFF,  /* crashed: due at at_ms */
	DRV_PAIR_SKIPPED,  /* in the skip set until the device goes (see skip) */
	DRV_PAIR_STOPPED,  /* a bound driver exited and its policy says stay down */
};

enum drv_skip_reason {
	DRV_SKIP_NONE,
	DRV_SKIP_UNSUPPORTED,	 /* it said "unsupported" */
	DRV_SKIP_FATAL,		 /* it said "fatal" */
	DRV_SKIP_OUT_OF_RETRIES, /* it deferred more than DRV_DEFER_MAX times */
	DRV_SKIP_PROBE_CRASHES,	 /* it died in probe more than DRV_PROBE_CRASH_MAX times */
};

struct drv_pair {
	char addr[DRV_ADDR_MAX + 1]; /* the device */
	unsigned rule;		     /* the rule's index */
	enum drv_pair_state state;
	enum drv_skip_reason skip;	 /* SKIPPED: why */
	bool due;			 /* DEFERRED: an event came since it deferred */
	bool was_bound;			 /* it has said "ready" once: crashes restart, never skip */
	unsigned defers;		 /* "defer" answers since it was last bound */
	unsigned probe_crashes;		 /* deaths in probe before it was ever bound */
	unsigned restarts;		 /* crash restarts since its last stable run */
	uint64_t started_ms;		 /* when its process was spawned */
	uint64_t at_ms;			 /* BACKOFF: when it is due */
	uint64_t events;		 /* the table's event count when it was spawned */
	char mode[DRV_MODE_MAX + 1];	 /* BOUND: its interrupt mode */
	char reason[DRV_REASON_MAX + 1]; /* DEFERRED, SKIPPED: what it said */
};

/*
 * The pairs: v[0..n) in v[0..cap), the daemon's storage. To grow it the
 * daemon copies v into a larger array and sets v and cap; a struct
 * drv_pair * into the old array is then stale.
 */
struct drv_pairs {
	struct drv_pair *v;
	size_t n, cap;
	uint64_t events; /* events seen (drv_pair_event()) */
};

/* An empty table over storage[0..cap). */
void drv_pairs_init(struct drv_pairs *t, struct drv_pair *storage, size_t cap);

/* The pair (addr, rule), or NULL. */
struct drv_pair *drv_pair_find(const struct drv_pairs *t, const char *addr, unsigned rule);

/*
 * The pair (addr, rule) in *out, added IDLE if new: 0, -E_NOSPC (the
 * table is full: grow it and call again) or -E_INVAL (addr empty or
 * longer than DRV_ADDR_MAX).
 */
MUST_CHECK int drv_pair_find_or_add(struct drv_pairs *t, const char *addr, unsigned rule,
				    struct drv_pair **out);

/* True if rule is in addr's skip set. */
bool drv_pair_skipped(const struct drv_pairs *t, const char *addr, unsigned rule);

/*
 * Of the candidates cands[0..n) for device addr (drv_match()'s output,
 * best first), the index in cands of the first not in its skip set, or
 * -E_NOENT if every one is.
 */
int drv_pair_pick(const struct drv_pairs *t, const char *addr, const unsigned *cands, unsigned n);

/* The daemon spawned p's process at now_ms (a probe or a restart): PROBING. */
void drv_pair_spawned(const struct drv_pairs *t, struct drv_pair *p, uint64_t now_ms);

/*
 * p's process reported st: ready -> BOUND; defer -> DEFERRED, or SKIPPED
 * (out of retries) past DRV_DEFER_MAX; unsupported, fatal -> SKIPPED.
 * Only a PROBING pair changes. Returns p's state.
 */
enum drv_pair_state drv_pair_result(const struct drv_pairs *t, struct drv_pair *p,
				    const struct drv_status *st, uint64_t now_ms);

enum drv_exit_action {
	DRV_EXIT_NOTHING, /* an expected exit (after defer, unsupported, fatal) */
	DRV_EXIT_RESTART, /* spawn it again at *at_ms (now_ms: at once); p is BACKOFF */
	DRV_EXIT_STOPPED, /* a bound driver stays down (its policy) */
	DRV_EXIT_SKIPPED, /* it died in probe too often: p joined the skip set */
};

/*
 * p's process ended at now_ms with status (0: a clean exit; anything else
 * a failure or a kill); policy is its rule's restart. PROBING and never
 * bound: a crash in probe, retried after drv_pair_backoff_ms(crashes - 1)
 * up to DRV_PROBE_CRASH_MAX times, then skipped, whatever the policy.
 * BOUND, or PROBING after a restart: restarted after
 * drv_pair_backoff_ms(restarts) unless policy is never or it was a clean
 * exit under on-failure (-> STOPPED); a run of DRV_STABLE_RUN_MS or more
 * first resets restarts. Other states: nothing.
 */
enum drv_exit_action drv_pair_exit(struct drv_pair *p, int status, uint64_t now_ms,
				   enum drv_restart policy, uint64_t *at_ms);

/* Restart delay k (from 0): 0, 50, 100, 200 ... 3200, then 5000 ms. */
uint64_t drv_pair_backoff_ms(unsigned k);

/* An event that may satisfy a deferred probe: every DEFERRED pair becomes due. Returns how many. */
unsigned drv_pair_event(struct drv_pairs *t);

/* Forget every pair of device addr (and so its skip set). Returns how many. */
unsigned drv_pair_remove_dev(struct drv_pairs *t, const char *addr);

/*
 * The first pair (in table order) to spawn at now_ms: IDLE, DEFERRED and
 * due, or BACKOFF with at_ms <= now_ms; NULL if none. *next_ms: the
 * earliest at_ms of a BACKOFF pair still in the future (UINT64_MAX: none),
 * when the daemon should ask again.
 */
struct drv_pair *drv_pair_due(struct drv_pairs *t, uint64_t now_ms, uint64_t *next_ms);

/* "idle", "probing", "bound", "deferred", "restarting", "skipped", "stopped". */
const char *drv_pair_state_name(enum drv_pair_state s);

/* "unsupported", "fatal", "out of retries", "crashed in probe too often" ("" for NONE). */
const char *drv_skip_name(enum drv_skip_reason r);

/*
 * p's state for the `drivers` listing: "bound", "bound (msix 2)",
 * "deferred (2)", "restarting (3)", "skipped: unsupported" ...; as snprintf.
 */
int drv_pair_describe(const struct drv_pair *p, char *buf, size_t n);
