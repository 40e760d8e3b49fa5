/*
 * getty - the console's login prompt (docs/login.md).
 *
 *   getty
 *
 * Run on the console (fds 0-2 on debug:) by init. It makes its own
 * session (setsid) and takes the console for its group, prints a banner
 * and "redbear login: ", reads a user name with echo and editing
 * (lib/ttyline: CR, LF or CR LF ends it; backspace; other control bytes
 * ignored; names over LOGIN_NAME_MAX are refused with a message), then
 * runs /bin/login NAME in its own group (the shell it starts gets a
 * group of its own and the console) and waits. When login ends getty
 * takes the console back and starts over; it never exits on its own
 * (init restarts it if it dies). An empty name prompts again. SIGINT and
 * SIGQUIT are ignored here (Ctrl-C at the prompt does nothing); login
 * turns them back on for itself.
 *
 * Ownership: one thread; all state is main's.
 */
#include "fdio.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <usage.h>

#define LOGIN_PROG "/bin/login"
#define LOGIN_NAME_MAX 32 /* bytes of a user name (lib/auth: COLON_NAME_MAX) */

static const char usage[] = "usage: getty\n"
			    "Show the login prompt on the console (fds 0-2), read a user name\n"
			    "and run " LOGIN_PROG " NAME; start over when it ends.\n";

static void puts_raw(const char *s)
{
	write_all(1, s, strlen(s));
}

/* Run login NAME in getty's group and wait for it. */
static void run_login(const char *name)
{
	char *argv[] = {"login", "--", (char *)name, NULL};
	pid_t pid;
	int err = posix_spawn(&pid, LOGIN_PROG, NULL, NULL, argv, environ);
	if (err) {
		printf("getty: cannot run %s: %s\n", LOGIN_PROG, strerror(err));
		fflush(stdout);
		return;
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	if (argc > 1)
		usage_fail(argv[0], usage, "unexpected argument %s", argv[1]);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	if (setsid() < 0) /* already a group leader: stay in the session we were given */
		printf("getty: setsid: %s (staying in session %d)\n", strerror(errno),
		       (int)getsid(0));
	fflush(stdout);
	bool skip_lf = false;
	for (;;) {
		if (tcsetpgrp(0, getpgrp()) < 0)
			printf("getty: cannot take the console: %s\n", strerror(errno));
		printf("\nRed Bear OS (ttyS0)\n\n");
		fflush(stdout);
		char name[LOGIN_NAME_MAX + 1];
		for (;;) {
			puts_raw("redbear login: ");
			bool too_long = false;
			int r = tty_read_line(name, sizeof name, true, &skip_lf, &too_long);
			if (r < 0) {
				puts_raw("getty: console input gone\n");
				return 1;
			}
			if (r == 0) {
				puts_raw("\n");
				continue;
			}
			if (too_long) {
				printf("getty: user name too long (at most %d characters)\n",
				       LOGIN_NAME_MAX);
				fflush(stdout);
				continue;
			}
			if (name[0])
				break;
		}
		run_login(name);
		skip_lf = true; /* login's last line may have ended in CR */
	}
}
