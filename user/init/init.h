/*
 * init.h - the supervising init's shared state and its modules
 * (docs/init.md).
 *
 * init is single-threaded: one main loop (main.c) owns everything here.
 * The only other code that runs is the signal handlers, which write one
 * byte to the self-pipe and touch nothing else. Modules:
 *   load.c     read the service files, resolve the graph (lib/svc)
 *   run.c      spawn services, readiness (ready_path, INIT_NOTIFY),
 *              health checks, reaping children, acting on lib/svc/sup
 *   scheme.c   the init: scheme (services, control, timeline)
 *   report.c   the services table, the boot timeline JSON, the settle report
 *   stop.c     the ordered shutdown, killing every other process, power off
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rb/server.h"
#include "svc/drvtl.h"
#include "svc/graph.h"
#include "svc/sup.h"

#define INIT_DIR_DEFAULT "/etc/init.d"
#define INIT_PROBE_NS (2ull * 1000 * 1000) /* between two opens of a ready_path */

enum init_halt { INIT_RUN, INIT_POWEROFF, INIT_REBOOT };

struct init {
	struct svc_def defs[SVC_GRAPH_MAX];
	size_t n;
	size_t console; /* the console service (getty), or SVC_NONE */
	struct svc_graph graph;
	struct svc_sup sup;
	int notify_fd[SVC_GRAPH_MAX]; /* read end of a running service's INIT_NOTIFY pipe, or -1 */
	int check_pid[SVC_GRAPH_MAX]; /* its health command's process, or 0 */
	const char *dir;	      /* where the service files are */
	const char *console_prog;     /* console=PATH, or NULL */
	bool timeline_serial;	      /* timeline=serial */
	bool table;		      /* table: print the services table once settled */
	char **envp;		      /* init's own environment, passed on */
	uint64_t start_ns, settled_ns;
	int settle_stage; /* 0 booting; 1 the others settled, console released; 2 settled */
	enum init_halt halt;
	bool halt_done;	      /* every service ended, the rest killed */
	bool power_tried;     /* the power step (acpi:/power) was tried */
	bool said_stopped;    /* "all services stopped" printed */
	struct drvtl drivers; /* driver-manager's events (init:/timeline writes) */
	int self_pipe[2];
	struct rb_server srv;
	bool serving;
};

extern struct init init_g;

/* load.c: read every service file in in->dir and build the graph (reports printed). */
void load_services(struct init *in);

/* run.c */
void run_init(struct init *in);
/* Act on everything svc_sup_poll() says is due now; true if anything was done. */
bool run_actions(struct init *in, uint64_t now);
/* Try the ready_path of every notify service not ready yet; true if one became ready. */
bool run_probe_ready(struct init *in, uint64_t now);
/* Is some notify service waiting for its ready_path to open? */
bool run_probing(const struct init *in);
/* A byte (or the end) on service i's notify pipe. */
void run_notified(struct init *in, size_t i, uint64_t now);
/* Reap every child that has ended (after SIGCHLD). */
void run_reap(struct init *in);
/* A waitpid status in words, into buf: "exit 3", "signal 11". */
const char *run_status_str(int status, char *buf, size_t len);

/* scheme.c */
void scheme_start(struct init *in);
void scheme_serve(struct init *in);
/* Parse and do one control command from uid: 0 or -E_*. */
int scheme_control(struct init *in, const char *cmd, size_t len, int uid);

/* report.c */
size_t report_services(const struct init *in, char *buf, size_t len);
size_t report_timeline(const struct init *in, char *buf, size_t len);
/* Called after every loop turn: the settle report, console release, timeline. */
void report_settle(struct init *in, uint64_t now);
void report_write_timeline(const struct init *in);

/* stop.c */
void stop_begin(struct init *in, enum init_halt how);
/* Once every service but the stop_last ones has ended: kill the rest, ask acpi:/power;
   if that returns, stop the stop_last services too. */
void stop_power(struct init *in);
/* Once every service has ended: kill the rest, power off through the kernel (no return). */
void stop_finish(struct init *in);
