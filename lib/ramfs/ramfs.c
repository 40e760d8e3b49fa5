/*
 * ramfs.c - the RAM file system (see ramfs.h for the contract).
 *
 * Each node sits on fs->all (every live node) and, while linked, on its
 * parent's child list (doubly linked, in creation order: getdents' entry
 * index counts along it). A node lives while it is linked (nlink 1) or
 * open (opens > 0); the root is never unlinked. fs->used is the sum over
 * live nodes of RAMFS_NODE_COST + size; it is checked against fs->limit
 * before anything changes. File bytes live in data[0..cap), size <= cap.
 * Locking: none here; the caller serialises every call on a struct ramfs.
 */
#include "ramfs/ramfs.h"
#include "base/err.h"
#include <string.h>

struct ramfs_node {
	struct ramfs_node *parent;		/* NULL for the root and once unlinked */
	struct ramfs_node *prev, *next;		/* siblings in parent's list */
	struct ramfs_node *first, *last;	/* a directory's children */
	struct ramfs_node *all_prev, *all_next; /* fs->all */
	char *name;				/* NUL-terminated, namelen + 1 bytes */
	size_t namelen;
	unsigned int mode;
	int uid, gid;
	unsigned int nlink, opens;
	uint8_t *data;
	uint64_t size, cap;
};

/* ---------------------------------------------------------------- memory */

static void *mem_alloc(struct ramfs *fs, size_t n)
{
	return fs->mem.alloc(fs->mem.ctx, n);
}

static void mem_free(struct ramfs *fs, void *p, size_t n)
{
	if (p)
		fs->mem.free(fs->mem.ctx, p, n);
}

static bool room_for(const struct ramfs *fs, uint64_t more)
{
	return more <= fs->limit && fs->used <= fs->limit - more;
}

static char *name_dup(struct ramfs *fs, const char *s, size_t len)
{
	char *p = mem_alloc(fs, len + 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = 0;
	}
	return p;
}

/* A new unlinked node (no opens) named s[0..len), counted in fs; NULL on ENOMEM. */
static struct ramfs_node *node_new(struct ramfs *fs, const char *s, size_t len, unsigned mode,
				   const struct ramfs_cred *cred)
{
	struct ramfs_node *n = mem_alloc(fs, sizeof *n);
	if (!n)
		return NULL;
	memset(n, 0, sizeof *n);
	n->name = name_dup(fs, s, len);
	if (!n->name) {
		mem_free(fs, n, sizeof *n);
		return NULL;
	}
	n->namelen = len;
	n->mode = mode;
	n->uid = cred->uid;
	n->gid = cred->gid;
	n->all_next = fs->all;
	if (fs->all)
		fs->all->all_prev = n;
	fs->all = n;
	fs->used += RAMFS_NODE_COST;
	fs->nodes++;
	return n;
}

static void node_free(struct ramfs *fs, struct ramfs_node *n)
{
	if (n->all_prev)
		n->all_prev->all_next = n->all_next;
	else
		fs->all = n->all_next;
	if (n->all_next)
		n->all_next->all_prev = n->all_prev;
	fs->used -= RAMFS_NODE_COST + n->size;
	fs->nodes--;
	mem_free(fs, n->data, n->cap);
	mem_free(fs, n->name, n->namelen + 1);
	mem_free(fs, n, sizeof *n);
}

static void node_put_if_dead(struct ramfs *fs, struct ramfs_node *n)
{
	if (n->nlink == 0 && n->opens == 0)
		node_free(fs, n);
}

/* ---------------------------------------------------------------- tree */

static bool is_dir(const struct ramfs_node *n)
{
	return (n->mode & RAMFS_S_IFMT) == RAMFS_S_IFDIR;
}

static void link_child(struct ramfs_node *dir, struct ramfs_node *n)
{
	n->parent = dir;
	n->next = NULL;
	n->prev = dir->last;
	if (dir->last)
		dir->last->next = n;
	else
		dir->first = n;
	dir->last = n;
	n->nlink = 1;
}

