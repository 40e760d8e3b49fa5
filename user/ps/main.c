/*
 * ps - list the live processes.
 *
 * One line per process, in pid order, under a header:
 *
 *       PID  PPID USER     S THR     TIME CMD
 *
 * USER is the name /etc/passwd gives the uid (the number when the file
 * cannot be read or has no such uid), S the state (R: a thread runnable
 * or running, S: all wait), THR the live threads, TIME the CPU time of
 * all its threads (counted up to each thread's last switch), CMD the
 * program it was spawned from. The pids come from SYS_PROCLIST and each
 * line from SYS_PROCINFO; a process that ends in between is left out.
 * Exit codes: 0 done, 1 the kernel refused, 2 a bad argument. All state
 * is this process's own (the pid list and the account table).
 */
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "auth/passwd.h"
#include "rb/sys.h"
#include "sysfmt/sysfmt.h"
#include "usage.h"

static const char usage[] = "usage: ps\n"
			    "List the live processes: pid, parent, user, state (R runnable,\n"
			    "S waiting), threads, CPU time and program.\n";

#define MAXP 1024
#define MAX_USERS 64

static int pids[MAXP];
static struct passwd_entry users[MAX_USERS];
static char text[16384];

/* Read /etc/passwd into users: how many, 0 when it cannot be read. */
static size_t load_users(void)
{
	int fd = open("/etc/passwd", O_RDONLY);
	if (fd < 0)
		return 0;
	size_t len = 0;
	ssize_t r;
	while (len < sizeof text && (r = read(fd, text + len, sizeof text - len)) > 0)
		len += (size_t)r;
	close(fd);
	return passwd_parse(text, len, users, MAX_USERS, NULL, NULL);
}

int main(int argc, char **argv)
{
	usage_help(argc, argv, usage);
	if (argc > 1)
		usage_fail("ps", usage, "unexpected argument '%s'", argv[1]);
	long total = rb_proclist(pids, MAXP);
	if (total < 0) {
		fprintf(stderr, "ps: cannot list processes: %s\n", err_name((int)total));
		return 1;
	}
	size_t nusers = load_users();
	printf("  PID  PPID USER     S THR     TIME CMD\n");
	for (long i = 0; i < total && i < MAXP; i++) {
		struct rb_procinfo pi;
		memset(&pi, 0, sizeof pi);
		if (rb_procinfo(pids[i], &pi) < (long)sizeof pi)
			continue; /* it ended since the list was made */
		char user[16], cpu[24];
		const struct passwd_entry *u = passwd_by_uid(users, nusers, pi.uid);
		if (u)
			snprintf(user, sizeof user, "%.8s", u->name);
		else
			snprintf(user, sizeof user, "%d", pi.uid);
		sysfmt_cputime(pi.cpu_ns, cpu, sizeof cpu);
		pi.name[sizeof pi.name - 1] = 0;
		printf("%5d %5d %-8s %c %3d %8s %s\n", pi.pid, pi.ppid, user,
		       pi.state ? pi.state : '?', pi.nthreads, cpu, pi.name);
	}
	return 0;
}
