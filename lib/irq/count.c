/*
 * count.c - per-CPU interrupt counts from an interrupt table in text
 * (see count.h). One pass over the lines; a row is a label, up to one
 * count per CPU column of the header ("-" is 0; the first word that is
 * not a count ends them), then free text searched for the match.
 */
#include "irq/count.h"
#include "base/err.h"

struct cursor {
	const char *p, *end;
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The next word of the line at c (NULL at its end); its length in *n. */
static const char *word(struct cursor *c, size_t *n)
{
	while (c->p < c->end && is_space(*c->p))
		c->p++;
	if (c->p == c->end)
		return NULL;
	const char *w = c->p;
	while (c->p < c->end && !is_space(*c->p))
		c->p++;
	*n = (size_t)(c->p - w);
	return w;
}

/* Whether w[0..n) is "CPU" and digits. */
static int is_cpu_word(const char *w, size_t n)
{
	if (n < 4 || w[0] != 'C' || w[1] != 'P' || w[2] != 'U')
		return 0;
	for (size_t i = 3; i < n; i++)
		if (w[i] < '0' || w[i] > '9')
			return 0;
	return 1;
}

/* A count word: digits (saturating) or "-" (0); 0 if w is not a count. */
static int count_word(const char *w, size_t n, uint64_t *v)
{
	*v = 0;
	if (n == 1 && w[0] == '-')
		return 1;
	for (size_t i = 0; i < n; i++) {
		if (w[i] < '0' || w[i] > '9')
			return 0;
		uint64_t d = (uint64_t)(w[i] - '0');
		*v = *v > (UINT64_MAX - d) / 10 ? UINT64_MAX : *v * 10 + d;
	}
	return 1;
}

static int contains(const char *s, const char *end, const char *match)
{
	for (; s < end; s++) {
		const char *a = s, *b = match;
		while (*b && a < end && *a == *b)
			a++, b++;
		if (!*b)
			return 1;
	}
	return 0;
}

/* Add the counts of row c to out if its free text contains match. */
static void row(struct cursor *c, int ncpu, const char *match, uint64_t *out, int max)
{
	uint64_t v[IRQCOUNT_MAX_CPUS];
	size_t n;
	int k = 0;
	if (!word(c, &n)) /* the label */
		return;
	while (k < ncpu) {
		const char *before = c->p, *w = word(c, &n);
		if (!w)
			break;
		if (!count_word(w, n, &v[k])) {
			c->p = before; /* free text starts here */
			break;
		}
		k++;
	}
	if (k == 0 || !contains(c->p, c->end, match))
		return;
	for (int i = 0; i < k && i < max; i++)
		out[i] = out[i] > UINT64_MAX - v[i] ? UINT64_MAX : out[i] + v[i];
}

int irqcount_sum(const char *text, size_t len, const char *match, uint64_t *out, int max)
{
	if (!match || !*match || max < 0)
		return -E_INVAL;
	if (max > IRQCOUNT_MAX_CPUS)
		max = IRQCOUNT_MAX_CPUS;
	for (int i = 0; i < max; i++)
		out[i] = 0;
	int ncpu = 0;
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = p;
		while (nl < end && *nl != '\n')
			nl++;
		struct cursor c = {p, nl};
		p = nl < end ? nl + 1 : end;
		if (ncpu) {
			row(&c, ncpu, match, out, max);
			continue;
		}
		const char *w;
		size_t n;
		while ((w = word(&c, &n)))
			if (is_cpu_word(w, n) && ncpu < IRQCOUNT_MAX_CPUS)
				ncpu++;
	}
	if (!ncpu)
		return -E_INVAL;
	return ncpu < max ? ncpu : max;
}
