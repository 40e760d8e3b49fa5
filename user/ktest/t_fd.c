/*
 * t_fd.c - ktest cases for file descriptors: write, read, open, lseek,
 * fstat, getdents, dup, dup2 and close, each with its error paths
 * (bad fd, bad pointer, missing file, unknown scheme). Files come from
 * initfs: /bin/init (an ELF file) and the /bin directory.
 */
#include <string.h>
#include "ktest.h"
#include "rb/syscall.h"

#define INIT_PATH "initfs:/bin/init"

static int write_stdout(char *why, size_t n)
{
	static const char msg[] = "ktest: hello from user space\n";
	KEXPECT(rb_write(1, msg, sizeof(msg) - 1), sizeof(msg) - 1);
	KEXPECT(rb_write(1, msg, 0), 0);
	return 0;
}

static int write_bad_fd(char *why, size_t n)
{
	KEXPECT(rb_write(57, "x", 1), -E_BADF);
	KEXPECT(rb_write(-1, "x", 1), -E_BADF);
	KEXPECT(rb_write(1 << 20, "x", 1), -E_BADF);
	return 0;
}

static int read_bad_fd(char *why, size_t n)
{
	char c;
	KEXPECT(rb_read(57, &c, 1), -E_BADF);
	KEXPECT(rb_read(-1, &c, 1), -E_BADF);
	return 0;
}

static int write_bad_pointer(char *why, size_t n)
{
	KEXPECT(rb_write(1, (void *)1, 10), -E_FAULT);
	KEXPECT(rb_write(1, KERNEL_PTR, 10), -E_FAULT);
	return 0;
}

static int open_existing(char *why, size_t n)
{
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open " INIT_PATH ": %d %s", fd, err_name(fd));
	KCHECK(fd > 2, "got fd %d, which should be the console", fd);
	KEXPECT(rb_close(fd), 0);
	return 0;
}

static int open_missing(char *why, size_t n)
{
	KEXPECT(rb_open("initfs:/no/such/file", RB_O_RDONLY), -E_NOENT);
	return 0;
}

static int open_unknown_scheme(char *why, size_t n)
{
	KEXPECT(rb_open("nosuchscheme:/bin/init", RB_O_RDONLY), -E_NOENT);
	return 0;
}

static int open_bad_pointer(char *why, size_t n)
{
	KEXPECT(rb_open((const char *)1, RB_O_RDONLY), -E_FAULT);
	KEXPECT(rb_open(KERNEL_PTR, RB_O_RDONLY), -E_FAULT);
	return 0;
}

static int open_write_readonly(char *why, size_t n)
{
	int fd = rb_open(INIT_PATH, RB_O_WRONLY);
	if (fd >= 0)
		rb_close(fd);
	KEXPECT(fd, -E_ACCES);
	return 0;
}

static int read_elf_magic(char *why, size_t n)
{
	unsigned char m[4] = {0};
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	long r = rb_read(fd, m, 4);
	rb_close(fd);
	KEXPECT(r, 4);
	KCHECK(m[0] == 0x7f && m[1] == 'E' && m[2] == 'L' && m[3] == 'F',
	       "magic %02x %02x %02x %02x", m[0], m[1], m[2], m[3]);
	return 0;
}

static int read_bad_buffer(char *why, size_t n)
{
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	long r1 = rb_read(fd, (void *)1, 16);
	long r2 = rb_read(fd, KERNEL_PTR, 16);
	rb_close(fd);
	KEXPECT(r1, -E_FAULT);
	KEXPECT(r2, -E_FAULT);
	return 0;
}

