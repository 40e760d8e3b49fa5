/*
 * shell.h - the parts of /bin/sh (user/sh) and their shared state.
 *
 * main.c reads commands (a script, -c, stdin, or the console with line
 * editing from input.c) and hands text to exec.c, which parses it with
 * lib/sh and runs the tree: builtins (builtins.c) in the shell itself,
 * other programs with posix_spawnp, globs through glob_walk.c. vars.c
 * keeps the variables (exported ones mirrored into environ).
 *
 * Ownership: one thread; struct shell sh is the shell's global state,
 * touched only by that thread, except sh.interrupted, which the SIGINT
 * handler sets (a sig_atomic_t, read and cleared by the main loop).
 */
#pragma once
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "sh/sh.h"

struct shell {
	bool interactive; /* commands come from the console, edited */
	bool jobctl;	  /* jobs get their own foreground process group */
	bool login;	  /* argv[0] began with '-' */
	int status;	  /* $? */
	pid_t pgid;	  /* the shell's own process group */
	const char *arg0; /* $0 */
	char **params;	  /* $1 ... (malloc'd array of malloc'd strings) */
	int nparams;
	bool exit_now;			   /* the exit builtin ran */
	int loop_depth;			   /* loops being run (for break/continue) */
	int breaking;			   /* loops still to leave */
	bool continuing;		   /* the innermost loop goes on with its next round */
	volatile sig_atomic_t interrupted; /* SIGINT arrived while the shell ran a command */
	struct sh_arena ex;		   /* expansion scratch, reset after each command */
};

extern struct shell sh;

/* exec.c */
/* Parse and run text (whole: the text is all there is, so an open quote
   or compound at its end is an error; where names it in messages). The
   status of the last command; syntax errors give 2. */
int run_text(const char *text, size_t len, const char *where);
/* Check text: 0 complete, SH_INCOMPLETE, or -E_INVAL (message printed). */
int check_text(const char *text, size_t len, const char *where);
/* The lookup/parameter view of the shell for lib/sh. */
void shell_env(struct sh_env *env);
/* Should commands stop running (exit, break/continue, Ctrl-C)? */
bool shell_unwinding(void);
/* Print "sh: " + message on stderr. */
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* builtins.c */
typedef int (*builtin_fn)(int argc, char **argv);
builtin_fn builtin_find(const char *name);
/* The builtin names, NULL-terminated (for completion). */
extern const char *const builtin_names[];

/* vars.c */
void vars_init(void);
const char *var_get(const char *name);
const char *var_getn(const char *name, size_t len);
/* Set a variable (export: mark it exported); 0 or -1 (bad name). */
int var_set(const char *name, const char *value, bool export);
void var_unset(const char *name);
int var_export(const char *name);
void vars_print(bool exported_only);
void set_params(int n, char **v);

/* glob_walk.c */
/* Expand a glob pattern against the file system: matches appended to
   out (malloc'd array grown by the callee), sorted; their count. */
int glob_expand(const char *pattern, char ***out, int *n, int *cap);

/* input.c */
#define INPUT_LINE 0
#define INPUT_EOF 1
#define INPUT_INTR 2
int input_line(const char *prompt, char *buf, size_t cap);
void input_init(void);
void history_print(void);