static void unlink_child(struct ramfs_node *n)
{
	struct ramfs_node *dir = n->parent;
	if (n->prev)
		n->prev->next = n->next;
	else
		dir->first = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		dir->last = n->prev;
	n->parent = n->prev = n->next = NULL;
	n->nlink = 0;
}

static struct ramfs_node *child_find(const struct ramfs_node *dir, const char *s, size_t len)
{
	for (struct ramfs_node *c = dir->first; c; c = c->next)
		if (c->namelen == len && memcmp(c->name, s, len) == 0)
			return c;
	return NULL;
}

/* ---------------------------------------------------------------- paths */

struct walk {
	struct ramfs_node *dir;	 /* holds the last component (the root for "/") */
	struct ramfs_node *node; /* the last component, or NULL if missing */
	const char *name;	 /* the last component; len 0 for the root */
	size_t len;
};

/* The next component at *p (skipping '/', "" and "."): its length, 0 at the end. */
static size_t next_comp(const char **p)
{
	for (;;) {
		while (**p == '/')
			(*p)++;
		size_t len = 0;
		while ((*p)[len] && (*p)[len] != '/')
			len++;
		if (len == 1 && **p == '.') {
			(*p)++;
			continue;
		}
		return len;
	}
}

/* Resolve path into *w: ENAMETOOLONG, EINVAL (".."), ENOENT/ENOTDIR on the way. */
static int walk(const struct ramfs *fs, const char *path, struct walk *w)
{
	if (strnlen(path, RB_PATH_MAX) == RB_PATH_MAX)
		return -E_NAMETOOLONG;
	w->dir = fs->root;
	w->node = fs->root;
	w->name = path;
	w->len = 0;
	const char *p = path;
	size_t len;
	while ((len = next_comp(&p)) != 0) {
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return -E_INVAL;
		if (len > RAMFS_NAME_MAX)
			return -E_NAMETOOLONG;
		if (!w->node)
			return -E_NOENT;
		if (!is_dir(w->node))
			return -E_NOTDIR;
		w->dir = w->node;
		w->name = p;
		w->len = len;
		w->node = child_find(w->dir, p, len);
		p += len;
	}
	return 0;
}

/* ---------------------------------------------------------------- permissions */

/* May cred have the access bits want (4 r, 2 w) on n? */
static bool may(const struct ramfs_node *n, const struct ramfs_cred *c, unsigned want)
{
	if (c->uid == 0)
		return true;
	unsigned bits = n->mode;
	if (c->uid == n->uid)
		bits >>= 6;
	else if (c->gid == n->gid)
		bits >>= 3;
	return (bits & want) == want;
}

/* May cred remove (unlink, rename away, replace) victim from dir? */
static bool may_remove(const struct ramfs_node *dir, const struct ramfs_node *victim,
		       const struct ramfs_cred *c)
{
	if (!may(dir, c, 2))
		return false;
	if (!(dir->mode & RAMFS_S_STICKY) || c->uid == 0)
		return true;
	return c->uid == victim->uid || c->uid == dir->uid;
}

static unsigned want_of(int flags)
{
	switch (flags & RB_O_ACCMODE) {
	case RB_O_RDONLY:
		return 4;
	case RB_O_WRONLY:
		return 2;
	default:
		return 6;
	}
}

/* ---------------------------------------------------------------- file data */

/* Make room for cap bytes in n->data (contents kept, the rest zeroed). */
static int data_resize(struct ramfs *fs, struct ramfs_node *n, uint64_t cap)
{
	if (cap == n->cap)
		return 0;
	if (cap > (size_t)-1)
		return -E_NOMEM;
	uint8_t *d = NULL;
	if (cap) {
		d = mem_alloc(fs, cap);
		if (!d)
			return -E_NOMEM;
		uint64_t keep = MIN(n->size, cap);
		if (keep)
			memcpy(d, n->data, keep);
		memset(d + keep, 0, cap - keep);
	}
	mem_free(fs, n->data, n->cap);
	n->data = d;
	n->cap = cap;
	return 0;
}

