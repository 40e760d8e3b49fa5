/*
 * graph.c - init's dependency graph: resolve, find cycles, decide what
 * can start (graph.h has the rules).
 *
 * An edge v -> w means "v needs w" (v requires w, or starts after w).
 * Cycles are the strongly connected components of more than one service,
 * or a service with an edge to itself (Tarjan's algorithm, recursive: the
 * depth is at most SVC_GRAPH_MAX). Each cyclic component is reported once,
 * from its first service in file order, as one closed path found by a
 * depth-first search inside the component; the component's other members,
 * if any, are named after it. Skipping then spreads along `requires` edges
 * to a fixed point. All of it runs once, in svc_graph_build(); the queries
 * read only the graph and the caller's states.
 *
 * Pure: no allocation, no locks; the caller owns the graph and the states.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include "base/err.h"
#include "fmt/fmt.h"
#include "svc/graph.h"

/* A report line being built; it ends in "..." if it did not fit. */
struct line {
	char buf[SVC_REPORT_MAX];
	size_t at;
};

static void add(struct line *l, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void add(struct line *l, const char *fmt, ...)
{
	if (l->at >= sizeof l->buf)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(l->buf + l->at, sizeof l->buf - l->at, fmt, ap);
	va_end(ap);
	l->at += n > 0 ? (size_t)n : 0;
	if (l->at >= sizeof l->buf)
		memcpy(l->buf + sizeof l->buf - 4, "...", 4);
}

struct builder {
	struct svc_graph *g;
	svc_report_fn report;
	void *ctx;
	/* Tarjan */
	uint8_t index[SVC_GRAPH_MAX], low[SVC_GRAPH_MAX], comp[SVC_GRAPH_MAX];
	bool seen[SVC_GRAPH_MAX], on_stack[SVC_GRAPH_MAX];
	uint8_t stack[SVC_GRAPH_MAX];
	size_t sp, next_index, ncomp;
	uint8_t comp_size[SVC_GRAPH_MAX];
	bool self_loop[SVC_GRAPH_MAX]; /* per component */
};

static void emit(struct builder *b, struct line *l)
{
	if (b->report)
		b->report(b->ctx, l->buf);
}

static const char *name_of(const struct svc_graph *g, size_t i)
{
	return g->defs[i].name;
}

static size_t nedges(const struct svc_graph *g, size_t v)
{
	return (size_t)g->nreq[v] + g->naft[v];
}

static size_t edge(const struct svc_graph *g, size_t v, size_t k)
{
	return k < g->nreq[v] ? g->req[v][k] : g->aft[v][k - g->nreq[v]];
}

size_t svc_graph_find(const struct svc_graph *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->skip[i] != SVC_SKIP_DUPLICATE && strcmp(name_of(g, i), name) == 0)
			return i;
	return SVC_NONE;
}

/* ---------------------------------------------------------------- resolving */

static void find_duplicates(struct builder *b)
{
	struct svc_graph *g = b->g;
	for (size_t i = 0; i < g->n; i++)
		for (size_t j = 0; j < i; j++)
			if (g->skip[j] != SVC_SKIP_DUPLICATE &&
			    strcmp(name_of(g, i), name_of(g, j)) == 0) {
				struct line l = {.at = 0};
				g->skip[i] = SVC_SKIP_DUPLICATE;
				add(&l, "duplicate service '%s': the first one is kept",
				    name_of(g, i));
				emit(b, &l);
				break;
			}
}

/* True if list[0..n) holds name. */
static bool names(const char *const *list, size_t n, const char *name)
{
	for (size_t e = 0; e < n; e++)
		if (strcmp(list[e], name) == 0)
			return true;
	return false;
}

/*
 * True if the missing name was met before: in an earlier service, or
 * earlier in service i (its requires come before its after; pos counts
 * from the first requires entry).
 */
static bool missing_seen(const struct svc_graph *g, size_t i, size_t pos, const char *name)
{
	const struct svc_def *d = &g->defs[i];
	for (size_t j = 0; j < i; j++) {
		const struct svc_def *e = &g->defs[j];
		if (g->skip[j] != SVC_SKIP_DUPLICATE &&
		    (names(e->requires, e->nrequires, name) || names(e->after, e->nafter, name)))
			return true;
	}
	if (pos <= d->nrequires)
		return names(d->requires, pos, name);
	return names(d->requires, d->nrequires, name) || names(d->after, pos - d->nrequires, name);
}

/* One list of the services that name name in requires (or after) into l. */
static void add_namers(struct builder *b, struct line *l, const char *name, bool after)
{
	const struct svc_graph *g = b->g;
	const char *sep = after ? "; after it: " : "required by ";
	for (size_t i = 0; i < g->n; i++) {
		const struct svc_def *d = &g->defs[i];
		if (g->skip[i] == SVC_SKIP_DUPLICATE)
			continue;
		if (after ? names(d->after, d->nafter, name)
			  : names(d->requires, d->nrequires, name)) {
			add(l, "%s%s", sep, d->name);
			sep = ", ";
		}
	}
}

