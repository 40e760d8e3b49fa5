/*
 * mode.c - futil_mode_string: the ten-letter mode of `ls -l`. Pure; no
 * state, no locks.
 */
#include "futil/futil.h"

static char type_letter(unsigned int mode)
{
	switch (mode & 0170000) {
	case 0040000:
		return 'd';
	case 0100000:
		return '-';
	case 0020000:
		return 'c';
	case 0060000:
		return 'b';
	case 0010000:
		return 'p';
	case 0120000:
		return 'l';
	case 0140000:
		return 's';
	default:
		return '?';
	}
}

/* x is the execute bit of the triple, special the set-id/sticky bit on it. */
static char exec_letter(bool x, bool special, char on)
{
	if (!special)
		return x ? 'x' : '-';
	return x ? on : (char)(on - 'a' + 'A');
}

void futil_mode_string(unsigned int mode, char out[FUTIL_MODE_STR_LEN + 1])
{
	out[0] = type_letter(mode);
	for (int who = 0; who < 3; who++) {
		unsigned int bits = (mode >> (6 - 3 * who)) & 7;
		char *p = out + 1 + 3 * who;
		p[0] = (bits & 4) ? 'r' : '-';
		p[1] = (bits & 2) ? 'w' : '-';
		static const unsigned int special[3] = {04000, 02000, 01000};
		p[2] = exec_letter(bits & 1, mode & special[who], who == 2 ? 't' : 's');
	}
	out[FUTIL_MODE_STR_LEN] = '\0';
}
