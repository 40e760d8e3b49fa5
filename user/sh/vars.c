/*
 * vars.c - the shell's variables and positional parameters.
 *
 * A singly linked list of malloc'd (name, value, exported) records. An
 * exported variable is mirrored into the C library's environ with
 * setenv/unsetenv, so spawned programs (and posix_spawnp's PATH lookup)
 * see it: environ is passed unchanged to every child. At start every
 * environment variable becomes an exported shell variable.
 *
 * Ownership: the shell's one thread; no locks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"

struct var {
	char *name, *value;
	bool exported;
	struct var *next;
};

static struct var *vars;

static struct var *find(const char *name, size_t len)
{
	for (struct var *v = vars; v; v = v->next)
		if (strlen(v->name) == len && memcmp(v->name, name, len) == 0)
			return v;
	return NULL;
}

const char *var_getn(const char *name, size_t len)
{
	struct var *v = find(name, len);
	return v ? v->value : NULL;
}

const char *var_get(const char *name)
{
	return var_getn(name, strlen(name));
}

int var_set(const char *name, const char *value, bool export)
{
	size_t len = strlen(name);
	if (!sh_is_name(name, len))
		return -1;
	struct var *v = find(name, len);
	char *val = strdup(value);
	if (!val)
		return -1;
	if (!v) {
		v = calloc(1, sizeof *v);
		if (!v || !(v->name = strdup(name))) {
			free(v);
			free(val);
			return -1;
		}
		v->next = vars;
		vars = v;
	}
	free(v->value);
	v->value = val;
	v->exported |= export;
	if (v->exported)
		setenv(name, value, 1);
	return 0;
}

void var_unset(const char *name)
{
	for (struct var **p = &vars; *p; p = &(*p)->next) {
		if (strcmp((*p)->name, name) == 0) {
			struct var *v = *p;
			*p = v->next;
			if (v->exported)
				unsetenv(name);
			free(v->name);
			free(v->value);
			free(v);
			return;
		}
	}
}

int var_export(const char *name)
{
	struct var *v = find(name, strlen(name));
	if (!v)
		return var_set(name, "", true);
	v->exported = true;
	setenv(v->name, v->value, 1);
	return 0;
}

void vars_print(bool exported_only)
{
	for (struct var *v = vars; v; v = v->next)
		if (!exported_only || v->exported)
			printf("%s%s='%s'\n", v->exported ? "export " : "", v->name, v->value);
	fflush(stdout);
}

void vars_init(void)
{
	for (char **e = environ; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		if (!eq || eq == *e)
			continue;
		char name[128];
		size_t n = (size_t)(eq - *e);
		if (n >= sizeof name)
			continue;
		memcpy(name, *e, n);
		name[n] = 0;
		if (!sh_is_name(name, n))
			continue;
		struct var *v = calloc(1, sizeof *v);
		if (!v)
			return;
		v->name = strdup(name);
		v->value = strdup(eq + 1);
		v->exported = true;
		if (!v->name || !v->value) {
			free(v->name);
			free(v->value);
			free(v);
			return;
		}
		v->next = vars;
		vars = v;
	}
	if (!var_get("PATH"))
		var_set("PATH", "/bin", true);
}

void set_params(int n, char **v)
{
	char **p = n > 0 ? calloc((size_t)n, sizeof *p) : NULL;
	int k = 0;
	for (; p && k < n; k++)
		if (!(p[k] = strdup(v[k])))
			break;
	for (int i = 0; i < sh.nparams; i++)
		free(sh.params[i]);
	free(sh.params);
	sh.params = p;
	sh.nparams = p ? k : 0;
}
