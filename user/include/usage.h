/*
 * usage.h - the shared "--help" and bad-argument behaviour of the
 * utilities in user/ (not POSIX; docs/shell.md).
 *
 * A utility passes its usage text: the first line is the synopsis
 * ("usage: head [-n N] [FILE...]"), the rest say what it does and what
 * each option means. usage_help prints the whole text on stdout and exits
 * 0 when any argument before "--" is "--help"; usage_fail prints
 * "NAME: MESSAGE" and the synopsis line on stderr and exits 2.
 */
#pragma once

/* If an argument before "--" is "--help": print usage on stdout, exit 0. */
void usage_help(int argc, char **argv, const char *usage);
/* "argv0: message" (printf format) and usage's first line on stderr; exit 2. */
__attribute__((noreturn, format(printf, 3, 4))) void
usage_fail(const char *argv0, const char *usage, const char *fmt, ...);
