/*
 * ns.c - the ACPI namespace: a tree of 4-character name segments.
 *
 * Interface: ns_new/ns_child/ns_remove build and edit the tree, ns_lookup
 * resolves a NameString with the search rules of ACPI 6.5 5.3 (a single bare
 * segment is searched from the scope up to the root; anything with a prefix
 * or several segments is resolved exactly), ns_create makes the node a
 * definition names, ns_path prints "\_SB_.PCI0". Method argument-count hints
 * (gathered before a table body runs, so calls to methods defined later in
 * the table parse correctly) are kept here too, keyed by absolute path.
 * Nodes are owned by the tree; ns_remove frees a node and its subtree.
 * No locking.
 */
#include <string.h>

#include "aml/internal.h"

static uint32_t nh_index(const struct aml_node *parent, const char *seg)
{
	uint32_t h = (uint32_t)((uintptr_t)parent >> 4) * 2654435761u;

	h ^= ((uint32_t)(uint8_t)seg[0] | (uint32_t)(uint8_t)seg[1] << 8 |
	      (uint32_t)(uint8_t)seg[2] << 16 | (uint32_t)(uint8_t)seg[3] << 24) *
	     40503u;
	return (h ^ h >> 15) & (NS_BUCKETS - 1);
}

/* Take n out of the (parent, name) hash, if it is in it. */
static void nh_unlink(struct aml *aml, struct aml_node *n)
{
	struct aml_node **pp;

	if (!aml->nhash || !n->parent)
		return;
	for (pp = &aml->nhash[nh_index(n->parent, n->name)]; *pp; pp = &(*pp)->hnext)
		if (*pp == n) {
			*pp = n->hnext;
			return;
		}
}

/* A new child of parent named seg, appended after its siblings. */
struct aml_node *ns_new(struct aml *aml, struct aml_node *parent, const char *seg)
{
	struct aml_node *n = aml_alloc(aml, sizeof(*n));

	if (!n)
		return NULL;
	memcpy(n->name, seg, 4);
	n->parent = parent;
	if (parent && aml->nhash) {
		uint32_t i = nh_index(parent, seg);
		n->hnext = aml->nhash[i];
		aml->nhash[i] = n;
	}
	if (parent) {
		if (parent->last_child)
			parent->last_child->next = n;
		else
			parent->child = n;
		parent->last_child = n;
	}
	return n;
}

/* The child of parent named seg, or NULL. */
struct aml_node *ns_child(struct aml *aml, struct aml_node *parent, const char *seg)
{
	struct aml_node *c;

	if (aml->nhash) {
		for (c = aml->nhash[nh_index(parent, seg)]; c; c = c->hnext)
			if (c->parent == parent && memcmp(c->name, seg, 4) == 0)
				return c;
		return NULL;
	}
	for (c = parent->child; c; c = c->next)
		if (memcmp(c->name, seg, 4) == 0)
			return c;
	return NULL;
}

/* Replace the object of n (takes over the caller's reference to o). */
void ns_set_obj(struct aml *aml, struct aml_node *n, struct aml_obj *o)
{
	struct aml_obj *old = n->obj;

	n->obj = o;
	obj_put(aml, old);
}

/* Free n and its subtree without unlinking n (used on whole trees).
 * Iterative: AML can build namespaces far deeper than the C stack. */
void ns_free_tree(struct aml *aml, struct aml_node *n)
{
	struct aml_node *cur = n, *parent, *next;

	while (cur) {
		if (cur->child) {
			cur = cur->child;
			continue;
		}
		parent = cur->parent;
		next = cur->next;
		nh_unlink(aml, cur);
		obj_put(aml, cur->obj);
		aml_free(aml, cur, sizeof(*cur));
		if (cur == n)
			break;
		parent->child = next;
		cur = next ? next : parent;
	}
}

/* Unlink n from its parent and free it with its subtree. A node something
 * still points at (a reference, a shared object) is parked on the graveyard
 * list instead and freed by aml_destroy(), so no pointer ever dangles. */
void ns_remove(struct aml *aml, struct aml_node *n)
{
	struct aml_node *p = n->parent, **pp, *prev = NULL;

	if (p) {
		for (pp = &p->child; *pp; prev = *pp, pp = &(*pp)->next) {
			if (*pp == n) {
				*pp = n->next;
				if (p->last_child == n)
					p->last_child = prev;
				break;
			}
		}
	}
	nh_unlink(aml, n);
	n->parent = NULL;
	if (n->pins || (n->obj && n->obj->refs > 1)) {
		n->next = aml->graveyard;
		aml->graveyard = n;
		return;
	}
	ns_free_tree(aml, n);
}

