/*
 * fuzz_passwd.c - libFuzzer target for the account file parsers
 * (lib/auth/passwd.c, shadow.c, colon.c).
 *
 * The input is parsed both as /etc/passwd and as /etc/shadow, exactly
 * its bytes (no NUL added, so ASan catches a read past the end), into
 * small tables so the "too many entries" path is reached. Every report
 * must carry a line number inside the text and a reason; every stored
 * entry must obey the format (name, ids, paths, hash forms); names are
 * unique, so each entry is found again by its name, and by its uid some
 * entry with that uid is found. A locked shadow entry never opens. No
 * "$5$" hash is checked here (a stored one may ask for a billion
 * rounds): fuzz_crypt covers hashing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "auth/passwd.h"
#include "auth/shadow.h"

#define ROWS 6

struct count {
	size_t lines;
	unsigned reports;
};

static void on_report(void *ctx, unsigned line, const char *why)
{
	struct count *c = ctx;
	if (line == 0 || line > c->lines || !why || !why[0])
		abort();
	c->reports++;
}

static void check_name(const char *s)
{
	size_t n = strnlen(s, COLON_NAME_MAX + 1);
	if (n == 0 || n > COLON_NAME_MAX)
		abort();
	if (strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") != n)
		abort();
	if ((s[0] >= '0' && s[0] <= '9') || s[0] == '-')
		abort();
}

static void check_path(const char *s)
{
	size_t n = strnlen(s, PASSWD_PATH_MAX + 1);
	if (n == 0 || n > PASSWD_PATH_MAX || s[0] != '/' || strchr(s, ':'))
		abort();
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			abort();
}

static void check_passwd(const struct passwd_entry *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct passwd_entry *e = &rows[i];
		check_name(e->name);
		if (e->uid < 0 || e->gid < 0)
			abort();
		if (strnlen(e->gecos, PASSWD_GECOS_MAX + 1) > PASSWD_GECOS_MAX ||
		    strchr(e->gecos, ':'))
			abort();
		check_path(e->home);
		check_path(e->shell);
		if (passwd_by_name(rows, n, e->name) != e)
			abort();
		const struct passwd_entry *u = passwd_by_uid(rows, n, e->uid);
		if (!u || u > e || u->uid != e->uid)
			abort();
	}
}

static void check_shadow(const struct shadow_entry *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct shadow_entry *e = &rows[i];
		check_name(e->name);
		const char *h = e->hash;
		size_t hl = strnlen(h, SHADOW_HASH_MAX + 1);
		if (hl == 0 || hl > SHADOW_HASH_MAX)
			abort();
		bool marker = !strcmp(h, "*") || !strcmp(h, "!") || !strcmp(h, "!!");
		size_t skip = h[0] == '!';
		if (!marker && !sha256crypt_is_hash(h + skip, hl - skip))
			abort();
		if ((marker || skip) && shadow_check(e, "", 0))
			abort();
		const int32_t d[] = {e->lastchg, e->min, e->max, e->warn, e->inactive, e->expire};
		for (size_t k = 0; k < sizeof d / sizeof d[0]; k++)
			if (d[k] < SHADOW_UNSET)
				abort();
		if (shadow_by_name(rows, n, e->name) != e)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct passwd_entry pw[ROWS];
	static struct shadow_entry sh[ROWS];
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	struct count c = {1, 0};
	for (size_t i = 0; i < size; i++)
		c.lines += text[i] == '\n';

	size_t n = passwd_parse(text, size, pw, ROWS, on_report, &c);
	if (n > ROWS)
		abort();
	check_passwd(pw, n);

	c.reports = 0;
	n = shadow_parse(text, size, sh, ROWS, on_report, &c);
	if (n > ROWS)
		abort();
	check_shadow(sh, n);
	free(text);
	return 0;
}
