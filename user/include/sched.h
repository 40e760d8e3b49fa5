/* sched.h - sched_yield (user/libc/unistd.c). */
#pragma once

int sched_yield(void);
