/*
 * run.c - utiltest's driver core: run a utility with a given stdin and
 * capture its stdout, stderr and exit status (utiltest.h).
 *
 * ut_run makes three pipes, spawns the program with posix_spawnp (the
 * child's fds 0-2 are the pipes' far ends, nothing else), then one poll
 * loop feeds stdin and drains stdout and stderr until both reach EOF,
 * and waitpid collects the status. A program still running after
 * UT_TIMEOUT_MS is killed with SIGKILL. ut_run_as spawns this program
 * again as "utiltest --runas UID PROG ARGS..." (ut_runas_main), which
 * drops to uid/gid UID and runs PROG on the same fds.
 *
 * SIGPIPE is ignored (main.c), so a program that exits without reading
 * its stdin only makes a write fail. State: none beyond each call's
 * locals and the caller's ut_result; one thread.
 */
#include "utiltest.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SELF "initfs:/bin/utiltest"

extern char **environ;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Append what fd has to buf; false at EOF or error. */
static int drain(int fd, char *buf, size_t *len, size_t *lost)
{
	char tmp[512];
	ssize_t k = read(fd, tmp, sizeof tmp);

	if (k <= 0)
		return 0;
	for (ssize_t i = 0; i < k; i++) {
		if (*len + 1 < UT_CAP)
			buf[(*len)++] = tmp[i];
		else
			(*lost)++;
	}
	buf[*len] = '\0';
	return 1;
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
}

/* Spawn path (searching PATH) with argv on pipes, feed, capture, wait. */
static int run_argv(struct ut_result *r, const char *stdin_text, char *const *argv)
{
	int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int e;

	memset(r, 0, sizeof *r);
	r->status = UT_SPAWN_FAILED;
	if (pipe(in) < 0 || pipe(out) < 0 || pipe(err) < 0) {
		r->spawn_err = errno;
		close_pair(in);
		close_pair(out);
		close_pair(err);
		return r->status;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	posix_spawn_file_actions_addclose(&fa, in[0]);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	posix_spawn_file_actions_addclose(&fa, out[1]);
	posix_spawn_file_actions_addclose(&fa, err[0]);
	posix_spawn_file_actions_addclose(&fa, err[1]);
	e = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	if (e) {
		r->spawn_err = e;
		close(in[1]);
		close(out[0]);
		close(err[0]);
		return r->status;
	}

	const char *feed = stdin_text ? stdin_text : "";
	size_t left = strlen(feed);
	int open_out = 1, open_err = 1, open_in = 1, killed = 0;
	long long deadline = now_ms() + UT_TIMEOUT_MS;

	if (left == 0) {
		close(in[1]);
		open_in = 0;
	}
	while (open_out || open_err) {
		struct pollfd p[3];
		int np = 0, io = -1, ie = -1, ii = -1;
		long long wait = deadline - now_ms();

		/* only open fds are polled: this kernel's poll need not skip fd -1 */
		if (open_out) {
			io = np;
			p[np++] = (struct pollfd){out[0], POLLIN, 0};
		}
		if (open_err) {
			ie = np;
			p[np++] = (struct pollfd){err[0], POLLIN, 0};
		}
		if (open_in) {
			ii = np;
			p[np++] = (struct pollfd){in[1], POLLOUT, 0};
		}
		if (wait <= 0) {
			kill(pid, SIGKILL);
			killed = 1;
			break;
		}
		if (poll(p, (nfds_t)np, wait > 1000 ? 1000 : (int)wait) < 0 && errno != EINTR)
			break;
		if (io >= 0 && p[io].revents)
			open_out = drain(out[0], r->out, &r->out_len, &r->out_lost);
		if (ie >= 0 && p[ie].revents)
			open_err = drain(err[0], r->err, &r->err_len, &r->err_lost);
		if (ii >= 0 && p[ii].revents) {
			size_t chunk = left > 256 ? 256 : left;
			ssize_t k = (p[ii].revents & POLLOUT) ? write(in[1], feed, chunk) : -1;

			if (k > 0) {
				feed += k;
				left -= (size_t)k;
			}
			if (k <= 0 || left == 0) {
				close(in[1]);
				open_in = 0;
			}
		}
	}
	if (open_in)
		close(in[1]);
	close(out[0]);
	close(err[0]);

	int st;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (killed)
		r->status = UT_TIMEOUT;
	else if (WIFEXITED(st))
		r->status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		r->status = 128 + WTERMSIG(st);
	else
		r->status = st;
	return r->status;
}

int ut_run(struct ut_result *r, const char *stdin_text, const char *const *argv)
{
	return run_argv(r, stdin_text, (char *const *)argv);
}

int ut_run_as(struct ut_result *r, int uid, const char *stdin_text, const char *const *argv)
{
	char *a[64];
	char num[16];
	size_t i = 0;

	snprintf(num, sizeof num, "%d", uid);
	a[i++] = SELF;
	a[i++] = "--runas";
	a[i++] = num;
	for (size_t k = 0; argv[k] && i < sizeof a / sizeof a[0] - 1; k++)
		a[i++] = (char *)argv[k];
	a[i] = NULL;
	return run_argv(r, stdin_text, a);
}

/* utiltest --runas UID PROG ARGS...: become UID, run PROG, pass its status on. */
int ut_runas_main(int argc, char **argv)
{
	pid_t pid;
	int uid, e, st;

	if (argc < 4) {
		fprintf(stderr, "utiltest --runas: usage: utiltest --runas UID PROG [ARGS...]\n");
		return 2;
	}
	uid = atoi(argv[2]);
	if (setgid(uid) < 0 || setuid(uid) < 0) {
		fprintf(stderr, "utiltest --runas: cannot become uid %d: %s\n", uid,
			strerror(errno));
		return 125;
	}
	e = posix_spawnp(&pid, argv[3], NULL, NULL, argv + 3, environ);
	if (e) {
		fprintf(stderr, "utiltest --runas: %s: %s\n", argv[3], strerror(e));
		return 127;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 125;
}

int ut_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	size_t left = strlen(text);

	if (fd < 0)
		return -1;
	while (left) {
		ssize_t k = write(fd, text, left);

		if (k <= 0) {
			close(fd);
			return -1;
		}
		text += k;
		left -= (size_t)k;
	}
	return close(fd);
}
