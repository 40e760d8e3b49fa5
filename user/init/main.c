/*
 * init - the first user program, pid 1: the service supervisor
 * (docs/init.md).
 *
 * Argv words (the kernel command line's init.KEY=VAL): dir=PATH (service
 * files; default /etc/init.d), console=PATH (the console service runs
 * PATH), timeline=serial (print the boot timeline once settled), table
 * (print the services table once settled). Run as any pid but 1 (a test
 * spawning it), it starts nothing and exits 0.
 *
 * This file is the main loop, one rb_poll over the self-pipe (SIGCHLD,
 * SIGTERM: the handlers write one byte and nothing else), the notify
 * pipes of services not ready yet and the init: server fd, with a
 * timeout that is the next deadline of lib/svc/sup (restart backoff,
 * readiness, health, stop grace) or the ready_path probe interval. Each
 * turn acts on what is due (run.c), reports the settle (report.c) and
 * finishes a shutdown (stop.c). All state is init_g, owned by this one
 * thread.
 */
#include <string.h>
#include "init.h"
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/sys.h"

struct init init_g;

static void on_signal(int sig)
{
	char b = sig == RB_SIGCHLD ? 'c' : 't';
	(void)rb_write(init_g.self_pipe[1], &b, 1); /* full pipe: a byte is there already */
}

static void parse_args(struct init *in, int argc, char **argv)
{
	in->dir = INIT_DIR_DEFAULT;
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "dir=", 4) && argv[i][4])
			in->dir = argv[i] + 4;
		else if (!strncmp(argv[i], "console=", 8) && argv[i][8])
			in->console_prog = argv[i] + 8;
		else if (!strcmp(argv[i], "timeline=serial"))
			in->timeline_serial = true;
		else if (!strcmp(argv[i], "table"))
			in->table = true;
		/* anything else is the kernel's or another program's: ignored */
	}
}

static void setup_signals(struct init *in)
{
	if (rb_pipe(in->self_pipe, RB_O_NONBLOCK) < 0) {
		rb_printf("init: no self-pipe: restarts will wait for the next deadline\n");
		in->self_pipe[0] = in->self_pipe[1] = -1;
	}
	struct rb_sigaction sa = {.handler = on_signal};
	rb_sigaction(RB_SIGCHLD, &sa, NULL);
	rb_sigaction(RB_SIGTERM, &sa, NULL);
}

/* Drain the self-pipe: a SIGTERM starts the shutdown; every wake-up reaps. */
static void on_self_pipe(struct init *in)
{
	char buf[64];
	long n;
	while ((n = rb_read(in->self_pipe[0], buf, sizeof buf)) > 0)
		for (long k = 0; k < n; k++)
			if (buf[k] == 't' && in->halt == INIT_RUN) {
				rb_printf("init: SIGTERM: shutting down\n");
				stop_begin(in, INIT_POWEROFF);
			}
	run_reap(in);
}

/* Act until nothing more is due now. */
static void settle_turn(struct init *in)
{
	for (;;) {
		uint64_t now = rb_now_ns();
		bool again = run_actions(in, now);
		if (run_probing(in))
			again |= run_probe_ready(in, now);
		int stage = in->settle_stage;
		report_settle(in, now);
		again |= stage != in->settle_stage;
		if (!again)
			return;
	}
}

static int64_t timeout_ns(const struct init *in)
{
	uint64_t now = rb_now_ns(), d = svc_sup_deadline(&in->sup);
	int64_t t = !d ? -1 : d > now ? (int64_t)(d - now) : 0;
	if (run_probing(in) && (t < 0 || t > (int64_t)INIT_PROBE_NS))
		t = (int64_t)INIT_PROBE_NS;
	return t;
}

static void loop(struct init *in)
{
	struct rb_pollfd fds[2 + SVC_GRAPH_MAX];
	uint8_t who[2 + SVC_GRAPH_MAX];
	for (;;) {
		settle_turn(in);
		if (in->halt != INIT_RUN && !in->power_tried && svc_sup_others_ended(&in->sup)) {
			stop_power(in);
			continue; /* the held services are being stopped now */
		}
		if (in->halt != INIT_RUN && svc_sup_all_ended(&in->sup))
			stop_finish(in);
		size_t n = 0;
		if (in->self_pipe[0] >= 0)
			fds[n++] = (struct rb_pollfd){.fd = in->self_pipe[0], .events = RB_POLLIN};
		size_t srv_at = n;
		if (in->serving)
			fds[n++] = (struct rb_pollfd){.fd = in->srv.fd, .events = RB_POLLIN};
		size_t first_notify = n;
		for (size_t i = 0; i < in->n; i++)
			if (in->notify_fd[i] >= 0) {
				who[n] = (uint8_t)i;
				fds[n++] =
				    (struct rb_pollfd){.fd = in->notify_fd[i], .events = RB_POLLIN};
			}
		int r = rb_poll(fds, n, timeout_ns(in));
		if (r == -E_INTR || r == 0) {
			if (r == -E_INTR)
				on_self_pipe(in); /* the handler's byte is there */
			continue;
		}
		if (r < 0) {
			rb_printf("init: poll: %s\n", err_name(r));
			rb_nanosleep(10ull * 1000 * 1000);
			continue;
		}
		if (in->self_pipe[0] >= 0 && fds[0].revents)
			on_self_pipe(in);
		uint64_t now = rb_now_ns();
		for (size_t k = first_notify; k < n; k++)
			if (fds[k].revents && in->notify_fd[who[k]] == fds[k].fd)
				run_notified(in, who[k], now);
		if (in->serving && fds[srv_at].revents)
			scheme_serve(in);
	}
}

int main(int argc, char **argv, char **envp)
{
	struct init *in = &init_g;
	rb_printf("init: started\n");
	if (rb_getpid() != 1) {
		rb_printf("init: not pid 1: no services started\n");
		return 0;
	}
	in->start_ns = rb_now_ns();
	in->envp = envp;
	parse_args(in, argc, argv);
	run_init(in);
	setup_signals(in);
	load_services(in);
	scheme_start(in);
	loop(in);
	return 0;
}
