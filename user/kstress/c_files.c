/*
 * c_files.c - the "files" case: ramfsd (file:) against a model.
 *
 * Each worker works in its own directory, file:/tmp/kstW.G (worker index,
 * generation: a replacement never meets its predecessor's files, nor a
 * late request of it), one subdirectory per fd set (c_svc.c), sS.N. A
 * thread holding set S writes, appends, reads, truncates (ftruncate and
 * O_TRUNC), renames and unlinks the files f0..f3 there, lists the
 * directory and fstats the files, runs /bin/kchild from file: (as root or as uid 1000; a
 * model file, with no execute bit, must be refused: EACCES), and checks every result against the
 * set's model: the bytes read are the bytes written (holes zeros), sizes,
 * ENOENT exactly for the files the model lacks, the names getdents lists.
 * Documented failures taken: ENOSPC and ENOMEM change nothing (docs/
 * ramfs.md), EMFILE/ENFILE (fdlim) skip the step. EINTR (the signal case)
 * leaves a call's effect unknown, and so does EMFILE/ENFILE from an open
 * that creates (the kernel installs the fd after ramfsd made the file,
 * sys_open): the set then starts over in a fresh directory sS.N+1 (the old one is the supervisor's
 * to remove, with the rest of /tmp/kst*, at the round's end). Chaos kills workers in the middle of
 * all this: ramfsd must release the handles (the supervisor checks it still serves and that nothing
 * is left).
 *
 * Ownership: set S's model belongs to the thread holding set S's lock.
 */
#include <string.h>
#include "kstress.h"
#include "rb/stdio.h"
#include "rb/sys.h"

#define NFILES 4
#define FMAX 8192
#define IO_MAX 2048

struct fmodel {
	bool exists;
	size_t size;
	uint8_t data[FMAX];
};

struct fset {
	unsigned dir;  /* N of the current directory sS.N */
	bool dir_made; /* sS.N exists (made by us) */
	struct fmodel f[NFILES];
};

static struct fset sets[KST_SVC_SETS];
static char wdir[48]; /* file:/tmp/kstW.G */
static uint8_t bufs[KST_SVC_SETS][2][IO_MAX];

void kst_files_init(struct kst_worker *w)
{
	kst_svc_init(w);
	rb_snprintf(wdir, sizeof wdir, "file:/tmp/kst%d.%llu", w->idx, (unsigned long long)w->gen);
	(void)rb_mkdir(wdir); /* made again by ensure_dir if this was interrupted */
}

static int set_idx(const struct kst_thread *t)
{
	return t->idx % KST_SVC_SETS;
}

static void dir_path(const struct kst_thread *t, char *p, size_t n)
{
	rb_snprintf(p, n, "%s/s%d.%u", wdir, set_idx(t), sets[set_idx(t)].dir);
}

static void file_path(const struct kst_thread *t, int i, char *p, size_t n)
{
	rb_snprintf(p, n, "%s/s%d.%u/f%d", wdir, set_idx(t), sets[set_idx(t)].dir, i);
}

/* A call's effect is unknown (EINTR): start over in a fresh directory. */
static int start_over(struct fset *s)
{
	s->dir++;
	s->dir_made = false;
	for (int i = 0; i < NFILES; i++)
		s->f[i].exists = false, s->f[i].size = 0;
	return 0;
}

/* ENOSPC and ENOMEM: refused, nothing changed. */
static bool no_room(long r)
{
	return r == -E_NOSPC || r == -E_NOMEM;
}

static void fill(struct kst_thread *t, uint8_t *p, size_t n)
{
	uint64_t v = kst_rand(t, ~0ull);
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (i & 7))) + (uint8_t)(i >> 3);
}