/* The node the prefix of nm (root, carets) starts from, or NULL. */
static struct aml_node *ns_start(struct aml *aml, struct aml_node *scope, const struct aml_name *nm)
{
	struct aml_node *n = nm->root ? aml->root : scope;
	int i;

	for (i = 0; i < nm->carets; i++) {
		if (!n->parent)
			return NULL;
		n = n->parent;
	}
	return n;
}

/* Follow segs[from..to) downwards from n; NULL if one is missing. */
static struct aml_node *ns_descend(struct aml *aml, struct aml_node *n, const struct aml_name *nm,
				   int to)
{
	for (int i = 0; n && i < to; i++)
		n = ns_child(aml, n, nm->segs[i]);
	return n;
}

/* An Alias node stands for its target (followed a bounded number of times). */
static struct aml_node *unalias(struct aml_node *n)
{
	for (int i = 0; n && n->alias && i < 8; i++)
		n = n->obj && n->obj->type == AML_REFERENCE ? n->obj->ref.node : NULL;
	return n;
}

/* Resolve nm from scope with the ACPI search rules; NULL if not found. */
struct aml_node *ns_lookup(struct aml *aml, struct aml_node *scope, const struct aml_name *nm)
{
	struct aml_node *n = ns_start(aml, scope, nm), *r;

	if (!n)
		return NULL;
	if (nm->nsegs == 0)
		return n;
	if (nm->root || nm->carets || nm->nsegs > 1) {
		for (int i = 0; n && i < nm->nsegs; i++)
			n = unalias(ns_child(aml, n, nm->segs[i]));
		return n;
	}
	for (; n; n = n->parent) {
		r = ns_child(aml, n, nm->segs[0]);
		if (r)
			return unalias(r);
	}
	return NULL;
}

/* Create the node nm names (its parent must exist). -E_EXIST with *out set if
 * it already exists. */
int ns_create(struct aml *aml, struct aml_node *scope, const struct aml_name *nm,
	      struct aml_node **out)
{
	struct aml_node *p = ns_start(aml, scope, nm), *n;

	*out = NULL;
	if (!p || nm->nsegs == 0) {
		*out = p;
		return p ? -E_EXIST : -E_NOENT;
	}
	p = ns_descend(aml, p, nm, nm->nsegs - 1);
	if (!p)
		return -E_NOENT;
	n = ns_child(aml, p, nm->segs[nm->nsegs - 1]);
	if (n) {
		*out = n;
		return -E_EXIST;
	}
	n = ns_new(aml, p, nm->segs[nm->nsegs - 1]);
	if (!n)
		return -E_NOMEM;
	if (aml->frame && aml->frame->method && !aml->frame->table_load)
		n->temp = 1;
	*out = n;
	return 0;
}

/* Write the absolute path of n ("\_SB_.PCI0") to out; returns its length. */
size_t ns_path(const struct aml_node *n, char *out, size_t cap)
{
	const struct aml_node *chain[AML_MAX_NAMESEGS * 4];
	size_t len = 0, k = 0;

	for (; n && n->parent && k < ARRAY_SIZE(chain); n = n->parent)
		chain[k++] = n;
	if (cap < 2)
		return 0;
	out[len++] = '\\';
	while (k--) {
		if (len + 5 >= cap)
			break;
		memcpy(out + len, chain[k]->name, 4);
		len += 4;
		if (k)
			out[len++] = '.';
	}
	out[len < cap ? len : cap - 1] = 0;
	return len;
}

/* Parse "\_SB.PCI0._HID", "_SB_.PCI0" or "^FOO" into nm (segments padded). */
int ns_parse_path(const char *path, struct aml_name *nm)
{
	memset(nm, 0, sizeof(*nm));
	if (*path == '\\') {
		nm->root = true;
		path++;
	}
	while (*path == '^') {
		nm->carets++;
		path++;
	}
	while (*path) {
		int i = 0;

		if (nm->nsegs >= AML_MAX_NAMESEGS)
			return -E_NAMETOOLONG;
		while (*path && *path != '.') {
			if (i >= 4)
				return -E_INVAL;
			nm->segs[nm->nsegs][i++] = *path++;
		}
		if (i == 0)
			return -E_INVAL;
		while (i < 4)
			nm->segs[nm->nsegs][i++] = '_';
		nm->nsegs++;
		if (*path == '.')
			path++;
	}
	/* A bare relative path from the API means "from the root". */
	if (!nm->carets)
		nm->root = true;
	return 0;
}

