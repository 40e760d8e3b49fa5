/*
 * socket.c - the rb/socket.h wrappers: paths of the ipc: scheme, accept
 * as a dup_handle, messages with fds as sendfd/recvfd around one write or
 * read, and credentials from ipcd's peer pid plus SYS_PROCINFO. No state of
 * its own, so no locking.
 */
#include "rb/socket.h"
#include "rb/stdio.h"
#include "rb/syscall.h"

int rb_socket_open(int kind, const char *name, int flags)
{
	static const char *const dirs[] = {"stream", "chan", "dgram"};
	char path[RB_PATH_MAX];
	if (kind < RB_SOCK_STREAM || kind > RB_SOCK_DGRAM)
		return -E_INVAL;
	int n = rb_snprintf(path, sizeof(path), "ipc:/%s/%s", dirs[kind], name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -E_NAMETOOLONG;
	return rb_open(path, flags);
}

int rb_socket_listen(int kind, const char *name)
{
	return rb_socket_open(kind, name, RB_O_RDWR | RB_O_CREAT);
}

int rb_socket_connect(int kind, const char *name)
{
	return rb_socket_open(kind, name, RB_O_RDWR);
}

int rb_accept(int fd)
{
	return rb_dup_handle(fd, "accept");
}

long rb_sendmsg(int fd, const void *buf, size_t len, const int *fds, size_t nfds)
{
	if (nfds > RB_IPC_MAX_FDS)
		return -E_INVAL;
	for (size_t i = 0; i < nfds; i++) {
		int r = rb_sendfd(fd, fds[i], 0);
		if (r < 0)
			return r;
	}
	return rb_write(fd, buf, len);
}

long rb_recvmsg(int fd, void *buf, size_t len, int *fds, size_t *nfds)
{
	size_t max = nfds ? *nfds : 0, got = 0;
	long n = rb_read(fd, buf, len);
	if (n >= 0) {
		while (got < max) {
			int r = rb_recvfd(fd, 0);
			if (r < 0)
				break;
			fds[got++] = r;
		}
	}
	if (nfds)
		*nfds = got;
	return n;
}

int rb_getpeercred(int fd, int *pid, int *uid, int *gid)
{
	long p = rb_syscall3(SYS_FCNTL, fd, RB_IPC_PEERPID, 0);
	if (p < 0)
		return (int)p;
	struct rb_procinfo pi;
	if (rb_procinfo((int)p, &pi) < 0)
		return -E_NOTCONN;
	if (pid)
		*pid = pi.pid;
	if (uid)
		*uid = pi.uid;
	if (gid)
		*gid = pi.gid;
	return 0;
}
