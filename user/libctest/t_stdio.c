/*
 * t_stdio.c - FILE streams on file: (ramfsd) and pipes: reading, writing,
 * seeking, buffering modes, ungetc, getline, append, errors.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "libctest.h"

#define TMP "/tmp"

static int tmpdir(void)
{
	return mkdir(TMP, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

/* Bytes in the file behind f's fd as the kernel sees them (not f's buffer). */
static long fd_size(FILE *f)
{
	struct stat st;
	return fstat(fileno(f), &st) == 0 ? (long)st.st_size : -1;
}

static int t_lines(char *why, size_t n)
{
	CHECK(tmpdir() == 0, "mkdir " TMP ": errno %d", errno);
	FILE *f = fopen(TMP "/lct-lines", "w");
	CHECK(f, "fopen w: errno %d", errno);
	for (int i = 0; i < 3; i++)
		EXPECT(fprintf(f, "line %d\n", i), 7);
	EXPECT(fputs("tail", f), 0);
	EXPECT(fclose(f), 0);
	f = fopen(TMP "/lct-long", "w+"); /* longer than printf's stack buffer */
	CHECK(f, "fopen w+");
	EXPECT(fprintf(f, "%0700d|%s", 5, "end"), 704);
	rewind(f);
	char lb[800];
	CHECK(fgets(lb, sizeof lb, f) && strlen(lb) == 704 && lb[699] == '5' &&
		  strcmp(lb + 700, "|end") == 0,
	      "a 704-byte fprintf reads back");
	fclose(f);
	unlink(TMP "/lct-long");
	f = fopen(TMP "/lct-lines", "r");
	CHECK(f, "fopen r");
	char b[32];
	EXPECT_STR(fgets(b, sizeof b, f), "line 0\n");
	EXPECT_STR(fgets(b, 4, f), "lin");
	EXPECT_STR(fgets(b, sizeof b, f), "e 1\n");
	EXPECT_STR(fgets(b, sizeof b, f), "line 2\n");
	CHECK(!feof(f), "no EOF before a read finds it");
	EXPECT_STR(fgets(b, sizeof b, f), "tail"); /* ends at EOF: the indicator is set */
	CHECK(fgets(b, sizeof b, f) == NULL && feof(f) && !ferror(f), "EOF after the end");
	EXPECT(fgetc(f), EOF);
	clearerr(f);
	CHECK(!feof(f), "clearerr");
	fclose(f);
	unlink(TMP "/lct-lines");
	return 0;
}

static int t_open_errors(char *why, size_t n)
{
	errno = 0;
	CHECK(fopen(TMP "/lct-missing", "r") == NULL && errno == ENOENT, "missing: ENOENT");
	errno = 0;
	CHECK(fopen(TMP "/x", "q") == NULL && errno == EINVAL, "bad mode: EINVAL");
	FILE *f = fopen("initfs:/bin/libctest", "r");
	CHECK(f, "fopen initfs file");
	EXPECT(fputc('x', f), EOF);
	CHECK(ferror(f), "writing a read-only stream sets the error indicator");
	fclose(f);
	errno = 0;
	CHECK(fopen("initfs:/bin/new", "w") == NULL && errno != 0, "initfs is read-only");
	return 0;
}

static int t_binary_seek(char *why, size_t n)
{
	enum { N = 10000 };
	static unsigned char out[N], in[N];
	for (int i = 0; i < N; i++)
		out[i] = (unsigned char)(i * 7 + 3);
	FILE *f = fopen(TMP "/lct-bin", "w+");
	CHECK(f, "fopen w+");
	EXPECT(fwrite(out, 1, 100, f), 100);
	EXPECT(fwrite(out + 100, 100, (N - 100) / 100, f), (N - 100) / 100);
	EXPECT(ftell(f), N);
	rewind(f);
	EXPECT(fread(in, 1, N, f), N);
	CHECK(memcmp(in, out, N) == 0, "read back what was written");
	EXPECT(fread(in, 1, 1, f), 0);
	CHECK(feof(f), "EOF");
	EXPECT(fseek(f, 5000, SEEK_SET), 0);
	EXPECT(fgetc(f), out[5000]);
	EXPECT(ftell(f), 5001);
	EXPECT(fseek(f, -1, SEEK_END), 0);
	EXPECT(fgetc(f), out[N - 1]);
	EXPECT(fseek(f, -10, SEEK_CUR), 0);
	EXPECT(ftell(f), N - 10);
	EXPECT(fgetc(f), out[N - 10]);
	EXPECT(ungetc('Z', f), 'Z');
	EXPECT(ftell(f), N - 10);
	EXPECT(fgetc(f), 'Z');
	EXPECT(fgetc(f), out[N - 9]);
	/* switch from reading to writing in the middle: the write lands at ftell */
	EXPECT(fseek(f, 10, SEEK_SET), 0);
	EXPECT(fgetc(f), out[10]);
	EXPECT(fputc('W', f), 'W');
	EXPECT(fflush(f), 0);
	EXPECT(fseek(f, 11, SEEK_SET), 0);
	EXPECT(fgetc(f), 'W');
	fclose(f);
	unlink(TMP "/lct-bin");
	return 0;
}