/* Report the missing service name once, with every service that names it. */
static void report_missing(struct builder *b, const char *name)
{
	struct line l = {.at = 0};
	add(&l, "missing service '%s' (", name);
	size_t at = l.at;
	add_namers(b, &l, name, false);
	if (l.at == at)
		add(&l, "required by none");
	add_namers(b, &l, name, true);
	add(&l, ")");
	emit(b, &l);
}

/* Resolve one list of names into out[]; a missing name is reported at its first naming. */
static uint8_t resolve(struct builder *b, size_t i, const char *const *list, size_t n, size_t pos0,
		       uint8_t *out, bool *missing)
{
	uint8_t k = 0;
	for (size_t e = 0; e < n; e++) {
		size_t w = svc_graph_find(b->g, list[e]);
		if (w != SVC_NONE) {
			out[k++] = (uint8_t)w;
			continue;
		}
		*missing = true;
		if (!missing_seen(b->g, i, pos0 + e, list[e]))
			report_missing(b, list[e]);
	}
	return k;
}

static void resolve_all(struct builder *b)
{
	struct svc_graph *g = b->g;
	for (size_t i = 0; i < g->n; i++) {
		const struct svc_def *d = &g->defs[i];
		bool miss_req = false, miss_aft = false;
		if (g->skip[i] == SVC_SKIP_DUPLICATE)
			continue;
		g->nreq[i] = resolve(b, i, d->requires, d->nrequires, 0, g->req[i], &miss_req);
		g->naft[i] = resolve(b, i, d->after, d->nafter, d->nrequires, g->aft[i], &miss_aft);
		if (miss_req)
			g->skip[i] = SVC_SKIP_MISSING;
	}
}

/* ---------------------------------------------------------------- cycles */

static void strongconnect(struct builder *b, size_t v)
{
	const struct svc_graph *g = b->g;
	b->seen[v] = true;
	b->index[v] = b->low[v] = (uint8_t)b->next_index++;
	b->stack[b->sp++] = (uint8_t)v;
	b->on_stack[v] = true;
	for (size_t k = 0; k < nedges(g, v); k++) {
		size_t w = edge(g, v, k);
		if (!b->seen[w]) {
			strongconnect(b, w);
			b->low[v] = MIN(b->low[v], b->low[w]);
		} else if (b->on_stack[w]) {
			b->low[v] = MIN(b->low[v], b->index[w]);
		}
	}
	if (b->low[v] != b->index[v])
		return;
	size_t c = b->ncomp++, w;
	b->comp_size[c] = 0;
	b->self_loop[c] = false;
	do {
		w = b->stack[--b->sp];
		b->on_stack[w] = false;
		b->comp[w] = (uint8_t)c;
		b->comp_size[c]++;
	} while (w != v);
	for (size_t k = 0; k < nedges(g, v); k++)
		b->self_loop[c] |= edge(g, v, k) == v;
}

/* A closed path s -> ... -> s inside s's component into path[]: its length (without the return). */
static size_t cycle_path(const struct builder *b, size_t s, uint8_t *path)
{
	const struct svc_graph *g = b->g;
	uint8_t iter[SVC_GRAPH_MAX];
	bool seen[SVC_GRAPH_MAX] = {false};
	size_t depth = 0;
	path[0] = (uint8_t)s;
	iter[0] = 0;
	seen[s] = true;
	for (;;) {
		size_t v = path[depth];
		if (iter[depth] == nedges(g, v)) {
			if (depth == 0)
				return 0; /* not reached: a component leads back to s */
			depth--;
			continue;
		}
		size_t w = edge(g, v, iter[depth]++);
		if (b->comp[w] != b->comp[s])
			continue;
		if (w == s)
			return depth + 1;
		if (seen[w])
			continue;
		seen[w] = true;
		path[++depth] = (uint8_t)w;
		iter[depth] = 0;
	}
}

static void report_cycle(struct builder *b, size_t s)
{
	const struct svc_graph *g = b->g;
	uint8_t path[SVC_GRAPH_MAX];
	bool on_path[SVC_GRAPH_MAX] = {false};
	size_t n = cycle_path(b, s, path);
	struct line l = {.at = 0};
	add(&l, "cycle: ");
	for (size_t k = 0; k < n; k++) {
		add(&l, "%s -> ", name_of(g, path[k]));
		on_path[path[k]] = true;
	}
	add(&l, "%s", name_of(g, s));
	const char *sep = " (also on the cycle: ";
	for (size_t i = 0; i < g->n; i++)
		if (b->seen[i] && b->comp[i] == b->comp[s] && !on_path[i]) {
			add(&l, "%s%s", sep, name_of(g, i));
			sep = ", ";
		}
	if (sep[0] == ',')
		add(&l, ")");
	emit(b, &l);
}

