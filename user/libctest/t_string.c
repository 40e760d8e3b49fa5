/* t_string.c - string.h, strings.h, ctype.h, strerror. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "libctest.h"

static int t_search(char *why, size_t n)
{
	const char *s = "hello, world";
	CHECK(strstr(s, "world") == s + 7, "strstr world");
	CHECK(strstr(s, "") == s, "strstr empty needle");
	CHECK(strstr(s, "worlds") == NULL, "strstr absent");
	CHECK(strchr(s, 'o') == s + 4 && strrchr(s, 'o') == s + 8, "strchr/strrchr");
	CHECK(strchr(s, 0) == s + 12, "strchr NUL");
	EXPECT(strspn("aabbc", "ab"), 4);
	EXPECT(strcspn("abc,def", ",;"), 3);
	CHECK(strpbrk(s, ",w") == s + 5 && !strpbrk(s, "xyz"), "strpbrk");
	CHECK(memchr(s, 'w', 12) == s + 7 && !memchr(s, 'w', 7), "memchr");
	CHECK(memrchr(s, 'l', 12) == s + 10, "memrchr");
	return 0;
}

static int t_copy(char *why, size_t n)
{
	char b[16];
	memset(b, 'x', sizeof b);
	strncpy(b, "ab", 5);
	CHECK(memcmp(b, "ab\0\0\0x", 6) == 0, "strncpy pads with NULs, stops at n");
	strcpy(b, "ab");
	EXPECT_STR(strcat(b, "cd"), "abcd");
	EXPECT_STR(strncat(b, "efgh", 2), "abcdef");
	char *d = strdup("dup me");
	EXPECT_STR(d, "dup me");
	free(d);
	d = strndup("truncate", 5);
	EXPECT_STR(d, "trunc");
	free(d);
	return 0;
}

static int t_tok(char *why, size_t n)
{
	char s[] = "  a,b;;c  ", *save, *out[4];
	int k = 0;
	for (char *t = strtok_r(s, " ,;", &save); t && k < 4; t = strtok_r(NULL, " ,;", &save))
		out[k++] = t;
	EXPECT(k, 3);
	EXPECT_STR(out[0], "a");
	EXPECT_STR(out[1], "b");
	EXPECT_STR(out[2], "c");
	char e[] = ";;;";
	CHECK(strtok_r(e, ";", &save) == NULL, "only delimiters: no token");
	return 0;
}

static int t_case(char *why, size_t n)
{
	EXPECT(strcasecmp("HeLLo", "hello"), 0);
	CHECK(strcasecmp("abc", "ABD") < 0, "abc < ABD");
	EXPECT(strncasecmp("abcX", "ABCy", 3), 0);
	CHECK(strncasecmp("abcX", "ABCy", 4) < 0, "x < y");
	CHECK(isdigit('7') && !isdigit('a') && isalpha('Q') && isspace('\t') && !isspace('x'),
	      "classes");
	CHECK(isxdigit('F') && !isxdigit('g') && ispunct('!') && !isprint('\n'), "classes 2");
	EXPECT(toupper('a'), 'A');
	EXPECT(tolower('Z'), 'z');
	EXPECT(toupper('1'), '1');
	return 0;
}

static int t_strerror(char *why, size_t n)
{
	EXPECT_STR(strerror(ENOENT), "No such file or directory");
	EXPECT_STR(strerror(EBADF), "Bad file descriptor");
	EXPECT_STR(strerror(0), "Success");
	EXPECT_STR(strerror(9999), "Unknown error 9999");
	char b[8];
	EXPECT(strerror_r(EINVAL, b, sizeof b), ERANGE);
	EXPECT_STR(b, "Invalid");
	EXPECT(EAGAIN, 11);
	EXPECT(ENOENT, 2);
	return 0;
}

const struct lcase string_cases[] = {
    {"string: strstr, strchr, strspn, strpbrk, memchr", t_search},
    {"string: strncpy, strcat, strdup, strndup", t_copy},
    {"string: strtok_r", t_tok},
    {"string: strcasecmp and ctype", t_case},
    {"string: strerror messages and strerror_r ERANGE", t_strerror},
    {NULL, NULL},
};
