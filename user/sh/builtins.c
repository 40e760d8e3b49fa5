/*
 * builtins.c - the commands /bin/sh runs itself: those that change the
 * shell (cd, exit, export, unset, set, shift, read, ., break, continue)
 * and a few cheap ones (:, true, false, echo, pwd, history, help).
 * Each takes argc/argv like main and returns an exit status; output goes
 * through stdout, which the caller flushes before it moves fds back.
 *
 * Ownership: the shell's one thread; no locks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "shell.h"

static int b_true(int argc, char **argv)
{
	return 0;
}

static int b_false(int argc, char **argv)
{
	return 1;
}

static int b_echo(int argc, char **argv)
{
	int i = 1;
	bool newline = true;
	if (i < argc && strcmp(argv[i], "-n") == 0) {
		newline = false;
		i++;
	}
	for (; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	if (newline)
		putchar('\n');
	fflush(stdout);
	return ferror(stdout) ? 1 : 0;
}

/* The working directory without the "file:" scheme prefix. */
static const char *cwd_text(char *buf, size_t cap)
{
	if (!getcwd(buf, cap))
		return NULL;
	return strncmp(buf, "file:", 5) == 0 ? buf + 5 : buf;
}

static int b_pwd(int argc, char **argv)
{
	char buf[512];
	const char *c = cwd_text(buf, sizeof buf);
	if (!c) {
		sh_error("pwd: %s", strerror(errno));
		return 1;
	}
	printf("%s\n", c[0] ? c : "/");
	fflush(stdout);
	return 0;
}

static int b_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : var_get("HOME");
	if (argc > 2) {
		sh_error("cd: too many arguments");
		return 2;
	}
	if (!dir || !dir[0]) {
		sh_error("cd: HOME not set");
		return 1;
	}
	if (strcmp(dir, "-") == 0) {
		dir = var_get("OLDPWD");
		if (!dir) {
			sh_error("cd: OLDPWD not set");
			return 1;
		}
	}
	struct stat st;
	if (stat(dir, &st) != 0) {
		sh_error("cd: %s: %s", dir, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		sh_error("cd: %s: Not a directory", dir);
		return 1;
	}
	char old[512];
	const char *o = cwd_text(old, sizeof old);
	if (chdir(dir) != 0) {
		sh_error("cd: %s: %s", dir, strerror(errno));
		return 1;
	}
	if (o)
		var_set("OLDPWD", o, false);
	char now[512];
	const char *c = cwd_text(now, sizeof now);
	if (c)
		var_set("PWD", c, false);
	return 0;
}

/* Parse a decimal status / count argument; -1 if it is not one. */
static long number(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < 0)
		return -1;
	return v;
}

static int b_exit(int argc, char **argv)
{
	int code = sh.status;
	if (argc > 1) {
		long v = number(argv[1]);
		if (v < 0) {
			sh_error("exit: %s: numeric argument required", argv[1]);
			code = 2;
		} else {
			code = (int)(v & 0xff);
		}
	}
	sh.exit_now = true;
	return code;
}

static int b_export(int argc, char **argv)
{
	if (argc == 1) {
		vars_print(true);
		return 0;
	}
	int status = 0;
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		int r;
		if (eq) {
			*eq = 0;
			r = var_set(argv[i], eq + 1, true);
			*eq = '=';
		} else {
			r = var_export(argv[i]);
		}
		if (r != 0) {
			sh_error("export: %s: not a valid name", argv[i]);
			status = 1;
		}
	}
	return status;
}

static int b_unset(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		var_unset(argv[i]);
	return 0;
}

static int b_set(int argc, char **argv)
{
	if (argc == 1) {
		vars_print(false);
		return 0;
	}
	if (strcmp(argv[1], "--") == 0) {
		set_params(argc - 2, argv + 2);
		return 0;
	}
	sh_error("set: only 'set' and 'set -- ARGS' are supported");
	return 2;
}

static int b_shift(int argc, char **argv)
{
	long n = argc > 1 ? number(argv[1]) : 1;
	if (n < 0 || n > sh.nparams) {
		sh_error("shift: bad count");
		return 1;
	}
	set_params(sh.nparams - (int)n, sh.params + n);
	return 0;
}

