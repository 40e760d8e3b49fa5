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

/* The path to read: initfs:PATH for a path with no scheme. */
static void full_path(char *out, size_t len, const char *dir, const char *name)
{
	const char *pre = strchr(dir, ':') ? "" : "initfs:";
	if (name)
		rb_snprintf(out, len, "%s%s/%s", pre, dir, name);
	else
		rb_snprintf(out, len, "%s%s", pre, dir);
}

/* Read the whole file at path into a new heap buffer: its length, or an error. */
static long read_file(const char *path, char **out)
{
	int fd = rb_open(path, RB_O_RDONLY);
	if (fd < 0)
		return fd;
	char *buf = rb_malloc(FILE_MAX);
	long got = 0, r = 0;
	while (buf && got < FILE_MAX && (r = rb_read(fd, buf + got, FILE_MAX - got)) > 0)
		got += r;
	rb_close(fd);
	if (!buf)
		return -E_NOMEM;
	if (r < 0 || got == FILE_MAX) {
		rb_free(buf);
		return r < 0 ? r : -E_2BIG;
	}
	*out = buf;
	return got;
}

/* Load one file as service in->n. */
static void load_one(struct init *in, const char *name)
{
	char path[256], shown[256];
	full_path(path, sizeof path, in->dir, name);
	rb_snprintf(shown, sizeof shown, "%s/%s", in->dir, name);
	if (in->n == SVC_GRAPH_MAX) {
		rb_printf("init: %s: more than %d services; skipped\n", shown, SVC_GRAPH_MAX);
		return;
	}
	char *text = NULL;
	long len = read_file(path, &text);
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

static bool is_toml(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".toml");
}

/* The directory's *.toml names, sorted, into names: how many. */
static size_t list_dir(const char *dir, char names[][SVC_NAME_MAX + 6], size_t max)
{
	char path[256];
	full_path(path, sizeof path, dir, NULL);
	int fd = rb_open(path, RB_O_RDONLY | RB_O_DIRECTORY);
	if (fd < 0) {
		rb_printf("init: %s: %s\n", dir, err_name(fd));
		return 0;
	}
	static char buf[4096];
	size_t n = 0;
	long got;
	while ((got = rb_getdents(fd, buf, sizeof buf)) > 0) {
		for (long at = 0; at < got;) {
			const struct rb_dirent *d = (const void *)(buf + at);
			if (!d->reclen)
				break;
			at += d->reclen;
			if (!is_toml(d->name))
				continue;
			if (strlen(d->name) >= SVC_NAME_MAX + 6 || n == max) {
				rb_printf(
				    "init: %s/%s: name too long, or too many files; skipped\n", dir,
				    d->name);
				continue;
			}
			strcpy(names[n++], d->name);
		}
	}
	rb_close(fd);
	for (size_t i = 1; i < n; i++) /* insertion sort: a few dozen names */
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char t[SVC_NAME_MAX + 6];
			strcpy(t, names[j]);
			strcpy(names[j], names[j - 1]);
			strcpy(names[j - 1], t);
		}
	return n;
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
	static char names[NAMES_MAX][SVC_NAME_MAX + 6];
	size_t n = list_dir(in->dir, names, NAMES_MAX);
	for (size_t i = 0; i < n; i++)
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
