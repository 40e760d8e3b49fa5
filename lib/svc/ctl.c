/*
 * ctl.c - parse one init:/control command (ctl.h).
 *
 * The name must be a valid service name (svc_name_valid's alphabet and
 * length), so a command can never name something a service file could
 * not. Pure: no allocation, no locks.
 */
#include <string.h>
#include "base/err.h"
#include "svc/ctl.h"
#include "svc/svc.h"

static const struct {
	const char *word;
	enum svc_ctl_verb verb;
	int named;
} verbs[] = {
    {"restart", SVC_CTL_RESTART, 1},   {"stop", SVC_CTL_STOP, 1},     {"start", SVC_CTL_START, 1},
    {"poweroff", SVC_CTL_POWEROFF, 0}, {"reboot", SVC_CTL_REBOOT, 0},
};

static int name_ok(const char *s, size_t n)
{
	char buf[SVC_NAME_MAX + 1];
	if (n == 0 || n > SVC_NAME_MAX || memchr(s, 0, n))
		return 0;
	memcpy(buf, s, n);
	buf[n] = 0;
	return svc_name_valid(buf);
}

int svc_ctl_parse(const char *cmd, size_t len, struct svc_ctl *out)
{
	while (len && (cmd[len - 1] == '\n' || cmd[len - 1] == '\r' || cmd[len - 1] == ' '))
		len--;
	size_t vlen = 0;
	while (vlen < len && cmd[vlen] != ' ')
		vlen++;
	for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++) {
		if (strlen(verbs[k].word) != vlen || memcmp(cmd, verbs[k].word, vlen))
			continue;
		out->verb = verbs[k].verb;
		out->name = NULL;
		out->name_len = 0;
		if (!verbs[k].named)
			return vlen == len ? 0 : -E_INVAL;
		if (vlen == len || !name_ok(cmd + vlen + 1, len - vlen - 1))
			return -E_INVAL;
		out->name = cmd + vlen + 1;
		out->name_len = len - vlen - 1;
		return 0;
	}
	return -E_INVAL;
}
