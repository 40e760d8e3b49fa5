/*
 * test_accounts.c - the accounts shipped in initfs (initfs/etc/passwd,
 * initfs/etc/shadow; docs/login.md): both files parse with no line
 * refused; root is uid 0 and guest an unprivileged uid; every passwd
 * account has a shadow entry and no shadow entry lacks an account; the
 * documented passwords open them (root/redbear, guest/guest) and no
 * other password does. Run from the top of the tree (make test does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "auth/passwd.h"
#include "auth/shadow.h"

#define ROWS 16

static struct passwd_entry pw[ROWS];
static struct shadow_entry sh[ROWS];
static size_t npw, nsh;

static void refuse(void *ctx, unsigned line, const char *why)
{
	fprintf(stderr, "%s:%u: %s\n", (const char *)ctx, line, why);
	fail();
}

/* The whole file at path, NUL-terminated (the test fails if it cannot be read). */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run from the top of the tree)", path);
	static char buf[65536];
	*len = fread(buf, 1, sizeof buf - 1, f);
	assert_true(feof(f));
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

static int load(void **state)
{
	size_t len;
	char *t = slurp("initfs/etc/passwd", &len);
	npw = passwd_parse(t, len, pw, ROWS, refuse, "initfs/etc/passwd");
	t = slurp("initfs/etc/shadow", &len);
	nsh = shadow_parse(t, len, sh, ROWS, refuse, "initfs/etc/shadow");
	return 0;
}

static void test_users(void **state)
{
	assert_int_equal(npw, 2);
	const struct passwd_entry *root = passwd_by_name(pw, npw, "root");
	const struct passwd_entry *guest = passwd_by_name(pw, npw, "guest");
	assert_non_null(root);
	assert_non_null(guest);
	assert_int_equal(root->uid, 0);
	assert_int_equal(root->gid, 0);
	assert_true(guest->uid > 0);
	assert_true(guest->gid > 0);
	assert_ptr_equal(passwd_by_uid(pw, npw, 0), root);
	assert_ptr_equal(passwd_by_uid(pw, npw, guest->uid), guest);
}

static void test_every_account_has_a_password(void **state)
{
	assert_int_equal(nsh, npw);
	for (size_t i = 0; i < npw; i++)
		assert_non_null(shadow_by_name(sh, nsh, pw[i].name));
	for (size_t i = 0; i < nsh; i++)
		assert_non_null(passwd_by_name(pw, npw, sh[i].name));
}

static void test_documented_passwords(void **state)
{
	const struct shadow_entry *root = shadow_by_name(sh, nsh, "root");
	const struct shadow_entry *guest = shadow_by_name(sh, nsh, "guest");
	assert_non_null(root);
	assert_non_null(guest);
	assert_true(shadow_check(root, "redbear", 7));
	assert_true(shadow_check(guest, "guest", 5));

	assert_false(shadow_check(root, "guest", 5));
	assert_false(shadow_check(root, "Redbear", 7));
	assert_false(shadow_check(root, "redbear\n", 8));
	assert_false(shadow_check(root, "", 0));
	assert_false(shadow_check(guest, "redbear", 7));
	assert_false(shadow_check(guest, "", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_users),
	    cmocka_unit_test(test_every_account_has_a_password),
	    cmocka_unit_test(test_documented_passwords),
	};
	return cmocka_run_group_tests(tests, load, NULL);
}
