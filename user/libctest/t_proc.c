/* t_proc.c - posix_spawn with redirects, waitpid statuses, signals, kill. */
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <errno.h>
#include <unistd.h>
#include "libctest.h"

/* Spawn "libctest child a b" (with attr, or NULL) with stdout to a pipe; read all of it into out.
 */
static int run_capture_attr(const posix_spawnattr_t *attr, const char *a, const char *b, char *out,
			    size_t len, int *status)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	posix_spawn_file_actions_addclose(&fa, p[1]);
	char *argv[] = {"libctest", "child", (char *)a, (char *)b, NULL};
	pid_t pid;
	int err = posix_spawn(&pid, LT_SELF, &fa, attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	size_t got = 0;
	for (ssize_t r;
	     err == 0 && got + 1 < len && (r = read(p[0], out + got, len - 1 - got)) > 0;)
		got += (size_t)r;
	out[got] = 0;
	close(p[0]);
	if (err)
		return -1;
	return waitpid(pid, status, 0) == pid ? 0 : -1;
}

static int run_capture(const char *a, const char *b, char *out, size_t len, int *status)
{
	return run_capture_attr(NULL, a, b, out, len, status);
}

/* Parse the "ids" child's line "PID PGID CWD\n"; 0 or -1. */
static int sscanf_ids(const char *s, int *pid, int *pgid, char *cwd, size_t len)
{
	char *end;
	*pid = (int)strtol(s, &end, 10);
	if (end == s || *end != ' ')
		return -1;
	s = end + 1;
	*pgid = (int)strtol(s, &end, 10);
	if (end == s || *end != ' ')
		return -1;
	s = end + 1;
	size_t k = strcspn(s, "\n");
	if (k >= len)
		return -1;
	memcpy(cwd, s, k);
	cwd[k] = 0;
	return 0;
}

/* chdir/getcwd and relative paths; a child inherits the cwd and starts in its own group. */
static int t_cwd_pgroup(char *why, size_t n)
{
	char cwd[64];
	EXPECT_STR(getcwd(cwd, sizeof cwd), "file:/");
	EXPECT(chdir("initfs:/etc"), 0);
	EXPECT_STR(getcwd(cwd, sizeof cwd), "initfs:/etc");
	CHECK(getcwd(cwd, 4) == NULL && errno == ERANGE, "getcwd into 4 bytes: errno %d", errno);
	int fd = open("motd", O_RDONLY);
	CHECK(fd >= 0, "relative open of motd: errno %d", errno);
	close(fd);
	EXPECT_ERRNO(chdir("no-such-dir"), ENOENT);
	EXPECT_ERRNO(chdir("motd"), ENOTDIR);

	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	EXPECT(posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP), 0);
	EXPECT(posix_spawnattr_setflags(&at, 0x4000), EINVAL);
	char out[128];
	int st = -1;
	EXPECT(run_capture_attr(&at, "ids", NULL, out, sizeof out, &st), 0);
	EXPECT(chdir(".."), 0);
	EXPECT_STR(getcwd(cwd, sizeof cwd), "initfs:/");
	EXPECT(chdir("file:/"), 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %#x", st);
	int pid = 0, pgid = 0;
	char ccwd[64] = "";
	CHECK(sscanf_ids(out, &pid, &pgid, ccwd, sizeof ccwd) == 0, "child said '%s'", out);
	EXPECT(pgid, pid); /* SETPGROUP with pgroup 0: its own group */
	CHECK(getpgrp() != pgid, "the child's group is ours (%d)", pgid);
	EXPECT_STR(ccwd, "initfs:/etc");
	return 0;
}

