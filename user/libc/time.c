/*
 * time.c - clocks and calendar time: time, clock_gettime, gettimeofday,
 * clock, gmtime/localtime (UTC: there are no time zones), timegm/mktime,
 * strftime on lib/cstd. gmtime and localtime share one static struct tm,
 * as POSIX allows; use the _r forms from threads.
 */
#include <errno.h>
#include <sys/time.h>
#include <time.h>
#include "cstd/cstd.h"
#include "libc.h"
#include "rb/sys.h"

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	struct rb_timespec k;
	if (libc_ret(rb_clock_gettime(clock, &k)) < 0)
		return -1;
	ts->tv_sec = k.sec;
	ts->tv_nsec = k.nsec;
	return 0;
}

time_t time(time_t *t)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

clock_t clock(void)
{
	return (clock_t)(rb_now_ns() / 1000); /* monotonic time, not CPU time */
}

static void from_cstd(const struct cstd_tm *c, struct tm *tm)
{
	*tm = (struct tm){.tm_sec = c->sec,
			  .tm_min = c->min,
			  .tm_hour = c->hour,
			  .tm_mday = c->mday,
			  .tm_mon = c->mon,
			  .tm_year = c->year,
			  .tm_wday = c->wday,
			  .tm_yday = c->yday,
			  .tm_zone = "UTC"};
}

static void to_cstd(const struct tm *tm, struct cstd_tm *c)
{
	*c = (struct cstd_tm){tm->tm_sec, tm->tm_min,  tm->tm_hour, tm->tm_mday,
			      tm->tm_mon, tm->tm_year, tm->tm_wday, tm->tm_yday};
}

struct tm *gmtime_r(const time_t *t, struct tm *tm)
{
	struct cstd_tm c;
	cstd_gmtime(*t, &c);
	from_cstd(&c, tm);
	return tm;
}

struct tm *localtime_r(const time_t *t, struct tm *tm)
{
	return gmtime_r(t, tm);
}

struct tm *gmtime(const time_t *t)
{
	static struct tm tm;
	return gmtime_r(t, &tm);
}

struct tm *localtime(const time_t *t)
{
	return gmtime(t);
}

time_t timegm(struct tm *tm)
{
	struct cstd_tm c;
	to_cstd(tm, &c);
	time_t t = cstd_timegm(&c);
	gmtime_r(&t, tm); /* normalise the fields, as mktime does */
	return t;
}

time_t mktime(struct tm *tm)
{
	return timegm(tm);
}

double difftime(time_t a, time_t b)
{
	return (double)(a - b);
}

size_t strftime(char *restrict buf, size_t max, const char *restrict fmt,
		const struct tm *restrict tm)
{
	struct cstd_tm c;
	to_cstd(tm, &c);
	return cstd_strftime(buf, max, fmt, &c);
}
