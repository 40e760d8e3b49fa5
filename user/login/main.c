/*
 * login - check a user's password and start the user's shell
 * (docs/login.md).
 *
 *   login [--] [NAME]
 *
 * Run by getty on the console (fds 0-2), as root. Without NAME it asks
 * "redbear login: " itself. It asks "Password: " and reads it without
 * echo (lib/ttyline), reads /etc/passwd and /etc/shadow (file:, shadow
 * is root-only, docs/ramfs.md) and checks the password with lib/auth's
 * constant-time shadow_check. An unknown or locked account costs the
 * same hashing as a real one (a dummy $5$ hash), and every failure says
 * only "Login incorrect". A $5$ hash asking for more than
 * LOGIN_ROUNDS_MAX rounds is refused without hashing with its rounds (a
 * hostile shadow line must not stall login). Failures count within one
 * login: from the third on, the next prompt waits 1 s, then 2, 4, 8
 * (at most); after LOGIN_TRIES failures login waits the longest delay
 * and exits 1, and getty starts over.
 *
 * On success: setgid, setuid, chdir to the home (missing: a warning and
 * /, with HOME=/), the environment HOME USER LOGNAME SHELL PATH=/bin
 * TERM=vt100, and the shell from /etc/passwd spawned with argv[0] "-"
 * and its base name ("-sh": a login shell) in a process group of its own
 * that owns the console (POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_TCSETPGROUP;
 * the session is getty's). login waits for it and exits with its status
 * (128 + signal if it was killed). A shell that cannot be run is
 * "login: cannot run PATH: REASON" and exit 1. While the kernel loads
 * programs only from initfs:, a shell "/bin/x" missing from file: is
 * looked for as "initfs:/bin/x".
 *
 * Ownership: one thread; all state is main's. The password buffer is
 * wiped after each check.
 */
#include "auth/passwd.h"
#include "auth/shadow.h"
#include "crypto/sha256crypt.h"
#include "fdio.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <usage.h>

#define LOGIN_TRIES 5
#define LOGIN_SLOW_AFTER 3	/* failures before the prompt starts to wait */
#define LOGIN_DELAY_MAX 8	/* seconds */
#define LOGIN_ROUNDS_MAX 200000 /* 40 times the default 5000 */
#define LOGIN_FILE_MAX 16384	/* bytes of /etc/passwd or /etc/shadow read */
#define LOGIN_ACCOUNTS 64	/* entries of each table */
#define PASSWORD_MAX SHA256CRYPT_KEY_MAX
#define DUMMY_SETTING "$5$nosuchaccount$" /* default rounds, like the real accounts */

static const char usage[] = "usage: login [--] [NAME]\n"
			    "Ask for NAME's password on the console, check it against\n"
			    "/etc/passwd and /etc/shadow, and run NAME's shell as NAME.\n"
			    "Without NAME, ask for it first. Run by getty, as root.\n";

static struct passwd_entry pw_rows[LOGIN_ACCOUNTS];
static struct shadow_entry sh_rows[LOGIN_ACCOUNTS];
static char file_buf[LOGIN_FILE_MAX];

static void puts_raw(const char *s)
{
	write_all(1, s, strlen(s));
}

/* Read all of path (at most LOGIN_FILE_MAX bytes) into file_buf: its length or -errno. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	size_t len = 0;
	while (len < sizeof file_buf) {
		ssize_t r = read(fd, file_buf + len, sizeof file_buf - len);
		if (r < 0) {
			int e = errno;
			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	return (long)len;
}

static void report(void *ctx, unsigned line, const char *why)
{
	printf("login: %s:%u: %s (line skipped)\n", (const char *)ctx, line, why);
}

/* Load both account files: 0, or -1 after saying why. */
static int load_accounts(size_t *npw, size_t *nsh)
{
	long len = slurp("/etc/passwd");
	if (len < 0) {
		printf("login: cannot read /etc/passwd: %s\n", strerror((int)-len));
		return -1;
	}
	*npw = passwd_parse(file_buf, (size_t)len, pw_rows, LOGIN_ACCOUNTS, report, "/etc/passwd");
	len = slurp("/etc/shadow");
	if (len < 0) {
		printf("login: cannot read /etc/shadow: %s\n", strerror((int)-len));
		return -1;
	}
	*nsh = shadow_parse(file_buf, (size_t)len, sh_rows, LOGIN_ACCOUNTS, report, "/etc/shadow");
	memset(file_buf, 0, sizeof file_buf);
	return 0;
}

