/*
 * probe.c - the probe bookkeeping of driver-manager (drvmgr.h): one
 * struct drv_pair per (device, rule) tried, its state, its retry and
 * restart counts, the skip set, and what is due now.
 *
 * The table is a plain array in the daemon's storage, searched linearly
 * (a system has tens of devices and a few candidate drivers each). Pairs
 * are kept in the order they were added; drv_pair_remove_dev() closes the
 * gap it leaves, so drv_pair_due() serves pairs first come, first served.
 *
 * The decisions, in one place:
 *  - "defer" counts; past DRV_DEFER_MAX the pair is skipped (out of
 *    retries). A deferred pair waits for drv_pair_event(); an event that
 *    came while it was probing makes it due at once.
 *  - an exit in probe of a never-bound pair counts; it is retried after
 *    drv_pair_backoff_ms(crashes - 1) and skipped past DRV_PROBE_CRASH_MAX.
 *  - the exit of a bound (or once bound, now re-probing) driver is never a
 *    skip: it is restarted after drv_pair_backoff_ms(restarts), the count
 *    reset first by a run of DRV_STABLE_RUN_MS, unless its policy says
 *    stay down (never; a clean exit under on-failure).
 *  - SKIPPED is left only by forgetting the pair (device removal).
 *
 * Pure: no allocation, no locks; the daemon owns the table and passes the
 * clock in.
 */

#include <string.h>
#include "base/err.h"
#include "drvmgr/drvmgr.h"
#include "fmt/fmt.h"

void drv_pairs_init(struct drv_pairs *t, struct drv_pair *storage, size_t cap)
{
	t->v = storage;
	t->n = 0;
	t->cap = storage ? cap : 0;
	t->events = 0;
}

/* addr is a device address: 1..DRV_ADDR_MAX bytes. */
static bool addr_ok(const char *addr)
{
	size_t n = addr ? strnlen(addr, DRV_ADDR_MAX + 1) : 0;
	return n >= 1 && n <= DRV_ADDR_MAX;
}

struct drv_pair *drv_pair_find(const struct drv_pairs *t, const char *addr, unsigned rule)
{
	if (!addr_ok(addr))
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].rule == rule && strcmp(t->v[i].addr, addr) == 0)
			return &t->v[i];
	return NULL;
}

int drv_pair_find_or_add(struct drv_pairs *t, const char *addr, unsigned rule,
			 struct drv_pair **out)
{
	if (!addr_ok(addr))
		return -E_INVAL;
	struct drv_pair *p = drv_pair_find(t, addr, rule);
	if (!p) {
		if (t->n >= t->cap)
			return -E_NOSPC;
		p = &t->v[t->n++];
		memset(p, 0, sizeof *p);
		memcpy(p->addr, addr, strlen(addr) + 1);
		p->rule = rule;
		p->state = DRV_PAIR_IDLE;
	}
	*out = p;
	return 0;
}

bool drv_pair_skipped(const struct drv_pairs *t, const char *addr, unsigned rule)
{
	const struct drv_pair *p = drv_pair_find(t, addr, rule);
	return p && p->state == DRV_PAIR_SKIPPED;
}

int drv_pair_pick(const struct drv_pairs *t, const char *addr, const unsigned *cands, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (!drv_pair_skipped(t, addr, cands[i]))
			return (int)i;
	return -E_NOENT;
}

void drv_pair_spawned(const struct drv_pairs *t, struct drv_pair *p, uint64_t now_ms)
{
	if (p->state == DRV_PAIR_SKIPPED)
		return; /* the skip set holds until the device goes */
	p->state = DRV_PAIR_PROBING;
	p->due = false;
	p->started_ms = now_ms;
	p->events = t->events;
}

static void skip(struct drv_pair *p, enum drv_skip_reason why)
{
	p->state = DRV_PAIR_SKIPPED;
	p->skip = why;
	p->due = false;
}

enum drv_pair_state drv_pair_result(const struct drv_pairs *t, struct drv_pair *p,
				    const struct drv_status *st, uint64_t now_ms)
{
	if (p->state != DRV_PAIR_PROBING)
		return p->state;
	switch (st->kind) {
	case DRV_ST_READY:
		p->state = DRV_PAIR_BOUND;
		p->was_bound = true;
		p->defers = 0;
		p->probe_crashes = 0;
		p->reason[0] = '\0';
		memcpy(p->mode, st->mode, sizeof p->mode);
		p->mode[sizeof p->mode - 1] = '\0';
		break;
	case DRV_ST_DEFER:
		memcpy(p->reason, st->reason, sizeof p->reason);
		p->reason[sizeof p->reason - 1] = '\0';
		if (++p->defers > DRV_DEFER_MAX) {
			skip(p, DRV_SKIP_OUT_OF_RETRIES);
			break;
		}
		p->state = DRV_PAIR_DEFERRED;
		/* an event during the probe may have been the one it waits for */
		p->due = p->events != t->events;
		break;
	case DRV_ST_UNSUPPORTED:
	case DRV_ST_FATAL:
		memcpy(p->reason, st->reason, sizeof p->reason);
		p->reason[sizeof p->reason - 1] = '\0';
		skip(p, st->kind == DRV_ST_FATAL ? DRV_SKIP_FATAL : DRV_SKIP_UNSUPPORTED);
		break;
	}
	return p->state;
}

