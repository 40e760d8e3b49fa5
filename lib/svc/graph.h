/*
 * graph.h - the dependency graph over init's services (docs/init.md,
 * "Dependencies").
 *
 * A service's `requires` are hard dependencies: it starts only once each
 * is ready, and not at all if one fails for good or cannot start. Its
 * `after` entries only order: it starts once each has finished starting
 * (ready, exited, failed or stopped) or is not going to start. Both kinds
 * of edge count for cycles.
 *
 * svc_graph_build() resolves names to indices and decides, once, which
 * services can never start, reporting each reason once through a
 * callback: a later service of the same name as an earlier one is a
 * duplicate; every service on a cycle (a strongly connected set, or a
 * service that names itself) is skipped, and the cycle is reported once
 * with its whole path ("cycle: a -> b -> c -> a"); a missing service is
 * reported once, however many services name it, and the services that
 * require it are skipped (for `after` it is ignored); then every service
 * that requires a skipped one is skipped too, and reported. A diamond (two
 * services sharing one dependency) is not a cycle.
 *
 * Starting is driven by the daemon's state array: svc_graph_ready() lists
 * the services that may be started now, in parallel; the daemon marks
 * each RUNNING as it starts it, so a dependency shared by several
 * services is started once. svc_graph_next() says the same for one
 * service, or that it is blocked by a dependency that failed. level[] is
 * the static plan: the services of one level have no path between them.
 *
 * Storage: the caller's struct svc_graph (fixed arrays, at most
 * SVC_GRAPH_MAX services); it refers to the caller's defs, which must
 * outlive it. Locking: none; the daemon owns the graph and its states.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "svc/svc.h"

#define SVC_GRAPH_MAX 64   /* services */
#define SVC_REPORT_MAX 256 /* bytes of a report line, with its NUL; longer lines end in "..." */

/* Why a service can never start (svc_graph.skip[]). */
enum svc_skip {
	SVC_OK,
	SVC_SKIP_DUPLICATE, /* another service has this name */
	SVC_SKIP_CYCLE,	    /* on a dependency cycle */
	SVC_SKIP_MISSING,   /* requires a service that does not exist */
	SVC_SKIP_DEP,	    /* requires a skipped service */
};

/* A service's run state, kept by the daemon (docs/init.md, "States"). */
enum svc_state {
	SVC_WAITING, /* not started yet: dependencies, or a restart's backoff */
	SVC_RUNNING, /* started, not ready yet */
	SVC_READY,   /* ready: dependents may start */
	SVC_EXITED,  /* exited 0 and not restarted (a finished oneshot) */
	SVC_FAILED,  /* failed for good, or skipped */
	SVC_STOPPED, /* stopped by init */
};

enum svc_next {
	SVC_NEXT_NONE,	  /* not waiting: nothing to decide */
	SVC_NEXT_WAIT,	  /* a dependency has not finished starting */
	SVC_NEXT_START,	  /* start it now */
	SVC_NEXT_BLOCKED, /* a required service failed, stopped or exited: it will not start */
};

#define SVC_NONE 0xff /* no index */

struct svc_graph {
	const struct svc_def *defs;
	size_t n;
	uint8_t nreq[SVC_GRAPH_MAX], naft[SVC_GRAPH_MAX];
	uint8_t req[SVC_GRAPH_MAX][SVC_MAX_DEPS]; /* resolved requires */
	uint8_t aft[SVC_GRAPH_MAX][SVC_MAX_DEPS]; /* resolved after (missing ones dropped) */
	uint8_t skip[SVC_GRAPH_MAX];		  /* enum svc_skip */
	uint8_t level[SVC_GRAPH_MAX];		  /* start wave of an SVC_OK service, from 0 */
};

/* Told one line: a cycle, a missing service, a duplicate, a skipped dependent. */
typedef void (*svc_report_fn)(void *ctx, const char *msg);

/*
 * Build g over defs[0..n): 0, -E_2BIG if n > SVC_GRAPH_MAX, or -E_INVAL
 * if a def lists more than SVC_MAX_DEPS requires or after. Every
 * service that can never start is marked in g->skip and reported once
 * (report may be NULL).
 */
MUST_CHECK int svc_graph_build(struct svc_graph *g, const struct svc_def *defs, size_t n,
			       svc_report_fn report, void *ctx);

/* The first state of each service: WAITING, or FAILED for a skipped one. */
void svc_graph_init_states(const struct svc_graph *g, enum svc_state *state);

/*
 * What to do with service i given every service's state; on BLOCKED,
 * *blocker (if not NULL) is the required service that blocks it.
 */
enum svc_next svc_graph_next(const struct svc_graph *g, size_t i, const enum svc_state *state,
			     size_t *blocker);

/* The services that may start now, at most max of them, into out: how many. */
size_t svc_graph_ready(const struct svc_graph *g, const enum svc_state *state, size_t *out,
		       size_t max);

/* Index of the service called name (not a duplicate), or SVC_NONE. */
size_t svc_graph_find(const struct svc_graph *g, const char *name);
