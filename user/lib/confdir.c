/*
 * confdir.c - reading a directory of configuration files (rb/confdir.h).
 */
#include <stdbool.h>
#include <string.h>
#include "base/err.h"
#include "rb/confdir.h"
#include "rb/malloc.h"
#include "rb/stdio.h"
#include "rb/sys.h"

void rb_conf_path(char *out, size_t len, const char *dir, const char *name)
{
	const char *pre = strchr(dir, ':') ? "" : "initfs:";
	if (name)
		rb_snprintf(out, len, "%s%s/%s", pre, dir, name);
	else
		rb_snprintf(out, len, "%s%s", pre, dir);
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);
	return n > s && !strcmp(name + n - s, suffix);
}

long rb_conf_list(const char *dir, const char *suffix, char names[][RB_CONF_NAME_MAX], size_t max,
		  size_t *skipped)
{
	char path[256];
	rb_conf_path(path, sizeof path, dir, NULL);
	int fd = rb_open(path, RB_O_RDONLY | RB_O_DIRECTORY);
	if (fd < 0)
		return fd;
	char buf[2048];
	size_t n = 0, left_out = 0;
	long got;
	while ((got = rb_getdents(fd, buf, sizeof buf)) > 0) {
		for (long at = 0; at < got;) {
			const struct rb_dirent *d = (const void *)(buf + at);
			if (!d->reclen)
				break;
			at += d->reclen;
			if (!has_suffix(d->name, suffix))
				continue;
			if (strlen(d->name) >= RB_CONF_NAME_MAX || n == max) {
				left_out++;
				continue;
			}
			strcpy(names[n++], d->name);
		}
	}
	rb_close(fd);
	for (size_t i = 1; i < n; i++) /* insertion sort: a few dozen names */
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char t[RB_CONF_NAME_MAX];
			strcpy(t, names[j]);
			strcpy(names[j], names[j - 1]);
			strcpy(names[j - 1], t);
		}
	if (skipped)
		*skipped = left_out;
	return (long)n;
}

long rb_conf_read(const char *path, size_t max, char **out)
{
	int fd = rb_open(path, RB_O_RDONLY);
	if (fd < 0)
		return fd;
	char *buf = rb_malloc(max);
	long got = 0, r = 0;
	while (buf && (size_t)got < max - 1 &&
	       (r = rb_read(fd, buf + got, max - 1 - (size_t)got)) > 0)
		got += r;
	rb_close(fd);
	if (!buf)
		return -E_NOMEM;
	if (r < 0 || (size_t)got == max - 1) {
		rb_free(buf);
		return r < 0 ? r : -E_2BIG;
	}
	buf[got] = '\0';
	*out = buf;
	return got;
}