/* Write len bytes at off (or at the end with O_APPEND); the model follows. */
static int op_write(struct kst_thread *t, struct fset *s, int i, const char *path, int fd,
		    bool append)
{
	struct fmodel *f = &s->f[i];
	int flags = RB_O_WRONLY | RB_O_CREAT | (append ? RB_O_APPEND : 0);
	long r = kst_svc_open(path, flags, fd);
	if (kst_svc_transient(r))
		return start_over(s); /* EMFILE/ENFILE: ramfsd may have made the file (sys_open) */
	if (no_room(r))
		return 0;
	if (r != fd)
		return kst_fail(t, KST_FILES, "open(%s, create): %ld", path, r);
	if (!f->exists)
		f->exists = true, f->size = 0;
	size_t off = append ? f->size : kst_rand(t, FMAX);
	if (off >= FMAX)
		return 0;
	size_t len = 1 + kst_rand(t, FMAX - off < IO_MAX ? FMAX - off : IO_MAX);
	uint8_t *b = bufs[set_idx(t)][0];
	fill(t, b, len);
	if (!append && (r = rb_lseek(fd, (long)off, RB_SEEK_SET)) != (long)off)
		return r == -E_INTR ? 0 : kst_fail(t, KST_FILES, "lseek %s %zu: %ld", path, off, r);
	r = rb_write(fd, b, len);
	if (r == -E_INTR)
		return start_over(s);
	if (no_room(r))
		return 0;
	if (r != (long)len)
		return kst_fail(t, KST_FILES, "write %s %zu at %zu: %ld", path, len, off, r);
	if (off > f->size)
		memset(f->data + f->size, 0, off - f->size);
	memcpy(f->data + off, b, len);
	if (off + len > f->size)
		f->size = off + len;
	return 0;
}

static int op_read(struct kst_thread *t, struct fset *s, int i, const char *path, int fd)
{
	struct fmodel *f = &s->f[i];
	long r = kst_svc_open(path, RB_O_RDONLY, fd);
	if (kst_svc_transient(r))
		return 0;
	if (!f->exists)
		return r == -E_NOENT ? 0 : kst_fail(t, KST_FILES, "open %s (absent): %ld", path, r);
	if (r != fd)
		return kst_fail(t, KST_FILES, "open %s: %ld", path, r);
	struct rb_stat st;
	r = rb_fstat(fd, &st);
	if (r == -E_INTR)
		return 0;
	if (r != 0 || st.size != f->size || (st.mode & RB_S_IFMT) != RB_S_IFREG)
		return kst_fail(t, KST_FILES, "fstat %s: %ld, size %llu mode %#x, want %zu", path,
				r, (unsigned long long)st.size, st.mode, f->size);
	size_t off = kst_rand(t, FMAX + 1), len = 1 + kst_rand(t, IO_MAX);
	if ((r = rb_lseek(fd, (long)off, RB_SEEK_SET)) != (long)off)
		return r == -E_INTR ? 0 : kst_fail(t, KST_FILES, "lseek %s %zu: %ld", path, off, r);
	uint8_t *b = bufs[set_idx(t)][1];
	r = rb_read(fd, b, len);
	if (r == -E_INTR)
		return 0;
	size_t want = off >= f->size ? 0 : f->size - off < len ? f->size - off : len;
	if (r != (long)want)
		return kst_fail(t, KST_FILES, "read %s %zu at %zu: %ld, want %zu", path, len, off,
				r, want);
	if (memcmp(b, f->data + off, want) != 0)
		return kst_fail(t, KST_FILES, "read %s at %zu: bytes differ from the model", path,
				off);
	return 0;
}

static int op_truncate(struct kst_thread *t, struct fset *s, int i, const char *path, int fd)
{
	struct fmodel *f = &s->f[i];
	bool otrunc = kst_rand(t, 3) == 0;
	int flags = RB_O_WRONLY | (otrunc ? RB_O_CREAT | RB_O_TRUNC : 0);
	long r = kst_svc_open(path, flags, fd);
	if (kst_svc_transient(r) && otrunc)
		return start_over(s); /* as in op_write */
	if (kst_svc_transient(r) || no_room(r))
		return 0;
	if (!f->exists && !otrunc)
		return r == -E_NOENT ? 0 : kst_fail(t, KST_FILES, "open %s (absent): %ld", path, r);
	if (r != fd)
		return kst_fail(t, KST_FILES, "open %s for truncate: %ld", path, r);
	f->exists = true;
	if (otrunc) {
		f->size = 0;
		return 0;
	}
	size_t size = kst_rand(t, FMAX + 1);
	r = rb_ftruncate(fd, size);
	if (r == -E_INTR)
		return start_over(s);
	if (no_room(r))
		return 0;
	if (r != 0)
		return kst_fail(t, KST_FILES, "ftruncate %s %zu: %ld", path, size, r);
	if (size > f->size)
		memset(f->data + f->size, 0, size - f->size);
	f->size = size;
	return 0;
}

