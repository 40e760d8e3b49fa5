/*
 * exec.c - running the shell's syntax trees (lib/sh/sh.h).
 *
 * run_text parses one complete command at a time and runs it, so a
 * script runs up to its first syntax error and `exit` stops it at once.
 * Words are expanded (lib/sh) into sh.ex, a scratch arena reset after
 * each simple command (loops do not grow it); globs are walked by
 * glob_walk.c. A pipeline is run in two passes: first every element
 * that is an outside program is spawned (posix_spawnp, pipe ends as
 * dup2/close file actions), all in one new process group that is made
 * the console's foreground group before the first one runs (with job
 * control); then the other elements (builtins, compound commands) run
 * in the shell itself with fds 0/1 moved onto their pipe ends and moved
 * back after. Last the shell waits for the programs and takes the
 * console back. A program killed by SIGINT sets sh.interrupted, which
 * also stops the loops around it, as Ctrl-C should.
 *
 * Ownership: the shell's one thread; parse arenas are malloc'd per
 * run_text call; no locks.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "base/err.h"
#include "shell.h"

#define MAX_PIPE 64  /* commands in one pipeline */
#define MAX_SAVED 16 /* redirections of one builtin or compound command */

static int run_node(struct sh_node *n);

void sh_error(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	if ((size_t)k >= sizeof buf)
		k = sizeof buf - 1;
	fflush(stdout);
	dprintf(2, "sh: %s\n", buf);
}

bool shell_unwinding(void)
{
	return sh.exit_now || sh.interrupted || sh.breaking > 0 || sh.continuing;
}

static const char *env_get(void *ctx, const char *name, size_t len)
{
	return var_getn(name, len);
}

void shell_env(struct sh_env *env)
{
	env->get = env_get;
	env->ctx = NULL;
	env->arg0 = sh.arg0;
	env->params = (const char *const *)sh.params;
	env->nparams = sh.nparams;
	env->status = sh.status;
	env->pid = getpid();
}

/* A simple command's words, expanded. */
struct argv {
	char **v;
	int n, cap;
};

static int argv_add(struct argv *a, char *s)
{
	if (a->n + 2 > a->cap) {
		int c = a->cap ? a->cap * 2 : 16;
		char **v = realloc(a->v, (size_t)c * sizeof *v);
		if (!v)
			return -1;
		a->v = v;
		a->cap = c;
	}
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
	return 0;
}

/* Expand words into a (strings in sh.ex, or malloc'd by globbing: those are
   listed in owned for freeing). 0, or -1 after printing the error. */
static int expand_words(struct sh_word *w, struct argv *a, struct argv *owned)
{
	struct sh_env env;
	shell_env(&env);
	static struct sh_field fields[SH_MAX_FIELDS];
	for (; w; w = w->next) {
		size_t nf;
		struct sh_error err = {0};
		int r =
		    sh_expand_word(w->text, w->len, &env, &sh.ex, fields, SH_MAX_FIELDS, &nf, &err);
		if (r != 0) {
			sh_error("%s", err.msg);
			return -1;
		}
		for (size_t i = 0; i < nf; i++) {
			int before = owned->n;
			if (fields[i].pattern &&
			    glob_expand(fields[i].pattern, &owned->v, &owned->n, &owned->cap) > 0) {
				for (int k = before; k < owned->n; k++)
					if (argv_add(a, owned->v[k]) != 0)
						return -1;
			} else if (argv_add(a, fields[i].text) != 0) {
				return -1;
			}
		}
	}
	return 0;
}

static void argv_free(struct argv *a, struct argv *owned)
{
	for (int i = 0; i < owned->n; i++)
		free(owned->v[i]);
	free(owned->v);
	free(a->v);
}

static char *expand_one(const struct sh_word *w)
{
	struct sh_env env;
	shell_env(&env);
	char *s;
	struct sh_error err = {0};
	if (sh_expand_string(w->text, w->len, &env, &sh.ex, &s, &err) != 0) {
		sh_error("%s", err.msg);
		return NULL;
	}
	return s;
}

/* One redirection resolved: fd becomes a copy of src (or closed: src -1). */
struct redir_fd {
	int fd, src;
	bool opened; /* src was opened here: close it after use */
};

