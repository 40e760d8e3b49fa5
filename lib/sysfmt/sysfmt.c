/*
 * sysfmt.c - uptimes, CPU lists and busy shares for the system
 * utilities (see sysfmt.h). Stateless: every buffer is the caller's.
 */
#include "sysfmt/sysfmt.h"
#include "fmt/fmt.h"

/* fmt_snprintf's result as the size_t these functions return. */
static size_t len_of(int r)
{
	return r < 0 ? 0 : (size_t)r;
}

size_t sysfmt_uptime(uint64_t secs, char *buf, size_t cap)
{
	unsigned long long days = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60;
	char rest[32];
	if (h)
		fmt_snprintf(rest, sizeof rest, "%llu:%02llu", h, m);
	else
		fmt_snprintf(rest, sizeof rest, "%llu min", m);
	if (!days)
		return len_of(fmt_snprintf(buf, cap, "%s", rest));
	return len_of(fmt_snprintf(buf, cap, "%llu day%s, %s", days, days == 1 ? "" : "s", rest));
}

size_t sysfmt_cputime(uint64_t ns, char *buf, size_t cap)
{
	unsigned long long s = ns / 1000000000ull;
	return len_of(fmt_snprintf(buf, cap, "%llu:%02llu", s / 60, s % 60));
}

size_t sysfmt_cpulist(const bool *on, size_t n, char *buf, size_t cap)
{
	size_t len = 0;
	if (cap)
		buf[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (!on[i])
			continue;
		size_t j = i;
		while (j + 1 < n && on[j + 1])
			j++;
		char part[48];
		if (j == i)
			fmt_snprintf(part, sizeof part, "%s%zu", len ? "," : "", i);
		else
			fmt_snprintf(part, sizeof part, "%s%zu-%zu", len ? "," : "", i, j);
		len += len_of(fmt_snprintf(buf + (len < cap ? len : cap), len < cap ? cap - len : 0,
					   "%s", part));
		i = j;
	}
	if (len == 0)
		return len_of(fmt_snprintf(buf, cap, "none"));
	return len;
}

unsigned sysfmt_permille(uint64_t busy, uint64_t idle)
{
	/* scale both down until the sum and the product by 1000 cannot overflow */
	while (busy > (1ull << 52) || idle > (1ull << 52)) {
		busy >>= 1;
		idle >>= 1;
	}
	uint64_t total = busy + idle;
	if (total == 0)
		return 0;
	return (unsigned)((busy * 1000 + total / 2) / total);
}
