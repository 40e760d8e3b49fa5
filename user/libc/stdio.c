/*
 * stdio.c - FILE streams: open, close, buffering, writing, seeking.
 *
 * Locking: see stdio_impl.h. Files are fully buffered (BUFSIZ, malloc'd
 * on first use), stdout is line buffered when it is a terminal, stderr is
 * unbuffered. A stream either holds unread input or pending output, never
 * both: a write first gives back unread input (an lseek back), a read
 * first flushes pending output. Reading is in stdio_read.c, formatting in
 * printf.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libc.h"
#include "stdio_impl.h"

static struct libc_file std_files[3] = {
    {.fd = 0, .flags = F_READ | F_STATIC, .mode = _IOLBF, .ungot = EOF},
    {.fd = 1, .flags = F_WRITE | F_STATIC, .mode = _IOFBF, .ungot = EOF},
    {.fd = 2, .flags = F_WRITE | F_STATIC | F_MODESET, .mode = _IONBF, .ungot = EOF},
};
FILE *stdin = &std_files[0];
FILE *stdout = &std_files[1];
FILE *stderr = &std_files[2];

static struct libc_file *open_list; /* streams fopen/fdopen made */
static struct rb_mutex list_lock = RB_MUTEX_INIT;

void flockfile(FILE *f)
{
	rb_mutex_lock(&f->lock);
}

void funlockfile(FILE *f)
{
	rb_mutex_unlock(&f->lock);
}

/* Decide stdout's mode and get a buffer; unbuffered if there is no memory. */
static void ensure_buf(FILE *f)
{
	if (!(f->flags & F_MODESET)) {
		f->flags |= F_MODESET;
		if (f->fd == 1 && isatty(1))
			f->mode = _IOLBF;
	}
	if (f->buf || f->mode == _IONBF)
		return;
	f->buf = malloc(BUFSIZ);
	if (!f->buf) {
		f->mode = _IONBF;
		return;
	}
	f->size = BUFSIZ;
	f->flags |= F_OWNBUF;
}

/* Write all of p to the fd; bytes written (short: error indicator set). */
static size_t write_all(FILE *f, const unsigned char *p, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t r = write(f->fd, p + done, n - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			f->flags |= F_ERR;
			break;
		}
		done += (size_t)r;
	}
	return done;
}

int libc_fflush_unlocked(FILE *f)
{
	if (f->wlen == 0)
		return 0;
	size_t done = write_all(f, f->buf, f->wlen);
	memmove(f->buf, f->buf + done, f->wlen - done);
	f->wlen -= done;
	return f->wlen ? EOF : 0;
}

/* Give back unread input: move the fd's offset back over it. */
static void drop_input(FILE *f)
{
	long unread = (long)(f->rlen - f->rpos) + (f->ungot != EOF);
	if (unread)
		lseek(f->fd, -unread, SEEK_CUR); /* fails on pipes: the bytes are lost */
	f->rpos = f->rlen = 0;
	f->ungot = EOF;
}

size_t libc_fwrite_unlocked(FILE *f, const void *p, size_t n)
{
	if (!(f->flags & F_WRITE)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return 0;
	}
	if (f->rlen > f->rpos || f->ungot != EOF)
		drop_input(f);
	ensure_buf(f);
	if (f->mode == _IONBF)
		return write_all(f, p, n);
	if (n > f->size - f->wlen) {
		if (libc_fflush_unlocked(f))
			return 0;
		if (n >= f->size)
			return write_all(f, p, n);
	}
	memcpy(f->buf + f->wlen, p, n);
	f->wlen += n;
	if (f->mode == _IOLBF && memchr(p, '\n', n))
		libc_fflush_unlocked(f); /* on an error the indicator tells */
	return n;
}

size_t fwrite(const void *buf, size_t size, size_t n, FILE *f)
{
	if (size == 0 || n == 0)
		return 0;
	rb_mutex_lock(&f->lock);
	size_t done = libc_fwrite_unlocked(f, buf, size * n);
	rb_mutex_unlock(&f->lock);
	return done / size;
}

int fputc(int c, FILE *f)
{
	unsigned char b = (unsigned char)c;
	return fwrite(&b, 1, 1, f) == 1 ? b : EOF;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
	size_t n = strlen(s);
	return fwrite(s, 1, n, f) == n ? 0 : EOF;
}

int puts(const char *s)
{
	size_t n = strlen(s);
	rb_mutex_lock(&stdout->lock);
	int ok =
	    libc_fwrite_unlocked(stdout, s, n) == n && libc_fwrite_unlocked(stdout, "\n", 1) == 1;
	rb_mutex_unlock(&stdout->lock);
	return ok ? 0 : EOF;
}

int fflush(FILE *f)
{
	if (f) {
		rb_mutex_lock(&f->lock);
		int r = libc_fflush_unlocked(f);
		rb_mutex_unlock(&f->lock);
		return r;
	}
	int r = 0;
	r |= fflush(stdout);
	r |= fflush(stderr);
	rb_mutex_lock(&list_lock);
	for (struct libc_file *p = open_list; p; p = p->next)
		r |= fflush(p);
	rb_mutex_unlock(&list_lock);
	return r ? EOF : 0;
}

void libc_stdio_exit(void)
{
	fflush(NULL);
}

/* RB_O_* flags for an fopen mode ("r", "w+", "ab", "wx", ...); -1 if invalid. */
static int mode_flags(const char *mode)
{
	int fl;
	switch (mode[0]) {
	case 'r':
		fl = O_RDONLY;
		break;
	case 'w':
		fl = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		fl = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		return -1;
	}
	for (const char *m = mode + 1; *m; m++) {
		if (*m == '+')
			fl = (fl & ~O_ACCMODE) | O_RDWR;
		else if (*m == 'x')
			fl |= O_EXCL;
		else if (*m != 'b' && *m != 'e')
			return -1;
	}
	return fl;
}

