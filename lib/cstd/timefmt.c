/*
 * timefmt.c - UTC calendar arithmetic and strftime (see cstd.h).
 *
 * Days are counted from 1970-01-01 in the proleptic Gregorian calendar,
 * in 400-year eras of 146097 days so that negative times work too. Pure:
 * no state, no locks, no time zones (everything is UTC).
 */
#include "cstd/cstd.h"
#include "fmt/fmt.h"

static const char *const wday_name[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
					"Thursday", "Friday", "Saturday"};
static const char *const mon_name[] = {"January",   "February", "March",    "April",
				       "May",	    "June",	"July",	    "August",
				       "September", "October",	"November", "December"};

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days from 1970-01-01 to y-m-d (m 1..12). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;				      /* 0..399 */
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* from March 1st */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	      /* 0..146096 */
	return era * 146097 + doe - 719468;
}

/* The civil date of day z since 1970-01-01. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void cstd_gmtime(int64_t t, struct cstd_tm *tm)
{
	int64_t days = floor_div(t, 86400), secs = t - days * 86400, y;
	int m, d;
	civil_from_days(days, &y, &m, &d);
	tm->sec = (int)(secs % 60);
	tm->min = (int)(secs / 60 % 60);
	tm->hour = (int)(secs / 3600);
	tm->mday = d;
	tm->mon = m - 1;
	tm->year = (int)(y - 1900);
	tm->wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
	tm->yday = (int)(days - days_from_civil(y, 1, 1));
}

int64_t cstd_timegm(const struct cstd_tm *tm)
{
	int64_t y = (int64_t)tm->year + 1900 + floor_div(tm->mon, 12);
	int m = (int)(tm->mon - floor_div(tm->mon, 12) * 12) + 1;
	int64_t days = days_from_civil(y, m, 1) + tm->mday - 1;
	return days * 86400 + (int64_t)tm->hour * 3600 + (int64_t)tm->min * 60 + tm->sec;
}

struct out {
	char *buf;
	size_t max, len;
};

static void put_str(struct out *o, const char *s)
{
	for (; *s; s++, o->len++)
		if (o->len < o->max)
			o->buf[o->len] = *s;
}

static void put_num(struct out *o, const char *fmt, long long v)
{
	char tmp[24];
	fmt_snprintf(tmp, sizeof tmp, fmt, v);
	put_str(o, tmp);
}

static void put_name(struct out *o, const char *const *names, int i, int n, int full)
{
	char tmp[4];
	const char *s = i >= 0 && i < n ? names[i] : "?";
	if (!full) {
		fmt_snprintf(tmp, sizeof tmp, "%.3s", s);
		s = tmp;
	}
	put_str(o, s);
}

static void put_conv(struct out *o, char c, const struct cstd_tm *tm);

/* Expand fmt: literal bytes and conversions (also for "%c", "%F", "%T", ...). */
static void put_fmt(struct out *o, const char *f, const struct cstd_tm *tm)
{
	for (; *f; f++) {
		if (*f == '%' && f[1]) {
			put_conv(o, *++f, tm);
			continue;
		}
		char s[2] = {*f, 0};
		put_str(o, s);
	}
}

static void put_conv(struct out *o, char c, const struct cstd_tm *tm)
{
	int h12 = tm->hour % 12 == 0 ? 12 : tm->hour % 12;
	switch (c) {
	case 'a':
		put_name(o, wday_name, tm->wday, 7, 0);
		break;
	case 'A':
		put_name(o, wday_name, tm->wday, 7, 1);
		break;
	case 'b':
	case 'h':
		put_name(o, mon_name, tm->mon, 12, 0);
		break;
	case 'B':
		put_name(o, mon_name, tm->mon, 12, 1);
		break;
	case 'c':
		put_fmt(o, "%a %b %e %H:%M:%S %Y", tm);
		break;
	case 'd':
		put_num(o, "%02lld", tm->mday);
		break;
	case 'D':
		put_fmt(o, "%m/%d/%y", tm);
		break;
	case 'e':
		put_num(o, "%2lld", tm->mday);
		break;
	case 'F':
		put_fmt(o, "%Y-%m-%d", tm);
		break;
	case 'H':
		put_num(o, "%02lld", tm->hour);
		break;
	case 'I':
		put_num(o, "%02lld", h12);
		break;
	case 'j':
		put_num(o, "%03lld", tm->yday + 1);
		break;
	case 'm':
		put_num(o, "%02lld", tm->mon + 1);
		break;
	case 'M':
		put_num(o, "%02lld", tm->min);
		break;
	case 'n':
		put_str(o, "\n");
		break;
	case 'p':
		put_str(o, tm->hour < 12 ? "AM" : "PM");
		break;
	case 'R':
		put_fmt(o, "%H:%M", tm);
		break;
	case 'S':
		put_num(o, "%02lld", tm->sec);
		break;
	case 's':
		put_num(o, "%lld", cstd_timegm(tm));
		break;
	case 't':
		put_str(o, "\t");
		break;
	case 'T':
		put_fmt(o, "%H:%M:%S", tm);
		break;
	case 'u':
		put_num(o, "%lld", tm->wday == 0 ? 7 : tm->wday);
		break;
	case 'w':
		put_num(o, "%lld", tm->wday);
		break;
	case 'y':
		put_num(o, "%02lld", (tm->year + 1900) % 100);
		break;
	case 'Y':
		put_num(o, "%lld", tm->year + 1900LL);
		break;
	case 'z':
		put_str(o, "+0000");
		break;
	case 'Z':
		put_str(o, "UTC");
		break;
	case '%':
		put_str(o, "%");
		break;
	default: {
		char s[3] = {'%', c, 0};
		put_str(o, s);
	}
	}
}

size_t cstd_strftime(char *buf, size_t max, const char *fmt, const struct cstd_tm *tm)
{
	struct out o = {buf, max, 0};
	put_fmt(&o, fmt, tm);
	if (o.len >= max)
		return 0;
	buf[o.len] = 0;
	return o.len;
}
