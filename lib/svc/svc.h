/*
 * svc.h - a service description: what one file under /etc/init.d/ says
 * (docs/init.md has the format, every field and its default).
 *
 * svc_from_toml() turns a parsed TOML document into a struct svc_def,
 * filling the defaults and checking every field: a field of the wrong
 * type, a bad enum value, a number out of range, a bad service name or an
 * unknown field is an error naming the field and where it was written
 * (unknown fields are errors, not warnings: a misspelt "requires" must not
 * silently drop a dependency). svc_load() parses and converts in one call.
 *
 * Memory: a svc_def's strings (exec, args, requires, ...) point into the
 * TOML document's byte buffer, which the caller keeps as long as the
 * svc_def; the name is copied into the svc_def. Lists are bounded by
 * SVC_MAX_ARGS, SVC_MAX_DEPS, SVC_MAX_ENV (more is an error).
 *
 * Locking: none; pure functions over the caller's storage.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/compiler.h"
#include "toml/toml.h"

#define SVC_NAME_MAX 31 /* bytes of a service name: [a-z0-9_-], first a letter or digit */
#define SVC_MAX_ARGS 16 /* args, and the words of a health command */
#define SVC_MAX_DEPS 16 /* requires, and after */
#define SVC_MAX_ENV 16	/* environment entries */
#define SVC_MAX_SECONDS 3600

#define SVC_DEFAULT_MAX_RESTARTS 3
#define SVC_DEFAULT_WINDOW_S 60
#define SVC_DEFAULT_READY_TIMEOUT_S 30
#define SVC_DEFAULT_HEALTH_INTERVAL_S 5

enum svc_type {
	SVC_DAEMON,	   /* ready once spawned; runs until stopped */
	SVC_NOTIFY,	   /* ready once ready_path opens; runs until stopped */
	SVC_ONESHOT,	   /* ready once it exits 0; dependents wait for that */
	SVC_ONESHOT_ASYNC, /* runs to completion; nobody waits for it */
};

enum svc_restart {
	SVC_RESTART_NEVER,
	SVC_RESTART_ON_FAILURE,
	SVC_RESTART_ALWAYS,
};

struct svc_def {
	char name[SVC_NAME_MAX + 1];
	const char *exec;		/* program path; argv[0] */
	const char *args[SVC_MAX_ARGS]; /* argv[1..] */
	size_t nargs;
	enum svc_type type;		    /* default daemon */
	const char *requires[SVC_MAX_DEPS]; /* hard: started after, and only if, these are ready */
	size_t nrequires;
	const char *after[SVC_MAX_DEPS]; /* ordering only */
	size_t nafter;
	enum svc_restart restart;  /* default on-failure */
	unsigned max_restarts;	   /* default 3 */
	unsigned restart_window_s; /* default 60: a run this long resets the restart count */
	const char *ready_path;	   /* notify: the path that opens once the service is ready */
	unsigned ready_timeout_s;  /* default 30 */
	const char *health_path;   /* read it to check health; NULL: none */
	const char *health_cmd[SVC_MAX_ARGS]; /* or run this; nhealth_cmd 0: none */
	size_t nhealth_cmd;
	unsigned health_interval_s;   /* default 5 */
	const char *user;	      /* a user name; NULL: see uid */
	int uid;		      /* a numeric user; default 0 (init's own) */
	const char *env[SVC_MAX_ENV]; /* "NAME=value" */
	size_t nenv;
	bool critical;	     /* default false: if it fails for good, the system is failed */
	bool stop_last;	     /* default false: kept through the shutdown until the power step */
	bool stops_children; /* default false: its children get no SIGTERM from init at shutdown */
};

/* True if name is a valid service name (1..SVC_NAME_MAX bytes of [a-z0-9_-], not '-' first). */
bool svc_name_valid(const char *name);

/*
 * The service name of a file name: "logd.toml" -> "logd" (the directory
 * part is dropped; the ".toml" suffix is required). 0, or -E_INVAL.
 */
MUST_CHECK int svc_name_from_file(const char *file, char name[SVC_NAME_MAX + 1]);

/* Fill def from the root table of doc as service name: 0, or -E_INVAL with *err set. */
MUST_CHECK int svc_from_toml(const struct toml_node *root, const char *name, struct svc_def *def,
			     struct toml_error *err);

/*
 * Parse text[0..len) (the file file) into doc and then def: 0, or the
 * error with *err set (a TOML error or a field error).
 */
MUST_CHECK int svc_load(const char *file, const char *text, size_t len, struct toml_doc *doc,
			struct svc_def *def, struct toml_error *err);

/* "daemon", "notify", ... and "never", "on-failure", "always": the file's spellings. */
const char *svc_type_name(enum svc_type t);
const char *svc_restart_name(enum svc_restart r);
