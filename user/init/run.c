/*
 * run.c - init's hands: spawn services, watch their readiness, run their
 * health checks, reap them, and act on what lib/svc/sup decides.
 *
 * A service is spawned from its exec path with its args, on init's
 * console (fds 0-2), with init's environment plus its own, and as its
 * `user` (RB_SPAWN_SETUID; a name is looked up in initfs:/etc/passwd,
 * which holds the same accounts as file:'s copy and is there before
 * ramfsd; a number takes the gid of its passwd line, else its own). A notify
 * service also gets the write end of a fresh pipe as its fd 3 and
 * INIT_NOTIFY=3 in its environment: one byte written there says it is
 * ready (init keeps only the read end, so the service's end closing is
 * a hang-up). A notify service with a ready_path is also ready once that
 * path opens (any answer but ENOENT: the scheme is served); init tries
 * it every INIT_PROBE_NS while waiting, since a scheme's registration
 * sends no event. Health: health.path is opened and read (non-blocking
 * open; an error is a failed check); health.command is spawned and its
 * exit status is the answer, killed if it takes longer than the interval.
 *
 * Children are reaped only after SIGCHLD (the main loop's self-pipe):
 * run_reap() takes every ended child with WNOHANG and hands services to
 * svc_sup_exited(), health checks to svc_sup_checked(); reparented
 * orphans are just reaped. All state belongs to the main loop (init.h).
 */
#include <string.h>
#include "auth/passwd.h"
#include "init.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define ENV_MAX 48
static int check_for[SVC_GRAPH_MAX]; /* the service pid a running check is for */

void run_init(struct init *in)
{
	for (size_t i = 0; i < SVC_GRAPH_MAX; i++) {
		in->notify_fd[i] = -1;
		in->check_pid[i] = 0;
	}
}

const char *run_status_str(int status, char *buf, size_t len)
{
	if (status > 128 && status < 128 + 32)
		rb_snprintf(buf, len, "signal %d", status - 128);
	else
		rb_snprintf(buf, len, "exit %d", status);
	return buf;
}

static void close_notify(struct init *in, size_t i)
{
	if (in->notify_fd[i] >= 0)
		rb_close(in->notify_fd[i]);
	in->notify_fd[i] = -1;
}

/* Service i's run ended with status at now: the decision, and its log line. */
static void ended(struct init *in, size_t i, int status, uint64_t now)
{
	const struct svc_def *d = &in->defs[i];
	char st[24];
	uint64_t at = 0;
	close_notify(in, i);
	bool stopping = in->sup.stopping || in->sup.run[i].stop_req;
	uint64_t run_ns = in->sup.run[i].run_ns;
	enum svc_exit e = svc_sup_exited(&in->sup, i, status, now, &at);
	run_status_str(status, st, sizeof st);
	if (stopping) {
		rb_printf("init: %s stopped (%s)\n", d->name, st);
		return;
	}
	if (e == SVC_EXIT_RESTART && i == in->console && status == 0)
		return; /* a logout: the console comes back without a word */
	if (e == SVC_EXIT_RESTART) {
		rb_printf("init: %s ended (%s); restart %u in %u ms\n", d->name, st,
			  in->sup.run[i].restarts, (unsigned)((at - now) / 1000000));
		return;
	}
	if (e == SVC_EXIT_DONE && in->sup.state[i] == SVC_FAILED && status == 127)
		e = SVC_EXIT_FAILED; /* the program does not exist: failed now, said once */
	if (e != SVC_EXIT_FAILED)
		return;
	char why[96];
	if (status == 127 && run_ns == now) /* spawn failed */
		rb_snprintf(why, sizeof why, "it could not be started");
	else if (d->restart == SVC_RESTART_NEVER || d->max_restarts == 0)
		rb_snprintf(why, sizeof why, "it ended (%s)", st);
	else
		rb_snprintf(why, sizeof why, "it ended (%s) after %u restarts", st,
			    in->sup.run[i].restarts);
	rb_printf("init: %s failed: %s\n", d->name, why);
	if (d->critical)
		rb_printf("init: critical service %s failed: %s; the system is degraded\n", d->name,
			  why);
}

#define PASSWD_ROWS 64