/* Open the files of a redirection list: 0, or -1 after an error message. */
static int open_redirs(struct sh_redir *r, struct redir_fd *out, int *n)
{
	*n = 0;
	for (; r; r = r->next) {
		if (*n >= MAX_SAVED) {
			sh_error("too many redirections");
			return -1;
		}
		char *target = expand_one(&r->target);
		if (!target)
			return -1;
		struct redir_fd *o = &out[(*n)++];
		o->fd = r->fd;
		o->opened = false;
		if (r->kind == SH_R_DUP || r->kind == SH_R_INDUP) {
			if (strcmp(target, "-") == 0) {
				o->src = -1;
				continue;
			}
			char *end;
			long v = strtol(target, &end, 10);
			if (!*target || *end || v < 0 || v > 63) {
				sh_error("%s: bad file descriptor", target);
				(*n)--;
				return -1;
			}
			o->src = (int)v;
			continue;
		}
		int flags = r->kind == SH_R_IN	     ? O_RDONLY
			    : r->kind == SH_R_APPEND ? O_WRONLY | O_CREAT | O_APPEND
						     : O_WRONLY | O_CREAT | O_TRUNC;
		int fd = open(target, flags, 0644);
		if (fd < 0) {
			sh_error("%s: %s", target, strerror(errno));
			(*n)--;
			return -1;
		}
		o->src = fd;
		o->opened = true;
	}
	return 0;
}

static void close_opened(struct redir_fd *rf, int n)
{
	for (int i = 0; i < n; i++)
		if (rf[i].opened)
			close(rf[i].src);
}

/* Redirections applied to the shell itself, undone by restore. */
struct saved {
	int fd, copy; /* copy: a dup of fd before, or -1 if fd was closed */
};