/* ---------------------------------------------------------------- hints */

static uint32_t hint_hash(const char *p, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)p[i]) * 16777619u;
	return h;
}

/* Segments of n's absolute path into buf; returns the byte length. */
static size_t node_segs(const struct aml_node *n, char *buf, size_t cap)
{
	size_t k = 0, len = 0;
	const struct aml_node *m;

	for (m = n; m && m->parent; m = m->parent)
		k++;
	if (k * 4 > cap)
		return 0;
	len = k * 4;
	for (m = n; m && m->parent; m = m->parent) {
		k--;
		memcpy(buf + k * 4, m->name, 4);
	}
	return len;
}

static struct aml_hint *hint_find(struct aml *aml, const char *p, size_t len)
{
	uint32_t h = hint_hash(p, len);
	struct aml_hint *e;

	for (e = aml->hints[h % HINT_BUCKETS]; e; e = e->next)
		if (e->hash == h && e->len == len && memcmp(e->path, p, len) == 0)
			return e;
	return NULL;
}

/* Absolute key of nm seen from the scope path sc (no search); 0 if none. */
static size_t hint_key(const char *sc, size_t slen, const struct aml_name *nm, char *buf,
		       size_t cap)
{
	size_t len = nm->root ? 0 : slen;

	if ((size_t)nm->carets * 4 > len)
		return 0;
	len -= (size_t)nm->carets * 4;
	if (len + (size_t)nm->nsegs * 4 > cap)
		return 0;
	memmove(buf, sc, len);
	memcpy(buf + len, nm->segs, (size_t)nm->nsegs * 4);
	return len + (size_t)nm->nsegs * 4;
}

/* Remember that method nm, defined in scope path sc, takes argc arguments. */
void hint_add_segs(struct aml *aml, const char *sc, size_t slen, const struct aml_name *nm,
		   uint8_t argc)
{
	char buf[(AML_SCOPE_SEGS + AML_MAX_NAMESEGS) * 4];
	size_t len = hint_key(sc, slen, nm, buf, sizeof(buf));
	struct aml_hint *e;

	if (!len || hint_find(aml, buf, len))
		return;
	e = aml_alloc(aml, sizeof(*e) + len);
	if (!e)
		return;
	e->hash = hint_hash(buf, len);
	e->len = (uint16_t)len;
	e->argc = argc;
	memcpy(e->path, buf, len);
	e->next = aml->hints[e->hash % HINT_BUCKETS];
	aml->hints[e->hash % HINT_BUCKETS] = e;
}

/* Argument count hinted for nm seen from scope path sc (search rules), or -1. */
int hint_lookup_segs(struct aml *aml, const char *sc, size_t slen, const struct aml_name *nm)
{
	char buf[(AML_SCOPE_SEGS + AML_MAX_NAMESEGS) * 4];
	struct aml_hint *e;
	size_t len;

	if (nm->root || nm->carets || nm->nsegs != 1) {
		len = hint_key(sc, slen, nm, buf, sizeof(buf));
		e = len ? hint_find(aml, buf, len) : NULL;
		return e ? e->argc : -1;
	}
	if (slen + 4 > sizeof(buf))
		return -1;
	for (;;) {
		memcpy(buf, sc, slen);
		memcpy(buf + slen, nm->segs[0], 4);
		e = hint_find(aml, buf, slen + 4);
		if (e)
			return e->argc;
		if (slen < 4)
			return -1;
		slen -= 4;
	}
}

/* Argument count hinted for nm seen from node scope, or -1. */
int hint_lookup(struct aml *aml, struct aml_node *scope, const struct aml_name *nm)
{
	char sc[AML_SCOPE_SEGS * 4];
	size_t slen = node_segs(scope, sc, sizeof(sc));

	return hint_lookup_segs(aml, sc, slen, nm);
}

/* Segment path of node n (for scanners); returns its length in bytes. */
size_t ns_segs(const struct aml_node *n, char *buf, size_t cap)
{
	return node_segs(n, buf, cap);
}

/* Free every argument-count hint. */
void hints_free(struct aml *aml)
{
	for (int i = 0; i < HINT_BUCKETS; i++) {
		struct aml_hint *e = aml->hints[i], *next;

		for (; e; e = next) {
			next = e->next;
			aml_free(aml, e, sizeof(*e) + e->len);
		}
		aml->hints[i] = NULL;
	}
}