/* Unlink f_i, or rename it over f_j (j != i); the model follows. */
static int op_remove(struct kst_thread *t, struct fset *s, int i, const char *path)
{
	int j = (i + 1 + (int)kst_rand(t, NFILES - 1)) % NFILES;
	bool rename = kst_rand(t, 2);
	char to[96];
	file_path(t, j, to, sizeof to);
	long r = rename ? rb_rename(path, to) : rb_unlink(path, 0);
	if (r == -E_INTR)
		return start_over(s);
	if (!s->f[i].exists)
		return r == -E_NOENT ? 0
				     : kst_fail(t, KST_FILES, "remove %s (absent): %ld", path, r);
	if (r != 0)
		return kst_fail(t, KST_FILES, "%s %s: %ld", rename ? "rename" : "unlink", path, r);
	if (rename)
		s->f[j] = s->f[i];
	s->f[i].exists = false;
	s->f[i].size = 0;
	return 0;
}

/* The names of the entries in buf[0..n): bit i for "fi", -1 for any other name. */
static int dirent_bits(const uint8_t *buf, long n)
{
	int bits = 0;
	for (long o = 0; o < n;) {
		const struct rb_dirent *d = (const struct rb_dirent *)(buf + o);
		if (d->reclen < sizeof *d + 2 || o + d->reclen > n)
			return -1;
		const char *name = d->name;
		if (name[0] != 'f' || name[1] < '0' || name[1] >= '0' + NFILES || name[2] != 0 ||
		    d->type != RB_DT_REG)
			return -1;
		bits |= 1 << (name[1] - '0');
		o += d->reclen;
	}
	return bits;
}

/* getdents of the set's directory lists exactly the files of the model. */
static int op_list(struct kst_thread *t, struct fset *s, int fd)
{
	char path[96];
	dir_path(t, path, sizeof path);
	long r = kst_svc_open(path, RB_O_RDONLY | RB_O_DIRECTORY, fd);
	if (kst_svc_transient(r))
		return 0;
	if (r != fd)
		return kst_fail(t, KST_FILES, "open dir %s: %ld", path, r);
	int want = 0, got = 0;
	for (int i = 0; i < NFILES; i++)
		want |= s->f[i].exists << i;
	uint8_t *b = bufs[set_idx(t)][1];
	while ((r = rb_getdents(fd, b, IO_MAX)) > 0) {
		int bits = dirent_bits(b, r);
		if (bits < 0)
			return kst_fail(t, KST_FILES, "getdents %s: a record not of ours", path);
		got |= bits;
	}
	if (r == -E_INTR)
		return 0;
	if (r != 0 || got != want)
		return kst_fail(t, KST_FILES, "getdents %s: %ld, files %#x, want %#x", path, r, got,
				want);
	return 0;
}

/* mkdir through the set's first fd: rb_mkdir's fd would sit where the fd and sys cases reach. */
static int make_dir(const char *path, int fd)
{
	long r = kst_svc_open(path, RB_O_RDONLY | RB_O_CREAT | RB_O_EXCL | RB_O_DIRECTORY, fd);
	if (r == fd)
		kst_svc_park(fd);
	return r == fd ? 0 : (int)r;
}

