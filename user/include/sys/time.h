/* sys/time.h - gettimeofday (user/libc/time.c). */
#pragma once
#include <sys/types.h>

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};
int gettimeofday(struct timeval *tv, void *tz);