static int apply_in_shell(struct redir_fd *rf, int n, struct saved *sv, int *nsv)
{
	fflush(stdout);
	*nsv = 0;
	for (int i = 0; i < n; i++) {
		int c = dup(rf[i].fd);
		if (c >= 0 && c < 10) {
			/* keep saved copies out of the way of low fds a later redirection names */
			int hi = fcntl(c, F_DUPFD, 10);
			if (hi >= 0) {
				close(c);
				c = hi;
			}
		}
		sv[(*nsv)++] = (struct saved){rf[i].fd, c};
		if (rf[i].src < 0)
			close(rf[i].fd);
		else if (rf[i].src != rf[i].fd && dup2(rf[i].src, rf[i].fd) < 0) {
			sh_error("%d: %s", rf[i].src, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void restore(struct saved *sv, int n)
{
	fflush(stdout);
	for (int i = n - 1; i >= 0; i--) {
		if (sv[i].copy >= 0) {
			dup2(sv[i].copy, sv[i].fd);
			close(sv[i].copy);
		} else {
			close(sv[i].fd);
		}
	}
}

/* Apply assignments NAME=value to the shell's variables. */
static int assign_all(struct sh_word *w)
{
	for (; w; w = w->next) {
		size_t nl = sh_assign_name_len(w->text, w->len);
		char name[128];
		if (nl == 0 || nl >= sizeof name)
			continue;
		memcpy(name, w->text, nl);
		name[nl] = 0;
		struct sh_word val = {w->text + nl + 1, w->len - nl - 1, NULL};
		char *v = expand_one(&val);
		if (!v)
			return -1;
		var_set(name, v, false);
	}
	return 0;
}

/* One element of a pipeline. */
struct stage {
	struct sh_node *node;
	struct argv argv, owned;
	builtin_fn builtin;
	bool external;
	pid_t pid;
	int in, out; /* pipe ends for fds 0 and 1, or -1 */
	int status;
	struct redir_fd rf[MAX_SAVED];
	int nrf;
	bool failed; /* expansion or redirection failed: status 1, nothing runs */
	struct sh_word *assigns;
};

/* Put the assignments of "A=b cmd" into the environment for one spawn;
   the old values are restored by env_restore. */
struct env_undo {
	char name[128];
	char *old; /* malloc'd, or NULL if it was unset */
};

static int env_apply(struct sh_word *w, struct env_undo *u, int max)
{
	int n = 0;
	for (; w && n < max; w = w->next) {
		size_t nl = sh_assign_name_len(w->text, w->len);
		if (nl == 0 || nl >= sizeof u->name)
			continue;
		struct sh_word val = {w->text + nl + 1, w->len - nl - 1, NULL};
		char *v = expand_one(&val);
		if (!v)
			break;
		memcpy(u[n].name, w->text, nl);
		u[n].name[nl] = 0;
		const char *old = getenv(u[n].name);
		u[n].old = old ? strdup(old) : NULL;
		setenv(u[n].name, v, 1);
		n++;
	}
	return n;
}

static void env_restore(struct env_undo *u, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		if (u[i].old)
			setenv(u[i].name, u[i].old, 1);
		else
			unsetenv(u[i].name);
		free(u[i].old);
	}
}

/* posix_spawn at path with the shell's environment. */
static int spawn_at(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		    const posix_spawnattr_t *attr, char **argv)
{
	return posix_spawn(pid, path, fa, attr, argv, environ);
}

/* A file the kernel cannot load but that exists (a script in file:) runs
   as "sh FILE ARGS", as POSIX shells run a file that is not a program. */
static int spawn_script(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
			const posix_spawnattr_t *attr, char **argv)
{
	int n = 0;
	while (argv[n])
		n++;
	char **v = calloc((size_t)n + 2, sizeof *v);
	if (!v)
		return ENOMEM;
	v[0] = "sh";
	v[1] = (char *)path;
	for (int i = 1; i < n; i++)
		v[i + 1] = argv[i];
	int err = spawn_at(pid, "/bin/sh", fa, attr, v);
	free(v);
	return err;
}

/* Find name in $PATH (or take it as a path when it holds '/' or ':') and spawn it. */
static int spawn_lookup(pid_t *pid, const char *name, const posix_spawn_file_actions_t *fa,
			const posix_spawnattr_t *attr, char **argv)
{
	if (strchr(name, '/') || strchr(name, ':')) {
		int err = spawn_at(pid, name, fa, attr, argv);
		if ((err == ENOENT || err == ENOEXEC) && access(name, R_OK) == 0)
			err = spawn_script(pid, name, fa, attr, argv);
		return err;
	}
	const char *path = var_get("PATH");
	return posix_spawn_search(pid, name, path ? path : "/bin", fa, attr, argv, environ);
}

static int spawn_stage(struct stage *s, pid_t *pgid, bool background, int *all_pipes, int npipes)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	if (s->in >= 0)
		posix_spawn_file_actions_adddup2(&fa, s->in, 0);
	if (s->out >= 0)
		posix_spawn_file_actions_adddup2(&fa, s->out, 1);
	for (int i = 0; i < s->nrf; i++) {
		if (s->rf[i].src < 0)
			posix_spawn_file_actions_addclose(&fa, s->rf[i].fd);
		else
			posix_spawn_file_actions_adddup2(&fa, s->rf[i].src, s->rf[i].fd);
	}
	/* the child must not keep other pipe ends (a reader would never see EOF)
	   nor the files opened for it under their parent numbers */
	for (int i = 0; i < npipes; i++) {
		bool target = false;
		for (int k = 0; k < s->nrf; k++)
			target |= s->rf[k].fd == all_pipes[i];
		if (!target && all_pipes[i] > 2)
			posix_spawn_file_actions_addclose(&fa, all_pipes[i]);
	}
	for (int i = 0; i < s->nrf; i++) {
		bool target = false;
		for (int k = 0; k < s->nrf; k++)
			target |= s->rf[k].fd == s->rf[i].src;
		if (s->rf[i].opened && !target && s->rf[i].src > 2)
			posix_spawn_file_actions_addclose(&fa, s->rf[i].src);
	}
	short flags = 0;
	if (sh.jobctl) {
		flags = POSIX_SPAWN_SETPGROUP;
		if (*pgid == 0 && !background)
			flags |= POSIX_SPAWN_TCSETPGROUP;
		posix_spawnattr_setpgroup(&attr, *pgid);
	}
	posix_spawnattr_setflags(&attr, flags);
	struct env_undo undo[16];
	int nundo = env_apply(s->assigns, undo, 16);
	int err = spawn_lookup(&s->pid, s->argv.v[0], &fa, &attr, s->argv.v);
	env_restore(undo, nundo);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (err != 0) {
		/* the message goes where the command's stderr would have gone */
		int map[3] = {s->in >= 0 ? s->in : 0, s->out >= 0 ? s->out : 1, 2};
		for (int i = 0; i < s->nrf; i++) {
			int src = s->rf[i].src < 3 && s->rf[i].src >= 0 ? map[s->rf[i].src]
									: s->rf[i].src;
			if (s->rf[i].fd < 3)
				map[s->rf[i].fd] = src;
		}
		s->pid = 0;
		fflush(stdout);
		if (map[2] < 0) {
			/* stderr closed: no message */
		} else if (err == ENOENT) {
			dprintf(map[2], "sh: %s: not found\n", s->argv.v[0]);
		} else {
			dprintf(map[2], "sh: %s: cannot execute: %s\n", s->argv.v[0],
				strerror(err));
		}
		s->status = err == ENOENT ? 127 : 126;
		return -1;
	}
	if (sh.jobctl && *pgid == 0)
		*pgid = s->pid;
	return 0;
}

/* Run a builtin or compound stage in the shell with its pipe ends and redirections. */
static void run_inside(struct stage *s)
{
	struct redir_fd rf[MAX_SAVED + 2];
	int n = 0;
	if (s->in >= 0)
		rf[n++] = (struct redir_fd){0, s->in, false};
	if (s->out >= 0)
		rf[n++] = (struct redir_fd){1, s->out, false};
	for (int i = 0; i < s->nrf; i++)
		rf[n++] = s->rf[i];
	struct saved sv[MAX_SAVED + 2];
	int nsv;
	if (apply_in_shell(rf, n, sv, &nsv) != 0) {
		restore(sv, nsv);
		s->status = 1;
		return;
	}
	if (s->builtin) {
		if (s->assigns && assign_all(s->assigns) != 0)
			s->status = 1;
		else
			s->status = s->builtin(s->argv.n, s->argv.v);
	} else if (s->node->kind == SH_CMD) {
		s->status = assign_all(s->assigns) != 0 ? 1 : 0; /* no words: assignments only */
	} else {
		s->status = run_node(s->node);
	}
	fflush(stdout);
	restore(sv, nsv);
}

static int wait_status(pid_t pid)
{
	int ws;
	for (;;) {
		pid_t r = waitpid(pid, &ws, 0);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return 1;
	}
	if (WIFSIGNALED(ws))
		return 128 + WTERMSIG(ws);
	return WEXITSTATUS(ws);
}

static int run_pipeline(struct sh_node *n, bool background)
{
	int ns = 1;
	for (struct sh_node *m = n; m->kind == SH_PIPE; m = m->b)
		ns++;
	if (ns > MAX_PIPE) {
		sh_error("pipeline too long");
		return 1;
	}
	struct stage *stages = calloc((size_t)ns, sizeof *stages);
	if (!stages) {
		sh_error("out of memory");
		return 1;
	}
	for (int i = 0; i < ns; i++, n = n->b)
		stages[i].node = n->kind == SH_PIPE ? n->a : n;
	int status = 0;
	size_t mark = sh.ex.used;
	int pipes[2 * MAX_PIPE];
	int np = 0;
	for (int i = 0; i < ns; i++) {
		stages[i].in = stages[i].out = -1;
	}
	for (int i = 0; i + 1 < ns; i++) {
		int p[2];
		if (pipe(p) != 0) {
			sh_error("pipe: %s", strerror(errno));
			for (int k = 0; k < np; k++)
				close(pipes[k]);
			free(stages);
			return 1;
		}
		pipes[np++] = p[0];
		pipes[np++] = p[1];
		stages[i].out = p[1];
		stages[i + 1].in = p[0];
	}
	/* expand every simple command first: its name says where it runs */
	for (int i = 0; i < ns; i++) {
		struct stage *s = &stages[i];
		if (s->node->kind != SH_CMD)
			continue;
		s->assigns = s->node->assigns;
		if (expand_words(s->node->words, &s->argv, &s->owned) != 0 ||
		    open_redirs(s->node->redirs, s->rf, &s->nrf) != 0) {
			close_opened(s->rf, s->nrf); /* the ones opened before the failure */
			s->nrf = 0;
			s->failed = true;
			s->status = 1;
			continue;
		}
		if (s->argv.n > 0) {
			s->builtin = builtin_find(s->argv.v[0]);
			s->external = !s->builtin;
		}
	}
	pid_t pgid = 0;
	for (int i = 0; i < ns; i++) {
		struct stage *s = &stages[i];
		if (s->external && !s->failed)
			spawn_stage(s, &pgid, background, pipes, np);
	}
	/* the shell keeps only the pipe ends its own stages use */
	for (int k = 0; k < np; k++) {
		bool used = false;
		for (int i = 0; i < ns; i++)
			if (!stages[i].external && !stages[i].failed &&
			    (stages[i].in == pipes[k] || stages[i].out == pipes[k]))
				used = true;
		if (!used) {
			close(pipes[k]);
			pipes[k] = -1;
		}
	}
	for (int i = 0; i < ns; i++) {
		struct stage *s = &stages[i];
		if (s->external)
			close_opened(s->rf, s->nrf);
		if (s->external || s->failed)
			continue;
		run_inside(s); /* a compound stage applies its own redirections */
		close_opened(s->rf, s->nrf);
		for (int k = 0; k < np; k++)
			if (pipes[k] >= 0 && (pipes[k] == s->in || pipes[k] == s->out)) {
				close(pipes[k]);
				pipes[k] = -1;
			}
	}
	for (int k = 0; k < np; k++)
		if (pipes[k] >= 0)
			close(pipes[k]);
	if (background) {
		for (int i = 0; i < ns; i++)
			if (stages[i].pid > 0)
				dprintf(2, "[%d]\n", stages[i].pid);
	} else {
		for (int i = 0; i < ns; i++) {
			if (stages[i].pid > 0) {
				stages[i].status = wait_status(stages[i].pid);
				if (stages[i].status == 128 + SIGINT)
					sh.interrupted = 1;
			}
		}
		if (sh.jobctl && pgid > 0)
			tcsetpgrp(0, sh.pgid);
		if (sh.interactive && stages[ns - 1].status == 128 + SIGINT)
			dprintf(1, "\n");
	}
	status = background ? 0 : stages[ns - 1].status;
	for (int i = 0; i < ns; i++)
		argv_free(&stages[i].argv, &stages[i].owned);
	sh.ex.used = mark;
	free(stages);
	return status;
}

/* Run a compound command with its own redirections applied. */
static int with_redirs(struct sh_node *n, int (*fn)(struct sh_node *))
{
	if (!n->redirs)
		return fn(n);
	struct redir_fd rf[MAX_SAVED];
	int nrf;
	size_t mark = sh.ex.used; /* the expanded targets are needed only here */
	if (open_redirs(n->redirs, rf, &nrf) != 0) {
		close_opened(rf, nrf);
		sh.ex.used = mark;
		return 1;
	}
	struct saved sv[MAX_SAVED];
	int nsv, status = 1;
	if (apply_in_shell(rf, nrf, sv, &nsv) == 0)
		status = fn(n);
	restore(sv, nsv);
	close_opened(rf, nrf);
	sh.ex.used = mark;
	return status;
}

static int run_if(struct sh_node *n)
{
	while (n) {
		int c = run_node(n->a);
		if (shell_unwinding())
			return c;
		if (c == 0)
			return run_node(n->b);
		if (n->c && n->c->kind == SH_IF && !n->c->redirs) {
			n = n->c;
			continue;
		}
		return n->c ? run_node(n->c) : 0;
	}
	return 0;
}

/* After a loop body: should the loop stop? (consumes break/continue) */
static bool loop_stop(void)
{
	if (sh.breaking > 0) {
		sh.breaking--;
		return true;
	}
	sh.continuing = false;
	return sh.exit_now || sh.interrupted;
}

static int run_while(struct sh_node *n)
{
	int status = 0;
	sh.loop_depth++;
	for (;;) {
		int c = run_node(n->a);
		if (shell_unwinding()) {
			if (loop_stop())
				break;
			continue;
		}
		if ((n->kind == SH_WHILE) != (c == 0))
			break;
		status = run_node(n->b);
		if (shell_unwinding() && loop_stop())
			break;
	}
	sh.loop_depth--;
	return status;
}

static int run_for(struct sh_node *n)
{
	struct argv a = {0}, owned = {0};
	size_t mark = sh.ex.used;
	int status = 0;
	if (n->has_in) {
		if (expand_words(n->words, &a, &owned) != 0) {
			argv_free(&a, &owned);
			sh.ex.used = mark;
			return 1;
		}
	} else {
		for (int i = 0; i < sh.nparams; i++)
			argv_add(&a, sh.params[i]);
	}
	char name[128];
	size_t nl = n->name.len < sizeof name ? n->name.len : sizeof name - 1;
	memcpy(name, n->name.text, nl);
	name[nl] = 0;
	/* the values must outlive sh.ex resets inside the body: copy them */
	char **vals = calloc((size_t)a.n + 1, sizeof *vals);
	for (int i = 0; vals && i < a.n; i++)
		vals[i] = strdup(a.v[i]);
	argv_free(&a, &owned);
	sh.ex.used = mark;
	sh.loop_depth++;
	for (int i = 0; vals && vals[i]; i++) {
		var_set(name, vals[i], false);
		status = run_node(n->b);
		if (shell_unwinding() && loop_stop())
			break;
	}
	sh.loop_depth--;
	for (int i = 0; vals && vals[i]; i++)
		free(vals[i]);
	free(vals);
	return status;
}

static int run_group(struct sh_node *n)
{
	return run_node(n->a);
}

static int run_node(struct sh_node *n)
{
	int status = 0;
	while (n && !shell_unwinding()) {
		switch (n->kind) {
		case SH_SEQ:
			status = run_node(n->a);
			n = n->b;
			continue;
		case SH_CMD:
		case SH_PIPE:
			status = run_pipeline(n, false);
			break;
		case SH_BG:
			status = run_pipeline(n->a, true);
			break;
		case SH_AND:
		case SH_OR:
			status = run_node(n->a);
			if (!shell_unwinding() && (status == 0) == (n->kind == SH_AND))
				status = run_node(n->b);
			break;
		case SH_NOT:
			status = !run_node(n->a);
			break;
		case SH_IF:
			status = with_redirs(n, run_if);
			break;
		case SH_WHILE:
		case SH_UNTIL:
			status = with_redirs(n, run_while);
			break;
		case SH_FOR:
			status = with_redirs(n, run_for);
			break;
		case SH_GROUP:
			status = with_redirs(n, run_group);
			break;
		}
		sh.status = status;
		break;
	}
	if (sh.interrupted && !sh.exit_now)
		sh.status = status = 130;
	return status;
}

/* A parse arena for text of len bytes. */
static int arena_new(struct sh_arena *a, size_t len)
{
	a->cap = 4096 + 96 * len;
	a->used = 0;
	a->base = malloc(a->cap);
	return a->base ? 0 : -1;
}

int check_text(const char *text, size_t len, const char *where)
{
	struct sh_arena ar;
	if (arena_new(&ar, len) != 0)
		return -E_NOMEM;
	struct sh_parser p;
	struct sh_error err = {0};
	sh_parser_init(&p, text, len, &ar, &err);
	int r;
	for (;;) {
		struct sh_node *n;
		ar.used = 0;
		r = sh_parse_next(&p, &n);
		if (r != 0)
			break;
	}
	free(ar.base);
	if (r == SH_EOF)
		return 0;
	if (r == SH_INCOMPLETE)
		return SH_INCOMPLETE;
	if (where)
		sh_error("%s: line %u: %s", where, err.line, err.msg);
	else
		sh_error("line %u: %s", err.line, err.msg);
	return r;
}

int run_text(const char *text, size_t len, const char *where)
{
	struct sh_arena ar;
	if (arena_new(&ar, len) != 0) {
		sh_error("out of memory");
		return 1;
	}
	struct sh_parser p;
	struct sh_error err = {0};
	sh_parser_init(&p, text, len, &ar, &err);
	int status = sh.status;
	while (!sh.exit_now && !sh.interrupted) {
		struct sh_node *n;
		ar.used = 0;
		int r = sh_parse_next(&p, &n);
		if (r == SH_EOF)
			break;
		if (r == SH_INCOMPLETE) {
			strcpy(err.msg, "syntax error: unexpected end of file");
			err.line = p.line;
			r = -E_INVAL;
		}
		if (r != 0) {
			if (where)
				sh_error("%s: line %u: %s", where, err.line, err.msg);
			else
				sh_error("line %u: %s", err.line, err.msg);
			status = sh.status = 2;
			break;
		}
		status = run_node(n);
		sh.status = status;
		if (sh.breaking || sh.continuing) {
			sh.breaking = 0; /* break outside a loop: ignored */
			sh.continuing = false;
		}
	}
	free(ar.base);
	return status;
}
