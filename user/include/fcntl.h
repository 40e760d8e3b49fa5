/*
 * fcntl.h - open flags and fcntl (user/libc/unistd.c). O_* are the
 * kernel's RB_O_* values; O_CLOEXEC is accepted and has no effect (a
 * spawned child only gets the fds its spawn call names).
 */
#pragma once
#include <sys/types.h>
#include "base/syscall_nr.h"

#define O_RDONLY RB_O_RDONLY
#define O_WRONLY RB_O_WRONLY
#define O_RDWR RB_O_RDWR
#define O_ACCMODE RB_O_ACCMODE
#define O_CREAT RB_O_CREAT
#define O_EXCL RB_O_EXCL
#define O_TRUNC RB_O_TRUNC
#define O_APPEND RB_O_APPEND
#define O_NONBLOCK RB_O_NONBLOCK
#define O_DIRECTORY RB_O_DIRECTORY
#define O_NOCTTY 0
#define O_CLOEXEC 0x80000

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

int open(const char *path, int flags, ...);
int creat(const char *path, mode_t mode);
int fcntl(int fd, int cmd, ...);
