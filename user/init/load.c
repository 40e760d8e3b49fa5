/*
 * load.c - read the service files and resolve the dependency graph.
 *
 * The directory (argv word dir=PATH, default /etc/init.d) is read through
 * the initfs: scheme when PATH names no scheme: the files are in the boot
 * image, and file: (ramfsd) is itself one of the services, so it cannot
 * be where they come from. Every "*.toml" entry is loaded in name order
 * with svc_load (lib/svc); a file that does not load is logged as
 * "init: FILE: line L, column C: message" and skipped. Each loaded file
 * keeps its TOML storage (heap, never freed: the defs point into it).
 * The console program (argv word console=PATH) replaces the exec of the
 * service named getty, or becomes a service of that name. Then the
 * graph is built and its reports (cycles, missing services, skipped
 * dependents) are printed, each once.
 *
 * Runs once, at boot, in the main thread, before anything else.
 */
#include <string.h>
#include "init.h"
#include "rb/confdir.h"
#include "rb/malloc.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include "toml/toml.h"

#define FILE_MAX (16 * 1024)
#define NODES 256
#define BUF_BYTES 4096
#define NAMES_MAX SVC_GRAPH_MAX

static void on_report(void *ctx, const char *msg)
{
	rb_printf("init: %s\n", msg);
}

/* Load one file as service in->n. */
static void load_one(struct init *in, const char *name)
{
	char path[256], shown[256];
	rb_conf_path(path, sizeof path, in->dir, name);
	rb_snprintf(shown, sizeof shown, "%s/%s", in->dir, name);
	if (in->n == SVC_GRAPH_MAX) {
		rb_printf("init: %s: more than %d services; skipped\n", shown, SVC_GRAPH_MAX);
		return;
	}
	char *text = NULL;
	long len = rb_conf_read(path, FILE_MAX, &text);
	if (len < 0) {
		rb_printf("init: %s: %s\n", shown, err_name((int)len));
		return;
	}
	struct toml_node *nodes = rb_calloc(NODES, sizeof *nodes);
	char *bytes = rb_malloc(BUF_BYTES);
	struct toml_doc doc;
	struct toml_error err = {0};
	int r = -E_NOMEM;
	if (nodes && bytes) {
		toml_init(&doc, nodes, NODES, bytes, BUF_BYTES);
		r = svc_load(shown, text, (size_t)len, &doc, &in->defs[in->n], &err);
	}
	rb_free(text);
	if (r < 0) {
		char msg[256];
		if (r == -E_NOMEM)
			rb_snprintf(msg, sizeof msg, "%s: out of memory", shown);
		else
			toml_error_format(msg, sizeof msg, shown, &err);
		rb_printf("init: %s; skipped\n", msg);
		rb_free(nodes);
		rb_free(bytes);
		return;
	}
	in->n++;
}

/* console=PATH: the getty service runs PATH instead, or there is one. */
static void set_console(struct init *in)
{
	in->console = SVC_NONE;
	for (size_t i = 0; i < in->n; i++)
		if (!strcmp(in->defs[i].name, "getty"))
			in->console = i;
	if (!in->console_prog)
		return;
	if (in->console == SVC_NONE && in->n < SVC_GRAPH_MAX) {
		struct svc_def *d = &in->defs[in->n];
		memset(d, 0, sizeof *d);
		strcpy(d->name, "getty");
		d->type = SVC_DAEMON;
		d->restart = SVC_RESTART_ALWAYS;
		d->max_restarts = SVC_DEFAULT_MAX_RESTARTS;
		d->restart_window_s = SVC_DEFAULT_WINDOW_S;
		d->ready_timeout_s = SVC_DEFAULT_READY_TIMEOUT_S;
		d->health_interval_s = SVC_DEFAULT_HEALTH_INTERVAL_S;
		in->console = in->n++;
	}
	if (in->console != SVC_NONE) {
		in->defs[in->console].exec = in->console_prog;
		in->defs[in->console].nargs = 0;
	}
}

void load_services(struct init *in)
{
	static char names[NAMES_MAX][RB_CONF_NAME_MAX];
	size_t skipped = 0;
	long n = rb_conf_list(in->dir, ".toml", names, NAMES_MAX, &skipped);
	if (n < 0)
		rb_printf("init: %s: %s\n", in->dir, err_name((int)n));
	if (skipped)
		rb_printf("init: %s: %zu file(s) with too long a name, or too many; skipped\n",
			  in->dir, skipped);
	for (long i = 0; i < n; i++)
		load_one(in, names[i]);
	set_console(in);
	int r = svc_graph_build(&in->graph, in->defs, in->n, on_report, NULL);
	if (r < 0) {
		rb_printf("init: the service graph: %s\n", err_name(r));
		in->n = 0;
		if (svc_graph_build(&in->graph, in->defs, 0, NULL, NULL) < 0)
			return; /* cannot fail with no services */
	}
	svc_sup_init(&in->sup, &in->graph);
	if (in->console != SVC_NONE)
		svc_sup_hold(&in->sup, in->console, true);
}
