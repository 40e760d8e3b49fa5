/*
 * ids.c - looking names up in pci.ids text (pci.h). The format (from the
 * pci.ids file's own header): `vvvv  Vendor name`, then its devices as
 * `\tdddd  Device name` and their subsystems as `\t\tssss ssss  Name`;
 * after the vendors, classes as `C cc  Class name`, subclasses as
 * `\tss  Name`, programming interfaces as `\t\tpp  Name`. Comments start
 * with '#'. Lookups are linear scans over the caller's bytes: the packed
 * file is a few hundred KiB and lspci asks a few dozen times.
 */
#include "base/hex.h"
#include "base/lines.h"
#include "pci/pci.h"

struct line {
	const char *p;
	size_t len;
};

/* The next line of it (without its newline) into *l. */
static bool next_line(struct lines *it, struct line *l)
{
	return lines_next(it, &l->p, &l->len);
}

/* ndig hex digits at l->p[skip], then blanks, then the name: true and
 *v, *name, *nlen when the line has that shape. */
static bool parse_id(const struct line *l, size_t skip, unsigned ndig, unsigned *v,
		     const char **name, size_t *nlen)
{
	if (l->len < skip + ndig + 1)
		return false;
	unsigned x = 0;
	for (unsigned i = 0; i < ndig; i++) {
		int d = hex_digit(l->p[skip + i]);
		if (d < 0)
			return false;
		x = x * 16 + (unsigned)d;
	}
	size_t i = skip + ndig;
	if (l->p[i] != ' ' && l->p[i] != '\t')
		return false;
	while (i < l->len && (l->p[i] == ' ' || l->p[i] == '\t'))
		i++;
	size_t e = l->len;
	while (e > i && (l->p[e - 1] == ' ' || l->p[e - 1] == '\r'))
		e--;
	*v = x;
	*name = l->p + i;
	*nlen = e - i;
	return true;
}

static bool is_vendor_line(const struct line *l)
{
	return l->len > 0 && hex_digit(l->p[0]) >= 0;
}

/* The offset just past vendor ven's line, or dblen + 1 if absent. */
static size_t find_vendor(const char *db, size_t dblen, uint16_t ven, const char **name,
			  size_t *nlen)
{
	struct lines it = lines_start(db, dblen);
	struct line l;
	while (next_line(&it, &l)) {
		unsigned v;
		if (is_vendor_line(&l) && parse_id(&l, 0, 4, &v, name, nlen) && v == ven)
			return it.pos < dblen ? it.pos
					      : dblen; /* the last line may lack its '\n' */
		if (l.len > 1 && l.p[0] == 'C' && l.p[1] == ' ')
			break; /* the class section: no more vendors */
	}
	return dblen + 1;
}

const char *pci_ids_vendor(const char *db, size_t dblen, uint16_t ven, size_t *len)
{
	const char *name;
	return find_vendor(db, dblen, ven, &name, len) <= dblen ? name : NULL;
}

const char *pci_ids_device(const char *db, size_t dblen, uint16_t ven, uint16_t dev, size_t *len)
{
	const char *name;
	size_t nlen, at = find_vendor(db, dblen, ven, &name, &nlen);
	if (at > dblen)
		return NULL;
	struct lines it = lines_start(db, dblen);
	it.pos = at;
	struct line l;
	while (next_line(&it, &l)) {
		if (l.len == 0 || l.p[0] == '#')
			continue;
		if (l.p[0] != '\t')
			break; /* the next vendor */
		unsigned d;
		if (l.len > 1 && l.p[1] != '\t' && parse_id(&l, 1, 4, &d, &name, len) && d == dev)
			return name;
	}
	return NULL;
}

const char *pci_ids_class(const char *db, size_t dblen, uint8_t cls, uint8_t sub, size_t *len)
{
	struct lines it = lines_start(db, dblen);
	struct line l;
	const char *cname = NULL, *name;
	size_t clen = 0, nlen;
	bool in_class = false;
	while (next_line(&it, &l)) {
		unsigned v;
		if (l.len > 2 && l.p[0] == 'C' && l.p[1] == ' ') {
			if (in_class)
				break;
			if (parse_id(&l, 2, 2, &v, &name, &nlen) && v == cls) {
				in_class = true;
				cname = name;
				clen = nlen;
			}
		} else if (in_class && l.len > 1 && l.p[0] == '\t' && l.p[1] != '\t') {
			if (parse_id(&l, 1, 2, &v, &name, &nlen) && v == sub) {
				*len = nlen;
				return name;
			}
		} else if (in_class && l.len > 0 && l.p[0] != '\t' && l.p[0] != '#') {
			break;
		}
	}
	*len = clen;
	return cname;
}
