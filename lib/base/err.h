/*
 * err.h - the one error vocabulary of Red Bear OS.
 *
 * Every fallible function returns int: 0 on success or a negative code from
 * this list (e.g. return -E_INVAL). Values match the POSIX errno numbers that
 * Linux uses, so syscalls can hand them to user space unchanged. err_name()
 * turns a code (either sign) into its symbolic name for log lines.
 */
#pragma once

#define E_PERM 1
#define E_NOENT 2
#define E_SRCH 3
#define E_INTR 4
#define E_IO 5
#define E_2BIG 7
#define E_NOEXEC 8
#define E_BADF 9
#define E_CHILD 10
#define E_AGAIN 11
#define E_NOMEM 12
#define E_ACCES 13
#define E_FAULT 14
#define E_BUSY 16
#define E_EXIST 17
#define E_XDEV 18
#define E_NODEV 19
#define E_NOTDIR 20
#define E_ISDIR 21
#define E_INVAL 22
#define E_NFILE 23
#define E_MFILE 24
#define E_NOTTY 25
#define E_NOSPC 28
#define E_SPIPE 29
#define E_ROFS 30
#define E_PIPE 32
#define E_RANGE 34
#define E_DEADLK 35
#define E_NAMETOOLONG 36
#define E_NOTEMPTY 39
#define E_NOSYS 38
#define E_LOOP 40
#define E_NODATA 61
#define E_TIME 62
#define E_OVERFLOW 75
#define E_BADMSG 74
#define E_MSGSIZE 90
#define E_ADDRINUSE 98
#define E_NOTSUP 95
#define E_CONNRESET 104
#define E_NOTCONN 107
#define E_TIMEDOUT 110
#define E_CONNREFUSED 111
#define E_OWNERDEAD 130

/* Symbolic name of an error code ("EINVAL"); accepts e or -e. */
const char *err_name(int e);
