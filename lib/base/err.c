/*
 * err.c - names for the codes in err.h, for log and test output.
 */
#include "base/err.h"

const char *err_name(int e)
{
	if (e < 0)
		e = -e;
	switch (e) {
	case 0:
		return "OK";
	case E_PERM:
		return "EPERM";
	case E_NOENT:
		return "ENOENT";
	case E_SRCH:
		return "ESRCH";
	case E_IO:
		return "EIO";
	case E_2BIG:
		return "E2BIG";
	case E_NOEXEC:
		return "ENOEXEC";
	case E_BADF:
		return "EBADF";
	case E_CHILD:
		return "ECHILD";
	case E_AGAIN:
		return "EAGAIN";
	case E_NOMEM:
		return "ENOMEM";
	case E_ACCES:
		return "EACCES";
	case E_FAULT:
		return "EFAULT";
	case E_BUSY:
		return "EBUSY";
	case E_EXIST:
		return "EEXIST";
	case E_NODEV:
		return "ENODEV";
	case E_NOTDIR:
		return "ENOTDIR";
	case E_ISDIR:
		return "EISDIR";
	case E_INVAL:
		return "EINVAL";
	case E_MFILE:
		return "EMFILE";
	case E_NOTTY:
		return "ENOTTY";
	case E_NOSPC:
		return "ENOSPC";
	case E_SPIPE:
		return "ESPIPE";
	case E_RANGE:
		return "ERANGE";
	case E_DEADLK:
		return "EDEADLK";
	case E_NAMETOOLONG:
		return "ENAMETOOLONG";
	case E_NOSYS:
		return "ENOSYS";
	case E_LOOP:
		return "ELOOP";
	case E_NODATA:
		return "ENODATA";
	case E_TIME:
		return "ETIME";
	case E_OVERFLOW:
		return "EOVERFLOW";
	case E_BADMSG:
		return "EBADMSG";
	case E_NOTSUP:
		return "ENOTSUP";
	case E_TIMEDOUT:
		return "ETIMEDOUT";
	case E_INTR:
		return "EINTR";
	case E_XDEV:
		return "EXDEV";
	case E_NFILE:
		return "ENFILE";
	case E_ROFS:
		return "EROFS";
	case E_PIPE:
		return "EPIPE";
	case E_CONNRESET:
		return "ECONNRESET";
	case E_NOTCONN:
		return "ENOTCONN";
	case E_NOTEMPTY:
		return "ENOTEMPTY";
	case E_MSGSIZE:
		return "EMSGSIZE";
	case E_ADDRINUSE:
		return "EADDRINUSE";
	case E_OWNERDEAD:
		return "EOWNERDEAD";
	case E_CONNREFUSED:
		return "ECONNREFUSED";
	default:
		return "E?";
	}
}