/* The uid and gid d runs as: 0, or -E_NOENT (no such user name). */
static int service_user(const struct svc_def *d, int *uid, int *gid)
{
	static char text[8192];
	static struct passwd_entry rows[PASSWD_ROWS];
	*uid = *gid = d->uid;
	if (!d->user && d->uid == 0)
		return 0;
	size_t n = 0;
	int fd = rb_open("initfs:/etc/passwd", RB_O_RDONLY); /* the kernel's: never EINTR */
	long len = fd >= 0 ? rb_read(fd, text, sizeof text) : fd;
	if (fd >= 0) {
		rb_close(fd);
		if (len > 0)
			n = passwd_parse(text, (size_t)len, rows, PASSWD_ROWS, NULL, NULL);
	}
	const struct passwd_entry *e =
	    d->user ? passwd_by_name(rows, n, d->user) : passwd_by_uid(rows, n, d->uid);
	if (e) {
		*uid = e->uid;
		*gid = e->gid;
	}
	return e || !d->user ? 0 : -E_NOENT;
}

static void start(struct init *in, size_t i, uint64_t now)
{
	const struct svc_def *d = &in->defs[i];
	char *argv[SVC_MAX_ARGS + 2], *envp[ENV_MAX + 1];
	size_t na = 0, ne = 0;
	argv[na++] = (char *)d->exec;
	for (size_t k = 0; k < d->nargs; k++)
		argv[na++] = (char *)d->args[k];
	argv[na] = NULL;
	for (char **e = in->envp; e && *e && ne < ENV_MAX - SVC_MAX_ENV - 1; e++)
		envp[ne++] = *e;
	for (size_t k = 0; k < d->nenv; k++)
		envp[ne++] = (char *)d->env[k];
	int fdmap[4] = {0, 1, 2, -1}, nfd = 3, p[2] = {-1, -1};
	if (d->type == SVC_NOTIFY) {
		int r = rb_pipe(p, 0);
		if (r < 0) {
			rb_printf("init: %s: no notify pipe: %s\n", d->name, err_name(r));
		} else {
			fdmap[3] = p[1];
			nfd = 4;
			envp[ne++] = "INIT_NOTIFY=3";
		}
	}
	envp[ne] = NULL;
	struct rb_spawn_attr as = {RB_SPAWN_SETUID, 0, 0, 0};
	int pid = service_user(d, &as.uid, &as.gid);
	if (pid < 0)
		rb_printf("init: %s: no user '%s' in /etc/passwd\n", d->name, d->user);
	else
		pid = rb_spawn_attr(d->exec, argv, envp, fdmap, nfd, as.uid || as.gid ? &as : NULL);
	if (p[1] >= 0)
		rb_close(p[1]);
	if (pid < 0) {
		if (p[0] >= 0)
			rb_close(p[0]);
		rb_printf("init: cannot start %s (%s): %s\n", d->name, d->exec, err_name(pid));
		if (pid == -E_NOENT)
			in->sup.run[i].rs.failed =
			    true; /* no such program: a restart cannot help */
		svc_sup_started(&in->sup, i, 0, now);
		ended(in, i, 127, now);
		return;
	}
	in->notify_fd[i] = p[0];
	svc_sup_started(&in->sup, i, pid, now);
}

/* A failed check: kill the service (its end is a bad one, sup knows). */
static void check_result(struct init *in, size_t i, bool ok, const char *why, uint64_t now)
{
	if (!svc_sup_checked(&in->sup, i, ok, now))
		return;
	rb_printf("init: %s failed its health check (%s); killing it\n", in->defs[i].name, why);
	rb_kill(in->sup.run[i].pid, RB_SIGKILL);
}

static void check(struct init *in, size_t i, uint64_t now)
{
	const struct svc_def *d = &in->defs[i];
	if (d->health_path) {
		char buf[64];
		int fd = rb_open(d->health_path, RB_O_RDONLY | RB_O_NONBLOCK);
		long r = fd >= 0 ? rb_read(fd, buf, sizeof buf) : fd;
		if (fd >= 0)
			rb_close(fd);
		check_result(in, i, r >= 0, r < 0 ? err_name((int)r) : "", now);
		return;
	}
	char *argv[SVC_MAX_ARGS + 1];
	for (size_t k = 0; k < d->nhealth_cmd; k++)
		argv[k] = (char *)d->health_cmd[k];
	argv[d->nhealth_cmd] = NULL;
	static const int console[] = {0, 1, 2};
	int pid = rb_spawn(argv[0], argv, in->envp, console, 3);
	if (pid < 0) {
		check_result(in, i, false, err_name(pid), now);
		return;
	}
	in->check_pid[i] = pid;
	check_for[i] = in->sup.run[i].pid;
}