/* read NAME...: one line from stdin, split at blanks, the rest to the last name. */
static int b_read(int argc, char **argv)
{
	char line[1024];
	size_t n = 0;
	bool got = false;
	for (;;) {
		char c;
		ssize_t r = read(0, &c, 1);
		if (r < 0 && errno == EINTR && !sh.interrupted)
			continue;
		if (r <= 0)
			break;
		got = true;
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 < sizeof line)
			line[n++] = c;
	}
	line[n] = 0;
	char *p = line;
	for (int i = 1; i < argc; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		char *start = p;
		if (i + 1 < argc) {
			while (*p && *p != ' ' && *p != '\t')
				p++;
			if (*p)
				*p++ = 0;
		} else {
			size_t l = strlen(p);
			while (l > 0 && (p[l - 1] == ' ' || p[l - 1] == '\t'))
				p[--l] = 0;
		}
		if (var_set(argv[i], start, false) != 0) {
			sh_error("read: %s: not a valid name", argv[i]);
			return 2;
		}
	}
	return got ? 0 : 1;
}

static int b_source(int argc, char **argv)
{
	if (argc < 2) {
		sh_error("%s: a file name is needed", argv[0]);
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		sh_error("%s: %s", argv[1], strerror(errno));
		return 1;
	}
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf)
			break;
		if (len == cap) {
			char *b = realloc(buf, cap * 2);
			if (!b) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (!buf) {
		sh_error("%s: out of memory", argv[1]);
		return 1;
	}
	int status = run_text(buf, len, argv[1]);
	free(buf);
	return status;
}

static int b_break(int argc, char **argv)
{
	long n = argc > 1 ? number(argv[1]) : 1;
	if (n < 1) {
		sh_error("%s: bad count", argv[0]);
		return 1;
	}
	if (sh.loop_depth == 0)
		return 0;
	if (n > sh.loop_depth)
		n = sh.loop_depth;
	if (strcmp(argv[0], "break") == 0) {
		sh.breaking = (int)n;
	} else {
		sh.breaking = (int)n - 1;
		sh.continuing = true;
	}
	return 0;
}

static int b_history(int argc, char **argv)
{
	history_print();
	return 0;
}

static int b_help(int argc, char **argv)
{
	printf("Red Bear OS shell. Builtins:\n ");
	for (int i = 0; builtin_names[i]; i++)
		printf(" %s", builtin_names[i]);
	printf("\nOther commands are programs in $PATH (/bin). Syntax: pipes |, ; && || !,\n"
	       "redirections < > >> 2> 2>&1, quotes ' \" \\, $VAR ${VAR} $? $$ $# $1 $@,\n"
	       "$((arithmetic)), globs * ? [...], if/then/elif/else/fi, for/while/until\n"
	       "... do ... done, { ...; }, # comments. Keys: arrows, Home/End, Ctrl-A/E/U/W/K,\n"
	       "Tab completes, Up/Down browse history, Ctrl-C cancels. See docs/shell.md.\n");
	fflush(stdout);
	return 0;
}

struct builtin {
	const char *name;
	builtin_fn fn;
};

static const struct builtin builtins[] = {
    {":", b_true},	   {".", b_source},    {"break", b_break},     {"cd", b_cd},
    {"continue", b_break}, {"echo", b_echo},   {"exit", b_exit},       {"export", b_export},
    {"false", b_false},	   {"help", b_help},   {"history", b_history}, {"pwd", b_pwd},
    {"read", b_read},	   {"set", b_set},     {"shift", b_shift},     {"source", b_source},
    {"true", b_true},	   {"unset", b_unset},
};

const char *const builtin_names[] = {
    ":",       ".",   "break", "cd",  "continue", "echo",   "exit", "export", "false", "help",
    "history", "pwd", "read",  "set", "shift",	  "source", "true", "unset",  NULL,
};

builtin_fn builtin_find(const char *name)
{
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return builtins[i].fn;
	return NULL;
}
