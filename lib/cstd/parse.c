/*
 * parse.c - integer parsing for strtol/strtoul/atoi (see cstd.h).
 *
 * Pure: no state, no locks; the caller turns the result into errno.
 */
#include "cstd/cstd.h"
#include "base/err.h"

static int is_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Value of digit c in any base up to 36, or 99. */
static int digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Skip a "0x" prefix (only if a hex digit follows) and pick base 0's base. */
static const char *parse_prefix(const char *p, int *base)
{
	int hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16;
	if ((*base == 0 || *base == 16) && hex) {
		*base = 16;
		return p + 2;
	}
	if (*base == 0)
		*base = p[0] == '0' ? 8 : 10;
	return p;
}

int cstd_parse_int(const char *s, int base, const char **end, int *neg, uint64_t *mag)
{
	const char *p = s;
	*neg = 0;
	*mag = 0;
	*end = s;
	if (base < 0 || base == 1 || base > 36)
		return -E_INVAL;
	while (is_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	p = parse_prefix(p, &base);
	int overflow = 0, any = 0;
	uint64_t v = 0;
	for (int d; (d = digit_value(*p)) < base; p++) {
		any = 1;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			overflow = 1;
		else
			v = v * (uint64_t)base + (uint64_t)d;
	}
	if (!any)
		return 0;
	*end = p;
	*mag = overflow ? UINT64_MAX : v;
	return overflow ? -E_RANGE : 0;
}
