/*
 * rbtree.h - an intrusive red-black tree with a cached leftmost node.
 *
 * The caller embeds struct rbt_node in its own struct and supplies a strict
 * "less" order; equal keys go to the right of existing ones, so entries with
 * the same key come out first-in first-out. Insert and remove are O(log n)
 * and never allocate; rbt_first is O(1). The run queue keeps its fair
 * entities here ordered by virtual runtime.
 *
 * Locking: none; the caller serialises all access to one tree.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct rbt_node {
	struct rbt_node *parent;
	struct rbt_node *left;
	struct rbt_node *right;
	bool red;
};

struct rbt {
	struct rbt_node *root;
	struct rbt_node *first; /* leftmost node, NULL when empty */
};

/* Order of two nodes: whether a sorts strictly before b. */
typedef bool (*rbt_less_fn)(const struct rbt_node *a, const struct rbt_node *b);

/* Make t an empty tree. */
void rbt_init(struct rbt *t);
/* Insert n (not in any tree) after every node not greater than it. */
void rbt_insert(struct rbt *t, struct rbt_node *n, rbt_less_fn less);
/* Remove n, which must be in t. */
void rbt_remove(struct rbt *t, struct rbt_node *n);
/* Smallest node, or NULL. */
static inline struct rbt_node *rbt_first(const struct rbt *t)
{
	return t->first;
}
/* In-order successor of n, or NULL. */
struct rbt_node *rbt_next(const struct rbt_node *n);
/*
 * Check the red-black rules and the order (for tests): 0, or -E_INVAL when a
 * rule is broken. *black_height gets the number of black nodes on each path.
 */
int rbt_check(const struct rbt *t, rbt_less_fn less, unsigned *black_height);

#define rbt_entry(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))
