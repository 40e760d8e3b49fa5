/*
 * string.c - the string functions beyond lib/libc's shared subset.
 *
 * Pure except strdup/strndup (malloc) and strtok (one static position,
 * as POSIX: not thread-safe; use strtok_r).
 */
#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "fmt/fmt.h"

char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t i = 0;
	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = 0;
	return dst;
}

char *strcat(char *restrict dst, const char *restrict src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

char *strncat(char *restrict dst, const char *restrict src, size_t n)
{
	char *d = dst + strlen(dst);
	size_t i = 0;
	for (; i < n && src[i]; i++)
		d[i] = src[i];
	d[i] = 0;
	return dst;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t i = 0;
	while (s[i] && !strchr(reject, s[i]))
		i++;
	return i;
}

char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return (char *)hay;
	for (; *hay; hay++)
		if (*hay == *needle && strncmp(hay, needle, n) == 0)
			return (char *)hay;
	return NULL;
}

char *strtok_r(char *restrict s, const char *restrict delim, char **restrict save)
{
	if (!s)
		s = *save;
	s += strspn(s, delim);
	if (!*s) {
		*save = s;
		return NULL;
	}
	char *end = s + strcspn(s, delim);
	if (*end)
		*end++ = 0;
	*save = end;
	return s;
}

char *strtok(char *restrict s, const char *restrict delim)
{
	static char *save;
	return strtok_r(s, delim, &save);
}

char *strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = malloc(len + 1);
	if (!d)
		return NULL;
	memcpy(d, s, len);
	d[len] = 0;
	return d;
}

char *strdup(const char *s)
{
	return strndup(s, (size_t)-1);
}

int strcoll(const char *a, const char *b)
{
	return strcmp(a, b);
}

void *memrchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	while (n-- > 0)
		if (p[n] == (unsigned char)c)
			return (void *)(p + n);
	return NULL;
}

int strcasecmp(const char *a, const char *b)
{
	return strncasecmp(a, b, (size_t)-1);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ca = tolower((unsigned char)a[i]), cb = tolower((unsigned char)b[i]);
		if (ca != cb || !ca)
			return ca - cb;
	}
	return 0;
}

char *strsignal(int sig)
{
	static const char *const names[NSIG] = {
	    [SIGHUP] = "Hangup",
	    [SIGINT] = "Interrupt",
	    [SIGQUIT] = "Quit",
	    [SIGILL] = "Illegal instruction",
	    [SIGTRAP] = "Trace/breakpoint trap",
	    [SIGABRT] = "Aborted",
	    [SIGBUS] = "Bus error",
	    [SIGFPE] = "Floating point exception",
	    [SIGKILL] = "Killed",
	    [SIGUSR1] = "User defined signal 1",
	    [SIGSEGV] = "Segmentation fault",
	    [SIGUSR2] = "User defined signal 2",
	    [SIGPIPE] = "Broken pipe",
	    [SIGALRM] = "Alarm clock",
	    [SIGTERM] = "Terminated",
	    [SIGCHLD] = "Child exited",
	    [SIGCONT] = "Continued",
	    [SIGSTOP] = "Stopped (signal)",
	    [SIGTSTP] = "Stopped",
	    [SIGTTIN] = "Stopped (tty input)",
	    [SIGTTOU] = "Stopped (tty output)",
	};
	static char unknown[32];
	if (sig > 0 && sig < NSIG && names[sig])
		return (char *)names[sig];
	fmt_snprintf(unknown, sizeof unknown, "Unknown signal %d", sig);
	return unknown;
}
