/*
 * sup.c - init's supervisor state machine (sup.h has the contract).
 *
 * Every deadline that svc_sup_poll() has acted on is cleared at once
 * (ready_by, check_at of a timed-out check, kill_at, a passed restart_at
 * whose service still waits for a dependency), so svc_sup_deadline()
 * never names a past time twice and the daemon's poll never spins.
 *
 * Pure: no allocation, no locks, no clock of its own; the daemon's main
 * loop owns the struct svc_sup.
 */
#include <string.h>
#include "svc/sup.h"

#define NS_PER_S 1000000000ull
#define NS_PER_MS 1000000ull

void svc_sup_init(struct svc_sup *s, const struct svc_graph *g)
{
	memset(s, 0, sizeof *s);
	s->g = g;
	s->grace_ns = SVC_SUP_GRACE_NS;
	svc_graph_init_states(g, s->state);
	for (size_t i = 0; i < g->n; i++)
		s->run[i].last_exit = -1;
}

static const struct svc_def *def_of(const struct svc_sup *s, size_t i)
{
	return &s->g->defs[i];
}

static bool has_health(const struct svc_def *d)
{
	return d->health_path || d->nhealth_cmd;
}

/* Does service j need service i (requires or after)? */
static bool needs(const struct svc_graph *g, size_t j, size_t i)
{
	for (size_t k = 0; k < g->nreq[j]; k++)
		if (g->req[j][k] == i)
			return true;
	for (size_t k = 0; k < g->naft[j]; k++)
		if (g->aft[j][k] == i)
			return true;
	return false;
}

/* Stopping: is some service that needs i still alive? */
static bool dependent_alive(const struct svc_sup *s, size_t i)
{
	for (size_t j = 0; j < s->g->n; j++)
		if (j != i && s->run[j].pid && needs(s->g, j, i))
			return true;
	return false;
}

/* Stopping: is i kept alive for now (stop_last before the last phase, or a live dependent)? */
static bool held_back(const struct svc_sup *s, size_t i)
{
	return (def_of(s, i)->stop_last && !s->last_phase) || dependent_alive(s, i);
}

static void act(struct svc_act *out, size_t *n, enum svc_act_kind kind, size_t i, size_t other)
{
	out[*n].kind = (uint8_t)kind;
	out[*n].svc = (uint8_t)i;
	out[*n].other = (uint8_t)other;
	(*n)++;
}

/* The stop order: TERM once no dependent lives, KILL after the grace. */
static void poll_stopping(struct svc_sup *s, size_t i, uint64_t now, struct svc_act *out, size_t *n)
{
	struct svc_run *r = &s->run[i];
	if (!r->pid)
		return;
	if (!r->term_sent && !held_back(s, i)) {
		r->term_sent = true;
		r->kill_at = now + s->grace_ns;
		act(out, n, SVC_ACT_TERM, i, SVC_NONE);
	} else if (r->term_sent && r->kill_at && r->kill_at <= now) {
		r->kill_at = 0;
		act(out, n, SVC_ACT_KILL, i, SVC_NONE);
	}
}

static void poll_waiting(struct svc_sup *s, size_t i, uint64_t now, struct svc_act *out, size_t *n)
{
	struct svc_run *r = &s->run[i];
	size_t blocker = SVC_NONE;
	if (r->held)
		return;
	switch (svc_graph_next(s->g, i, s->state, &blocker)) {
	case SVC_NEXT_BLOCKED:
		s->state[i] = SVC_FAILED;
		r->retry = false;
		act(out, n, SVC_ACT_BLOCKED, i, blocker);
		break;
	case SVC_NEXT_START:
		if (r->retry && r->restart_at > now)
			break;
		r->retry = false;
		s->state[i] = SVC_RUNNING;
		act(out, n, SVC_ACT_START, i, SVC_NONE);
		break;
	case SVC_NEXT_WAIT:
		if (r->retry && r->restart_at <= now)
			r->retry = false; /* due, but a dependency is not back yet */
		break;
	case SVC_NEXT_NONE:
		break;
	}
}