static void act(struct init *in, const struct svc_act *a, uint64_t now)
{
	size_t i = a->svc;
	const struct svc_def *d = &in->defs[i];
	int pid = in->sup.run[i].pid;
	switch (a->kind) {
	case SVC_ACT_START:
		start(in, i, now);
		break;
	case SVC_ACT_BLOCKED:
		rb_printf("init: %s not started: it requires %s, which %s\n", d->name,
			  in->defs[a->other].name, svc_state_name(in->sup.state[a->other]));
		if (d->critical)
			rb_printf("init: critical service %s failed: it could not start; the "
				  "system is degraded\n",
				  d->name);
		break;
	case SVC_ACT_NOT_READY:
		rb_printf("init: %s not ready within %u s; killing it\n", d->name,
			  d->ready_timeout_s);
		rb_kill(pid, RB_SIGKILL);
		break;
	case SVC_ACT_CHECK:
		check(in, i, now);
		break;
	case SVC_ACT_CHECK_TIMEOUT:
		if (in->check_pid[i])
			rb_kill(in->check_pid[i], RB_SIGKILL);
		check_for[i] = 0; /* its end is not an answer any more */
		check_result(in, i, false, "no answer", now);
		break;
	case SVC_ACT_TERM:
		rb_printf("init: stopping %s (pid %d)\n", d->name, pid);
		rb_kill(pid, RB_SIGTERM);
		break;
	case SVC_ACT_KILL:
		rb_printf("init: %s still runs after SIGTERM; SIGKILL\n", d->name);
		rb_kill(pid, RB_SIGKILL);
		break;
	}
}

bool run_actions(struct init *in, uint64_t now)
{
	struct svc_act acts[16];
	size_t n;
	bool any = false;
	while ((n = svc_sup_poll(&in->sup, now, acts, 16)) > 0) {
		any = true;
		for (size_t k = 0; k < n; k++)
			act(in, &acts[k], now);
	}
	return any;
}

static bool probe_wanted(const struct init *in, size_t i)
{
	return in->sup.state[i] == SVC_RUNNING && in->sup.run[i].pid &&
	       in->defs[i].type == SVC_NOTIFY && in->defs[i].ready_path && !in->sup.run[i].bad_end;
}

bool run_probing(const struct init *in)
{
	for (size_t i = 0; i < in->n; i++)
		if (probe_wanted(in, i))
			return true;
	return false;
}

bool run_probe_ready(struct init *in, uint64_t now)
{
	bool any = false;
	for (size_t i = 0; i < in->n; i++) {
		if (!probe_wanted(in, i))
			continue;
		int fd = rb_open(in->defs[i].ready_path, RB_O_RDONLY | RB_O_NONBLOCK);
		if (fd >= 0)
			rb_close(fd);
		if (fd != -E_NOENT) {
			svc_sup_ready(&in->sup, i, rb_now_ns());
			any = true;
		}
	}
	return any;
}

void run_notified(struct init *in, size_t i, uint64_t now)
{
	char b;
	long r = rb_read(in->notify_fd[i], &b, 1);
	if (r > 0)
		svc_sup_ready(&in->sup, i, now);
	else
		close_notify(in, i); /* its end closed: an exit follows, or it never says */
}

void run_reap(struct init *in)
{
	int pid, status;
	while ((pid = rb_waitpid(-1, &status, RB_WNOHANG)) > 0) {
		uint64_t now = rb_now_ns();
		size_t i = svc_sup_by_pid(&in->sup, pid);
		if (i != SVC_NONE) {
			ended(in, i, status, now);
			continue;
		}
		for (i = 0; i < in->n; i++) {
			if (in->check_pid[i] != pid)
				continue;
			in->check_pid[i] = 0;
			if (check_for[i] && check_for[i] == in->sup.run[i].pid) {
				char st[24];
				check_result(in, i, status == 0,
					     run_status_str(status, st, sizeof st), now);
			}
			check_for[i] = 0;
		}
	}
}
