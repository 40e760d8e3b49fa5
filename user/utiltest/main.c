/*
 * utiltest - in-guest tests of the utilities in user/ (utiltest.h).
 *
 * main() parses "suite=NAME" (the kernel cmdline's init.suite=NAME) and
 * the hidden "--runas UID PROG ARGS..." mode (run.c); as pid 1 it first
 * starts the services the utilities need, like user/init does (ramfsd
 * for file:, logd, ipcd), and creates /tmp; then it runs each case of the
 * chosen suites in order, prints TAP-like lines and a summary, and as
 * pid 1 powers off (QEMU exits). The suite tables are weak references:
 * one whose file is absent is skipped. Single thread; no shared state
 * beyond the counters in main.
 */
#include "utiltest.h"
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rb/service.h"
#include "rb/sys.h"

int ut_runas_main(int argc, char **argv);

extern const struct ut_case suite_basic_cases[] __attribute__((weak));
extern const struct ut_case suite_files_cases[] __attribute__((weak));
extern const struct ut_case suite_text_cases[] __attribute__((weak));

static const struct {
	const char *name;
	const struct ut_case *cases;
} suites[] = {
    {"basic", suite_basic_cases},
    {"files", suite_files_cases},
    {"text", suite_text_cases},
};
#define NSUITES (sizeof suites / sizeof suites[0])

static const struct {
	const char *prog, *probe;
	int flags;
} services[] = {
    {"initfs:/bin/ramfsd", "file:/", RB_O_RDONLY | RB_O_DIRECTORY},
    {"initfs:/bin/logd", "log:/init", RB_O_WRONLY},
    {"initfs:/bin/ipcd", "ipc:/stream/init-probe", RB_O_RDWR | RB_O_CREAT | RB_O_NONBLOCK},
};

static void start_services(void)
{
	for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
		int r = rb_service_start(services[i].prog, services[i].probe, services[i].flags);

		if (r < 0)
			printf("# utiltest: %s did not start: %s\n", services[i].prog, err_name(r));
	}
	if (mkdir("/tmp", 01777) < 0 && errno != EEXIST)
		printf("# utiltest: mkdir /tmp: %s\n", strerror(errno));
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	int num = 0, passed = 0, failed = 0, found = 0;
	char why[200];

	if (argc >= 2 && strcmp(argv[1], "--runas") == 0)
		return ut_runas_main(argc, argv);
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "suite=", 6) == 0)
			only = argv[i] + 6;
		else if (strcmp(argv[i], "--help") == 0) {
			printf("usage: utiltest [suite=NAME]\n"
			       "Run the utilities' in-guest tests (suites basic, files, text;\n"
			       "all when none is named). As pid 1: start the services first\n"
			       "and power off at the end.\n");
			return 0;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if (!getenv("PATH"))
		setenv("PATH", "/bin:initfs:/bin", 1);
	if (getpid() == 1)
		start_services();
	for (size_t s = 0; s < NSUITES; s++) {
		if (only && strcmp(only, suites[s].name) != 0)
			continue;
		found = 1;
		if (!suites[s].cases) {
			printf("# utiltest: suite %s is not built in\n", suites[s].name);
			continue;
		}
		for (const struct ut_case *c = suites[s].cases; c->name; c++) {
			num++;
			why[0] = '\0';
			if (c->run(why, sizeof why) == 0) {
				passed++;
				printf("ok %d - %s: %s\n", num, suites[s].name, c->name);
			} else {
				failed++;
				printf("not ok %d - %s: %s # %s\n", num, suites[s].name, c->name,
				       why[0] ? why : "failed");
			}
			fflush(stdout);
		}
	}
	if (!found)
		printf("# utiltest: no suite named %s\n", only);
	printf("utiltest: %d passed, %d failed\n", passed, failed);
	fflush(stdout);
	if (getpid() == 1)
		rb_poweroff();
	return failed || !found ? 1 : 0;
}