static int lseek_and_size(char *why, size_t n)
{
	struct rb_stat st;
	char m[4];
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	int r = rb_fstat(fd, &st);
	long end = rb_lseek(fd, 0, RB_SEEK_END);
	long at_end = rb_read(fd, m, 4);
	long set = rb_lseek(fd, 1, RB_SEEK_SET);
	long got = rb_read(fd, m, 3);
	long cur = rb_lseek(fd, 0, RB_SEEK_CUR);
	long bad = rb_lseek(fd, 0, 99);
	rb_close(fd);
	KEXPECT(r, 0);
	KCHECK(st.size > 64, "fstat size %llu", st.size);
	KEXPECT(end, (long)st.size);
	KEXPECT(at_end, 0);
	KEXPECT(set, 1);
	KEXPECT(got, 3);
	KCHECK(memcmp(m, "ELF", 3) == 0, "read after SEEK_SET 1 is not \"ELF\"");
	KEXPECT(cur, 4);
	KEXPECT(bad, -E_INVAL);
	return 0;
}

static int fstat_modes(char *why, size_t n)
{
	struct rb_stat st = {0};
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	int r = rb_fstat(fd, &st);
	rb_close(fd);
	KEXPECT(r, 0);
	KEXPECT(st.mode & RB_S_IFMT, RB_S_IFREG);
	fd = rb_open("initfs:/bin", RB_O_RDONLY | RB_O_DIRECTORY);
	KCHECK(fd >= 0, "open initfs:/bin: %d %s", fd, err_name(fd));
	r = rb_fstat(fd, &st);
	rb_close(fd);
	KEXPECT(r, 0);
	KEXPECT(st.mode & RB_S_IFMT, RB_S_IFDIR);
	KEXPECT(rb_fstat(1, &st), 0);
	KEXPECT(st.mode & RB_S_IFMT, RB_S_IFCHR);
	return 0;
}

static int fstat_errors(char *why, size_t n)
{
	struct rb_stat st;
	KEXPECT(rb_fstat(57, &st), -E_BADF);
	KEXPECT(rb_fstat(1, (struct rb_stat *)1), -E_FAULT);
	return 0;
}

/* Read initfs:/bin in small chunks; 0 when both init and ktest are listed. */
static int getdents_bin(char *why, size_t n)
{
	/* Small on purpose, so the listing takes several calls. */
	_Alignas(8) char buf[128];
	int seen_init = 0, seen_ktest = 0, records = 0;
	int fd = rb_open("initfs:/bin", RB_O_RDONLY | RB_O_DIRECTORY);
	KCHECK(fd >= 0, "open initfs:/bin: %d %s", fd, err_name(fd));
	for (int calls = 0; calls < 256; calls++) {
		long r = rb_getdents(fd, buf, sizeof(buf));
		if (r == 0)
			break;
		if (r < 0) {
			rb_close(fd);
			KFAIL("getdents: %ld %s", r, err_name((int)r));
		}
		for (long off = 0; off < r;) {
			struct rb_dirent *d = (struct rb_dirent *)(buf + off);
			if (d->reclen < sizeof(*d) + 1 || d->reclen % 8 || off + d->reclen > r) {
				rb_close(fd);
				KFAIL("bad reclen %u at %ld of %ld", d->reclen, off, r);
			}
			if (strcmp(d->name, "init") == 0)
				seen_init = d->type == RB_DT_REG ? 1 : -1;
			if (strcmp(d->name, "ktest") == 0)
				seen_ktest = d->type == RB_DT_REG ? 1 : -1;
			records++;
			off += d->reclen;
		}
	}
	rb_close(fd);
	KCHECK(seen_init == 1 && seen_ktest == 1, "%d records; init %d, ktest %d", records,
	       seen_init, seen_ktest);
	return 0;
}

static int getdents_errors(char *why, size_t n)
{
	_Alignas(8) char buf[64];
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	long r = rb_getdents(fd, buf, sizeof(buf));
	rb_close(fd);
	KEXPECT(r, -E_NOTDIR);
	KEXPECT(rb_getdents(57, buf, sizeof(buf)), -E_BADF);
	return 0;
}

