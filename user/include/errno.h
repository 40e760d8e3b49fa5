/*
 * errno.h - errno and the E* codes (user/libc).
 *
 * errno is per thread: the runtime keeps a slot in each thread's start
 * record (rb_thread_errno, user/lib/thread.c); there is no TLS. The E*
 * values are the kernel's E_* codes (base/err.h), which are Linux's.
 */
#pragma once
#include "base/err.h"

int *__errno_location(void);
#define errno (*__errno_location())

#define EPERM E_PERM
#define ENOENT E_NOENT
#define ESRCH 3
#define EINTR E_INTR
#define EIO E_IO
#define ENXIO 6
#define E2BIG E_2BIG
#define ENOEXEC E_NOEXEC
#define EBADF E_BADF
#define ECHILD E_CHILD
#define EAGAIN E_AGAIN
#define EWOULDBLOCK E_AGAIN
#define ENOMEM E_NOMEM
#define EACCES E_ACCES
#define EFAULT E_FAULT
#define EBUSY E_BUSY
#define EEXIST E_EXIST
#define EXDEV E_XDEV
#define ENODEV E_NODEV
#define ENOTDIR E_NOTDIR
#define EISDIR E_ISDIR
#define EINVAL E_INVAL
#define ENFILE E_NFILE
#define EMFILE E_MFILE
#define ENOTTY 25
#define EFBIG 27
#define ENOSPC E_NOSPC
#define ESPIPE E_SPIPE
#define EROFS E_ROFS
#define EMLINK 31
#define EPIPE E_PIPE
#define EDOM 33
#define ERANGE E_RANGE
#define EDEADLK E_DEADLK
#define ENAMETOOLONG E_NAMETOOLONG
#define ENOSYS E_NOSYS
#define ENOTEMPTY E_NOTEMPTY
#define ELOOP E_LOOP
#define ENODATA E_NODATA
#define ETIME E_TIME
#define EBADMSG E_BADMSG
#define EOVERFLOW E_OVERFLOW
#define EMSGSIZE E_MSGSIZE
#define ENOTSUP E_NOTSUP
#define EOPNOTSUPP E_NOTSUP
#define EADDRINUSE E_ADDRINUSE
#define ECONNRESET E_CONNRESET
#define ENOTCONN E_NOTCONN
#define ETIMEDOUT E_TIMEDOUT
#define ECONNREFUSED E_CONNREFUSED
#define EOWNERDEAD E_OWNERDEAD
