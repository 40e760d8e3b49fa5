/*
 * restart.h - when init restarts a service that ended (docs/init.md,
 * "Restart"): a pure state machine, one struct svc_restart_state per service.
 *
 * A run ends well if the service exited with status 0, badly otherwise
 * (non-zero status, killed, not ready within ready_timeout, or a failed
 * health check: the daemon kills it and reports a bad end). Then:
 *  - a oneshot that ended well is done (EXITED), whatever its policy;
 *  - restart = never: a good end is done, a bad end is failed;
 *  - on-failure: a good end is done, a bad end is restarted;
 *  - always: every end is restarted.
 * A run that lasted at least the restart window (restart_window_s) was
 * stable: the restart count starts again from 0 before the decision. A
 * restart past max_restarts within that run of quick ends gives up: the
 * service is failed. Restart k (from 0) of a run of quick ends waits
 * svc_backoff_ms(k): 0, 1 s, 2 s, 4 s, 8 s, 16 s, then 30 s each.
 *
 * Times are milliseconds from any fixed origin (the daemon's clock),
 * passed in. svc_restart_decide() returns SVC_EXIT_FAILED exactly once:
 * the daemon logs it then; asked again about a failed service it says
 * SVC_EXIT_DONE (nothing to do). svc_restart_reset() forgets the history
 * (an explicit restart by an administrator).
 *
 * Locking: none; the daemon owns each service's state.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "svc/svc.h"

#define SVC_BACKOFF_CAP_MS 30000

enum svc_exit {
	SVC_EXIT_DONE,	  /* not restarted: EXITED after a good end (or already failed) */
	SVC_EXIT_RESTART, /* restart at *at_ms */
	SVC_EXIT_FAILED,  /* give up: mark it FAILED and log it (said once) */
};

struct svc_restart_state {
	unsigned count; /* restarts since the last stable run */
	bool failed;	/* gave up */
};

/* The delay before restart k (from 0) of a run of quick ends: 0, 1 s, 2 s, 4 s, ... 30 s. */
uint64_t svc_backoff_ms(unsigned k);

/* Forget the restart history of st. */
void svc_restart_reset(struct svc_restart_state *st);

/*
 * The run of def's service that started at started_ms ended at ended_ms,
 * well (ok) or badly: what now. On SVC_EXIT_RESTART, *at_ms is the time
 * to start it again (ended_ms plus the backoff).
 */
enum svc_exit svc_restart_decide(struct svc_restart_state *st, const struct svc_def *def, bool ok,
				 uint64_t started_ms, uint64_t ended_ms, uint64_t *at_ms);