/* Whether e's hash asks for no more than LOGIN_ROUNDS_MAX rounds (a lock '!' skipped). */
static bool rounds_ok(const struct shadow_entry *e)
{
	const char *h = e->hash[0] == '!' ? e->hash + 1 : e->hash;
	struct sha256crypt_setting st;
	if (sha256crypt_parse(h, strlen(h), &st) < 0)
		return true; /* no hash ("*", "!"): shadow_check hashes nothing */
	return st.rounds <= LOGIN_ROUNDS_MAX;
}

/* Hash key with a dummy setting and throw it away: the time a real check takes. */
static void burn_dummy(const char *key, size_t len)
{
	char out[SHA256CRYPT_OUT_MAX];
	if (sha256crypt(key, len, DUMMY_SETTING, strlen(DUMMY_SETTING), out) == 0)
		memset(out, 0, sizeof out);
}

/* Whether name/password open an account; *pw set to its passwd entry. */
static bool check(const char *name, const char *password, const struct passwd_entry **pw)
{
	size_t npw, nsh;
	if (load_accounts(&npw, &nsh) < 0)
		return false;
	*pw = passwd_by_name(pw_rows, npw, name);
	const struct shadow_entry *e = shadow_by_name(sh_rows, nsh, name);
	size_t plen = strlen(password);
	bool ok = false;
	if (*pw && e && !rounds_ok(e)) {
		printf("login: the hash of %s asks for more than %d rounds: refused\n", name,
		       LOGIN_ROUNDS_MAX);
		burn_dummy(password, plen);
	} else if (*pw && e && sha256crypt_is_hash(e->hash, strlen(e->hash))) {
		ok = shadow_check(e, password, plen);
	} else { /* no such account, or locked: the same work, then no */
		burn_dummy(password, plen);
	}
	memset(sh_rows, 0, sizeof sh_rows);
	return ok;
}

/* Sleep s seconds: against the monotonic clock, as a signal may end a nanosleep early. */
static void wait_seconds(unsigned s)
{
	struct timespec now;
	if (clock_gettime(CLOCK_MONOTONIC, &now) < 0) {
		sleep(s);
		return;
	}
	int64_t end = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec + (int64_t)s * 1000000000;
	for (;;) {
		if (clock_gettime(CLOCK_MONOTONIC, &now) < 0)
			return;
		int64_t left = end - ((int64_t)now.tv_sec * 1000000000 + now.tv_nsec);
		if (left <= 0)
			return;
		struct timespec ts = {(time_t)(left / 1000000000), (long)(left % 1000000000)};
		nanosleep(&ts, NULL);
	}
}

/* The delay before the next try after fails failures, in seconds. */
static unsigned delay_after(int fails)
{
	if (fails < LOGIN_SLOW_AFTER)
		return 0;
	int shift = fails - LOGIN_SLOW_AFTER;
	return shift >= 3 ? LOGIN_DELAY_MAX : 1u << shift;
}

static char env_home[PASSWD_PATH_MAX + 8], env_user[COLON_NAME_MAX + 8],
    env_logname[COLON_NAME_MAX + 12], env_shell[PASSWD_PATH_MAX + 8];