/* Set n's size to size, accounting for it: 0, -E_NOSPC, -E_NOMEM. */
static int set_size(struct ramfs *fs, struct ramfs_node *n, uint64_t size)
{
	if (size > n->size && !room_for(fs, size - n->size))
		return -E_NOSPC;
	if (size > n->cap) {
		uint64_t cap = n->cap * 2 > size ? n->cap * 2 : size;
		if (cap < 64)
			cap = 64;
		if (data_resize(fs, n, cap) < 0 && data_resize(fs, n, size) < 0)
			return -E_NOMEM;
	} else if (size < n->cap / 4) {
		(void)data_resize(fs, n, size); /* shrinking is only an economy */
	}
	if (size < MIN(n->size, n->cap))
		memset(n->data + size, 0, MIN(n->size, n->cap) - size); /* slack stays zero */
	fs->used = fs->used - n->size + size;
	n->size = size;
	return 0;
}

/* The name's offset in a record: 3 (reclen, type), not sizeof (which pads to 4). */
#define DIRENT_NAME offsetof(struct rb_dirent, name)

/* ---------------------------------------------------------------- interface */

int ramfs_init(struct ramfs *fs, const struct ramfs_mem *mem, uint64_t limit)
{
	static const struct ramfs_cred root = {0, 0};
	memset(fs, 0, sizeof *fs);
	fs->mem = *mem;
	fs->limit = limit;
	if (!room_for(fs, RAMFS_NODE_COST))
		return -E_NOSPC;
	fs->root = node_new(fs, "", 0, RAMFS_S_IFDIR | 0755, &root);
	if (!fs->root)
		return -E_NOMEM;
	fs->root->nlink = 1;
	return 0;
}

void ramfs_destroy(struct ramfs *fs)
{
	while (fs->all)
		node_free(fs, fs->all);
	fs->root = NULL;
}

/* Open an existing node n as ramfs_open describes. */
static int open_existing(struct ramfs *fs, struct ramfs_node *n, int flags,
			 const struct ramfs_cred *cred)
{
	if ((flags & RB_O_CREAT) && (flags & RB_O_EXCL))
		return -E_EXIST;
	bool writing = (flags & RB_O_ACCMODE) != RB_O_RDONLY;
	if (is_dir(n)) {
		if (writing || (flags & RB_O_TRUNC))
			return -E_ISDIR;
	} else if (flags & RB_O_DIRECTORY) {
		return -E_NOTDIR;
	}
	if (!may(n, cred, want_of(flags)))
		return -E_ACCES;
	if (writing && (flags & RB_O_TRUNC))
		return set_size(fs, n, 0);
	return 0;
}

static int create(struct ramfs *fs, struct walk *w, int flags, unsigned mode,
		  const struct ramfs_cred *cred)
{
	if (!may(w->dir, cred, 2))
		return -E_ACCES;
	if (!room_for(fs, RAMFS_NODE_COST))
		return -E_NOSPC;
	unsigned type = (flags & RB_O_DIRECTORY) ? RAMFS_S_IFDIR : RAMFS_S_IFREG;
	struct ramfs_node *n = node_new(fs, w->name, w->len, type | (mode & 07777), cred);
	if (!n)
		return -E_NOMEM;
	link_child(w->dir, n);
	w->node = n;
	return 0;
}

int ramfs_open(struct ramfs *fs, const char *path, int flags, unsigned int mode,
	       const struct ramfs_cred *cred, struct ramfs_node **out)
{
	struct walk w;
	int r = walk(fs, path, &w);
	if (r < 0)
		return r;
	if (w.node)
		r = open_existing(fs, w.node, flags, cred);
	else if (flags & RB_O_CREAT)
		r = create(fs, &w, flags, mode, cred);
	else
		r = -E_NOENT;
	if (r < 0)
		return r;
	w.node->opens++;
	*out = w.node;
	return 0;
}