static void poll_running(struct svc_sup *s, size_t i, uint64_t now, struct svc_act *out, size_t *n)
{
	struct svc_run *r = &s->run[i];
	if (!r->pid)
		return;
	if (r->stop_req || r->restart_req) { /* an administrator's SIGTERM: KILL after the grace */
		if (r->kill_at && r->kill_at <= now) {
			r->kill_at = 0;
			act(out, n, SVC_ACT_KILL, i, SVC_NONE);
		}
		return;
	}
	if (s->state[i] == SVC_RUNNING && r->ready_by && r->ready_by <= now) {
		r->ready_by = 0;
		r->bad_end = true;
		act(out, n, SVC_ACT_NOT_READY, i, SVC_NONE);
		return;
	}
	if (s->state[i] != SVC_READY || !has_health(def_of(s, i)) || !r->check_at ||
	    r->check_at > now || r->bad_end || r->stop_req || r->restart_req)
		return;
	if (r->checking) {
		r->check_at = 0;
		act(out, n, SVC_ACT_CHECK_TIMEOUT, i, SVC_NONE);
	} else {
		r->checking = true;
		r->check_at = now + (uint64_t)def_of(s, i)->health_interval_s * NS_PER_S;
		act(out, n, SVC_ACT_CHECK, i, SVC_NONE);
	}
}

size_t svc_sup_poll(struct svc_sup *s, uint64_t now, struct svc_act *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < s->g->n && n < max; i++) {
		if (s->stopping)
			poll_stopping(s, i, now, out, &n);
		else if (s->state[i] == SVC_WAITING)
			poll_waiting(s, i, now, out, &n);
		else
			poll_running(s, i, now, out, &n);
	}
	return n;
}

static void earliest(uint64_t *best, uint64_t t)
{
	if (t && (!*best || t < *best))
		*best = t;
}

uint64_t svc_sup_deadline(const struct svc_sup *s)
{
	uint64_t best = 0;
	for (size_t i = 0; i < s->g->n; i++) {
		const struct svc_run *r = &s->run[i];
		if (s->stopping) {
			if (r->pid && r->term_sent)
				earliest(&best, r->kill_at);
			continue;
		}
		if (s->state[i] == SVC_WAITING && r->retry)
			earliest(&best, r->restart_at);
		if (r->pid && (r->stop_req || r->restart_req))
			earliest(&best, r->kill_at);
		if (r->pid && s->state[i] == SVC_RUNNING)
			earliest(&best, r->ready_by);
		if (r->pid && s->state[i] == SVC_READY && has_health(def_of(s, i)))
			earliest(&best, r->check_at);
	}
	return best;
}

static void set_ready(struct svc_sup *s, size_t i, uint64_t now)
{
	s->state[i] = SVC_READY;
	s->run[i].ready_by = 0;
	if (!s->run[i].ready_ns)
		s->run[i].ready_ns = now;
}

void svc_sup_started(struct svc_sup *s, size_t i, int pid, uint64_t now)
{
	const struct svc_def *d = def_of(s, i);
	struct svc_run *r = &s->run[i];
	r->pid = pid;
	r->run_ns = now;
	r->bad_end = r->checking = r->term_sent = false;
	if (!r->start_ns)
		r->start_ns = now;
	r->check_at = has_health(d) ? now + (uint64_t)d->health_interval_s * NS_PER_S : 0;
	r->ready_by = 0;
	if (d->type == SVC_DAEMON || d->type == SVC_ONESHOT_ASYNC)
		set_ready(s, i, now);
	else if (d->type == SVC_NOTIFY)
		r->ready_by = now + (uint64_t)d->ready_timeout_s * NS_PER_S;
}

void svc_sup_ready(struct svc_sup *s, size_t i, uint64_t now)
{
	if (s->state[i] == SVC_RUNNING && s->run[i].pid && !s->run[i].bad_end)
		set_ready(s, i, now);
}