/* A new stream on fd with open flags fl, on the open list; NULL (ENOMEM). */
static FILE *file_new(int fd, int fl)
{
	struct libc_file *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->fd = fd;
	f->ungot = EOF;
	f->mode = _IOFBF;
	f->flags = F_MODESET;
	if ((fl & O_ACCMODE) != O_WRONLY)
		f->flags |= F_READ;
	if ((fl & O_ACCMODE) != O_RDONLY)
		f->flags |= F_WRITE;
	int saved = errno;
	if (isatty(fd))
		f->mode = _IOLBF;
	errno = saved;
	rb_mutex_lock(&list_lock);
	f->next = open_list;
	if (open_list)
		open_list->prev = f;
	open_list = f;
	rb_mutex_unlock(&list_lock);
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	int fl = mode_flags(mode);
	if (fl < 0) {
		errno = EINVAL;
		return NULL;
	}
	int fd = open(path, fl);
	if (fd < 0)
		return NULL;
	if (fl & O_APPEND)
		lseek(fd, 0, SEEK_END);
	FILE *f = file_new(fd, fl);
	if (!f)
		close(fd);
	return f;
}

FILE *fdopen(int fd, const char *mode)
{
	int fl = mode_flags(mode);
	if (fl < 0) {
		errno = EINVAL;
		return NULL;
	}
	if (lseek(fd, 0, SEEK_CUR) < 0 && errno == EBADF)
		return NULL;
	return file_new(fd, fl);
}

int fclose(FILE *f)
{
	rb_mutex_lock(&f->lock);
	int r = libc_fflush_unlocked(f);
	if (close(f->fd) < 0)
		r = EOF;
	if (f->flags & F_OWNBUF)
		free(f->buf);
	f->buf = NULL;
	f->flags &= ~F_OWNBUF;
	f->fd = -1;
	rb_mutex_unlock(&f->lock);
	if (f->flags & F_STATIC)
		return r;
	rb_mutex_lock(&list_lock);
	if (f->prev)
		f->prev->next = f->next;
	else
		open_list = f->next;
	if (f->next)
		f->next->prev = f->prev;
	rb_mutex_unlock(&list_lock);
	free(f);
	return r;
}

int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
	if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF) {
		errno = EINVAL;
		return -1;
	}
	rb_mutex_lock(&f->lock);
	libc_fflush_unlocked(f);
	if (f->flags & F_OWNBUF)
		free(f->buf);
	f->flags = (f->flags & ~F_OWNBUF) | F_MODESET;
	f->buf = NULL;
	f->size = 0;
	f->mode = mode;
	if (mode != _IONBF && buf && size > 0) {
		f->buf = (unsigned char *)buf;
		f->size = size;
	}
	rb_mutex_unlock(&f->lock);
	return 0;
}

void setbuf(FILE *f, char *buf)
{
	setvbuf(f, buf, buf ? _IOFBF : _IONBF, BUFSIZ);
}

/* Where f's reader or writer stands: the fd's offset adjusted by the buffer. */
static off_t position(FILE *f)
{
	off_t pos = lseek(f->fd, 0, SEEK_CUR);
	if (pos < 0)
		return -1;
	return pos - (off_t)(f->rlen - f->rpos) - (f->ungot != EOF) + (off_t)f->wlen;
}

int fseeko(FILE *f, off_t off, int whence)
{
	rb_mutex_lock(&f->lock);
	int r = -1;
	if (libc_fflush_unlocked(f) == 0) {
		if (whence == SEEK_CUR)
			off -= (off_t)(f->rlen - f->rpos) + (f->ungot != EOF);
		f->rpos = f->rlen = 0;
		f->ungot = EOF;
		if (lseek(f->fd, off, whence) >= 0) {
			f->flags &= ~F_EOF;
			r = 0;
		}
	}
	rb_mutex_unlock(&f->lock);
	return r;
}

int fseek(FILE *f, long off, int whence)
{
	return fseeko(f, off, whence);
}

off_t ftello(FILE *f)
{
	rb_mutex_lock(&f->lock);
	off_t pos = position(f);
	rb_mutex_unlock(&f->lock);
	return pos;
}

long ftell(FILE *f)
{
	return ftello(f);
}

void rewind(FILE *f)
{
	fseek(f, 0, SEEK_SET);
	clearerr(f);
}

int feof(FILE *f)
{
	rb_mutex_lock(&f->lock);
	int r = (f->flags & F_EOF) != 0;
	rb_mutex_unlock(&f->lock);
	return r;
}

int ferror(FILE *f)
{
	rb_mutex_lock(&f->lock);
	int r = (f->flags & F_ERR) != 0;
	rb_mutex_unlock(&f->lock);
	return r;
}

void clearerr(FILE *f)
{
	rb_mutex_lock(&f->lock);
	f->flags &= ~(F_EOF | F_ERR);
	rb_mutex_unlock(&f->lock);
}

int fileno(FILE *f)
{
	if (f->fd < 0) {
		errno = EBADF;
		return -1;
	}
	return f->fd;
}

void perror(const char *s)
{
	const char *m = strerror(errno);
	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, m);
	else
		fprintf(stderr, "%s\n", m);
}

int remove(const char *path)
{
	if (unlink(path) == 0)
		return 0;
	return errno == EISDIR ? rmdir(path) : -1;
}
