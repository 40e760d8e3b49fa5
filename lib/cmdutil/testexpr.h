/*
 * testexpr.h - the expression language of test(1) and [ (POSIX), as a
 * pure evaluator: the caller gives the words and, for the file tests, a
 * table of callbacks (stat, access, isatty), and gets 0 (true), 1
 * (false) or 2 (malformed, with a message). With 0..4 words POSIX's rules
 * by word count decide; longer expressions use the grammar
 *     or := and { -o and };  and := not { -a not };  not := ! not | prim
 *     prim := ( or ) | WORD BINOP WORD | UNOP WORD | WORD
 * Unary: -e -f -d -s (stat), -r -w -x (access), -z -n, -t FD, -h -L
 * (always false: no symbolic links). Binary: = == != < > (byte order)
 * and -eq -ne -lt -le -gt -ge (decimal, optional sign and surrounding
 * blanks; anything else or overflow is an error). No allocation, no
 * state beyond the call; the callbacks must be safe to call with any
 * string.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

enum { TESTEXPR_TRUE = 0, TESTEXPR_FALSE = 1, TESTEXPR_ERROR = 2 };

enum testexpr_type { TESTEXPR_NONE, TESTEXPR_REG, TESTEXPR_DIR, TESTEXPR_OTHER };

struct testexpr_ops {
	void *ctx;
	/* type of path (TESTEXPR_NONE: does not exist) and its size in *size */
	enum testexpr_type (*stat)(void *ctx, const char *path, long long *size);
	/* 'r', 'w' or 'x': true when allowed */
	bool (*access)(void *ctx, const char *path, char how);
	bool (*isatty)(void *ctx, int fd);
};

/* Evaluate words[0..n); on TESTEXPR_ERROR a message is in err (NUL-terminated). */
int testexpr_eval(const char *const *words, int n, const struct testexpr_ops *ops, char *err,
		  size_t errcap);
