/*
 * stdio_read.c - reading from FILE streams: fread, fgetc, ungetc, fgets,
 * getline, and freopen.
 *
 * Locking: see stdio_impl.h; each call holds f->lock throughout. Reading
 * from a line-buffered or unbuffered stream first flushes stdout (so a
 * prompt shows before the program waits for input), taking stdout's lock
 * inside f's; nothing takes them the other way round.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "stdio_impl.h"

/* Start reading: f must be readable; pending output goes out first. */
static int read_begin(FILE *f)
{
	if (!(f->flags & F_READ)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return -1;
	}
	if (f->wlen && libc_fflush_unlocked(f))
		return -1;
	if (f->mode != _IOFBF && f != stdout) {
		rb_mutex_lock(&stdout->lock);
		libc_fflush_unlocked(stdout);
		rb_mutex_unlock(&stdout->lock);
	}
	return 0;
}

/* Refill the input buffer; 1 if bytes came, 0 at end or on error (flags set). */
static int fill(FILE *f)
{
	if (!f->buf && f->mode != _IONBF) {
		f->buf = malloc(BUFSIZ);
		if (f->buf) {
			f->size = BUFSIZ;
			f->flags |= F_OWNBUF;
		}
	}
	unsigned char *b = f->buf ? f->buf : &f->one;
	size_t size = f->buf ? f->size : 1;
	ssize_t n;
	do
		n = read(f->fd, b, size);
	while (n < 0 && errno == EINTR);
	f->rpos = f->rlen = 0;
	if (n <= 0) {
		f->flags |= n < 0 ? F_ERR : F_EOF;
		return 0;
	}
	if (!f->buf) { /* unbuffered: serve the byte through ungot */
		f->ungot = f->one;
		return 1;
	}
	f->rlen = (size_t)n;
	return 1;
}

/* The next byte or EOF. Lock held, read_begin done. */
static int getc_locked(FILE *f)
{
	if (f->ungot != EOF) {
		int c = f->ungot;
		f->ungot = EOF;
		return c;
	}
	if (f->rpos == f->rlen && ((f->flags & F_EOF) || !fill(f)))
		return EOF;
	if (f->ungot != EOF) {
		int c = f->ungot;
		f->ungot = EOF;
		return c;
	}
	return f->buf[f->rpos++];
}

int fgetc(FILE *f)
{
	rb_mutex_lock(&f->lock);
	int c = read_begin(f) < 0 ? EOF : getc_locked(f);
	rb_mutex_unlock(&f->lock);
	return c;
}

int getc(FILE *f)
{
	return fgetc(f);
}

int getchar(void)
{
	return fgetc(stdin);
}

int ungetc(int c, FILE *f)
{
	if (c == EOF)
		return EOF;
	rb_mutex_lock(&f->lock);
	int r = EOF;
	if (f->ungot == EOF) {
		f->ungot = (unsigned char)c;
		f->flags &= ~F_EOF;
		r = (unsigned char)c;
	}
	rb_mutex_unlock(&f->lock);
	return r;
}

/* Copy up to n bytes of input to p: buffered ones first, big reads direct. */
static size_t read_locked(FILE *f, unsigned char *p, size_t n)
{
	size_t done = 0;
	while (done < n) {
		if (f->ungot != EOF) {
			p[done++] = (unsigned char)f->ungot;
			f->ungot = EOF;
			continue;
		}
		if (f->rpos < f->rlen) {
			size_t k = f->rlen - f->rpos < n - done ? f->rlen - f->rpos : n - done;
			memcpy(p + done, f->buf + f->rpos, k);
			f->rpos += k;
			done += k;
			continue;
		}
		if (f->flags & F_EOF)
			break;
		if (f->buf && n - done < f->size) {
			if (!fill(f))
				break;
			continue;
		}
		ssize_t r = read(f->fd, p + done, n - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			f->flags |= r < 0 ? F_ERR : F_EOF;
			break;
		}
		done += (size_t)r;
	}
	return done;
}

size_t fread(void *buf, size_t size, size_t n, FILE *f)
{
	if (size == 0 || n == 0)
		return 0;
	rb_mutex_lock(&f->lock);
	size_t done = read_begin(f) < 0 ? 0 : read_locked(f, buf, size * n);
	rb_mutex_unlock(&f->lock);
	return done / size;
}

char *fgets(char *s, int n, FILE *f)
{
	if (n <= 0)
		return NULL;
	rb_mutex_lock(&f->lock);
	int i = 0, ok = read_begin(f) == 0;
	while (ok && i < n - 1) {
		int c = getc_locked(f);
		if (c == EOF)
			break;
		s[i++] = (char)c;
		if (c == '\n')
			break;
	}
	s[i] = 0;
	rb_mutex_unlock(&f->lock);
	return i > 0 ? s : NULL;
}

ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f)
{
	if (!line || !cap) {
		errno = EINVAL;
		return -1;
	}
	rb_mutex_lock(&f->lock);
	ssize_t len = read_begin(f) == 0 ? 0 : -1;
	while (len >= 0) {
		if (!*line || (size_t)len + 2 > *cap) {
			size_t ncap = *cap < 64 ? 128 : *cap * 2;
			char *p = realloc(*line, ncap);
			if (!p) {
				len = -1;
				break;
			}
			*line = p;
			*cap = ncap;
		}
		int c = getc_locked(f);
		if (c == EOF) {
			if (len == 0)
				len = -1;
			break;
		}
		(*line)[len++] = (char)c;
		if (c == delim)
			break;
	}
	if (len >= 0)
		(*line)[len] = 0;
	rb_mutex_unlock(&f->lock);
	return len;
}

ssize_t getline(char **line, size_t *cap, FILE *f)
{
	return getdelim(line, cap, '\n', f);
}

FILE *freopen(const char *path, const char *mode, FILE *f)
{
	int fl = O_RDONLY;
	if (mode[0] == 'w')
		fl = O_WRONLY | O_CREAT | O_TRUNC;
	else if (mode[0] == 'a')
		fl = O_WRONLY | O_CREAT | O_APPEND;
	if (strchr(mode, '+'))
		fl = (fl & ~O_ACCMODE) | O_RDWR;
	int fd = path ? open(path, fl) : -1;
	if (fd < 0)
		return NULL;
	rb_mutex_lock(&f->lock);
	libc_fflush_unlocked(f);
	if (f->fd != fd)
		dup2(fd, f->fd) >= 0 ? close(fd) : (f->fd = fd);
	f->rpos = f->rlen = 0;
	f->ungot = EOF;
	f->flags &= ~(F_EOF | F_ERR | F_READ | F_WRITE);
	if ((fl & O_ACCMODE) != O_WRONLY)
		f->flags |= F_READ;
	if ((fl & O_ACCMODE) != O_RDONLY)
		f->flags |= F_WRITE;
	rb_mutex_unlock(&f->lock);
	return f;
}
