/*
 * string.h - the C library's string functions (user/libc/string.c).
 *
 * A superset of lib/libc's <string.h> (the freestanding subset the kernel
 * shares), which comes in through include_next: user/include is first in
 * user programs' include path, so this header wins there.
 */
#pragma once
#include <stddef.h>
#include_next <string.h>

char *strncpy(char *restrict dst, const char *restrict src, size_t n);
char *strcat(char *restrict dst, const char *restrict src);
char *strncat(char *restrict dst, const char *restrict src, size_t n);
size_t strcspn(const char *s, const char *reject);
char *strpbrk(const char *s, const char *accept);
char *strstr(const char *hay, const char *needle);
char *strtok_r(char *restrict s, const char *restrict delim, char **restrict save);
char *strtok(char *restrict s, const char *restrict delim);
char *strdup(const char *s);
char *strndup(const char *s, size_t n);
int strcoll(const char *a, const char *b);
char *strerror(int err);
int strerror_r(int err, char *buf, size_t len);
char *strsignal(int sig);
void *memrchr(const void *s, int c, size_t n);
#include <strings.h>
