/*
 * drv.c - the driver runtime's pure parsers (drv/drv.h): pcid's `bars`
 * lines and irq answers. A cursor walks the bytes; every read checks the
 * end first. Locking: none.
 */
#include "base/err.h"
#include "drv/drv.h"
#include "fmt/fmt.h"

struct cur {
	const char *s;
	size_t len, at;
};

static bool at_end(const struct cur *c)
{
	return c->at >= c->len;
}

/* The next word (up to a space or the end) must be w. */
static bool word_is(struct cur *c, const char *w)
{
	size_t i = 0;
	while (w[i] && c->at + i < c->len && c->s[c->at + i] == w[i])
		i++;
	if (w[i] || (c->at + i < c->len && c->s[c->at + i] != ' '))
		return false;
	c->at += i;
	return true;
}

/* One space, then something. */
static bool space(struct cur *c)
{
	if (at_end(c) || c->s[c->at] != ' ')
		return false;
	c->at++;
	return !at_end(c);
}

static int digit(char ch, unsigned base)
{
	int v = -1;
	if (ch >= '0' && ch <= '9')
		v = ch - '0';
	else if (base == 16 && ch >= 'a' && ch <= 'f')
		v = ch - 'a' + 10;
	else if (base == 16 && ch >= 'A' && ch <= 'F')
		v = ch - 'A' + 10;
	return v < (int)base ? v : -1;
}

/* A number in base (16: with 0x), 1-20 digits, no overflow. */
static bool number(struct cur *c, unsigned base, uint64_t *out)
{
	if (base == 16) {
		if (c->len - c->at < 2 || c->s[c->at] != '0' || c->s[c->at + 1] != 'x')
			return false;
		c->at += 2;
	}
	uint64_t v = 0;
	size_t start = c->at;
	int d;
	while (!at_end(c) && (d = digit(c->s[c->at], base)) >= 0) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		v = v * base + (uint64_t)d;
		c->at++;
	}
	*out = v;
	return c->at > start && c->at - start <= 20;
}

/* Drop one trailing newline. */
static size_t chomp(const char *s, size_t len)
{
	return len && s[len - 1] == '\n' ? len - 1 : len;
}

int drv_bar_parse(const char *s, size_t len, unsigned *index, struct drv_bar *bar)
{
	struct cur c = {s, chomp(s, len), 0};
	uint64_t idx, addr, size;
	struct drv_bar b = {0};
	if (!number(&c, 10, &idx) || idx >= DRV_BARS || !space(&c))
		return -E_INVAL;
	if (word_is(&c, "mem32"))
		b.kind = DRV_BAR_MEM32;
	else if (word_is(&c, "mem64"))
		b.kind = DRV_BAR_MEM64;
	else if (word_is(&c, "io"))
		b.kind = DRV_BAR_IO;
	else
		return -E_INVAL;
	if (!space(&c) || !number(&c, 16, &addr) || !space(&c) || !number(&c, 16, &size))
		return -E_INVAL;
	if (size == 0 || addr + size < addr)
		return -E_INVAL;
	if (!at_end(&c)) {
		if (!space(&c) || !word_is(&c, "prefetch") || !at_end(&c))
			return -E_INVAL;
		b.prefetch = true;
	}
	b.addr = addr;
	b.size = size;
	*index = (unsigned)idx;
	*bar = b;
	return 0;
}

int drv_bars_parse(const char *s, size_t len, struct drv_bar bars[DRV_BARS])
{
	for (unsigned i = 0; i < DRV_BARS; i++)
		bars[i] = (struct drv_bar){0};
	size_t at = 0;
	while (at < len) {
		size_t end = at;
		while (end < len && s[end] != '\n')
			end++;
		unsigned idx;
		struct drv_bar b;
		if (end > at) {
			if (drv_bar_parse(s + at, end - at, &idx, &b) < 0 ||
			    bars[idx].kind != DRV_BAR_NONE)
				return -E_INVAL;
			bars[idx] = b;
		}
		at = end + 1;
	}
	return 0;
}

int drv_irq_parse(const char *s, size_t len, struct drv_irq_mode *out)
{
	struct cur c = {s, chomp(s, len), 0};
	struct drv_irq_mode m = {0};
	uint64_t v;
	if (word_is(&c, "poll")) {
		m.kind = DRV_IRQ_POLL;
	} else if (word_is(&c, "msix") || word_is(&c, "msi")) {
		m.kind = c.at == 4 ? DRV_IRQ_MSIX : DRV_IRQ_MSI;
		if (!space(&c) || !number(&c, 10, &v) || v < 1 || v > DRV_IRQ_MAX)
			return -E_INVAL;
		m.vectors = (unsigned)v;
	} else if (word_is(&c, "intx")) {
		m.kind = DRV_IRQ_INTX;
		m.vectors = 1;
		if (!space(&c) || !number(&c, 10, &v) || v > 0xffffffffu || !space(&c))
			return -E_INVAL;
		m.gsi = (unsigned)v;
		if (word_is(&c, "level"))
			m.level = true;
		else if (!word_is(&c, "edge"))
			return -E_INVAL;
		if (!space(&c))
			return -E_INVAL;
		if (word_is(&c, "low"))
			m.active_low = true;
		else if (!word_is(&c, "high"))
			return -E_INVAL;
	} else {
		return -E_INVAL;
	}
	if (!at_end(&c))
		return -E_INVAL;
	*out = m;
	return 0;
}

size_t drv_irq_fmt(const struct drv_irq_mode *m, char *buf, size_t n)
{
	int r;
	switch (m->kind) {
	case DRV_IRQ_MSIX:
		r = fmt_snprintf(buf, n, "msix %u", m->vectors);
		break;
	case DRV_IRQ_MSI:
		r = fmt_snprintf(buf, n, "msi %u", m->vectors);
		break;
	case DRV_IRQ_INTX:
		r = fmt_snprintf(buf, n, "intx %u %s %s", m->gsi, m->level ? "level" : "edge",
				 m->active_low ? "low" : "high");
		break;
	default:
		r = fmt_snprintf(buf, n, "poll");
	}
	return r < 0 ? 0 : (size_t)r;
}