static void find_cycles(struct builder *b)
{
	struct svc_graph *g = b->g;
	bool reported[SVC_GRAPH_MAX] = {false};
	for (size_t v = 0; v < g->n; v++)
		if (!b->seen[v] && g->skip[v] != SVC_SKIP_DUPLICATE)
			strongconnect(b, v);
	for (size_t v = 0; v < g->n; v++) {
		if (!b->seen[v])
			continue;
		size_t c = b->comp[v];
		if (b->comp_size[c] < 2 && !b->self_loop[c])
			continue;
		g->skip[v] = SVC_SKIP_CYCLE;
		if (!reported[c]) {
			reported[c] = true;
			report_cycle(b, v);
		}
	}
}

/* ---------------------------------------------------------------- skipping, levels */

static void skip_dependents(struct builder *b)
{
	struct svc_graph *g = b->g;
	bool changed = true;
	while (changed) {
		changed = false;
		for (size_t v = 0; v < g->n; v++) {
			if (g->skip[v] != SVC_OK)
				continue;
			for (size_t k = 0; k < g->nreq[v]; k++) {
				size_t w = g->req[v][k];
				if (g->skip[w] == SVC_OK)
					continue;
				struct line l = {.at = 0};
				g->skip[v] = SVC_SKIP_DEP;
				add(&l, "skipped '%s': it requires '%s', which cannot start",
				    name_of(g, v), name_of(g, w));
				emit(b, &l);
				changed = true;
				break;
			}
		}
	}
}

/* The start wave of an OK service: 0 with no OK dependency, else one past the deepest. */
static uint8_t level_of(struct svc_graph *g, size_t v, bool *done)
{
	if (done[v])
		return g->level[v];
	uint8_t lv = 0;
	for (size_t k = 0; k < nedges(g, v); k++) {
		size_t w = edge(g, v, k);
		if (g->skip[w] == SVC_OK)
			lv = MAX(lv, (uint8_t)(level_of(g, w, done) + 1));
	}
	done[v] = true;
	g->level[v] = lv;
	return lv;
}

int svc_graph_build(struct svc_graph *g, const struct svc_def *defs, size_t n, svc_report_fn report,
		    void *ctx)
{
	if (n > SVC_GRAPH_MAX)
		return -E_2BIG;
	for (size_t i = 0; i < n; i++)
		if (defs[i].nrequires > SVC_MAX_DEPS || defs[i].nafter > SVC_MAX_DEPS)
			return -E_INVAL;
	memset(g, 0, sizeof *g);
	g->defs = defs;
	g->n = n;
	struct builder b;
	memset(&b, 0, sizeof b);
	b.g = g;
	b.report = report;
	b.ctx = ctx;
	find_duplicates(&b);
	resolve_all(&b);
	find_cycles(&b);
	skip_dependents(&b);
	bool done[SVC_GRAPH_MAX] = {false};
	for (size_t v = 0; v < n; v++)
		if (g->skip[v] == SVC_OK)
			level_of(g, v, done);
	return 0;
}

/* ---------------------------------------------------------------- starting */

void svc_graph_init_states(const struct svc_graph *g, enum svc_state *state)
{
	for (size_t i = 0; i < g->n; i++)
		state[i] = g->skip[i] == SVC_OK ? SVC_WAITING : SVC_FAILED;
}

static bool is_oneshot(const struct svc_def *d)
{
	return d->type == SVC_ONESHOT || d->type == SVC_ONESHOT_ASYNC;
}

enum svc_next svc_graph_next(const struct svc_graph *g, size_t i, const enum svc_state *state,
			     size_t *blocker)
{
	if (i >= g->n || g->skip[i] != SVC_OK || state[i] != SVC_WAITING)
		return SVC_NEXT_NONE;
	bool wait = false;
	for (size_t k = 0; k < g->nreq[i]; k++) {
		size_t w = g->req[i][k];
		enum svc_state s = state[w];
		if (s == SVC_READY || (s == SVC_EXITED && is_oneshot(&g->defs[w])))
			continue;
		if (s == SVC_WAITING || s == SVC_RUNNING) {
			wait = true;
			continue;
		}
		if (blocker)
			*blocker = w;
		return SVC_NEXT_BLOCKED;
	}
	for (size_t k = 0; k < g->naft[i]; k++) {
		enum svc_state s = state[g->aft[i][k]];
		wait |= s == SVC_WAITING || s == SVC_RUNNING;
	}
	return wait ? SVC_NEXT_WAIT : SVC_NEXT_START;
}

size_t svc_graph_ready(const struct svc_graph *g, const enum svc_state *state, size_t *out,
		       size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < g->n && n < max; i++)
		if (svc_graph_next(g, i, state, NULL) == SVC_NEXT_START)
			out[n++] = i;
	return n;
}