enum svc_exit svc_sup_exited(struct svc_sup *s, size_t i, int status, uint64_t now, uint64_t *at)
{
	struct svc_run *r = &s->run[i];
	bool ok = status == 0 && !r->bad_end;
	r->pid = 0;
	r->last_exit = status;
	r->exit_ns = now;
	r->bad_end = r->checking = r->term_sent = false;
	r->ready_by = r->check_at = r->kill_at = 0;
	if (s->stopping || r->stop_req) {
		r->stop_req = r->restart_req = false;
		s->state[i] = SVC_STOPPED;
		return SVC_EXIT_DONE;
	}
	if (r->restart_req) {
		r->restart_req = false;
		svc_restart_reset(&r->rs);
		ok = false;
		*at = now;
	} else {
		uint64_t at_ms = 0;
		enum svc_exit e = svc_restart_decide(
		    &r->rs, def_of(s, i), ok, r->run_ns / NS_PER_MS, now / NS_PER_MS, &at_ms);
		if (e != SVC_EXIT_RESTART) {
			s->state[i] = e == SVC_EXIT_DONE && ok ? SVC_EXITED : SVC_FAILED;
			return e;
		}
		*at = now + (at_ms - now / NS_PER_MS) * NS_PER_MS;
	}
	r->restarts++;
	r->retry = true;
	r->restart_at = *at ? *at : 1;
	s->state[i] = SVC_WAITING;
	return SVC_EXIT_RESTART;
}

bool svc_sup_checked(struct svc_sup *s, size_t i, bool ok, uint64_t now)
{
	struct svc_run *r = &s->run[i];
	r->checking = false;
	if (!r->pid || s->stopping || r->bad_end)
		return false;
	r->check_at = now + (uint64_t)def_of(s, i)->health_interval_s * NS_PER_S;
	if (ok)
		return false;
	r->bad_end = true;
	return true;
}

size_t svc_sup_by_pid(const struct svc_sup *s, int pid)
{
	for (size_t i = 0; pid > 0 && i < s->g->n; i++)
		if (s->run[i].pid == pid)
			return i;
	return SVC_NONE;
}

bool svc_sup_settled(const struct svc_sup *s)
{
	for (size_t i = 0; i < s->g->n; i++)
		if ((s->state[i] == SVC_WAITING && !s->run[i].held) || s->state[i] == SVC_RUNNING)
			return false;
	return true;
}

void svc_sup_hold(struct svc_sup *s, size_t i, bool held)
{
	s->run[i].held = held;
}

bool svc_sup_stop(struct svc_sup *s, size_t i, uint64_t now)
{
	struct svc_run *r = &s->run[i];
	r->retry = r->restart_req = false;
	if (r->pid) {
		r->stop_req = true;
		r->kill_at = now + s->grace_ns;
		return true;
	}
	s->state[i] = SVC_STOPPED;
	return false;
}

bool svc_sup_start(struct svc_sup *s, size_t i)
{
	struct svc_run *r = &s->run[i];
	if (s->stopping || s->g->skip[i] != SVC_OK || r->pid)
		return false;
	svc_restart_reset(&r->rs);
	r->retry = false;
	s->state[i] = SVC_WAITING;
	return true;
}

bool svc_sup_restart(struct svc_sup *s, size_t i, uint64_t now)
{
	struct svc_run *r = &s->run[i];
	if (s->stopping || s->g->skip[i] != SVC_OK)
		return false;
	if (!r->pid) {
		(void)svc_sup_start(s, i);
		return false;
	}
	r->stop_req = false;
	r->restart_req = true;
	r->kill_at = now + s->grace_ns;
	return true;
}

void svc_sup_shutdown(struct svc_sup *s)
{
	s->stopping = true;
	for (size_t i = 0; i < s->g->n; i++) {
		s->run[i].retry = false;
		if (s->state[i] == SVC_WAITING)
			s->state[i] = SVC_STOPPED;
	}
}

bool svc_sup_others_ended(const struct svc_sup *s)
{
	if (!s->stopping)
		return false;
	for (size_t i = 0; i < s->g->n; i++)
		if (s->run[i].pid && (s->run[i].term_sent || !held_back(s, i)))
			return false;
	return true;
}

void svc_sup_stop_last(struct svc_sup *s)
{
	s->last_phase = true;
}

bool svc_sup_all_ended(const struct svc_sup *s)
{
	for (size_t i = 0; i < s->g->n; i++)
		if (s->run[i].pid)
			return false;
	return s->stopping;
}

const char *svc_state_name(enum svc_state st)
{
	static const char *const names[] = {"waiting", "running", "ready",
					    "exited",  "failed",  "stopped"};
	return (unsigned)st < sizeof names / sizeof names[0] ? names[st] : "?";
}
