/*
 * fuzz_svc.c - libFuzzer target for service files (lib/svc): the TOML
 * reader, the conversion to struct svc_def, the dependency graph and the
 * restart policy, fed together.
 *
 * The input is up to 8 service files separated by lines "---"; file i is
 * loaded as "s<i>.toml" (service s<i>, so requires = ["s1"] can name a
 * sibling). A loaded svc_def must satisfy every rule of svc.h; an error
 * must carry a message and a line inside its file. The loaded services
 * then form a graph: every report is a non-empty line, a startable service
 * requires only startable ones and sits on a later level than each of its
 * startable dependencies, and playing the daemon's start loop starts each
 * startable service exactly once, never before what it requires is ready,
 * and nothing else. Last, each service's restart state is driven through
 * ends taken from the input: a restart is never earlier than the end nor
 * later than the 30 s cap, the count stays within max_restarts, and
 * "failed" is said at most once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "svc/graph.h"
#include "svc/restart.h"

#define FILES 8
#define NODES 256

static struct toml_node nodes[FILES][NODES];
static char bufs[FILES][4096];
static struct svc_def defs[FILES];

static void check_def(const struct svc_def *d)
{
	if (!svc_name_valid(d->name) || !d->exec || !d->exec[0])
		abort();
	if (d->nargs > SVC_MAX_ARGS || d->nrequires > SVC_MAX_DEPS || d->nafter > SVC_MAX_DEPS ||
	    d->nenv > SVC_MAX_ENV || d->nhealth_cmd > SVC_MAX_ARGS)
		abort();
	for (size_t i = 0; i < d->nrequires; i++)
		if (!svc_name_valid(d->requires[i]))
			abort();
	for (size_t i = 0; i < d->nafter; i++)
		if (!svc_name_valid(d->after[i]))
			abort();
	for (size_t i = 0; i < d->nenv; i++)
		if (!strchr(d->env[i], '=') || d->env[i][0] == '=')
			abort();
	if ((unsigned)d->type > SVC_ONESHOT_ASYNC || (unsigned)d->restart > SVC_RESTART_ALWAYS)
		abort();
	if (d->max_restarts > 1000 || d->uid < 0)
		abort();
	unsigned secs[] = {d->restart_window_s, d->ready_timeout_s, d->health_interval_s};
	for (size_t i = 0; i < 3; i++)
		if (secs[i] < 1 || secs[i] > SVC_MAX_SECONDS)
			abort();
	/* only notify has a ready_path; notify without one uses INIT_NOTIFY */
	if (d->type != SVC_NOTIFY && d->ready_path)
		abort();
	if (d->health_path && d->nhealth_cmd)
		abort();
}

static void on_report(void *ctx, const char *msg)
{
	size_t n = strnlen(msg, SVC_REPORT_MAX);
	if (n == 0 || n == SVC_REPORT_MAX)
		abort();
	(*(unsigned *)ctx)++;
}

static void check_graph(const struct svc_graph *g)
{
	for (size_t v = 0; v < g->n; v++) {
		if (g->skip[v] != SVC_OK)
			continue;
		for (size_t k = 0; k < g->nreq[v]; k++)
			if (g->skip[g->req[v][k]] != SVC_OK ||
			    g->level[g->req[v][k]] >= g->level[v])
				abort();
		for (size_t k = 0; k < g->naft[v]; k++)
			if (g->skip[g->aft[v][k]] == SVC_OK &&
			    g->level[g->aft[v][k]] >= g->level[v])
				abort();
	}
}

static void play(const struct svc_graph *g)
{
	enum svc_state st[FILES];
	size_t ready[FILES];
	int starts[FILES] = {0};
	svc_graph_init_states(g, st);
	for (size_t round = 0; round <= g->n; round++) {
		size_t n = svc_graph_ready(g, st, ready, FILES);
		for (size_t k = 0; k < n; k++) {
			size_t v = ready[k];
			for (size_t j = 0; j < g->nreq[v]; j++)
				if (st[g->req[v][j]] != SVC_READY)
					abort();
			st[v] = SVC_RUNNING;
			starts[v]++;
		}
		for (size_t k = 0; k < n; k++)
			st[ready[k]] = SVC_READY;
	}
	for (size_t v = 0; v < g->n; v++)
		if (starts[v] != (g->skip[v] == SVC_OK))
			abort();
}

static void drive_restarts(const struct svc_def *d, const uint8_t *data, size_t size)
{
	struct svc_restart_state st = {0};
	uint64_t t = 0, at = 0;
	unsigned failed = 0;
	for (size_t i = 0; i + 1 < size && i < 64; i += 2) {
		uint64_t started = t;
		uint64_t ended = t + (uint64_t)data[i] * 997; /* up to ~254 s */
		enum svc_exit e = svc_restart_decide(&st, d, data[i + 1] & 1, started, ended, &at);
		if (e == SVC_EXIT_FAILED)
			failed++;
		if (e == SVC_EXIT_RESTART && (at < ended || at - ended > SVC_BACKOFF_CAP_MS))
			abort();
		if (st.count > d->max_restarts || failed > 1 ||
		    (st.failed && e == SVC_EXIT_RESTART))
			abort();
		t = e == SVC_EXIT_RESTART ? at : ended;
	}
}

/* The next file: its bytes up to a "\n---\n" line (or the end). */
static size_t next_file(const char *s, size_t len, size_t *skip)
{
	for (size_t i = 0; i + 5 <= len; i++)
		if (memcmp(s + i, "\n---\n", 5) == 0) {
			*skip = i + 5;
			return i + 1;
		}
	*skip = len;
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	size_t n = 0, at = 0;
	for (size_t f = 0; f < FILES && at < size; f++) {
		size_t skip, len = next_file(text + at, size - at, &skip);
		char file[16] = "s0.toml";
		file[1] = (char)('0' + f);
		struct toml_doc doc;
		struct toml_error err;
		toml_init(&doc, nodes[n], NODES, bufs[n], sizeof bufs[n]);
		/* the file in its own buffer, so a read past its end is caught */
		char *one = malloc(len ? len : 1);
		if (!one)
			abort();
		memcpy(one, text + at, len);
		int r = svc_load(file, one, len, &doc, &defs[n], &err);
		free(one);
		size_t lines = 1;
		for (size_t i = 0; i < len; i++)
			lines += text[at + i] == '\n';
		if (r == 0) {
			check_def(&defs[n]);
			n++;
		} else if (!err.msg[0] || err.line > lines) {
			abort();
		}
		at += skip;
	}
	struct svc_graph g;
	unsigned reports = 0;
	if (svc_graph_build(&g, defs, n, on_report, &reports) != 0)
		abort();
	if (reports > n * (2 * SVC_MAX_DEPS + 1))
		abort();
	check_graph(&g);
	play(&g);
	for (size_t i = 0; i < n; i++)
		drive_restarts(&defs[i], data, size);
	free(text);
	return 0;
}
