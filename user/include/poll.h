/* poll.h - poll (user/libc/unistd.c); struct pollfd is the kernel's layout. */
#pragma once
#include "base/syscall_nr.h"

struct pollfd {
	int fd;
	short events;
	short revents;
};
typedef unsigned long nfds_t;
#define POLLIN RB_POLLIN
#define POLLPRI RB_POLLPRI
#define POLLOUT RB_POLLOUT
#define POLLERR RB_POLLERR
#define POLLHUP RB_POLLHUP
#define POLLNVAL RB_POLLNVAL
#define POLLRDNORM RB_POLLIN
#define POLLWRNORM RB_POLLOUT

int poll(struct pollfd *fds, nfds_t n, int timeout_ms);
