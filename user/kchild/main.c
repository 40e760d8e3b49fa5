/*
 * kchild - a helper program for ktest's process cases.
 *
 * "kchild" exits 0 without printing (the spawn loop uses it);
 * "kchild N" exits with code N, which shows that argv reached the child;
 * "kchild env" exits 0 if its environment holds KTEST=1, else 1;
 * "kchild sleep" sleeps 3 s and exits 3 (ktest kills it before that);
 * "kchild waiter" spawns "kchild sleep", waits for it and exits 4 (ktest
 * kills it while it waits);
 * "kchild orphan" spawns "kchild 6" and exits 0 at once, leaving it to init;
 * "kchild spin" spawns "kchild" (a sign that it runs) and spins in user
 * mode until killed.
 */
#include <string.h>
#include "rb/sys.h"

static int parse_code(const char *s)
{
	int v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v & 0xff;
}

int main(int argc, char **argv, char **envp)
{
	if (argc < 2)
		return 0;
	if (strcmp(argv[1], "env") == 0) {
		for (char **e = envp; e && *e; e++)
			if (strcmp(*e, "KTEST=1") == 0)
				return 0;
		return 1;
	}
	if (strcmp(argv[1], "sleep") == 0) {
		rb_nanosleep(3ull * 1000 * 1000 * 1000);
		return 3;
	}
	if (strcmp(argv[1], "waiter") == 0) {
		char *sargv[] = {"kchild", "sleep", NULL};
		int pid = rb_spawn("initfs:/bin/kchild", sargv, NULL, NULL, 0);
		int status;
		if (pid < 0 || rb_waitpid(pid, &status, 0) != pid)
			return 5;
		return 4;
	}
	if (strcmp(argv[1], "orphan") == 0) {
		char *sargv[] = {"kchild", "6", NULL};
		return rb_spawn("initfs:/bin/kchild", sargv, NULL, NULL, 0) > 0 ? 0 : 1;
	}
	if (strcmp(argv[1], "spin") == 0) {
		char *sargv[] = {"kchild", NULL};
		rb_spawn("initfs:/bin/kchild", sargv, NULL, NULL, 0);
		for (volatile int i = 0;; i++)
			;
	}
	return parse_code(argv[1]);
}
