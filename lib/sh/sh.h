/*
 * sh.h - the pure part of the shell (/bin/sh, user/sh): lexer and parser
 * of a POSIX-shell subset into a syntax tree (parse.c), word expansion
 * (expand.c), $((...)) arithmetic (arith.c) and glob matching (glob.c).
 * docs/shell.md lists the language.
 *
 * Memory: everything is carved out of a caller's arena (struct sh_arena, a
 * byte buffer): running out is -E_NOSPC, never a crash; the caller retries
 * with a bigger one. Nodes keep words as their raw source text (quotes
 * and all), so the parser copies nothing and expansion works on the text.
 * The tree points into the source, which must outlive it.
 *
 * Errors: -E_INVAL with struct sh_error's line (from 1) and message;
 * sh_parse_next() says SH_INCOMPLETE when the text ends inside an open
 * quote or compound command, so an interactive loop asks for more lines.
 *
 * Locking: none; pure functions over the caller's storage. Variable
 * lookups go through the caller's struct sh_env callback.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include "base/compiler.h"

#define SH_INCOMPLETE 1	   /* sh_parse_next: more input needed */
#define SH_EOF 2	   /* sh_parse_next: nothing but blanks and comments left */
#define SH_MAX_DEPTH 100   /* nesting bound of compound commands and $(( )) parens */
#define SH_MAX_CHAIN 1000  /* && and || in one list (the executor recurses on them) */
#define SH_MAX_FIELDS 1024 /* fields one word may expand to */

struct sh_arena {
	char *base;
	size_t cap, used;
};

struct sh_error {
	unsigned line;
	char msg[96];
};

/* A word as it was written (still quoted), a list link. */
struct sh_word {
	const char *text;
	size_t len;
	struct sh_word *next;
};

enum sh_redir_kind {
	SH_R_IN,     /* fd < file */
	SH_R_OUT,    /* fd > file */
	SH_R_APPEND, /* fd >> file */
	SH_R_DUP,    /* fd >& word (digits or '-') */
	SH_R_INDUP,  /* fd <& word */
};

struct sh_redir {
	enum sh_redir_kind kind;
	int fd;
	struct sh_word target;
	struct sh_redir *next;
};

enum sh_kind {
	SH_CMD,	  /* assigns, words, redirs */
	SH_PIPE,  /* a | b (b may be another SH_PIPE) */
	SH_AND,	  /* a && b */
	SH_OR,	  /* a || b */
	SH_NOT,	  /* ! a */
	SH_SEQ,	  /* a ; b */
	SH_BG,	  /* a & (run without waiting) */
	SH_IF,	  /* if a then b else c (c: NULL, or another SH_IF for elif) */
	SH_WHILE, /* while a do b */
	SH_UNTIL, /* until a do b */
	SH_FOR,	  /* for name in words do b */
	SH_GROUP, /* { a; } */
};

struct sh_node {
	enum sh_kind kind;
	unsigned line;
	struct sh_node *a, *b, *c;
	struct sh_word *assigns, *words;
	struct sh_redir *redirs; /* SH_CMD, and compound commands' trailing ones */
	struct sh_word name;	 /* SH_FOR's variable */
	bool has_in;		 /* SH_FOR: "in" given (else "$@") */
};

/* A parser over one text; sh_parse_next takes one complete command at a time. */
struct sh_parser {
	const char *src;
	size_t len, pos;
	unsigned line;
	struct sh_arena *arena;
	struct sh_error *err;
	unsigned depth;
	/* the current token */
	int tok;
	const char *tok_text;
	size_t tok_len;
	int tok_fd;
	unsigned tok_line;
	bool incomplete;
};

/* Start parsing src[0..len) with nodes from arena, errors into err. */
void sh_parser_init(struct sh_parser *p, const char *src, size_t len, struct sh_arena *arena,
		    struct sh_error *err);

/* Parse the next complete command (up to an unnested newline or the end) into *out:
   0, SH_EOF, SH_INCOMPLETE, -E_INVAL (syntax error) or -E_NOSPC (arena full). */
int sh_parse_next(struct sh_parser *p, struct sh_node **out) MUST_CHECK;

/* Bytes from the arena, 8-byte aligned; NULL when it is full. */
void *sh_alloc(struct sh_arena *a, size_t n);

/* The caller's variables and parameters for expansion. */
struct sh_env {
	/* value of the variable name[0..len), NULL when unset */
	const char *(*get)(void *ctx, const char *name, size_t len);
	void *ctx;
	const char *arg0;	   /* $0 */
	const char *const *params; /* $1 ... */
	int nparams;
	int status; /* $? */
	int pid;    /* $$ */
};

/* One field of an expanded word: the text, and the glob pattern (quoted
   characters backslash-escaped) when it holds an unquoted * ? or [. */
struct sh_field {
	char *text;
	char *pattern;
};

/* Expand a word fully (tilde, parameters, arithmetic, quote removal, field
   splitting): fields into out[0..max), their count in *n. 0, -E_INVAL with
   err (bad ${...}, arithmetic error), -E_NOSPC (arena or max). */
int sh_expand_word(const char *raw, size_t len, const struct sh_env *env, struct sh_arena *ar,
		   struct sh_field *out, size_t max, size_t *n, struct sh_error *err) MUST_CHECK;

/* Expand a word into one string without field splitting or globs (assignment
   values, redirection targets, case of "$@": joined by spaces). */
int sh_expand_string(const char *raw, size_t len, const struct sh_env *env, struct sh_arena *ar,
		     char **out, struct sh_error *err) MUST_CHECK;

/* Evaluate an arithmetic expression (already parameter-expanded; bare
   names are looked up through env). 0 and *out, or -E_INVAL with err
   (syntax, division by zero, a variable that is not a number). */
int sh_arith(const char *expr, size_t len, const struct sh_env *env, long *out,
	     struct sh_error *err) MUST_CHECK;

/* Does name match the glob pattern (* ? [set] [!set] [^set] [a-z], \x
   quotes x)? A leading '.' of name is matched only by a literal '.'. */
bool sh_glob_match(const char *pattern, const char *name);

/* Does the pattern hold an unescaped * ? or [ ? */
bool sh_glob_has_magic(const char *pattern);

/* Is name[0..len) a valid variable name ([A-Za-z_][A-Za-z0-9_]*)? */
bool sh_is_name(const char *name, size_t len);

/* If w is an assignment NAME=value, the length of NAME, else 0. */
size_t sh_assign_name_len(const char *w, size_t len);
