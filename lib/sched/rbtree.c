/*
 * rbtree.c - intrusive red-black tree (see rbtree.h).
 *
 * The rules kept after every operation: the root is black, a red node has no
 * red child, and every path from a node down to a missing child passes the
 * same number of black nodes. So the longest path is at most twice the
 * shortest and the depth is O(log n). Missing children (NULL) count as black.
 * Insertion repairs a red-red pair by recolouring upwards or by at most two
 * rotations; removal repairs a missing black by the usual four sibling cases.
 * No locking: the caller owns the tree.
 */
#include "sched/rbtree.h"
#include "base/err.h"

void rbt_init(struct rbt *t)
{
	t->root = NULL;
	t->first = NULL;
}

static bool is_red(const struct rbt_node *n)
{
	return n && n->red;
}

/* Put c where n hangs from its parent (or at the root). */
static void replace_child(struct rbt *t, struct rbt_node *n, struct rbt_node *c)
{
	struct rbt_node *p = n->parent;

	if (!p)
		t->root = c;
	else if (p->left == n)
		p->left = c;
	else
		p->right = c;
	if (c)
		c->parent = p;
}

/* n's right child takes n's place; n becomes its left child. */
static void rotate_left(struct rbt *t, struct rbt_node *n)
{
	struct rbt_node *r = n->right;

	n->right = r->left;
	if (r->left)
		r->left->parent = n;
	replace_child(t, n, r);
	r->left = n;
	n->parent = r;
}

/* n's left child takes n's place; n becomes its right child. */
static void rotate_right(struct rbt *t, struct rbt_node *n)
{
	struct rbt_node *l = n->left;

	n->left = l->right;
	if (l->right)
		l->right->parent = n;
	replace_child(t, n, l);
	l->right = n;
	n->parent = l;
}

void rbt_insert(struct rbt *t, struct rbt_node *n, rbt_less_fn less)
{
	struct rbt_node *p = NULL, **link = &t->root;
	bool leftmost = true;

	while (*link) {
		p = *link;
		if (less(n, p)) {
			link = &p->left;
		} else {
			link = &p->right;
			leftmost = false;
		}
	}
	n->parent = p;
	n->left = n->right = NULL;
	n->red = true;
	*link = n;
	if (leftmost)
		t->first = n;

	/* Repair: n is red; its parent may be red too. */
	while (is_red(n->parent)) {
		p = n->parent;
		struct rbt_node *g = p->parent; /* exists: a red node is never the root */
		struct rbt_node *u = g->left == p ? g->right : g->left;

		if (is_red(u)) {
			/* Recolour and move the problem two levels up. */
			p->red = false;
			u->red = false;
			g->red = true;
			n = g;
			continue;
		}
		if (g->left == p) {
			if (p->right == n) {
				rotate_left(t, p);
				n = p;
				p = n->parent;
			}
			rotate_right(t, g);
		} else {
			if (p->left == n) {
				rotate_right(t, p);
				n = p;
				p = n->parent;
			}
			rotate_left(t, g);
		}
		p->red = false;
		g->red = true;
		break;
	}
	t->root->red = false;
}

struct rbt_node *rbt_next(const struct rbt_node *n)
{
	if (n->right) {
		n = n->right;
		while (n->left)
			n = n->left;
		return (struct rbt_node *)n;
	}
	while (n->parent && n->parent->right == n)
		n = n->parent;
	return n->parent;
}

void rbt_remove(struct rbt *t, struct rbt_node *n)
{
	struct rbt_node *x, *xp; /* the node that moved up, and its parent */
	bool removed_red;

	if (t->first == n)
		t->first = rbt_next(n);

	if (!n->left || !n->right) {
		/* At most one child: it takes n's place. */
		x = n->left ? n->left : n->right;
		xp = n->parent;
		removed_red = n->red;
		replace_child(t, n, x);
	} else {
		/* Two children: the successor s (no left child) takes n's place. */
		struct rbt_node *s = n->right;
		while (s->left)
			s = s->left;
		removed_red = s->red;
		x = s->right;
		if (s->parent == n) {
			xp = s;
		} else {
			xp = s->parent;
			replace_child(t, s, x);
			s->right = n->right;
			s->right->parent = s;
		}
		replace_child(t, n, s);
		s->left = n->left;
		s->left->parent = s;
		s->red = n->red;
	}
	n->parent = n->left = n->right = NULL;
	if (removed_red)
		return;

	/* A black node left the paths through x: x carries an extra black. */
	while (x != t->root && !is_red(x)) {
		if (xp->left == x) {
			struct rbt_node *w = xp->right;
			if (is_red(w)) {
				w->red = false;
				xp->red = true;
				rotate_left(t, xp);
				w = xp->right;
			}
			if (!is_red(w->left) && !is_red(w->right)) {
				w->red = true;
				x = xp;
				xp = x->parent;
				continue;
			}
			if (!is_red(w->right)) {
				w->left->red = false;
				w->red = true;
				rotate_right(t, w);
				w = xp->right;
			}
			w->red = xp->red;
			xp->red = false;
			w->right->red = false;
			rotate_left(t, xp);
		} else {
			struct rbt_node *w = xp->left;
			if (is_red(w)) {
				w->red = false;
				xp->red = true;
				rotate_right(t, xp);
				w = xp->left;
			}
			if (!is_red(w->left) && !is_red(w->right)) {
				w->red = true;
				x = xp;
				xp = x->parent;
				continue;
			}
			if (!is_red(w->left)) {
				w->right->red = false;
				w->red = true;
				rotate_left(t, w);
				w = xp->left;
			}
			w->red = xp->red;
			xp->red = false;
			w->left->red = false;
			rotate_right(t, xp);
		}
		x = t->root;
		break;
	}
	if (x)
		x->red = false;
}

/* Black height of the subtree at n, or -1 when a rule is broken. */
static int check_node(const struct rbt_node *n, const struct rbt_node *parent, rbt_less_fn less,
		      unsigned depth)
{
	if (!n)
		return 1;
	if (n->parent != parent || depth > 128)
		return -1;
	if (n->red && (is_red(n->left) || is_red(n->right)))
		return -1;
	if (n->left && less(n, n->left))
		return -1;
	if (n->right && less(n->right, n))
		return -1;
	int l = check_node(n->left, n, less, depth + 1);
	int r = check_node(n->right, n, less, depth + 1);
	if (l < 0 || r < 0 || l != r)
		return -1;
	return l + (n->red ? 0 : 1);
}

int rbt_check(const struct rbt *t, rbt_less_fn less, unsigned *black_height)
{
	const struct rbt_node *n = t->root;

	if (is_red(n))
		return -E_INVAL;
	int h = check_node(n, NULL, less, 0);
	if (h < 0)
		return -E_INVAL;
	while (n && n->left)
		n = n->left;
	if (n != t->first)
		return -E_INVAL;
	/* Whole in-order sequence sorted (catches order bugs across subtrees). */
	for (const struct rbt_node *a = t->first, *b; a && (b = rbt_next(a)); a = b)
		if (less(b, a))
			return -E_INVAL;
	*black_height = (unsigned)h;
	return 0;
}
