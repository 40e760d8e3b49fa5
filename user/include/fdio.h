/*
 * fdio.h - small fd and path helpers the utilities and the login programs
 * share (not POSIX). write_all finishes a write that the kernel cut short;
 * tty_read_line reads one line typed on the console (fd 0) through
 * lib/ttyline, echoing on fd 1 as it says (docs/login.md).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* Write all n bytes of buf to fd, again after a short write or EINTR: 0, or -1 with errno. */
int write_all(int fd, const void *buf, size_t n);

/*
 * Read one line from fd 0 into buf (cap bytes, NUL-terminated), echoing
 * per echo: 1 for a line, 0 for Ctrl-D on an empty line, -1 when input is
 * gone. *skip_lf carries "the last line ended in CR" from one call to the
 * next (so CR LF is one Enter); *too_long says the line did not fit.
 */
int tty_read_line(char *buf, size_t cap, bool echo, bool *skip_lf, bool *too_long);

/* "dir/name" in a malloc'd string (no doubled '/'), or NULL. */
char *path_join(const char *dir, const char *name);
/* The last component of path (trailing slashes ignored; a scheme's "name:" is
   not part of it) in a malloc'd string, or NULL. */
char *path_base(const char *path);
