/*
 * dd.c - dd's numbers and KEY=VALUE operands (futil.h). Pure: the caller
 * owns each struct dd_args; no state, no locks.
 */
#include <string.h>
#include "base/err.h"
#include "futil/futil.h"

struct suffix {
	const char *name;
	uint64_t mult;
};

static const struct suffix suffixes[] = {
    {"", 1},
    {"c", 1},
    {"w", 2},
    {"b", 512},
    {"K", 1024},
    {"k", 1024},
    {"M", 1024ull * 1024},
    {"G", 1024ull * 1024 * 1024},
    {"kB", 1000},
    {"KB", 1000},
    {"MB", 1000ull * 1000},
    {"GB", 1000ull * 1000 * 1000},
};

int dd_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	bool big = false;
	const char *p = s;
	if (*p < '0' || *p > '9')
		return -E_INVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			big = true;
		else
			v = v * 10 + d;
	}
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
		if (strcmp(p, suffixes[i].name))
			continue;
		if (big || (v && suffixes[i].mult > UINT64_MAX / v))
			return -E_RANGE;
		*out = v * suffixes[i].mult;
		return 0;
	}
	return -E_INVAL;
}

void dd_args_init(struct dd_args *a)
{
	memset(a, 0, sizeof *a);
	a->bs = 512;
}

/* op starts with key and then '='. */
static bool is_key(const char *op, const char *key)
{
	size_t n = strlen(key);
	return !strncmp(op, key, n) && op[n] == '=';
}

int dd_parse_operand(struct dd_args *a, const char *op)
{
	const char *eq = strchr(op, '=');
	if (!eq)
		return -E_INVAL;
	const char *val = eq + 1;
	if (is_key(op, "if")) {
		if (!*val)
			return -E_INVAL;
		a->in = val;
		return 0;
	}
	if (is_key(op, "of")) {
		if (!*val)
			return -E_INVAL;
		a->out = val;
		return 0;
	}
	if (is_key(op, "status")) {
		if (!strcmp(val, "none"))
			a->quiet = true;
		else if (!strcmp(val, "default"))
			a->quiet = false;
		else
			return -E_INVAL;
		return 0;
	}
	uint64_t *dst;
	if (is_key(op, "bs"))
		dst = &a->bs;
	else if (is_key(op, "count"))
		dst = &a->count;
	else if (is_key(op, "skip"))
		dst = &a->skip;
	else if (is_key(op, "seek"))
		dst = &a->seek;
	else
		return -E_INVAL;
	uint64_t v;
	int r = dd_parse_size(val, &v);
	if (r < 0)
		return r;
	if (dst == &a->bs && (v == 0 || v > DD_BS_MAX))
		return v ? -E_RANGE : -E_INVAL;
	*dst = v;
	if (dst == &a->count)
		a->has_count = true;
	return 0;
}