static int t_buffering(char *why, size_t n)
{
	FILE *f = fopen(TMP "/lct-buf", "w");
	CHECK(f, "fopen");
	EXPECT(fwrite("0123456789", 1, 10, f), 10);
	EXPECT(fd_size(f), 0); /* fully buffered: nothing written yet */
	EXPECT(fflush(f), 0);
	EXPECT(fd_size(f), 10);
	EXPECT(setvbuf(f, NULL, _IONBF, 0), 0);
	EXPECT(fputc('x', f), 'x');
	EXPECT(fd_size(f), 11); /* unbuffered: at once */
	EXPECT(setvbuf(f, NULL, _IOLBF, 0), 0);
	EXPECT(fputs("ab", f), 0);
	EXPECT(fd_size(f), 11);
	EXPECT(fputs("c\nd", f), 0);
	EXPECT(fd_size(f), 16); /* line buffered: the newline flushed all */
	EXPECT(fputs("e", f), 0);
	EXPECT(fd_size(f), 16);
	EXPECT_ERRNO(setvbuf(f, NULL, 7, 0), EINVAL);
	EXPECT(fclose(f), 0);
	struct stat st;
	EXPECT(stat(TMP "/lct-buf", &st), 0);
	EXPECT(st.st_size, 17); /* fclose flushed the "e" */
	unlink(TMP "/lct-buf");
	return 0;
}

static int t_getline_append(char *why, size_t n)
{
	FILE *f = fopen(TMP "/lct-app", "w");
	CHECK(f, "fopen w");
	fputs("first\n", f);
	fclose(f);
	f = fopen(TMP "/lct-app", "a");
	CHECK(f, "fopen a");
	for (int i = 0; i < 300; i++)
		fputc('a' + i % 26, f);
	fputc('\n', f);
	fclose(f);
	f = fopen(TMP "/lct-app", "r");
	char *line = NULL;
	size_t cap = 0;
	EXPECT(getline(&line, &cap, f), 6);
	EXPECT_STR(line, "first\n");
	EXPECT(getline(&line, &cap, f), 301);
	CHECK(cap >= 302 && line[0] == 'a' && line[299] == 'a' + 299 % 26, "long line");
	EXPECT(getline(&line, &cap, f), -1);
	free(line);
	fclose(f);
	unlink(TMP "/lct-app");
	return 0;
}

static int t_pipe_stream(char *why, size_t n)
{
	int p[2];
	EXPECT(pipe(p), 0);
	FILE *w = fdopen(p[1], "w"), *r = fdopen(p[0], "r");
	CHECK(w && r, "fdopen");
	EXPECT(fileno(w), p[1]);
	EXPECT(fprintf(w, "%d %s\n", 12, "pipe"), 8);
	EXPECT(fflush(w), 0);
	char b[16];
	EXPECT_STR(fgets(b, sizeof b, r), "12 pipe\n");
	fclose(w);
	EXPECT(fgetc(r), EOF);
	CHECK(feof(r), "EOF once the writer closed");
	fclose(r);
	EXPECT_ERRNO(fdopen(99, "r") == NULL ? -1 : 0, EBADF);
	return 0;
}

static int t_tty(char *why, size_t n)
{
	EXPECT(isatty(1), 1);
	int fd = open("initfs:/bin/libctest", O_RDONLY);
	EXPECT_ERRNO(isatty(fd) ? 0 : -1, ENOTTY);
	close(fd);
	EXPECT_ERRNO(isatty(77) ? 0 : -1, EBADF);
	return 0;
}

const struct lcase stdio_cases[] = {
    {"stdio: fprintf, fputs, fgets, feof, clearerr on a file", t_lines},
    {"stdio: fopen ENOENT, bad mode EINVAL, write to read-only stream", t_open_errors},
    {"stdio: fwrite/fread 10000 bytes, fseek, ftell, ungetc, read then write", t_binary_seek},
    {"stdio: full, none and line buffering (setvbuf), fclose flushes", t_buffering},
    {"stdio: append mode and getline", t_getline_append},
    {"stdio: fdopen on a pipe", t_pipe_stream},
    {"stdio: isatty on the console, a file and a bad fd", t_tty},
    {NULL, NULL},
};
