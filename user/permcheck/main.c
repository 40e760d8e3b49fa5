/*
 * permcheck - a boot-test program: do the seeded file permissions
 * (initfs/etc/fs.perms, docs/ramfs.md) stop an ordinary user?
 *
 *   permcheck
 *
 * Run as root on the console (tests/boot/test_login.py runs it as
 * init's console program), after ramfsd has seeded file:. It checks the
 * permission bits of /etc/shadow, /root, /home/guest, /tmp and /bin/login
 * (and of initfs:/etc/shadow and passwd, which the initfs scheme enforces),
 * then becomes guest (setgid, setuid 1000) and checks that reading
 * /etc/shadow (also initfs's copy), writing /etc/passwd and creating a file in /root fail
 * with EACCES while reading /etc/passwd and creating files in /tmp and
 * /home/guest work (which also shows the owners). One line per check ("permcheck: ok ..." or
 * "permcheck: FAIL ..."), then "permcheck: N failures"; then it sleeps,
 * so that init does not run it again.
 *
 * Ownership: one thread; all state is main's.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <usage.h>
#include "rb/sys.h"

static const char usage[] = "usage: permcheck\n"
			    "Check, as root then as uid 1000, that the seeded file permissions\n"
			    "hold (a boot-test program; see tests/boot/test_login.py).\n";

static int failures;

static void result(bool ok, const char *what, const char *detail)
{
	printf("permcheck: %s %s%s%s\n", ok ? "ok" : "FAIL", what, detail[0] ? ": " : "", detail);
	failures += !ok;
}

/*
 * path's permission bits must be mode. Read with rb_fstat, whose mode
 * ramfsd fills with the type and permission bits (libc's stat still makes
 * up 0644/0755, and struct rb_stat carries no owner: owners are checked
 * by what uid 1000 may do below).
 */
static void check_mode(const char *path, unsigned mode)
{
	char d[96];
	int fd = rb_open(path, RB_O_RDONLY);
	if (fd == -E_ISDIR)
		fd = rb_open(path, RB_O_RDONLY | RB_O_DIRECTORY);
	struct rb_stat st;
	int err = fd < 0 ? fd : rb_fstat(fd, &st);
	if (fd >= 0)
		rb_close(fd);
	if (err < 0) {
		snprintf(d, sizeof d, "%s", err_name(err));
		result(false, path, d);
		return;
	}
	unsigned got = st.mode & 07777;
	snprintf(d, sizeof d, "mode %04o", got);
	result(got == mode, path, d);
}

/* open(path, flags) as the current user must give want_errno (0: must work). */
static void check_open(const char *what, const char *path, int flags, int want_errno)
{
	int fd = open(path, flags, 0644);
	int e = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	char d[96];
	snprintf(d, sizeof d, "%s", e ? strerror(e) : "opened");
	result(e == want_errno, what, d);
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	if (argc > 1)
		usage_fail(argv[0], usage, "unexpected argument %s", argv[1]);
	check_mode("/etc/shadow", 0600);
	check_mode("/etc/passwd", 0644);
	check_mode("/root", 0700);
	check_mode("/home/guest", 0755);
	check_mode("/tmp", 01777);
	check_mode("/var/log", 0755);
	check_mode("/bin/login", 0755);
	check_mode("initfs:/etc/shadow", 0600);
	check_mode("initfs:/etc/passwd", 0644);
	if (setgid(1000) < 0 || setuid(1000) < 0) {
		result(false, "become uid 1000", strerror(errno));
	} else {
		check_open("guest reads /etc/shadow", "/etc/shadow", O_RDONLY, EACCES);
		check_open("guest writes /etc/passwd", "/etc/passwd", O_WRONLY, EACCES);
		check_open("guest creates in /root", "/root/permcheck", O_CREAT | O_WRONLY, EACCES);
		check_open("guest reads initfs:/etc/shadow", "initfs:/etc/shadow", O_RDONLY,
			   EACCES);
		check_open("guest reads /etc/passwd", "/etc/passwd", O_RDONLY, 0);
		check_open("guest reads initfs:/etc/passwd", "initfs:/etc/passwd", O_RDONLY, 0);
		check_open("guest creates in /tmp", "/tmp/permcheck", O_CREAT | O_WRONLY, 0);
		check_open("guest creates in its home", "/home/guest/permcheck", O_CREAT | O_WRONLY,
			   0);
	}
	printf("permcheck: %d failures\n", failures);
	fflush(stdout);
	for (;;) {
		struct timespec ts = {3600, 0};
		nanosleep(&ts, NULL);
	}
}
