/*
 * mkshadow - print an /etc/shadow line with a "$5$" SHA-256-crypt hash
 * (lib/crypto/sha256crypt.c; format in lib/auth/shadow.h, docs/login.md).
 *
 * Usage: mkshadow [-r ROUNDS] NAME [SALT]
 * The password is the first line of standard input (without its '\n'),
 * so it stays out of the process list and the shell history. SALT is
 * 1..16 characters of [./0-9A-Za-z]; without it 16 random ones are
 * taken from /dev/urandom. ROUNDS (1000..999999999) is written into the
 * hash; without it the default 5000 is used and not written. Prints
 * "NAME:HASH:::::::" and exits 0; exits 2 on bad arguments or input.
 * Single-threaded, no locking.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auth/shadow.h"
#include "crypto/sha256crypt.h"

static int usage(void)
{
	fprintf(stderr, "usage: mkshadow [-r ROUNDS] NAME [SALT] < password\n");
	return 2;
}

/* The first line of stdin into buf: its length, or -1 if too long. */
static long read_password(char *buf, size_t cap)
{
	if (!fgets(buf, (int)cap, stdin))
		return 0;
	size_t n = strcspn(buf, "\n");
	if (buf[n] != '\n' && n == cap - 1 && !feof(stdin))
		return -1;
	buf[n] = '\0';
	return (long)n;
}

static int random_salt(unsigned char *b, size_t n)
{
	FILE *f = fopen("/dev/urandom", "rb");
	if (!f)
		return -1;
	size_t got = fread(b, 1, n, f);
	fclose(f);
	return got == n ? 0 : -1;
}

/* Hash pw into out with a salt from the caller's text or random bytes. */
static int make_hash(const char *pw, size_t len, const char *salt, unsigned long rounds,
		     char out[SHA256CRYPT_OUT_MAX])
{
	if (!salt) {
		unsigned char b[SHA256CRYPT_SALT_MAX];
		if (random_salt(b, sizeof b) < 0)
			return -1;
		return sha256crypt_make(pw, len, b, sizeof b, (uint32_t)rounds, out);
	}
	char setting[64];
	if (strlen(salt) == 0 || strlen(salt) > SHA256CRYPT_SALT_MAX)
		return -1;
	if (rounds)
		snprintf(setting, sizeof setting, "$5$rounds=%lu$%s", rounds, salt);
	else
		snprintf(setting, sizeof setting, "$5$%s", salt);
	return sha256crypt(pw, len, setting, strlen(setting), out);
}

int main(int argc, char **argv)
{
	unsigned long rounds = 0;
	int i = 1;
	if (i + 1 < argc && !strcmp(argv[i], "-r")) {
		char *end;
		rounds = strtoul(argv[i + 1], &end, 10);
		if (*end || rounds < SHA256CRYPT_ROUNDS_MIN || rounds > SHA256CRYPT_ROUNDS_MAX)
			return usage();
		i += 2;
	}
	if (argc - i < 1 || argc - i > 2)
		return usage();
	const char *name = argv[i], *salt = argc - i == 2 ? argv[i + 1] : NULL;

	char pw[SHA256CRYPT_KEY_MAX + 2];
	long len = read_password(pw, sizeof pw);
	char hash[SHA256CRYPT_OUT_MAX];
	if (len < 0 || len > SHA256CRYPT_KEY_MAX ||
	    make_hash(pw, (size_t)len, salt, rounds, hash)) {
		fprintf(stderr, "mkshadow: bad salt or password (at most %d bytes)\n",
			SHA256CRYPT_KEY_MAX);
		return 2;
	}
	memset(pw, 0, sizeof pw);

	/* check the line as the parser will read it */
	char line[256];
	struct shadow_entry e;
	snprintf(line, sizeof line, "%s:%s:::::::", name, hash);
	if (shadow_parse(line, strlen(line), &e, 1, NULL, NULL) != 1) {
		fprintf(stderr, "mkshadow: bad account name '%s'\n", name);
		return 2;
	}
	printf("%s\n", line);
	return 0;
}