static int t_redirect(char *why, size_t n)
{
	int in[2], out[2];
	EXPECT(pipe(in), 0);
	EXPECT(pipe(out), 0);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	EXPECT(posix_spawn_file_actions_adddup2(&fa, in[0], 0), 0);
	EXPECT(posix_spawn_file_actions_adddup2(&fa, out[1], 1), 0);
	for (int i = 0; i < 2; i++) {
		posix_spawn_file_actions_addclose(&fa, in[i]);
		posix_spawn_file_actions_addclose(&fa, out[i]);
	}
	char *argv[] = {"libctest", "child", "upper", NULL};
	pid_t pid = 0;
	EXPECT(posix_spawn(&pid, LT_SELF, &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	EXPECT(write(in[1], "hello, pipe\n", 12), 12);
	close(in[1]); /* the child sees EOF only if it got no copy of the write end */
	char b[32] = {0};
	size_t got = 0;
	for (ssize_t r; got < sizeof b - 1 && (r = read(out[0], b + got, sizeof b - 1 - got)) > 0;)
		got += (size_t)r;
	close(out[0]);
	EXPECT_STR(b, "HELLO, PIPE\n");
	int st = -1;
	EXPECT(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exit 0: status %#x", st);
	return 0;
}

static int t_exit_status(char *why, size_t n)
{
	char out[8];
	int st;
	EXPECT(run_capture("exit", "3", out, sizeof out, &st), 0);
	CHECK(WIFEXITED(st) && !WIFSIGNALED(st) && WEXITSTATUS(st) == 3, "status %#x", st);
	EXPECT_STR(out, "");
	return 0;
}

static int t_exit_flush(char *why, size_t n)
{
	char out[16];
	int st;
	EXPECT(run_capture("order", NULL, out, sizeof out, &st), 0);
	/* stdout to a pipe is fully buffered: "a" waits for fflush, "c\n" and
	   the atexit handler's "d" for exit, which runs the handler first */
	EXPECT_STR(out, "bac\nd");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	return 0;
}

static int t_env_spawnp(char *why, size_t n)
{
	char *argv[] = {"libctest", "child", "env", "LCT_CODE", NULL};
	char *envp[] = {"LCT_CODE=42", NULL};
	pid_t pid;
	int st;
	EXPECT(posix_spawn(&pid, LT_SELF, NULL, NULL, argv, envp), 0);
	EXPECT(waitpid(pid, &st, 0), pid);
	EXPECT(WEXITSTATUS(st), 42);
	EXPECT(setenv("LCT_CODE", "7", 1), 0);
	EXPECT(posix_spawnp(&pid, "libctest", NULL, NULL, argv, environ), 0);
	EXPECT(waitpid(pid, &st, 0), pid);
	EXPECT(WEXITSTATUS(st), 7);
	unsetenv("LCT_CODE");
	EXPECT(posix_spawn(&pid, "initfs:/bin/nonesuch", NULL, NULL, argv, NULL), ENOENT);
	EXPECT(posix_spawnp(&pid, "nonesuch", NULL, NULL, argv, NULL), ENOENT);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, 40, 1);
	EXPECT(posix_spawn(&pid, LT_SELF, &fa, NULL, argv, NULL), EBADF);
	posix_spawn_file_actions_destroy(&fa);
	return 0;
}

static int t_kill_wait(char *why, size_t n)
{
	char *argv[] = {"libctest", "child", "wait", NULL};
	pid_t pid;
	int st = 0;
	EXPECT_ERRNO(waitpid(getpid() + 100000, &st, WNOHANG), ECHILD);
	EXPECT(posix_spawn(&pid, LT_SELF, NULL, NULL, argv, NULL), 0);
	EXPECT(waitpid(pid, &st, WNOHANG), 0);
	EXPECT(kill(pid, 0), 0);
	EXPECT(kill(pid, SIGTERM), 0);
	EXPECT(waitpid(pid, &st, 0), pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM && !WIFEXITED(st), "status %#x", st);
	EXPECT_ERRNO(kill(pid, 0), ESRCH);
	EXPECT_ERRNO(kill(getpid(), 99), EINVAL);
	return 0;
}

static volatile sig_atomic_t got_sig;

static void on_usr1(int sig)
{
	got_sig = sig;
}

/* Let a pending signal in: it arrives on the way back from a system call. */
static int wait_sig(void)
{
	for (int i = 0; i < 100 && !got_sig; i++)
		sched_yield();
	return got_sig;
}

static int t_signals(char *why, size_t n)
{
	sigset_t set, old;
	EXPECT(sigemptyset(&set), 0);
	EXPECT(sigaddset(&set, SIGUSR1), 0);
	EXPECT(sigismember(&set, SIGUSR1), 1);
	EXPECT(sigismember(&set, SIGUSR2), 0);
	EXPECT_ERRNO(sigaddset(&set, 0), EINVAL);
	EXPECT_ERRNO(sigaddset(&set, NSIG), EINVAL);
	struct sigaction act = {.sa_handler = on_usr1}, prev;
	EXPECT(sigaction(SIGUSR1, &act, &prev), 0);
	CHECK(prev.sa_handler == SIG_DFL, "default before");
	got_sig = 0;
	EXPECT(raise(SIGUSR1), 0);
	EXPECT(wait_sig(), SIGUSR1);
	EXPECT(sigprocmask(SIG_BLOCK, &set, &old), 0);
	got_sig = 0;
	EXPECT(raise(SIGUSR1), 0);
	EXPECT(wait_sig(), 0); /* blocked: stays pending */
	EXPECT(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	EXPECT(wait_sig(), SIGUSR1);
	CHECK(signal(SIGUSR1, SIG_IGN) == on_usr1, "signal returns the old handler");
	got_sig = 0;
	EXPECT(raise(SIGUSR1), 0);
	EXPECT(wait_sig(), 0);
	CHECK(signal(SIGUSR1, SIG_DFL) == SIG_IGN, "back to default");
	CHECK(signal(SIGKILL, SIG_IGN) == SIG_ERR && errno == EINVAL, "SIGKILL cannot be caught");
	EXPECT_ERRNO(sigaction(0, &act, NULL), EINVAL);
	return 0;
}

const struct lcase proc_cases[] = {
    {"spawn: posix_spawn with stdin and stdout redirected to pipes", t_redirect},
    {"spawn: waitpid WIFEXITED/WEXITSTATUS of exit(3)", t_exit_status},
    {"spawn: exit runs atexit handlers then flushes a fully buffered stdout", t_exit_flush},
    {"spawn: envp, posix_spawnp over PATH, ENOENT, EBADF", t_env_spawnp},
    {"spawn: kill SIGTERM gives WIFSIGNALED/WTERMSIG; ESRCH, EINVAL, ECHILD", t_kill_wait},
    {"signal: sigaction, raise, sigprocmask, signal SIG_IGN, sigset ops", t_signals},
    {"unistd: chdir, getcwd, relative paths; spawn in a new group inherits the cwd", t_cwd_pgroup},
    {NULL, NULL},
};
