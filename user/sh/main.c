/*
 * sh - the Red Bear OS shell (docs/shell.md).
 *
 *   sh                 interactive when stdin is the console, else runs stdin
 *   sh FILE [ARG...]   runs a script ($0 = FILE, $1... = ARGs)
 *   sh -c CMD [NAME [ARG...]]
 *
 * This file holds the start (arguments, signals, process group) and the
 * interactive loop: prompt "USER@redbear:CWD# " for uid 0, "... $ " for
 * others, "> " while a quote or compound command is still open; the
 * lines read so far are checked (check_text) and, once complete, run.
 * Ctrl-C while typing discards the line (input.c); while the shell runs
 * builtins or loops, SIGINT sets sh.interrupted and they stop; a job in
 * its own foreground group dies of it (exec.c). A login shell (argv[0]
 * "-sh") first runs /etc/profile and $HOME/.profile when they exist.
 *
 * Ownership: the shell's one thread; struct shell sh is here. No locks.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "shell.h"
#include "usage.h"

#define EX_ARENA (1u << 20) /* expansion scratch per command */
#define LINE_MAX_SH 4096

struct shell sh;

static const char usage[] =
    "usage: sh [FILE [ARG...] | -c COMMAND [NAME [ARG...]]]\n"
    "The Red Bear OS shell. With no FILE it reads commands from stdin:\n"
    "with line editing, history and Tab completion when stdin is the console.\n"
    "  FILE        run the script FILE with $1... set to the ARGs\n"
    "  -c COMMAND  run COMMAND ($0 = NAME, $1... = ARGs)\n"
    "Type 'help' in the shell for its builtins and syntax.\n";

static void on_sigint(int sig)
{
	sh.interrupted = 1;
}

/* Read a whole file (fd) into a malloc'd buffer; NULL on error. */
static char *slurp(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n == cap) {
			char *b = realloc(buf, cap * 2);
			if (!b)
				break;
			buf = b;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return NULL;
		}
		if (r == 0) {
			*len = n;
			return buf;
		}
		n += (size_t)r;
	}
	free(buf);
	return NULL;
}

static int run_file(const char *path, bool quiet_missing)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		if (quiet_missing)
			return 0;
		sh_error("%s: %s", path, strerror(errno));
		return 127;
	}
	size_t len;
	char *text = slurp(fd, &len);
	close(fd);
	if (!text) {
		sh_error("%s: cannot read", path);
		return 126;
	}
	if (memchr(text, 0, len)) {
		sh_error("%s: cannot execute binary file", path);
		free(text);
		return 126;
	}
	int status = run_text(text, len, path);
	free(text);
	return status;
}

static void make_prompt(char *p, size_t cap)
{
	const char *user = var_get("USER");
	char ubuf[16];
	if (!user || !user[0]) {
		snprintf(ubuf, sizeof ubuf, "%s", getuid() == 0 ? "root" : "user");
		user = ubuf;
	}
	char cwd[256];
	const char *c = getcwd(cwd, sizeof cwd) ? cwd : "?";
	if (strncmp(c, "file:", 5) == 0)
		c += 5;
	if (!c[0])
		c = "/";
	snprintf(p, cap, "%s@redbear:%s%s ", user, c, getuid() == 0 ? "#" : "$");
	for (char *q = p; *q; q++)
		if ((unsigned char)*q < 0x20 || (unsigned char)*q > 0x7e)
			*q = '?';
}

/* Reap finished background jobs so they do not stay zombies. */
static void reap(void)
{
	int ws;
	pid_t pid;
	while ((pid = waitpid(-1, &ws, WNOHANG)) > 0)
		dprintf(2, "[%d] done\n", pid);
}

static int interactive(void)
{
	static char text[65536];
	char line[LINE_MAX_SH];
	char prompt[320];
	size_t len = 0;
	input_init();
	for (;;) {
		sh.interrupted = 0;
		reap();
		if (len == 0)
			make_prompt(prompt, sizeof prompt);
		int r = input_line(len ? "> " : prompt, line, sizeof line);
		if (r == INPUT_EOF) {
			if (len == 0)
				break;
			len = 0; /* Ctrl-D inside an open command: drop it */
			continue;
		}
		if (r == INPUT_INTR) {
			len = 0;
			sh.status = 130;
			continue;
		}
		size_t l = strlen(line);
		if (len + l + 2 > sizeof text) {
			sh_error("command too long");
			len = 0;
			continue;
		}
		memcpy(text + len, line, l);
		len += l;
		text[len++] = '\n';
		int c = check_text(text, len, NULL);
		if (c == SH_INCOMPLETE)
			continue;
		if (c != 0) {
			sh.status = 2;
			len = 0;
			continue;
		}
		sh.interrupted = 0;
		run_text(text, len, NULL);
		len = 0;
		fflush(stdout);
		if (sh.exit_now)
			break;
	}
	return sh.status;
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	sh.arg0 = argv[0] ? argv[0] : "sh";
	sh.login = argv[0] && argv[0][0] == '-';
	sh.ex.cap = EX_ARENA;
	sh.ex.base = malloc(EX_ARENA);
	if (!sh.ex.base) {
		dprintf(2, "sh: out of memory\n");
		return 1;
	}
	vars_init();
	signal(SIGPIPE, SIG_IGN);
	const char *command = NULL, *script = NULL;
	int argi = 1;
	if (argi < argc && strcmp(argv[argi], "-c") == 0) {
		if (argi + 1 >= argc)
			usage_fail("sh", usage, "-c needs a command");
		command = argv[argi + 1];
		argi += 2;
		if (argi < argc)
			sh.arg0 = argv[argi++];
	} else if (argi < argc && strcmp(argv[argi], "--") == 0) {
		argi++;
	} else if (argi < argc && argv[argi][0] == '-' && argv[argi][1]) {
		usage_fail("sh", usage, "unknown option '%s'", argv[argi]);
	}
	if (!command && argi < argc) {
		script = argv[argi++];
		sh.arg0 = script;
	}
	set_params(argc - argi, argv + argi);
	if (command)
		return run_text(command, strlen(command), NULL) & 0xff;
	if (script)
		return run_file(script, false) & 0xff;
	sh.interactive = isatty(0);
	if (!sh.interactive) {
		size_t len;
		char *text = slurp(0, &len);
		if (!text)
			return 1;
		int s = run_text(text, len, NULL);
		free(text);
		return s & 0xff;
	}
	/* interactive: own process group owning the console; Ctrl-C only stops
	   what the shell itself runs */
	struct sigaction sa = {.sa_handler = on_sigint};
	sigaction(SIGINT, &sa, NULL);
	signal(SIGQUIT, SIG_IGN);
	if (getpgrp() != getpid())
		setpgid(0, 0);
	sh.pgid = getpgrp();
	sh.jobctl = tcsetpgrp(0, sh.pgid) == 0;
	if (sh.login) {
		run_file("/etc/profile", true);
		const char *home = var_get("HOME");
		if (home) {
			char p[512];
			snprintf(p, sizeof p, "%s/.profile", home);
			run_file(p, true);
		}
		sh.exit_now = false;
	}
	int status = interactive();
	return status & 0xff;
}
