/*
 * svctab.h - the table init serves at init:/services, parsed and laid out
 * for the `services` utility.
 *
 * One line per service, fields separated by ONE space, in this order:
 *
 *     name state pid restarts uptime last_exit
 *
 * name is 1..SVCTAB_NAME_MAX printable ASCII bytes without space; state
 * one of running, ready, exited, failed, stopped, waiting; pid a decimal
 * 1..2147483647 or "-"; restarts a decimal 0..4294967295; uptime decimal
 * seconds (at most 18 digits) or "-"; last_exit a decimal 0..255 or "-".
 * Numbers have no sign and no leading zeros. A line may end in "\r\n" or
 * "\n", the last one in nothing; empty lines are skipped.
 *
 * Pure: no allocation, no locks, no printing; the caller owns every
 * buffer and serialises access to it.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SVCTAB_NAME_MAX 31
#define SVCTAB_NONE (-1) /* "-" in pid, uptime or last_exit */

struct svc_row {
	char name[SVCTAB_NAME_MAX + 1];
	char state[8];
	int32_t pid; /* SVCTAB_NONE: not running */
	uint32_t restarts;
	int64_t uptime;	   /* seconds, SVCTAB_NONE: not running */
	int32_t last_exit; /* SVCTAB_NONE: has not exited */
};

/* Parse one line line[0..len) (no newline) into *out: 0, or -E_INVAL with *why set. */
int svc_row_parse(const char *line, size_t len, struct svc_row *out, const char **why);

/*
 * Parse text[0..len) into rows[0..max): the number of rows, or -E_INVAL
 * (a bad line: *bad_line its number from 1, *why the reason) or -E_NOSPC
 * (more than max rows; *bad_line the first that did not fit).
 */
int svctab_parse(const char *text, size_t len, struct svc_row *rows, size_t max, unsigned *bad_line,
		 const char **why);

/*
 * Lay rows[0..n) out as aligned columns, one line per row (with header:
 * a first line NAME STATE PID RESTARTS UPTIME LAST-EXIT), two spaces
 * between columns, name and state left-aligned, numbers right-aligned,
 * uptime in whole seconds (the column: a script can compare it). Writes at most cap bytes,
 * always NUL-terminated when cap > 0; returns the length the whole text needs (as snprintf: more
 * than cap - 1 means it was cut).
 */
size_t svctab_format(const struct svc_row *rows, size_t n, bool header, char *out, size_t cap);
