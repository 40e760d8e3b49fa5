/*
 * signame.c - signal names and numbers (see signame.h). A constant
 * table; no state.
 */
#include <stddef.h>
#include "sysfmt/signame.h"
#include "base/err.h"

static const char *const names[SIGNAME_MAX + 1] = {
    [1] = "HUP",   [2] = "INT",	    [3] = "QUIT",  [4] = "ILL",	    [5] = "TRAP",  [6] = "ABRT",
    [7] = "BUS",   [8] = "FPE",	    [9] = "KILL",  [10] = "USR1",   [11] = "SEGV", [12] = "USR2",
    [13] = "PIPE", [14] = "ALRM",   [15] = "TERM", [16] = "STKFLT", [17] = "CHLD", [18] = "CONT",
    [19] = "STOP", [20] = "TSTP",   [21] = "TTIN", [22] = "TTOU",   [23] = "URG",  [24] = "XCPU",
    [25] = "XFSZ", [26] = "VTALRM", [27] = "PROF", [28] = "WINCH",  [29] = "IO",   [30] = "PWR",
    [31] = "SYS",
};

const char *sig_name(int sig)
{
	return sig >= 1 && sig <= SIGNAME_MAX ? names[sig] : NULL;
}

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* s equals name, ignoring case. */
static int same(const char *s, const char *name)
{
	for (; *s && *name; s++, name++)
		if (upper(*s) != *name)
			return 0;
	return *s == 0 && *name == 0;
}

int sig_parse(const char *s)
{
	if (!s || !*s)
		return -E_INVAL;
	if (*s >= '0' && *s <= '9') {
		int v = 0;
		for (const char *p = s; *p; p++) {
			if (*p < '0' || *p > '9' || (p != s && s[0] == '0'))
				return -E_INVAL; /* a non-digit, or a leading zero */
			v = v * 10 + (*p - '0');
			if (v > SIGNAME_MAX)
				return -E_INVAL;
		}
		return v;
	}
	if (upper(s[0]) == 'S' && upper(s[1]) == 'I' && upper(s[2]) == 'G' && s[3])
		s += 3;
	for (int i = 1; i <= SIGNAME_MAX; i++)
		if (same(s, names[i]))
			return i;
	return -E_INVAL;
}
