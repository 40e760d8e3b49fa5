/*
 * child.c - the helper process the t_proc.c cases spawn:
 *   libctest child upper      stdin to stdout, upper-cased; exits 0
 *   libctest child exit N     exits N
 *   libctest child env NAME   exits with atoi(getenv(NAME)), 100 if unset
 *   libctest child order      printf "a", write "b", fflush, printf "c\n",
 *                             an atexit handler prints "d"; returns 0
 *   libctest child wait       sleeps until killed
 *   libctest child ids        prints "PID PGID CWD"; returns 0
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "libctest.h"

static void at_exit_d(void)
{
	printf("d");
}

int lt_child_main(int argc, char **argv)
{
	const char *mode = argv[2];
	if (strcmp(mode, "upper") == 0) {
		for (int c; (c = getchar()) != EOF;)
			putchar(toupper(c));
		return 0;
	}
	if (strcmp(mode, "exit") == 0 && argc > 3)
		exit(atoi(argv[3]));
	if (strcmp(mode, "env") == 0 && argc > 3) {
		const char *v = getenv(argv[3]);
		return v ? atoi(v) : 100;
	}
	if (strcmp(mode, "order") == 0) {
		atexit(at_exit_d);
		printf("a");
		write(1, "b", 1);
		fflush(stdout);
		printf("c\n");
		return 0;
	}
	if (strcmp(mode, "ids") == 0) {
		char cwd[64];
		printf("%d %d %s\n", getpid(), getpgid(0), getcwd(cwd, sizeof cwd) ? cwd : "?");
		return 0;
	}
	if (strcmp(mode, "wait") == 0)
		for (;;)
			sleep(10);
	return 99;
}
