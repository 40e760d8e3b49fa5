/*
 * sup.h - init's supervisor state machine (docs/init.md): what to start
 * now, what a child's end means, which deadline comes next, in what order
 * to stop. Pure: the daemon (user/init) spawns, kills, probes and logs;
 * this module only decides and keeps the books.
 *
 * The daemon calls svc_sup_poll() after every event and at every
 * deadline (svc_sup_deadline()); it returns the actions due now, each
 * for one service:
 *  - START: spawn it (the state is already RUNNING, so a dependency
 *    shared by several services is started once); then svc_sup_started()
 *    or, if the spawn failed, svc_sup_exited() with status 127;
 *  - BLOCKED: it will never start (a required service failed, stopped or
 *    exited); it is now FAILED; log it;
 *  - NOT_READY: a notify service not ready within ready_timeout: kill it
 *    (SIGKILL); its end counts as a bad one;
 *  - CHECK: run its health check; report with svc_sup_checked();
 *  - CHECK_TIMEOUT: the check did not answer within the interval: the
 *    daemon kills the check and reports it failed;
 *  - TERM / KILL: stopping: send SIGTERM now; the grace is over: SIGKILL
 *    (KILL also follows an administrator's stop or restart, whose SIGTERM
 *    the daemon sent itself, after the grace).
 * svc_sup_exited() applies the restart policy (restart.h) and returns
 * SVC_EXIT_FAILED exactly once per failure for good (the daemon logs it,
 * and the "critical" message when def->critical).
 *
 * Stopping (svc_sup_shutdown()): nothing starts any more; waiting
 * services become STOPPED; a running service gets TERM once every
 * service that needs it (requires or after) has ended: the reverse of the
 * start order. KILL follows grace_ns after TERM. A service marked
 * stop_last, and whatever it needs, is held back: once every other
 * service has ended (svc_sup_others_ended()) the daemon does its power
 * step, and only if that fails calls svc_sup_stop_last(), after which the
 * held services are stopped in the same order.
 *
 * Times are nanoseconds of the daemon's monotonic clock, passed in (0 is
 * never a deadline). Storage: the caller's struct svc_sup, referring to
 * the caller's graph (and its defs), which must outlive it. Locking:
 * none; the daemon's main loop owns it.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "svc/graph.h"
#include "svc/restart.h"

#define SVC_SUP_GRACE_NS (3000ull * 1000 * 1000) /* SIGTERM to SIGKILL when stopping */

enum svc_act_kind {
	SVC_ACT_START,
	SVC_ACT_BLOCKED,
	SVC_ACT_NOT_READY,
	SVC_ACT_CHECK,
	SVC_ACT_CHECK_TIMEOUT,
	SVC_ACT_TERM,
	SVC_ACT_KILL,
};

struct svc_act {
	uint8_t kind;  /* enum svc_act_kind */
	uint8_t svc;   /* the service's index */
	uint8_t other; /* BLOCKED: the required service that blocks it */
};

/* The books of one service. */
struct svc_run {
	int pid;	     /* its live process, 0: none */
	unsigned restarts;   /* restarts so far (shown in init:/services) */
	int last_exit;	     /* waitpid status of its last end, -1: none yet */
	bool bad_end;	     /* init killed it (not ready, failed check): the end is bad */
	bool stop_req;	     /* init is stopping it: its end makes it STOPPED */
	bool restart_req;    /* an administrator's restart: its end restarts it at once */
	bool term_sent;	     /* stopping: SIGTERM sent */
	bool checking;	     /* a health check is under way */
	bool retry;	     /* WAITING for a restart at restart_at */
	bool held;	     /* not started until released (svc_sup_hold) */
	uint64_t run_ns;     /* when the current run started */
	uint64_t restart_at; /* retry: when */
	uint64_t ready_by;   /* RUNNING notify: not ready by then is a bad end */
	uint64_t check_at;   /* next health check (or, checking: its timeout) */
	uint64_t kill_at;    /* term_sent: SIGKILL then */
	uint64_t start_ns;   /* first start (timeline), 0: never */
	uint64_t ready_ns;   /* first readiness, 0: never */
	uint64_t exit_ns;    /* latest end, 0: none */
	struct svc_restart_state rs;
};

struct svc_sup {
	const struct svc_graph *g;
	enum svc_state state[SVC_GRAPH_MAX];
	struct svc_run run[SVC_GRAPH_MAX];
	bool stopping;
	bool last_phase; /* stopping the stop_last services too */
	uint64_t grace_ns;
};

/* Start the books over g: every service WAITING, or FAILED if skipped. */
void svc_sup_init(struct svc_sup *s, const struct svc_graph *g);

/* The actions due at now (at most max, into out; the rest come next call): how many. */
size_t svc_sup_poll(struct svc_sup *s, uint64_t now, struct svc_act *out, size_t max);

/* The earliest time svc_sup_poll() has something to do, or 0 if nothing is pending. */
uint64_t svc_sup_deadline(const struct svc_sup *s);

/* Service i (told to START) runs as pid since now. */
void svc_sup_started(struct svc_sup *s, size_t i, int pid, uint64_t now);

/* Service i said it is ready (ready_path opened, or its INIT_NOTIFY byte). */
void svc_sup_ready(struct svc_sup *s, size_t i, uint64_t now);

/*
 * Service i's process ended with waitpid status (0..255 exit code, or 128 +
 * signal) at now: RESTART (it waits for *at), DONE (exited, stopped or
 * nothing to do) or FAILED (for good; said once).
 */
enum svc_exit svc_sup_exited(struct svc_sup *s, size_t i, int status, uint64_t now, uint64_t *at);

/* Service i's health check ended, ok or not: true if the daemon must now kill it. */
bool svc_sup_checked(struct svc_sup *s, size_t i, bool ok, uint64_t now);

/* The service whose process is pid, or SVC_NONE. */
size_t svc_sup_by_pid(const struct svc_sup *s, int pid);

/* Hold service i back (it is not started, and settled ignores it), or release it. */
void svc_sup_hold(struct svc_sup *s, size_t i, bool held);

/* True once no service is WAITING (but held) or RUNNING (a boot has settled). */
bool svc_sup_settled(const struct svc_sup *s);

/* An administrator's stop of i: true if the daemon must SIGTERM its pid now. */
bool svc_sup_stop(struct svc_sup *s, size_t i, uint64_t now);

/* An administrator's start of i (history forgotten): true if it will start. */
bool svc_sup_start(struct svc_sup *s, size_t i);

/* An administrator's restart: true if the daemon must SIGTERM its pid (it restarts on its end). */
bool svc_sup_restart(struct svc_sup *s, size_t i, uint64_t now);

/* Begin the ordered stop of everything (see above). */
void svc_sup_shutdown(struct svc_sup *s);

/* True when stopping and every live service is a stop_last one or needed by one, none signalled. */
bool svc_sup_others_ended(const struct svc_sup *s);

/* Stop the held-back services too (the power step failed). */
void svc_sup_stop_last(struct svc_sup *s);

/* True when stopping and no service has a live process. */
bool svc_sup_all_ended(const struct svc_sup *s);

/* The spelling of a state in init:/services: "running", "ready", ... */
const char *svc_state_name(enum svc_state st);
