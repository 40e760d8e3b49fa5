/*
 * echo - write the arguments, separated by spaces, and a newline.
 *
 * Options (only before the first word, alone or combined like -ne):
 * -n no newline; -e interpret backslash escapes (\a \b \c \e \f \n \r \t
 * \v \\ \0NNN octal; \c stops all output there); -E do not (the default).
 * Anything else starting with '-' is a word. Only "--help" as the first
 * argument prints the usage. Output goes through stdout's buffer; state
 * is main's locals.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "usage.h"

static const char usage[] =
    "usage: echo [-neE] [WORD...]\n"
    "Write the words separated by spaces, then a newline.\n"
    "  -n  no trailing newline\n"
    "  -e  interpret \\n \\t \\\\ \\c (stop output) \\a \\b \\e \\f \\r \\v \\0NNN\n"
    "  -E  do not interpret backslashes (the default)\n";

/* -n, -e, -E or a mix: true when s is such an option */
static bool is_option(const char *s)
{
	if (s[0] != '-' || s[1] == '\0')
		return false;
	for (s++; *s; s++)
		if (*s != 'n' && *s != 'e' && *s != 'E')
			return false;
	return true;
}

/* Write s with escapes; false when \c asked to stop. */
static bool put_escaped(const char *s)
{
	for (; *s; s++) {
		if (*s != '\\' || s[1] == '\0') {
			putchar(*s);
			continue;
		}
		char c = *++s;
		switch (c) {
		case 'a':
			putchar('\a');
			break;
		case 'b':
			putchar('\b');
			break;
		case 'c':
			return false;
		case 'e':
			putchar('\x1b');
			break;
		case 'f':
			putchar('\f');
			break;
		case 'n':
			putchar('\n');
			break;
		case 'r':
			putchar('\r');
			break;
		case 't':
			putchar('\t');
			break;
		case 'v':
			putchar('\v');
			break;
		case '\\':
			putchar('\\');
			break;
		case '0': {
			int v = 0;
			for (int k = 0; k < 3 && s[1] >= '0' && s[1] <= '7'; k++)
				v = v * 8 + (*++s - '0');
			putchar(v);
			break;
		}
		default:
			putchar('\\');
			putchar(c);
			break;
		}
	}
	return true;
}

int main(int argc, char **argv)
{
	bool newline = true, escapes = false;
	int i = 1;

	if (argc > 1)
		usage_help(2, argv, usage);
	for (; i < argc && is_option(argv[i]); i++)
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'n')
				newline = false;
			else
				escapes = *o == 'e';
		}
	for (; i < argc; i++) {
		if (escapes) {
			if (!put_escaped(argv[i]))
				return fflush(stdout) ? 1 : 0;
		} else {
			fputs(argv[i], stdout);
		}
		if (i + 1 < argc)
			putchar(' ');
	}
	if (newline)
		putchar('\n');
	return fflush(stdout) ? 1 : 0;
}