static int dup_shares_offset(char *why, size_t n)
{
	char b[2];
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	long r = rb_read(fd, b, 2);
	int d = rb_dup(fd);
	int c = rb_close(fd);
	long r2 = d >= 0 ? rb_read(d, b, 2) : -1;
	int c2 = d >= 0 ? rb_close(d) : -1;
	KEXPECT(r, 2);
	KCHECK(d >= 0 && d != fd, "dup gave %d for %d", d, fd);
	KEXPECT(c, 0);
	KEXPECT(r2, 2);
	KCHECK(b[0] == 'L' && b[1] == 'F', "dup does not share the offset");
	KEXPECT(c2, 0);
	KEXPECT(rb_read(d, b, 1), -E_BADF);
	KEXPECT(rb_dup(57), -E_BADF);
	return 0;
}

static int dup2_and_close(char *why, size_t n)
{
	static const char msg[] = "ktest: written through fd 20\n";
	KEXPECT(rb_dup2(1, 20), 20);
	KEXPECT(rb_write(20, msg, sizeof(msg) - 1), sizeof(msg) - 1);
	KEXPECT(rb_dup2(1, 20), 20); /* onto an open fd: closes it first */
	KEXPECT(rb_close(20), 0);
	KEXPECT(rb_write(20, msg, sizeof(msg) - 1), -E_BADF);
	KEXPECT(rb_close(20), -E_BADF);
	KEXPECT(rb_dup2(57, 21), -E_BADF);
	KEXPECT(rb_dup2(1, -1), -E_BADF);
	return 0;
}

static int close_twice(char *why, size_t n)
{
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	KEXPECT(rb_close(fd), 0);
	KEXPECT(rb_close(fd), -E_BADF);
	KEXPECT(rb_close(-1), -E_BADF);
	return 0;
}

/* A descriptor whose low 32 bits name an open fd is still bad: the kernel
   once checked (int)fd and then indexed its table with the 64-bit value. */
static int fd_high_bits(char *why, size_t n)
{
	int fd = rb_open(INIT_PATH, RB_O_RDONLY);
	KCHECK(fd >= 0, "open: %d %s", fd, err_name(fd));
	long wide = (long)(1ull << 32 | (unsigned)fd);
	KEXPECT(rb_syscall1(SYS_CLOSE, wide), -E_BADF);
	KEXPECT(rb_syscall1(SYS_DUP, wide), -E_BADF);
	KEXPECT(rb_syscall2(SYS_DUP2, wide, 20), -E_BADF);
	char c;
	KEXPECT(rb_syscall3(SYS_READ, wide, (long)&c, 1), -E_BADF);
	KEXPECT(rb_close(fd), 0); /* still open: the wide close did not touch it */
	return 0;
}

const struct kcase fd_cases[] = {
    {"write: fd 1 prints a line", write_stdout},
    {"write: bad fd gives EBADF", write_bad_fd},
    {"read: bad fd gives EBADF", read_bad_fd},
    {"write: bad pointer gives EFAULT", write_bad_pointer},
    {"open: initfs:/bin/init exists", open_existing},
    {"open: missing file gives ENOENT", open_missing},
    {"open: unknown scheme gives ENOENT", open_unknown_scheme},
    {"open: bad path pointer gives EFAULT", open_bad_pointer},
    {"open: initfs for writing gives EACCES", open_write_readonly},
    {"read: /bin/init starts with the ELF magic", read_elf_magic},
    {"read: bad buffer gives EFAULT", read_bad_buffer},
    {"lseek: offsets agree with fstat size", lseek_and_size},
    {"fstat: file, directory and console modes", fstat_modes},
    {"fstat: bad fd and bad pointer", fstat_errors},
    {"getdents: initfs:/bin lists init and ktest", getdents_bin},
    {"getdents: on a file gives ENOTDIR", getdents_errors},
    {"dup: copy shares the offset, then EBADF", dup_shares_offset},
    {"dup2: onto fd 20, close, then EBADF", dup2_and_close},
    {"close: twice gives EBADF", close_twice},
    {"fd: a descriptor above 32 bits gives EBADF, never a fault", fd_high_bits},
    {NULL, NULL},
};
