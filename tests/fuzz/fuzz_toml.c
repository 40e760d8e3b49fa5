/*
 * fuzz_toml.c - libFuzzer target for the TOML-subset reader
 * (lib/toml/toml.c).
 *
 * The input is the text, exactly its bytes (no NUL added, so ASan catches
 * a read past the end). It is parsed twice: with a node array and a string
 * buffer of the documented size (2 * len + 1 bytes), where only the node
 * array may run out, and with tiny ones, where either may. An error must
 * carry a message and a position inside the text; a document must be a
 * well-formed tree: parent and sibling links agree with each child count,
 * every node is reachable exactly once, a string's length is its strlen,
 * keys are unique in their table and not longer than TOML_KEY_MAX, arrays
 * nest at most TOML_MAX_DEPTH deep.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "toml/toml.h"

#define NODES 1024

static size_t count_lines(const uint8_t *data, size_t size)
{
	size_t n = 1;
	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

/* Check the subtree at n (depth: arrays above it): the number of nodes in it. */
static size_t check_node(const struct toml_node *n, unsigned depth)
{
	size_t total = 1, kids = 0;
	if (n->key && strlen(n->key) > TOML_KEY_MAX)
		abort();
	if (n->type == TOML_STRING && strlen(n->v.s) != n->len)
		abort();
	if (n->type != TOML_TABLE && n->type != TOML_ARRAY) {
		if (n->child)
			abort();
		return total;
	}
	if (n->type == TOML_ARRAY && depth > TOML_MAX_DEPTH)
		abort();
	const struct toml_node *last = NULL;
	for (const struct toml_node *c = n->child; c; c = c->next) {
		if (c->parent != n || (n->type == TOML_TABLE) != (c->key != NULL))
			abort();
		if (n->type == TOML_TABLE)
			for (const struct toml_node *d = n->child; d != c; d = d->next)
				if (strcmp(d->key, c->key) == 0)
					abort();
		total += check_node(c, depth + (n->type == TOML_ARRAY));
		kids++;
		last = c;
	}
	if (kids != n->len || last != n->last)
		abort();
	return total;
}

static void parse(const char *text, size_t size, size_t lines, size_t ncap, size_t bcap, bool bound)
{
	struct toml_node *nodes = malloc(ncap * sizeof *nodes);
	char *buf = malloc(bcap);
	struct toml_doc doc;
	if (!nodes || !buf)
		abort();
	toml_init(&doc, nodes, ncap, buf, bcap);
	int r = toml_parse(&doc, text, size);
	if (r == 0) {
		const struct toml_node *root = toml_root(&doc);
		if (root->type != TOML_TABLE || root->parent || check_node(root, 0) != doc.used)
			abort();
		if (doc.buf_used > bcap)
			abort();
	} else {
		if (r != -E_INVAL && r != -E_NOSPC)
			abort();
		if (!doc.err.msg[0] || doc.err.line < 1 || doc.err.line > lines || doc.err.col < 1)
			abort();
		if (bound && r == -E_NOSPC && strcmp(doc.err.msg, "too many values") != 0)
			abort(); /* 2 * len + 1 bytes never run out */
	}
	free(nodes);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	size_t lines = count_lines(data, size);
	parse(text, size, lines, NODES, 2 * size + 1, true);
	parse(text, size, lines, 4, 16, false);
	free(text);
	return 0;
}