/* Become pw's user and run its shell; the exit status for login. */
static int start_session(const struct passwd_entry *pw)
{
	if (setgid((gid_t)pw->gid) < 0 || setuid((uid_t)pw->uid) < 0) {
		printf("login: cannot become %s: %s\n", pw->name, strerror(errno));
		return 1;
	}
	const char *home = pw->home;
	if (chdir(home) < 0) {
		printf("login: no home directory %s (%s): logging in with HOME=/\n", home,
		       strerror(errno));
		home = "/";
		if (chdir("/") < 0)
			printf("login: chdir /: %s\n", strerror(errno));
	}
	snprintf(env_home, sizeof env_home, "HOME=%s", home);
	snprintf(env_user, sizeof env_user, "USER=%s", pw->name);
	snprintf(env_logname, sizeof env_logname, "LOGNAME=%s", pw->name);
	snprintf(env_shell, sizeof env_shell, "SHELL=%s", pw->shell);
	char *envp[] = {env_home,    env_user,	   env_logname, env_shell,
			"PATH=/bin", "TERM=vt100", NULL};
	const char *base = strrchr(pw->shell, '/');
	char arg0[PASSWD_PATH_MAX + 2];
	snprintf(arg0, sizeof arg0, "-%s", base ? base + 1 : pw->shell);
	char *argv[] = {arg0, NULL};
	posix_spawnattr_t attr;
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_TCSETPGROUP);
	posix_spawnattr_setpgroup(&attr, 0);
	pid_t pid;
	int err = posix_spawn(&pid, pw->shell, NULL, &attr, argv, envp);
	posix_spawnattr_destroy(&attr);
	if (err) {
		printf("login: cannot run %s: %s\n", pw->shell, strerror(err));
		return 1;
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	int first = 1;
	if (first < argc && !strcmp(argv[first], "--"))
		first++;
	else if (first < argc && argv[first][0] == '-')
		usage_fail(argv[0], usage, "unknown option %s", argv[first]);
	if (argc - first > 1)
		usage_fail(argv[0], usage, "too many arguments");
	signal(SIGINT, SIG_DFL); /* getty ignores them; Ctrl-C ends a login */
	signal(SIGQUIT, SIG_DFL);
	if (getuid() != 0) {
		fprintf(stderr, "login: must be run as root (by getty)\n");
		return 1;
	}
	char name[COLON_NAME_MAX + 1];
	static char password[PASSWORD_MAX + 1];
	bool have_name = first < argc, skip_lf = true;
	if (have_name) {
		if (strlen(argv[first]) > COLON_NAME_MAX) {
			printf("login: user name too long (at most %d characters)\n",
			       COLON_NAME_MAX);
			return 1;
		}
		strcpy(name, argv[first]);
	}
	for (int fails = 0;;) {
		bool too_long = false;
		if (!have_name) {
			puts_raw("redbear login: ");
			fflush(stdout);
			int r = tty_read_line(name, sizeof name, true, &skip_lf, &too_long);
			if (r <= 0)
				return 1;
			if (too_long) {
				printf("login: user name too long (at most %d characters)\n",
				       COLON_NAME_MAX);
				fflush(stdout);
				continue;
			}
			if (!name[0])
				continue;
		}
		have_name = false;
		puts_raw("Password: ");
		int r = tty_read_line(password, sizeof password, false, &skip_lf, &too_long);
		if (r <= 0)
			return 1;
		const struct passwd_entry *pw = NULL;
		bool ok = !too_long && check(name, password, &pw);
		memset(password, 0, sizeof password);
		if (ok) {
			fflush(stdout);
			int st = start_session(pw);
			fflush(stdout);
			return st;
		}
		fails++;
		printf("Login incorrect\n");
		unsigned d = delay_after(fails);
		if (fails >= LOGIN_TRIES) {
			printf("login: %d failed attempts; waiting %u s\n", fails, LOGIN_DELAY_MAX);
			fflush(stdout);
			wait_seconds(LOGIN_DELAY_MAX);
			return 1;
		}
		if (d) {
			printf("login: %d failed attempts; next try in %u s\n", fails, d);
			fflush(stdout);
			wait_seconds(d);
		}
		fflush(stdout);
	}
}
