/*
 * service.c - rb_open_when_served and rb_service_start (rb/service.h).
 *
 * A readiness wait, not synchronisation: a server registers its scheme
 * once it is ready to serve, and until then an open of the scheme's paths
 * fails with ENOENT, so the caller polls the open. No state.
 */
#include "rb/service.h"
#include "rb/sys.h"

#define SERVICE_TIMEOUT_NS (10ull * 1000 * 1000 * 1000)
#define POLL_NS (5 * 1000 * 1000)

int rb_open_when_served(const char *path, int flags, uint64_t timeout_ns)
{
	uint64_t end = rb_now_ns() + timeout_ns;
	int fd;
	while ((fd = rb_open(path, flags)) == -E_NOENT && rb_now_ns() < end)
		rb_nanosleep(POLL_NS);
	return fd;
}

int rb_service_start(const char *prog, const char *probe, int flags)
{
	char *argv[] = {(char *)prog, NULL};
	static const int console[] = {0, 1, 2};
	int pid = rb_spawn(prog, argv, NULL, console, 3);
	if (pid < 0)
		return pid;
	int fd = rb_open_when_served(probe, flags, SERVICE_TIMEOUT_NS);
	if (fd < 0)
		return fd;
	rb_close(fd);
	return pid;
}

void rb_service_notify(const char *fdstr)
{
	int fd = 0;
	for (const char *p = fdstr; p && *p; p++) {
		if (*p < '0' || *p > '9' || fd > 100000)
			return;
		fd = fd * 10 + (*p - '0');
	}
	if (!fdstr || !*fdstr)
		return;
	char b = 1;
	(void)rb_write(fd, &b, 1);
	rb_close(fd);
}
