/*
 * ctl.h - the commands written to init:/control (docs/init.md, "The
 * init: scheme"): `restart NAME`, `stop NAME`, `start NAME`, `poweroff`,
 * `reboot`; words separated by one space, trailing CR, LF and spaces
 * ignored. svc_ctl_parse() splits one write into the verb and the name;
 * it checks the form only (whether NAME exists is the daemon's question).
 *
 * Pure: the result points into the caller's bytes; no locks.
 */
#pragma once
#include <stddef.h>
#include "base/compiler.h"

enum svc_ctl_verb {
	SVC_CTL_RESTART,
	SVC_CTL_STOP,
	SVC_CTL_START,
	SVC_CTL_POWEROFF,
	SVC_CTL_REBOOT
};

struct svc_ctl {
	enum svc_ctl_verb verb;
	const char *name; /* restart/stop/start: the service name (not NUL-terminated), else NULL */
	size_t name_len;
};

/* Parse cmd[0..len): 0, or -E_INVAL for anything but the five forms. */
MUST_CHECK int svc_ctl_parse(const char *cmd, size_t len, struct svc_ctl *out);
