/*
 * errno.c - the per-thread errno and the messages of strerror/perror.
 *
 * errno lives in the calling thread's rb_thread_local (user/lib/thread.c);
 * only that thread touches it. The message table is constant.
 */
#include <errno.h>
#include <string.h>
#include "fmt/fmt.h"
#include "rb/thread.h"

int *__errno_location(void)
{
	return &rb_thread_local()->err;
}

static const char *const messages[] = {
    [0] = "Success",
    [EPERM] = "Operation not permitted",
    [ENOENT] = "No such file or directory",
    [ESRCH] = "No such process",
    [EINTR] = "Interrupted system call",
    [EIO] = "Input/output error",
    [ENXIO] = "No such device or address",
    [E2BIG] = "Argument list too long",
    [ENOEXEC] = "Exec format error",
    [EBADF] = "Bad file descriptor",
    [ECHILD] = "No child processes",
    [EAGAIN] = "Resource temporarily unavailable",
    [ENOMEM] = "Cannot allocate memory",
    [EACCES] = "Permission denied",
    [EFAULT] = "Bad address",
    [EBUSY] = "Device or resource busy",
    [EEXIST] = "File exists",
    [EXDEV] = "Invalid cross-device link",
    [ENODEV] = "No such device",
    [ENOTDIR] = "Not a directory",
    [EISDIR] = "Is a directory",
    [EINVAL] = "Invalid argument",
    [ENFILE] = "Too many open files in system",
    [EMFILE] = "Too many open files",
    [ENOTTY] = "Inappropriate ioctl for device",
    [EFBIG] = "File too large",
    [ENOSPC] = "No space left on device",
    [ESPIPE] = "Illegal seek",
    [EROFS] = "Read-only file system",
    [EMLINK] = "Too many links",
    [EPIPE] = "Broken pipe",
    [EDOM] = "Numerical argument out of domain",
    [ERANGE] = "Numerical result out of range",
    [EDEADLK] = "Resource deadlock avoided",
    [ENAMETOOLONG] = "File name too long",
    [ENOSYS] = "Function not implemented",
    [ENOTEMPTY] = "Directory not empty",
    [ELOOP] = "Too many levels of symbolic links",
    [ENODATA] = "No data available",
    [ETIME] = "Timer expired",
    [EBADMSG] = "Bad message",
    [EOVERFLOW] = "Value too large for defined data type",
    [EMSGSIZE] = "Message too long",
    [ENOTSUP] = "Operation not supported",
    [EADDRINUSE] = "Address already in use",
    [ECONNRESET] = "Connection reset by peer",
    [ENOTCONN] = "Transport endpoint is not connected",
    [ETIMEDOUT] = "Connection timed out",
    [ECONNREFUSED] = "Connection refused",
    [EOWNERDEAD] = "Owner died",
};

/* The message of err, or NULL for an unknown code. */
static const char *message(int err)
{
	if (err < 0 || (size_t)err >= sizeof messages / sizeof messages[0])
		return NULL;
	return messages[err];
}

int strerror_r(int err, char *buf, size_t len)
{
	const char *m = message(err);
	int n =
	    m ? fmt_snprintf(buf, len, "%s", m) : fmt_snprintf(buf, len, "Unknown error %d", err);
	if (!m)
		return EINVAL;
	return (size_t)n >= len ? ERANGE : 0;
}

char *strerror(int err)
{
	static char unknown[32]; /* only for unknown codes; shared, as POSIX allows */
	const char *m = message(err);
	if (m)
		return (char *)m;
	fmt_snprintf(unknown, sizeof unknown, "Unknown error %d", err);
	return unknown;
}
