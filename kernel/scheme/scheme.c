/*
 * scheme.c - the registry of scheme names (see scheme.h).
 *
 * names (lib/base/scheme_path.h's table) maps a name to its struct
 * scheme; registry_lock guards it and is never held across anything but
 * the table operation and a reference count increment. A scheme's refs
 * changes only with __atomic operations.
 */
#include <string.h>
#include "base/err.h"
#include "scheme/scheme.h"
#include "sync/irqlock.h"

static struct scheme_table names;
static struct spinlock registry_lock = SPINLOCK_INIT;

int scheme_register(struct scheme *s)
{
	size_t len = strnlen(s->name, sizeof s->name);
	uint64_t fl = spin_lock_irqsave(&registry_lock);
	int err = scheme_table_add(&names, s->name, len, s);
	if (err == 0)
		s->refs = 1; /* before any lookup can see s; on EEXIST s may be live */
	spin_unlock_irqrestore(&registry_lock, fl);
	return err;
}

int scheme_unregister(struct scheme *s)
{
	size_t len = strnlen(s->name, sizeof s->name);
	uint64_t fl = spin_lock_irqsave(&registry_lock);
	bool ours = scheme_table_find(&names, s->name, len) == s;
	if (ours)
		scheme_table_remove(&names, s->name, len);
	spin_unlock_irqrestore(&registry_lock, fl);
	if (!ours)
		return -E_NOENT;
	scheme_put(s); /* the registry's reference */
	return 0;
}

int scheme_resolve(const char *path, struct scheme **out, const char **rest)
{
	struct scheme_path sp;
	if (path[0] == '/') { /* the namespace: a plain absolute path is file:'s */
		sp.name = SCHEME_DEFAULT;
		sp.name_len = sizeof SCHEME_DEFAULT - 1;
		sp.rest = path;
	} else {
		int err = scheme_path_split(path, SIZE_MAX, &sp);
		if (err < 0)
			return err == -E_NAMETOOLONG ? err : -E_NOENT;
	}
	*out = scheme_lookup(sp.name, sp.name_len);
	*rest = sp.rest;
	return *out ? 0 : -E_NOENT;
}

struct scheme *scheme_lookup(const char *name, size_t len)
{
	uint64_t fl = spin_lock_irqsave(&registry_lock);
	struct scheme *s = scheme_table_find(&names, name, len);
	if (s)
		scheme_get(s);
	spin_unlock_irqrestore(&registry_lock, fl);
	return s;
}

void scheme_get(struct scheme *s)
{
	__atomic_fetch_add(&s->refs, 1, __ATOMIC_RELAXED);
}

void scheme_put(struct scheme *s)
{
	if (__atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0 && s->release)
		s->release(s);
}
