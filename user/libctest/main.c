/*
 * libctest - in-guest tests of the POSIX-subset C library (user/libc).
 *
 * Boot with init=/bin/libctest (or spawn it): it starts ramfsd when
 * file: is not served yet and it is pid 1 (for the /tmp cases), runs every
 * case of the tables in order and prints "1..N", "ok N - name" or
 * "not ok N - name # reason", then "libctest: P passed, F failed"; as
 * pid 1 it then powers off. "libctest child MODE ..." is a helper the
 * process cases spawn (child.c).
 */
#include "libctest.h"
#include "rb/service.h"
#include "rb/sys.h"

static const struct lcase *const tables[] = {
    string_cases, printf_cases, stdlib_cases, stdio_cases,
    unistd_cases, proc_cases,	thread_cases, time_cases,
};
#define NTABLES (sizeof tables / sizeof tables[0])

static int count_cases(void)
{
	int n = 0;
	for (size_t t = 0; t < NTABLES; t++)
		for (const struct lcase *c = tables[t]; c->name; c++)
			n++;
	return n;
}

/* Make sure file: is served: start ramfsd if we are init and nobody serves it. */
static void ensure_ramfs(void)
{
	int fd = rb_open("file:/", RB_O_RDONLY | RB_O_DIRECTORY);
	if (fd >= 0) {
		rb_close(fd);
		return;
	}
	if (rb_getpid() != 1)
		return;
	int r = rb_service_start("initfs:/bin/ramfsd", "file:/", RB_O_RDONLY | RB_O_DIRECTORY);
	if (r < 0)
		rb_printf("# libctest: ramfsd did not start: %s\n", err_name(r));
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "child") == 0)
		return lt_child_main(argc, argv);
	ensure_ramfs();
	int num = 0, passed = 0, failed = 0;
	char why[200];
	rb_printf("1..%d\n", count_cases());
	for (size_t t = 0; t < NTABLES; t++) {
		for (const struct lcase *c = tables[t]; c->name; c++) {
			num++;
			why[0] = 0;
			if (c->run(why, sizeof why) == 0) {
				passed++;
				rb_printf("ok %d - %s\n", num, c->name);
			} else {
				failed++;
				rb_printf("not ok %d - %s # %s\n", num, c->name,
					  why[0] ? why : "failed");
			}
		}
	}
	rb_printf("libctest: %d passed, %d failed\n", passed, failed);
	if (rb_getpid() == 1)
		rb_poweroff();
	return failed ? 1 : 0;
}
