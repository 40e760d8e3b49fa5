/*
 * rb/socket.h - Unix-domain sockets and named channels over ipcd's ipc:
 * scheme (docs/ipcd.md), with POSIX-like names.
 *
 * A stream (RB_SOCK_STREAM) is a byte stream, a channel (RB_SOCK_CHAN)
 * keeps message boundaries like SOCK_SEQPACKET, a datagram name
 * (RB_SOCK_DGRAM) queues whole messages from any sender. Every call returns
 * >= 0 or a negative E_* code (base/err.h). No state is kept in the
 * library: the fds are ordinary fds, so threads may share them as they
 * share any fd.
 */
#pragma once
#include <stddef.h>
#include "rb/sys.h"

enum { RB_SOCK_STREAM, RB_SOCK_CHAN, RB_SOCK_DGRAM };

/* fcntl command ipcd answers with the peer's pid (recorded at connect/accept). */
#define RB_IPC_PEERPID 0x1000
/* fds one message carries at most (docs/ipc.md "Limits"). */
#define RB_IPC_MAX_FDS 16

/* Open "ipc:/<kind>/name" with RB_O_* flags (RB_O_CREAT binds); fd or an error. */
int rb_socket_open(int kind, const char *name, int flags);
/* Bind and listen on name (dgram: bind); fd, or -E_ADDRINUSE etc. */
int rb_socket_listen(int kind, const char *name);
/* Connect to name (dgram: a sender to it); fd, or -E_CONNREFUSED etc. */
int rb_socket_connect(int kind, const char *name);
/* The oldest pending connection of listener fd; blocks unless fd is non-blocking. */
int rb_accept(int fd);
/* Send nfds fds (at most RB_IPC_MAX_FDS) with the message buf[len]; bytes or an error. */
long rb_sendmsg(int fd, const void *buf, size_t len, const int *fds, size_t nfds);
/* Read one message into buf[len] and up to *nfds fds that came with it
   (*nfds becomes how many); bytes (0 at end of file) or an error. */
long rb_recvmsg(int fd, void *buf, size_t len, int *fds, size_t *nfds);
/* The peer's pid, and its uid and gid as the kernel knows them now;
   0, or -E_NOTCONN once the peer closed or exited. */
int rb_getpeercred(int fd, int *pid, int *uid, int *gid);