struct ramfs_node *ramfs_ref(struct ramfs_node *n)
{
	n->opens++;
	return n;
}

void ramfs_close(struct ramfs *fs, struct ramfs_node *n)
{
	n->opens--;
	node_put_if_dead(fs, n);
}

long ramfs_read(struct ramfs *fs, struct ramfs_node *n, uint64_t off, void *buf, size_t len)
{
	if (is_dir(n))
		return -E_ISDIR;
	if (off >= n->size)
		return 0;
	if (len > n->size - off)
		len = n->size - off;
	memcpy(buf, n->data + off, len);
	return (long)len;
}

long ramfs_write(struct ramfs *fs, struct ramfs_node *n, uint64_t off, const void *buf, size_t len)
{
	if (is_dir(n))
		return -E_ISDIR;
	if (len == 0)
		return 0;
	if (off > fs->limit || len > fs->limit - off)
		return -E_NOSPC;
	if (off + len > n->size) {
		int r = set_size(fs, n, off + len);
		if (r < 0)
			return r;
	}
	memcpy(n->data + off, buf, len);
	return (long)len;
}

int ramfs_truncate(struct ramfs *fs, struct ramfs_node *n, uint64_t len)
{
	if (is_dir(n))
		return -E_ISDIR;
	return set_size(fs, n, len);
}

void ramfs_setattr(struct ramfs_node *n, unsigned int mode, int uid, int gid)
{
	n->mode = (n->mode & RAMFS_S_IFMT) | (mode & 07777);
	n->uid = uid;
	n->gid = gid;
}

void ramfs_stat(const struct ramfs_node *n, struct ramfs_stat *st)
{
	st->size = n->size;
	st->mode = n->mode;
	st->uid = n->uid;
	st->gid = n->gid;
	st->nlink = n->nlink;
}

long ramfs_getdents(struct ramfs_node *n, uint64_t *index, void *buf, size_t len)
{
	if (!is_dir(n))
		return -E_NOTDIR;
	struct ramfs_node *c = n->first;
	for (uint64_t i = 0; c && i < *index; i++)
		c = c->next;
	size_t used = 0;
	for (; c; c = c->next) {
		size_t reclen = ALIGN_UP(DIRENT_NAME + c->namelen + 1, 8);
		if (reclen > len - used)
			break;
		struct rb_dirent d = {.reclen = (unsigned short)reclen,
				      .type = is_dir(c) ? RB_DT_DIR : RB_DT_REG};
		uint8_t *p = (uint8_t *)buf + used;
		memset(p, 0, reclen);
		memcpy(p, &d, DIRENT_NAME);
		memcpy(p + DIRENT_NAME, c->name, c->namelen);
		used += reclen;
		(*index)++;
	}
	if (used == 0 && c)
		return -E_INVAL;
	return (long)used;
}

long ramfs_path(const struct ramfs *fs, const struct ramfs_node *n, char *buf, size_t len)
{
	if (n != fs->root && n->nlink == 0)
		return -E_NOENT;
	size_t total = 0;
	for (const struct ramfs_node *p = n; p != fs->root; p = p->parent) {
		if (!p->parent)
			return -E_NOENT; /* an ancestor was unlinked */
		total += 1 + p->namelen;
	}
	if (total == 0)
		total = 1;
	if (total + 1 > len)
		return -E_NAMETOOLONG;
	buf[0] = '/';
	buf[total] = 0;
	size_t end = total;
	for (const struct ramfs_node *p = n; p != fs->root; p = p->parent) {
		end -= p->namelen;
		memcpy(buf + end, p->name, p->namelen);
		buf[--end] = '/';
	}
	return (long)total;
}

