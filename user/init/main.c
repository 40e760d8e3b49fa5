/*
 * init - the first user program the kernel starts.
 *
 * For now it starts the base services, each a scheme server (docs/ipc.md):
 * ramfsd (file:, the RAM file system every plain path resolves to), logd
 * (log:) and ipcd (ipc:), in that order, waits until each serves its
 * scheme (rb_service_start, user/lib/service.c), shows /etc/motd through
 * the namespace. Then it runs the console program (the argv word
 * console=PATH, by default /bin/getty when it exists) on fds 0-2 and
 * starts it again whenever it exits; with none it exits 0 and the
 * services keep running. The real service manager (dependency order,
 * supervision, restart; docs/init.md) replaces this. Run as any other
 * pid (a test spawning it), it starts nothing and exits 0.
 */
#include "rb/service.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include <stdbool.h>
#include <string.h>

struct service {
	const char *prog;  /* spawned from initfs */
	const char *probe; /* opens once the service serves */
	int flags;	   /* for the probe */
};

static const struct service services[] = {
    {"initfs:/bin/ramfsd", "file:/", RB_O_RDONLY | RB_O_DIRECTORY},
    {"initfs:/bin/logd", "log:/init", RB_O_WRONLY},
    {"initfs:/bin/ipcd", "ipc:/stream/init-probe", RB_O_RDWR | RB_O_CREAT | RB_O_NONBLOCK},
};

/* Run the console program (console=PATH, else /bin/getty if it exists)
   and start it again each time it exits; return at once if there is none. */
static void run_console(int argc, char **argv, char **envp)
{
	const char *prog = "/bin/getty";
	bool chosen = false;
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], "console=", 8)) {
			prog = argv[i] + 8;
			chosen = true;
		}
	int probe = rb_open(prog, RB_O_RDONLY);
	if (probe < 0) {
		if (chosen)
			rb_printf("init: console program %s: %s\n", prog, err_name(probe));
		return;
	}
	rb_close(probe);
	static const int console[] = {0, 1, 2};
	for (;;) {
		char *cargv[] = {(char *)prog, NULL};
		int pid = rb_spawn(prog, cargv, envp, console, 3);
		if (pid < 0) {
			rb_printf("init: cannot start %s: %s\n", prog, err_name(pid));
			return;
		}
		int status, r;
		while ((r = rb_waitpid(pid, &status, 0)) != pid && r != -E_CHILD)
			;
		rb_nanosleep(100ull * 1000 * 1000); /* no busy loop if it dies at once */
	}
}

int main(int argc, char **argv, char **envp)
{
	rb_printf("init: started\n");
	if (rb_getpid() != 1) {
		rb_printf("init: not pid 1: no services started\n");
		return 0;
	}
	int up = 0;
	for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
		int r = rb_service_start(services[i].prog, services[i].probe, services[i].flags);
		if (r < 0)
			rb_printf("init: %s did not start: %s\n", services[i].prog, err_name(r));
		else
			up++;
	}
	rb_printf("init: %d of %d services ready\n", up,
		  (int)(sizeof services / sizeof services[0]));
	char motd[512];
	int fd = rb_open("/etc/motd", RB_O_RDONLY);
	long n = fd >= 0 ? rb_read(fd, motd, sizeof motd - 1) : fd;
	if (n > 0) {
		motd[n] = 0;
		rb_printf("%s", motd);
	}
	if (fd >= 0)
		rb_close(fd);
	run_console(argc, argv, envp);
	return 0;
}
