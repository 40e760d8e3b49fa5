/*
 * fuzz_svc_ctl.c - libFuzzer target for init:/control commands
 * (lib/svc/ctl.c). The input is one write, exactly its bytes (no NUL
 * added). A command that parses must name a verb in range; a named verb
 * must give a name inside the input, 1..SVC_NAME_MAX bytes of the name
 * alphabet; the others none.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "svc/ctl.h"
#include "svc/svc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct svc_ctl c;
	const char *s = (const char *)data;
	if (svc_ctl_parse(s, size, &c) < 0)
		return 0;
	if (c.verb > SVC_CTL_REBOOT)
		abort();
	int named = c.verb == SVC_CTL_RESTART || c.verb == SVC_CTL_STOP || c.verb == SVC_CTL_START;
	if (!named) {
		if (c.name || c.name_len)
			abort();
		return 0;
	}
	if (!c.name || c.name < s || c.name + c.name_len > s + size || !c.name_len ||
	    c.name_len > SVC_NAME_MAX)
		abort();
	char buf[SVC_NAME_MAX + 1];
	memcpy(buf, c.name, c.name_len);
	buf[c.name_len] = 0;
	if (!svc_name_valid(buf))
		abort();
	return 0;
}