/* Make the set's directory if it is not there yet: 1 when it is, 0 to skip, -1 failed. */
static int ensure_dir(struct kst_thread *t, struct fset *s, int fd)
{
	if (s->dir_made)
		return 1;
	char path[96];
	int r = make_dir(wdir, fd); /* again: init's mkdir may have been interrupted (EINTR) */
	if (r != 0 && r != -E_EXIST)
		return kst_svc_transient(r) || no_room(r)
			   ? 0
			   : kst_fail(t, KST_FILES, "mkdir %s: %d", wdir, r);
	dir_path(t, path, sizeof path);
	r = make_dir(path, fd);
	if (kst_svc_transient(r))
		return start_over(s); /* made or not: EMFILE comes after ramfsd made it */
	if (no_room(r))
		return 0;
	if (r != 0)
		return kst_fail(t, KST_FILES, "mkdir %s: %d", path, r);
	s->dir_made = true;
	return 1;
}

/*
 * Run a program from file: (ramfsd seeds /bin 0755 from /etc/fs.perms; the
 * kernel reads it through ramfsd), half the time as uid 1000
 * (RB_SPAWN_SETUID; EPERM for a worker that is not root): it must run
 * and exit with the code it was given, or with a sibling case's signal
 * (the signal case sends SIGUSR2 to neighbouring pids: status 140). A
 * file of the model (no execute bit) must be refused with EACCES.
 */
static int op_exec(struct kst_thread *t, struct fset *s, int i, const char *path)
{
	int code = (int)kst_rand(t, 100);
	char num[8];
	rb_snprintf(num, sizeof num, "%d", code);
	char *argv[] = {"kchild", num, NULL};
	struct rb_spawn_attr guest = {.flags = RB_SPAWN_SETUID, .uid = 1000, .gid = 1000};
	bool as_guest = kst_rand(t, 2);
	int pid = rb_spawn_attr("file:/bin/kchild", argv, NULL, NULL, 0, as_guest ? &guest : NULL);
	if (kst_svc_transient(pid) || no_room(pid) || pid == -E_AGAIN)
		return 0;
	if (as_guest && rb_getuid() != 0) { /* a worker that gave up root: SETUID is root's */
		if (pid == -E_PERM)
			return 1;
		return kst_fail(t, KST_FILES, "SETUID spawn as uid %d: %d, want EPERM", rb_getuid(),
				pid);
	}
	if (pid < 0)
		return kst_fail(t, KST_FILES, "spawn file:/bin/kchild: %d", pid);
	int st = -1, w;
	while ((w = rb_waitpid(pid, &st, 0)) == -E_INTR)
		;
	if (w != pid || (st != code && !kst_signalled_by_others(t->w, st)))
		return kst_fail(t, KST_FILES, "file:/bin/kchild %d: waitpid %d, status %d", code, w,
				st);
	if (!s->f[i].exists)
		return 1;
	int r = rb_spawn(path, argv, NULL, NULL, 0);
	if (r > 0) {
		rb_waitpid(r, NULL, 0);
		return kst_fail(t, KST_FILES, "%s (mode 0644) was spawned", path);
	}
	if (r != -E_ACCES && !kst_svc_transient(r) && !no_room(r))
		return kst_fail(t, KST_FILES, "spawn %s: %d, want EACCES", path, r);
	return 1;
}

int kst_files_op(struct kst_thread *t)
{
	int fd = kst_svc_begin(t), r;
	struct fset *s = &sets[set_idx(t)];
	if ((r = ensure_dir(t, s, fd)) <= 0) {
		kst_svc_end(t);
		return r;
	}
	int i = (int)kst_rand(t, NFILES);
	char path[96];
	file_path(t, i, path, sizeof path);
	switch (kst_rand(t, 9)) {
	case 0:
	case 1:
		r = op_write(t, s, i, path, fd, false);
		break;
	case 2:
		r = op_write(t, s, i, path, fd, true);
		break;
	case 3:
	case 4:
		r = op_read(t, s, i, path, fd);
		break;
	case 5:
		r = op_truncate(t, s, i, path, fd);
		break;
	case 6:
		r = op_remove(t, s, i, path);
		break;
	case 7:
		r = op_exec(t, s, i, path);
		break;
	default:
		r = op_list(t, s, fd);
	}
	kst_svc_end(t);
	return r;
}
