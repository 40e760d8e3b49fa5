/*
 * restart.c - the restart decision and the backoff schedule (restart.h).
 *
 * Pure: no allocation, no locks; the daemon owns each struct svc_restart_state
 * and passes the clock in.
 */
#include "svc/restart.h"

uint64_t svc_backoff_ms(unsigned k)
{
	if (k == 0)
		return 0;
	if (k > 6) /* 2^5 s = 32 s is past the cap already */
		return SVC_BACKOFF_CAP_MS;
	uint64_t ms = 1000ull << (k - 1);
	return ms < SVC_BACKOFF_CAP_MS ? ms : SVC_BACKOFF_CAP_MS;
}

void svc_restart_reset(struct svc_restart_state *st)
{
	st->count = 0;
	st->failed = false;
}

/* Does this end call for a restart at all (before counting)? */
static bool wants_restart(const struct svc_def *def, bool ok)
{
	if (ok && (def->type == SVC_ONESHOT || def->type == SVC_ONESHOT_ASYNC))
		return false;
	switch (def->restart) {
	case SVC_RESTART_NEVER:
		return false;
	case SVC_RESTART_ON_FAILURE:
		return !ok;
	case SVC_RESTART_ALWAYS:
		return true;
	}
	return false;
}

enum svc_exit svc_restart_decide(struct svc_restart_state *st, const struct svc_def *def, bool ok,
				 uint64_t started_ms, uint64_t ended_ms, uint64_t *at_ms)
{
	if (st->failed)
		return SVC_EXIT_DONE;
	uint64_t window = (uint64_t)def->restart_window_s * 1000;
	if (ended_ms >= started_ms && ended_ms - started_ms >= window)
		st->count = 0; /* a stable run */
	if (!wants_restart(def, ok)) {
		if (ok)
			return SVC_EXIT_DONE;
		st->failed = true;
		return SVC_EXIT_FAILED;
	}
	if (st->count >= def->max_restarts) {
		st->failed = true;
		return SVC_EXIT_FAILED;
	}
	*at_ms = ended_ms + svc_backoff_ms(st->count);
	st->count++;
	return SVC_EXIT_RESTART;
}
