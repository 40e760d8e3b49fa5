/*
 * lookup.c - reading a parsed TOML document (toml.h): find a key in a
 * table, an element of an array, typed values with a clear error for a
 * wrong type, and the "file: line L, column C: message" form of an error.
 *
 * Pure: reads the caller's document only; no allocation, no locks.
 */
#include <string.h>
#include "base/err.h"
#include "fmt/fmt.h"
#include "toml/toml.h"

const struct toml_node *toml_root(const struct toml_doc *doc)
{
	return &doc->nodes[0];
}

const struct toml_node *toml_get(const struct toml_node *table, const char *key)
{
	if (!table || table->type != TOML_TABLE)
		return NULL;
	for (const struct toml_node *c = table->child; c; c = c->next)
		if (strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

const struct toml_node *toml_at(const struct toml_node *array, size_t i)
{
	if (!array || array->type != TOML_ARRAY)
		return NULL;
	const struct toml_node *c = array->child;
	while (c && i--)
		c = c->next;
	return c;
}

static int typed(const struct toml_node *table, const char *key, enum toml_type type,
		 const struct toml_node **out)
{
	*out = toml_get(table, key);
	if (!*out)
		return -E_NOENT;
	return (*out)->type == type ? 0 : -E_INVAL;
}

int toml_string(const struct toml_node *table, const char *key, const char **out)
{
	const struct toml_node *n;
	int r = typed(table, key, TOML_STRING, &n);
	if (r == 0)
		*out = n->v.s;
	return r;
}

int toml_int(const struct toml_node *table, const char *key, int64_t *out)
{
	const struct toml_node *n;
	int r = typed(table, key, TOML_INT, &n);
	if (r == 0)
		*out = n->v.i;
	return r;
}

int toml_bool(const struct toml_node *table, const char *key, bool *out)
{
	const struct toml_node *n;
	int r = typed(table, key, TOML_BOOL, &n);
	if (r == 0)
		*out = n->v.b;
	return r;
}

int toml_table(const struct toml_node *table, const char *key, const struct toml_node **out)
{
	return typed(table, key, TOML_TABLE, out);
}

int toml_array(const struct toml_node *table, const char *key, const struct toml_node **out)
{
	return typed(table, key, TOML_ARRAY, out);
}

const char *toml_type_name(enum toml_type type)
{
	switch (type) {
	case TOML_TABLE:
		return "table";
	case TOML_ARRAY:
		return "array";
	case TOML_STRING:
		return "string";
	case TOML_INT:
		return "integer";
	case TOML_BOOL:
		return "boolean";
	}
	return "?";
}

/* "a string", "an integer", ...: a type with its article. */
static const char *a_type(enum toml_type t)
{
	return t == TOML_INT || t == TOML_ARRAY ? "an" : "a";
}

int toml_expect(const struct toml_node *n, enum toml_type type, struct toml_error *err)
{
	if (n->type == type)
		return 0;
	err->line = n->line;
	err->col = n->col;
	fmt_snprintf(err->msg, sizeof err->msg, "expected %s %s, found %s %s", a_type(type),
		     toml_type_name(type), a_type(n->type), toml_type_name(n->type));
	return -E_INVAL;
}

int toml_error_format(char *buf, size_t n, const char *file, const struct toml_error *err)
{
	if (err->line == 0)
		return fmt_snprintf(buf, n, "%s: %s", file, err->msg);
	return fmt_snprintf(buf, n, "%s: line %u, column %u: %s", file, err->line, err->col,
			    err->msg);
}
