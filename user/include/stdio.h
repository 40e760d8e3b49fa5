/*
 * stdio.h - buffered streams (user/libc/stdio.c, printf.c).
 *
 * FILE is opaque. Files are fully buffered (BUFSIZ), stdout is line
 * buffered when it is the console, stderr is unbuffered. Every stream has
 * its own mutex, so one call's output is never torn by another thread's
 * use of the same stream. The format language is lib/fmt's (%d %i %u %x
 * %X %o %c %s %p %%, flags, width, precision, hh h l ll z t j); there is
 * no floating point. See docs/libc.md.
 */
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#include "base/compiler.h"

typedef struct libc_file FILE;
typedef long fpos_t;

#define BUFSIZ 4096
#define EOF (-1)
#define _IOFBF 0
#define _IOLBF 1
#define _IONBF 2
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define FOPEN_MAX 1024
#define FILENAME_MAX 256

extern FILE *stdin, *stdout, *stderr;

FILE *fopen(const char *path, const char *mode);
FILE *fdopen(int fd, const char *mode);
FILE *freopen(const char *path, const char *mode, FILE *f);
int fclose(FILE *f);
int fflush(FILE *f);
size_t fread(void *buf, size_t size, size_t n, FILE *f);
size_t fwrite(const void *buf, size_t size, size_t n, FILE *f);
int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
int ungetc(int c, FILE *f);
char *fgets(char *s, int n, FILE *f);
ssize_t getline(char **line, size_t *cap, FILE *f);
ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *s, FILE *f);
int puts(const char *s);
int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);
int fileno(FILE *f);
int fseek(FILE *f, long off, int whence);
int fseeko(FILE *f, off_t off, int whence);
long ftell(FILE *f);
off_t ftello(FILE *f);
void rewind(FILE *f);
int setvbuf(FILE *f, char *buf, int mode, size_t size);
void setbuf(FILE *f, char *buf);
void flockfile(FILE *f);
void funlockfile(FILE *f);
void perror(const char *s);
int remove(const char *path);
int rename(const char *from, const char *to);

int printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int fprintf(FILE *f, const char *fmt, ...) PRINTF_LIKE(2, 3);
int dprintf(int fd, const char *fmt, ...) PRINTF_LIKE(2, 3);
int sprintf(char *buf, const char *fmt, ...) PRINTF_LIKE(2, 3);
int snprintf(char *buf, size_t n, const char *fmt, ...) PRINTF_LIKE(3, 4);
int asprintf(char **out, const char *fmt, ...) PRINTF_LIKE(2, 3);
int vprintf(const char *fmt, va_list ap);
int vfprintf(FILE *f, const char *fmt, va_list ap);
int vdprintf(int fd, const char *fmt, va_list ap);
int vsprintf(char *buf, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int vasprintf(char **out, const char *fmt, va_list ap);
