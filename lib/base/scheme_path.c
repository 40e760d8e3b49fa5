/*
 * scheme_path.c - scheme name validation and "scheme:/path" splitting
 * and the scheme name table (see scheme_path.h). Pure: no state, no locks;
 * the caller serialises access to a struct scheme_table.
 */
#include "base/scheme_path.h"
#include "base/err.h"

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_name_char(char c)
{
	return is_lower(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool scheme_name_valid(const char *name, size_t len)
{
	if (len == 0 || len > SCHEME_NAME_MAX || !is_lower(name[0]))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!is_name_char(name[i]))
			return false;
	return true;
}

int scheme_path_split(const char *path, size_t max, struct scheme_path *out)
{
	size_t colon = max, slash = max, end = 0;
	while (end < max && path[end] != '\0') {
		if (path[end] == ':' && colon == max && slash == max)
			colon = end;
		if (path[end] == '/' && slash == max)
			slash = end;
		end++;
	}
	if (end == max)
		return -E_NAMETOOLONG;
	if (colon == max)
		return -E_NOENT;
	if (!scheme_name_valid(path, colon))
		return -E_INVAL;
	out->name = path;
	out->name_len = colon;
	out->rest = path + colon + 1;
	out->rest_len = end - colon - 1;
	return 0;
}

static int table_index(const struct scheme_table *t, const char *name, size_t len)
{
	for (int i = 0; i < SCHEME_TABLE_MAX; i++) {
		const char *s = t->slot[i].name;
		size_t j = 0;
		while (j < len && s[j] != '\0' && s[j] == name[j])
			j++;
		if (j == len && s[j] == '\0' && len > 0)
			return i;
	}
	return -1;
}

int scheme_table_add(struct scheme_table *t, const char *name, size_t len, void *obj)
{
	if (!obj || !scheme_name_valid(name, len))
		return -E_INVAL;
	if (table_index(t, name, len) >= 0)
		return -E_EXIST;
	for (int i = 0; i < SCHEME_TABLE_MAX; i++) {
		if (t->slot[i].name[0])
			continue;
		for (size_t j = 0; j < len; j++)
			t->slot[i].name[j] = name[j];
		t->slot[i].name[len] = '\0';
		t->slot[i].obj = obj;
		return 0;
	}
	return -E_NOSPC;
}

void *scheme_table_find(const struct scheme_table *t, const char *name, size_t len)
{
	int i = table_index(t, name, len);
	return i < 0 ? NULL : t->slot[i].obj;
}

void *scheme_table_remove(struct scheme_table *t, const char *name, size_t len)
{
	int i = table_index(t, name, len);
	if (i < 0)
		return NULL;
	void *obj = t->slot[i].obj;
	t->slot[i].name[0] = '\0';
	t->slot[i].obj = NULL;
	return obj;
}
