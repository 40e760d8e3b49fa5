/*
 * kjob - job-control and power checks for tests/boot/test_shell_kernel.py,
 * run as init (pid 1, session 1, group 1), acting as a shell would.
 *
 * "kjob job": spawns "kjob child" into a new process group that is also
 * the console's foreground group (RB_SPAWN_SETPGROUP | FOREGROUND, so the
 * group is set before the child runs) and waits for it. The child says
 * "kjob: child ready" and blocks reading the console; the test types
 * Ctrl-C, the kernel sends SIGINT to the foreground group, and the parent
 * prints the child's status (130) and whether it got a SIGINT itself (it
 * must not: it is in another group). It takes the console back, turns ISIG
 * off, and reads the next Ctrl-C as a plain byte ("kjob: raw got 0x03").
 * "kjob off" and "kjob reboot" power off or reset at once. Every mode ends
 * with SYS_POWEROFF. It owns no shared state.
 */
#include <string.h>
#include "rb/signal.h"
#include "rb/stdio.h"
#include "rb/sys.h"

static volatile int parent_sigint;

static void on_sigint(int sig)
{
	parent_sigint = 1;
}

static void child(void)
{
	char c;
	rb_printf("kjob: child ready, pgid %d, foreground %d\n", rb_getpgid(0), rb_tcgetpgrp(0));
	long r = rb_read(0, &c, 1);
	rb_printf("kjob: child read returned %ld\n", r); /* not reached on SIGINT */
}

static void job(void)
{
	struct rb_sigaction sa = {.handler = on_sigint};
	rb_sigaction(RB_SIGINT, &sa, NULL);
	char *argv[] = {"kjob", "child", NULL};
	int fds[3] = {0, 1, 2};
	struct rb_spawn_attr attr = {.flags = RB_SPAWN_SETPGROUP | RB_SPAWN_FOREGROUND, .pgid = 0};
	int pid = rb_spawn_attr("initfs:/bin/kjob", argv, NULL, fds, 3, &attr);
	int status = -1;
	int r = pid > 0 ? rb_waitpid(pid, &status, 0) : pid;
	rb_printf("kjob: job %d waited %d status %d\n", pid, r, status);
	rb_printf("kjob: parent sigint %d\n", parent_sigint);
	rb_printf("kjob: foreground back %d\n", rb_tcsetpgrp(0, rb_getpgid(0)));
	int old = rb_tcsetmode(0, 0);
	rb_printf("kjob: raw ready (old mode %d)\n", old);
	char c = 0;
	long n = rb_read(0, &c, 1);
	rb_printf("kjob: raw got %ld 0x%02x\n", n, (unsigned char)c);
	rb_tcsetmode(0, RB_TC_ISIG);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "child") == 0) {
		child();
		return 0;
	}
	if (strcmp(mode, "job") == 0)
		job();
	if (strcmp(mode, "reboot") == 0) {
		rb_printf("kjob: rebooting\n");
		int r = rb_reboot();
		rb_printf("kjob: reboot returned %d\n", r);
	}
	rb_printf("kjob: powering off\n");
	int r = rb_poweroff();
	rb_printf("kjob: poweroff returned %d\n", r);
	return 0;
}
