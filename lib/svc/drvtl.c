/*
 * drvtl.c - parse driver-manager's timeline events and keep the table
 * (drvtl.h). Pure: no allocation, no locks; the input is never read past
 * its length.
 */
#include <string.h>
#include "base/err.h"
#include "svc/drvtl.h"

static const char *const event_words[] = {"start",	 "ready", "defer",
					  "unsupported", "fatal", "exit"};

/* A PCI address's bytes (hex digits, ':', '.') or an ACPI path's (backslash, A-Z, 0-9, '_', '.').
 */
static int addr_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'Z') ||
	       c == ':' || c == '.' || c == '\\' || c == '_';
}

static int name_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '.' || c == '_' || c == '-';
}

/* The word at s[*pos..len) up to a space or the end, into out (max bytes), each byte
   passing ok: its length, or 0 if empty, too long or a byte fails. */
static size_t word(const char *s, size_t len, size_t *pos, char *out, size_t max, int (*ok)(char))
{
	size_t n = 0;
	while (*pos < len && s[*pos] != ' ') {
		if (n == max || !ok(s[*pos]))
			return 0;
		out[n++] = s[(*pos)++];
	}
	out[n] = '\0';
	return n;
}

/* Skip exactly one space: 0, or -E_INVAL when there is none. */
static int space(const char *s, size_t len, size_t *pos)
{
	if (*pos >= len || s[*pos] != ' ')
		return -E_INVAL;
	(*pos)++;
	return 0;
}

static int lower_char(char c)
{
	return c >= 'a' && c <= 'z';
}

int drvtl_parse(const char *s, size_t len, struct drvtl_ev *ev)
{
	if (len && s[len - 1] == '\n')
		len--;
	static const char lead[] = "driver ";
	if (len < sizeof lead - 1 || memcmp(s, lead, sizeof lead - 1))
		return -E_INVAL;
	size_t pos = sizeof lead - 1;
	char ew[16];
	if (!word(s, len, &pos, ev->addr, DRVTL_ADDR_MAX, addr_char) || space(s, len, &pos) ||
	    !word(s, len, &pos, ev->name, DRVTL_NAME_MAX, name_char) || space(s, len, &pos) ||
	    !word(s, len, &pos, ew, sizeof ew - 1, lower_char) || pos != len)
		return -E_INVAL;
	for (size_t k = 0; k < sizeof event_words / sizeof event_words[0]; k++)
		if (!strcmp(ew, event_words[k])) {
			ev->event = (enum drvtl_event)k;
			return 0;
		}
	return -E_INVAL;
}

void drvtl_apply(struct drvtl *t, const struct drvtl_ev *ev, uint64_t now)
{
	struct drvtl_entry *e = NULL;
	for (size_t i = 0; i < t->n && !e; i++)
		if (!strcmp(t->v[i].addr, ev->addr) && !strcmp(t->v[i].name, ev->name))
			e = &t->v[i];
	if (!e) {
		if (t->n == DRVTL_MAX) {
			t->dropped++;
			return;
		}
		e = &t->v[t->n++];
		*e = (struct drvtl_entry){.last = DRVTL_EXIT};
		strcpy(e->addr, ev->addr);
		strcpy(e->name, ev->name);
	}
	switch (ev->event) {
	case DRVTL_START:
		if (e->start_ns) {
			e->restarts++;
		} else { /* the first start: what came before it was out of order */
			e->start_ns = now;
			e->ready_ns = 0;
		}
		e->exit_ns = 0;
		break;
	case DRVTL_READY:
		if (!e->ready_ns)
			e->ready_ns = now;
		break;
	case DRVTL_EXIT:
		e->exit_ns = now;
		if (e->last != DRVTL_START && e->last != DRVTL_READY)
			return; /* keep why it ended: deferred, unsupported, fatal */
		break;
	default:
		break;
	}
	e->last = ev->event;
}

const char *drvtl_state(const struct drvtl_entry *e)
{
	switch (e->last) {
	case DRVTL_START:
		return "probing";
	case DRVTL_READY:
		return "ready";
	case DRVTL_DEFER:
		return "deferred";
	case DRVTL_UNSUPPORTED:
		return "unsupported";
	case DRVTL_FATAL:
		return "fatal";
	default:
		return "exited";
	}
}