uint64_t drv_pair_backoff_ms(unsigned k)
{
	if (k == 0)
		return 0;
	if (k > 8) /* 50 ms << 7 = 6.4 s is past the cap already */
		return DRV_BACKOFF_CAP_MS;
	uint64_t ms = (uint64_t)DRV_BACKOFF_FIRST_MS << (k - 1);
	return ms < DRV_BACKOFF_CAP_MS ? ms : DRV_BACKOFF_CAP_MS;
}

static enum drv_exit_action restart_at(struct drv_pair *p, uint64_t at, uint64_t *at_ms)
{
	p->state = DRV_PAIR_BACKOFF;
	p->at_ms = at;
	if (at_ms)
		*at_ms = at;
	return DRV_EXIT_RESTART;
}

enum drv_exit_action drv_pair_exit(struct drv_pair *p, int status, uint64_t now_ms,
				   enum drv_restart policy, uint64_t *at_ms)
{
	bool probing = p->state == DRV_PAIR_PROBING;
	if (probing && !p->was_bound) {
		/* it died before saying anything: a crash in probe */
		if (++p->probe_crashes > DRV_PROBE_CRASH_MAX) {
			skip(p, DRV_SKIP_PROBE_CRASHES);
			return DRV_EXIT_SKIPPED;
		}
		return restart_at(p, now_ms + drv_pair_backoff_ms(p->probe_crashes - 1), at_ms);
	}
	if (!probing && p->state != DRV_PAIR_BOUND)
		return DRV_EXIT_NOTHING;
	if (now_ms >= p->started_ms && now_ms - p->started_ms >= DRV_STABLE_RUN_MS)
		p->restarts = 0; /* a stable run */
	/* a restarted driver that exits before "ready", even cleanly, has failed */
	bool clean = status == 0 && !probing;
	if (policy == DRV_RESTART_NEVER || (policy == DRV_RESTART_ON_FAILURE && clean)) {
		p->state = DRV_PAIR_STOPPED;
		return DRV_EXIT_STOPPED;
	}
	uint64_t at = now_ms + drv_pair_backoff_ms(p->restarts);
	if (p->restarts < UINT32_MAX)
		p->restarts++;
	return restart_at(p, at, at_ms);
}

unsigned drv_pair_event(struct drv_pairs *t)
{
	unsigned n = 0;
	t->events++;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].state == DRV_PAIR_DEFERRED && !t->v[i].due) {
			t->v[i].due = true;
			n++;
		}
	return n;
}

unsigned drv_pair_remove_dev(struct drv_pairs *t, const char *addr)
{
	size_t kept = 0;
	unsigned gone = 0;
	if (!addr_ok(addr))
		return 0;
	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].addr, addr) == 0) {
			gone++;
			continue;
		}
		if (kept != i)
			t->v[kept] = t->v[i];
		kept++;
	}
	t->n = kept;
	return gone;
}

struct drv_pair *drv_pair_due(struct drv_pairs *t, uint64_t now_ms, uint64_t *next_ms)
{
	struct drv_pair *first = NULL;
	uint64_t next = UINT64_MAX;
	for (size_t i = 0; i < t->n; i++) {
		struct drv_pair *p = &t->v[i];
		bool due = p->state == DRV_PAIR_IDLE || (p->state == DRV_PAIR_DEFERRED && p->due);
		if (p->state == DRV_PAIR_BACKOFF) {
			if (p->at_ms <= now_ms)
				due = true;
			else if (p->at_ms < next)
				next = p->at_ms;
		}
		if (due && !first)
			first = p;
	}
	if (next_ms)
		*next_ms = next;
	return first;
}

static const char *const state_names[] = {"idle",	"probing", "bound",  "deferred",
					  "restarting", "skipped", "stopped"};

static const char *const skip_names[] = {"", "unsupported", "fatal", "out of retries",
					 "crashed in probe too often"};

const char *drv_pair_state_name(enum drv_pair_state s)
{
	return (unsigned)s < ARRAY_SIZE(state_names) ? state_names[s] : "?";
}

const char *drv_skip_name(enum drv_skip_reason r)
{
	return (unsigned)r < ARRAY_SIZE(skip_names) ? skip_names[r] : "?";
}

int drv_pair_describe(const struct drv_pair *p, char *buf, size_t n)
{
	const char *name = drv_pair_state_name(p->state);
	switch (p->state) {
	case DRV_PAIR_BOUND:
		if (p->mode[0])
			return fmt_snprintf(buf, n, "%s (%.*s)", name, DRV_MODE_MAX, p->mode);
		break;
	case DRV_PAIR_DEFERRED:
		return fmt_snprintf(buf, n, "%s (%u)", name, p->defers);
	case DRV_PAIR_BACKOFF:
		return fmt_snprintf(buf, n, "%s (%u)", name,
				    p->was_bound ? p->restarts : p->probe_crashes);
	case DRV_PAIR_SKIPPED:
		return fmt_snprintf(buf, n, "%s: %s", name, drv_skip_name(p->skip));
	default:
		break;
	}
	return fmt_snprintf(buf, n, "%s", name);
}
