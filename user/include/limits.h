/* limits.h - gcc's <limits.h> plus the POSIX limits Red Bear has. */
#pragma once
#include_next <limits.h>

#define PATH_MAX 256 /* RB_PATH_MAX: a path with its NUL */
#define NAME_MAX 255
#define PIPE_BUF 4096
#define OPEN_MAX 1024 /* default RLIMIT_NOFILE */
#define ARG_MAX 65536
#define SSIZE_MAX LONG_MAX
#define IOV_MAX 1024
