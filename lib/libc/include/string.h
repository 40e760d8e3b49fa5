/*
 * string.h - the kernel's memory and string functions (kernel/core/string.c).
 *
 * The kernel is built -nostdinc; this header stands in for the C library's
 * so that lib/ code can include <string.h> in both worlds.
 */
#pragma once
#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strcpy(char *restrict dst, const char *restrict src);
size_t strspn(const char *s, const char *accept);