int ramfs_unlink(struct ramfs *fs, const char *path, int flags, const struct ramfs_cred *cred)
{
	struct walk w;
	int r = walk(fs, path, &w);
	if (r < 0)
		return r;
	struct ramfs_node *n = w.node;
	if (!n)
		return -E_NOENT;
	if (n == fs->root)
		return -E_BUSY;
	if (flags & RB_AT_REMOVEDIR) {
		if (!is_dir(n))
			return -E_NOTDIR;
		if (n->first)
			return -E_NOTEMPTY;
	} else if (is_dir(n)) {
		return -E_ISDIR;
	}
	if (!may_remove(w.dir, n, cred))
		return -E_ACCES;
	unlink_child(n);
	node_put_if_dead(fs, n);
	return 0;
}

static bool is_ancestor(const struct ramfs_node *a, const struct ramfs_node *n)
{
	for (; n; n = n->parent)
		if (n == a)
			return true;
	return false;
}

/* May from replace the existing node to? 0 or the error rename gives. */
static int check_replace(const struct ramfs_node *from, const struct ramfs_node *to)
{
	if (is_dir(to)) {
		if (!is_dir(from))
			return -E_ISDIR;
		if (to->first)
			return -E_NOTEMPTY;
	} else if (is_dir(from)) {
		return -E_NOTDIR;
	}
	return 0;
}

int ramfs_rename(struct ramfs *fs, const char *from, const char *to, const struct ramfs_cred *cred)
{
	struct walk a, b;
	int r = walk(fs, from, &a);
	if (r == 0)
		r = walk(fs, to, &b);
	if (r < 0)
		return r;
	if (!a.node)
		return -E_NOENT;
	if (a.node == fs->root || b.len == 0)
		return -E_BUSY;
	if (is_ancestor(a.node, b.dir))
		return -E_INVAL;
	if (b.node == a.node)
		return 0;
	if (b.node && (r = check_replace(a.node, b.node)) < 0)
		return r;
	if (!may_remove(a.dir, a.node, cred) || !may(b.dir, cred, 2) ||
	    (b.node && !may_remove(b.dir, b.node, cred)))
		return -E_ACCES;
	char *name = name_dup(fs, b.name, b.len);
	if (!name)
		return -E_NOMEM;
	if (b.node) {
		unlink_child(b.node);
		node_put_if_dead(fs, b.node);
	}
	unlink_child(a.node);
	mem_free(fs, a.node->name, a.node->namelen + 1);
	a.node->name = name;
	a.node->namelen = b.len;
	link_child(b.dir, a.node);
	return 0;
}

uint64_t ramfs_used(const struct ramfs *fs)
{
	return fs->used;
}

void ramfs_set_limit(struct ramfs *fs, uint64_t limit)
{
	fs->limit = limit;
}

/* Check dir's child list and its children's links; count them into *seen. */
static int check_dir(const struct ramfs_node *dir)
{
	const struct ramfs_node *prev = NULL;
	for (const struct ramfs_node *c = dir->first; c; prev = c, c = c->next) {
		if (c->parent != dir || c->prev != prev || c->nlink != 1)
			return -E_IO;
		if (child_find(dir, c->name, c->namelen) != c)
			return -E_IO; /* a duplicate name */
	}
	return dir->last == prev ? 0 : -E_IO;
}

int ramfs_check(const struct ramfs *fs)
{
	uint64_t used = 0, nodes = 0;
	for (const struct ramfs_node *n = fs->all; n; n = n->all_next) {
		if (n->size > n->cap || (n->nlink == 0 && n->opens == 0))
			return -E_IO;
		if (n->namelen != strlen(n->name))
			return -E_IO;
		if (is_dir(n) ? n->size != 0 || check_dir(n) < 0 : n->first != NULL)
			return -E_IO;
		for (uint64_t i = n->size; i < n->cap; i++)
			if (n->data[i])
				return -E_IO; /* slack must stay zero for holes */
		used += RAMFS_NODE_COST + n->size;
		nodes++;
	}
	if (used != fs->used || nodes != fs->nodes)
		return -E_IO;
	return 0;
}
