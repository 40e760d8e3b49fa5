/*
 * init - the first user program the kernel starts.
 *
 * For now it starts the base services, each a scheme server (docs/ipc.md):
 * ramfsd (file:, the RAM file system every plain path resolves to), logd
 * (log:) and ipcd (ipc:), in that order, waits until each serves its
 * scheme (rb_service_start, user/lib/service.c), shows /etc/motd through
 * the namespace, and exits 0; the services keep running. The real
 * service manager (dependency order, supervision, restart) replaces this
 * (docs/userspace.md). Run as any other pid (a test spawning it), it
 * starts nothing and exits 0.
 */
#include "rb/service.h"
#include "rb/stdio.h"
#include "rb/sys.h"

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
	return 0;
}
