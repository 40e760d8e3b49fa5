/*
 * env.c - the environment: getenv, setenv, unsetenv, putenv, clearenv.
 *
 * environ starts as crt0's envp (on the initial stack). The first change
 * copies the pointer array into the heap (env_owned); after that the
 * array is this file's and grows with realloc. Strings setenv made are
 * never freed (another pointer to them may be live, as with any libc's
 * putenv). Changes are serialised by env_lock; as POSIX says, getenv is
 * not safe against a concurrent setenv.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rb/thread.h"

static int env_owned; /* environ is our heap array */
static struct rb_mutex env_lock = RB_MUTEX_INIT;

static size_t env_count(void)
{
	size_t n = 0;
	while (environ && environ[n])
		n++;
	return n;
}

/* The index of name (len bytes) in environ, or -1. */
static long env_find(const char *name, size_t len)
{
	for (size_t i = 0; environ && environ[i]; i++)
		if (strncmp(environ[i], name, len) == 0 && environ[i][len] == '=')
			return (long)i;
	return -1;
}

char *getenv(const char *name)
{
	size_t len = strcspn(name, "=");
	long i = name[len] ? -1 : env_find(name, len);
	return i < 0 ? NULL : environ[i] + len + 1;
}

/* Make room for one more entry in an array we own; 0 or -1 (ENOMEM). */
static int env_grow(size_t n)
{
	char **a = env_owned ? environ : NULL;
	a = realloc(a, (n + 2) * sizeof *a);
	if (!a)
		return -1;
	if (!env_owned)
		for (size_t i = 0; i < n; i++)
			a[i] = environ[i];
	a[n] = NULL;
	environ = a;
	env_owned = 1;
	return 0;
}

/* Put "name=..." string s in place of name's entry or at the end. Lock held. */
static int env_put(char *s, size_t len)
{
	long i = env_find(s, len);
	if (i >= 0) {
		environ[i] = s;
		return 0;
	}
	size_t n = env_count();
	if (env_grow(n) < 0)
		return -1;
	environ[n] = s;
	environ[n + 1] = NULL;
	return 0;
}

static int name_ok(const char *name)
{
	if (!name || !*name || strchr(name, '=')) {
		errno = EINVAL;
		return 0;
	}
	return 1;
}

int setenv(const char *name, const char *value, int overwrite)
{
	if (!name_ok(name))
		return -1;
	size_t len = strlen(name), vlen = strlen(value);
	int r = 0;
	rb_mutex_lock(&env_lock);
	if (overwrite || env_find(name, len) < 0) {
		char *s = malloc(len + vlen + 2);
		r = -1;
		if (s) {
			memcpy(s, name, len);
			s[len] = '=';
			memcpy(s + len + 1, value, vlen + 1);
			r = env_put(s, len);
		}
	}
	rb_mutex_unlock(&env_lock);
	return r;
}

int putenv(char *s)
{
	size_t len = strcspn(s, "=");
	if (!s[len] || len == 0) {
		errno = EINVAL;
		return -1;
	}
	rb_mutex_lock(&env_lock);
	int r = env_put(s, len);
	rb_mutex_unlock(&env_lock);
	return r;
}

int unsetenv(const char *name)
{
	if (!name_ok(name))
		return -1;
	size_t len = strlen(name);
	rb_mutex_lock(&env_lock);
	long i;
	while ((i = env_find(name, len)) >= 0) /* shift the rest down, NULL included */
		for (size_t j = (size_t)i; environ[j]; j++)
			environ[j] = environ[j + 1];
	rb_mutex_unlock(&env_lock);
	return 0;
}

int clearenv(void)
{
	rb_mutex_lock(&env_lock);
	if (env_owned)
		free(environ);
	environ = NULL;
	env_owned = 0;
	rb_mutex_unlock(&env_lock);
	return 0;
}
