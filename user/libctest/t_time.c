/* t_time.c - clocks, gmtime, timegm, strftime. */
#include <sys/time.h>
#include <time.h>
#include "libctest.h"

static int t_calendar(char *why, size_t n)
{
	struct tm tm;
	time_t t = 0;
	gmtime_r(&t, &tm);
	CHECK(tm.tm_year == 70 && tm.tm_mon == 0 && tm.tm_mday == 1 && tm.tm_wday == 4,
	      "epoch: Thursday 1970-01-01");
	t = 951782400; /* 2000-02-29 00:00:00 */
	gmtime_r(&t, &tm);
	CHECK(tm.tm_year == 100 && tm.tm_mon == 1 && tm.tm_mday == 29 && tm.tm_yday == 59,
	      "leap day 2000");
	t = 1234567890;
	char b[64];
	EXPECT(strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S %a %b %j %Z", gmtime_r(&t, &tm)), 35);
	EXPECT_STR(b, "2009-02-13 23:31:30 Fri Feb 044 UTC");
	EXPECT(strftime(b, 5, "%Y-%m", &tm), 0);
	EXPECT(timegm(&tm), 1234567890);
	tm.tm_mday += 20; /* normalised: 2009-03-05 */
	EXPECT(mktime(&tm), 1234567890 + 20 * 86400);
	EXPECT(tm.tm_mon, 2);
	EXPECT(tm.tm_mday, 5);
	t = -1;
	gmtime_r(&t, &tm);
	CHECK(tm.tm_year == 69 && tm.tm_hour == 23 && tm.tm_mday == 31, "1969-12-31 23:59:59");
	return 0;
}

static int t_clocks(char *why, size_t n)
{
	struct timespec a, b;
	EXPECT(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	EXPECT(clock_gettime(CLOCK_MONOTONIC, &b), 0);
	CHECK(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec), "monotonic");
	time_t now = time(NULL);
	CHECK(now > 1500000000, "realtime %ld is after 2017", (long)now);
	struct timeval tv;
	EXPECT(gettimeofday(&tv, NULL), 0);
	CHECK(tv.tv_sec >= now && tv.tv_usec >= 0 && tv.tv_usec < 1000000, "gettimeofday");
	return 0;
}

const struct lcase time_cases[] = {
    {"time: gmtime_r, timegm/mktime normalise, strftime, negative times", t_calendar},
    {"time: clock_gettime, time, gettimeofday", t_clocks},
    {NULL, NULL},
};
