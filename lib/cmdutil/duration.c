/*
 * duration.c - sleep(1)'s time argument (duration.h). Pure; no state.
 */
#include "cmdutil/duration.h"

#define NS 1000000000ull

int duration_parse(const char *s, uint64_t *ns)
{
	uint64_t whole = 0, frac = 0, scale = NS, mult = 1;
	int digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		whole = whole * 10 + (uint64_t)(*s - '0');
		if (whole > DURATION_MAX_NS / NS)
			return -1;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits++)
			if (scale >= 10) {
				scale /= 10;
				frac += (uint64_t)(*s - '0') * scale;
			}
	}
	if (digits == 0)
		return -1;
	switch (*s) {
	case '\0':
	case 's':
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	default:
		return -1;
	}
	if (*s && s[1])
		return -1;
	if (whole * mult > DURATION_MAX_NS / NS || (whole * NS + frac) * mult > DURATION_MAX_NS)
		return -1;
	*ns = (whole * NS + frac) * mult;
	return 0;
}
