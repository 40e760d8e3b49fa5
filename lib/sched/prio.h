/*
 * prio.h - the one priority scale shared by the run queue and priority
 * inheritance.
 *
 * A priority is an int; a larger number is more urgent, across both classes:
 *
 *   0 .. 39    weighted fair class: prio = 19 - nice, so nice 19 is 0,
 *              nice 0 is 19 and nice -20 is 39;
 *   40 .. 49   real-time class: prio = 40 + level, RT level 0..9, level 9
 *              the most urgent.
 *
 * So any real-time priority beats any fair one, and priority inheritance can
 * take the maximum of two priorities without knowing their classes. A fair
 * thread boosted to an RT priority runs in the RT class (FIFO at that level)
 * until the boost ends. Header only, no state, no locking.
 */
#pragma once
#include <stdbool.h>

#define SCHED_NICE_MIN (-20)
#define SCHED_NICE_MAX 19
#define SCHED_NR_NICE 40
#define SCHED_RT_LEVELS 10

#define SCHED_PRIO_FAIR_MIN 0
#define SCHED_PRIO_FAIR_MAX 39
#define SCHED_PRIO_RT_MIN 40
#define SCHED_PRIO_RT_MAX 49
#define SCHED_PRIO_MIN SCHED_PRIO_FAIR_MIN
#define SCHED_PRIO_MAX SCHED_PRIO_RT_MAX

/* Priority of a fair thread with this nice level (-20..19). */
static inline int sched_prio_from_nice(int nice)
{
	return SCHED_NICE_MAX - nice;
}

/* Priority of a real-time thread at this RT level (0..9, 9 most urgent). */
static inline int sched_prio_from_rt(int level)
{
	return SCHED_PRIO_RT_MIN + level;
}

/* Whether prio lies on the scale at all. */
static inline bool sched_prio_valid(int prio)
{
	return prio >= SCHED_PRIO_MIN && prio <= SCHED_PRIO_MAX;
}

/* Whether prio belongs to the real-time class. */
static inline bool sched_prio_is_rt(int prio)
{
	return prio >= SCHED_PRIO_RT_MIN;
}

/* Nice level of a fair priority (prio must be 0..39). */
static inline int sched_prio_nice(int prio)
{
	return SCHED_NICE_MAX - prio;
}

/* RT level of a real-time priority (prio must be 40..49). */
static inline int sched_prio_rt_level(int prio)
{
	return prio - SCHED_PRIO_RT_MIN;
}
