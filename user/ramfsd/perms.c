/*
 * perms.c - give the seeded tree its owners and modes: read the table
 * initfs:/etc/fs.perms (lib/ramfs/fsperms.h, docs/ramfs.md) and apply
 * each rule in order to fs, making the directories of 'd' rules. Runs
 * once at start-up, after seeding and before the server serves, on one
 * thread; it still takes fs_lock around each ramfs call like every user.
 * A bad line or a missing path is reported on the console and skipped:
 * the rest of the table still counts.
 */
#include "ramfsd.h"
#include "ramfs/fsperms.h"
#include "rb/malloc.h"
#include "rb/stdio.h"
#include "rb/sys.h"
#include <string.h>

#define PERMS_PATH "initfs:/etc/fs.perms"
#define PERMS_MAX_RULES 64
#define PERMS_MAX_BYTES 8192

static const struct ramfs_cred root_cred = {0, 0};

static void report(void *ctx, unsigned line, const char *why)
{
	rb_printf("ramfsd: %s:%u: %s (line skipped)\n", PERMS_PATH, line, why);
}

/* Open path (making it a directory first if mk) and give it r's owner and mode. */
static int apply_one(const struct fsperms_rule *r, const char *path, bool mk)
{
	struct ramfs_node *n;
	int flags = mk ? RB_O_CREAT | RB_O_DIRECTORY : RB_O_RDONLY;
	rb_mutex_lock(&fs_lock);
	int err = ramfs_open(&fs, path, flags, r->mode, &root_cred, &n);
	if (err == 0) {
		ramfs_setattr(n, r->mode, r->uid, r->gid);
		ramfs_close(&fs, n);
	}
	rb_mutex_unlock(&fs_lock);
	return err;
}

/* Apply r to every entry directly in directory r->path. */
static int apply_children(const struct fsperms_rule *r, unsigned char *ents, size_t entsz)
{
	struct ramfs_node *dir;
	rb_mutex_lock(&fs_lock);
	int err = ramfs_open(&fs, r->path, RB_O_RDONLY | RB_O_DIRECTORY, 0, &root_cred, &dir);
	rb_mutex_unlock(&fs_lock);
	if (err < 0)
		return err;
	uint64_t index = 0;
	for (;;) {
		rb_mutex_lock(&fs_lock);
		long got = ramfs_getdents(dir, &index, ents, entsz);
		rb_mutex_unlock(&fs_lock);
		if (got <= 0) {
			err = (int)got;
			break;
		}
		for (long off = 0; off < got;) {
			struct rb_dirent *d = (struct rb_dirent *)(ents + off);
			char path[RB_PATH_MAX];
			off += d->reclen ? d->reclen : got; /* a zero length ends the batch */
			if (!strcmp(d->name, ".") || !strcmp(d->name, ".."))
				continue;
			const char *sep = strcmp(r->path, "/") ? "/" : "";
			if (rb_snprintf(path, sizeof path, "%s%s%s", r->path, sep, d->name) >=
			    (int)sizeof path)
				continue;
			int e = apply_one(r, path, false);
			if (e < 0)
				rb_printf("ramfsd: fs.perms: %s: %s\n", path, err_name(e));
		}
	}
	rb_mutex_lock(&fs_lock);
	ramfs_close(&fs, dir);
	rb_mutex_unlock(&fs_lock);
	return err;
}

int apply_fs_perms(void)
{
	int fd = rb_open(PERMS_PATH, RB_O_RDONLY);
	if (fd < 0) {
		rb_printf("ramfsd: no %s (%s): every file root-owned\n", PERMS_PATH, err_name(fd));
		return 0;
	}
	char *text = rb_malloc(PERMS_MAX_BYTES);
	struct fsperms_rule *rules = rb_malloc(PERMS_MAX_RULES * sizeof *rules);
	unsigned char *ents = rb_malloc(4096);
	int err = text && rules && ents ? 0 : -E_NOMEM;
	size_t len = 0;
	while (err == 0 && len < PERMS_MAX_BYTES) {
		long got = rb_read(fd, text + len, PERMS_MAX_BYTES - len);
		if (got < 0)
			err = (int)got;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	rb_close(fd);
	if (err == 0 && len == PERMS_MAX_BYTES)
		rb_printf("ramfsd: %s: only its first %d bytes are read\n", PERMS_PATH,
			  PERMS_MAX_BYTES);
	size_t n = err ? 0 : fsperms_parse(text, len, rules, PERMS_MAX_RULES, report, NULL);
	for (size_t i = 0; i < n; i++) {
		const struct fsperms_rule *r = &rules[i];
		int e = r->children ? apply_children(r, ents, 4096)
				    : apply_one(r, r->path, r->make_dir);
		if (e < 0)
			rb_printf("ramfsd: fs.perms: %s%s: %s\n", r->path, r->children ? "/*" : "",
				  err_name(e));
	}
	rb_free(ents);
	rb_free(rules);
	rb_free(text);
	return err;
}
