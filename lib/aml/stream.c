/*
 * stream.c - decoding the AML byte stream (ACPI 6.5 ch. 20) without running it.
 *
 * Interface: st_u8/st_pkglen/st_name read the basic encodings with bounds
 * checks against the stream's end; st_scan walks a whole term list by the
 * shape of every opcode, either to gather method argument-count hints before
 * a table body runs (SCAN_HINTS: method bodies are skipped) or to count the
 * definitions a table contains (SCAN_COUNT: method bodies are walked too).
 * The scanner keeps its scope as an absolute segment path, since during the
 * hint pass the nodes do not exist yet. It never reads outside [pos, end).
 * No allocation except hint records, no locking.
 */
#include <string.h>

#include "aml/internal.h"
#include "base/bytes.h"

/* Read one byte; -E_BADMSG at the end of the stream. */
int st_u8(struct aml_stream *s, uint8_t *v)
{
	if (s->pos >= s->end)
		return -E_BADMSG;
	*v = s->base[s->pos++];
	return 0;
}

/* Read a PkgLength; *end is the absolute offset the package ends at. */
int st_pkglen(struct aml_stream *s, uint32_t *end)
{
	uint32_t start = s->pos, len;
	uint8_t b0, b;
	int n, i;

	if (st_u8(s, &b0))
		return -E_BADMSG;
	n = b0 >> 6;
	if (n == 0) {
		len = b0 & 0x3F;
	} else {
		if (b0 & 0x30)
			return -E_BADMSG;
		len = b0 & 0x0F;
		for (i = 0; i < n; i++) {
			if (st_u8(s, &b))
				return -E_BADMSG;
			len |= (uint32_t)b << (4 + 8 * i);
		}
	}
	if (len > s->end - start)
		return -E_BADMSG;
	*end = start + len;
	return 0;
}

static bool is_lead(uint8_t b)
{
	return (b >= 'A' && b <= 'Z') || b == '_';
}

static bool is_seg_char(uint8_t b)
{
	return is_lead(b) || (b >= '0' && b <= '9');
}

/* Can a NameString start with byte b? */
bool st_is_name_start(uint8_t b)
{
	return is_lead(b) || b == '\\' || b == '^' || b == 0x2E || b == 0x2F;
}

static int st_seg(struct aml_stream *s, char *seg)
{
	if (s->end - s->pos < 4)
		return -E_BADMSG;
	for (int i = 0; i < 4; i++) {
		uint8_t b = s->base[s->pos + i];
		if (!(i == 0 ? is_lead(b) : is_seg_char(b)))
			return -E_BADMSG;
		seg[i] = (char)b;
	}
	s->pos += 4;
	return 0;
}

/* Read a NameString (possibly the NullName, giving zero segments). */
int st_name(struct aml_stream *s, struct aml_name *nm)
{
	uint8_t b, n;
	int i;

	nm->root = false;
	nm->carets = 0;
	nm->nsegs = 0;
	if (st_u8(s, &b))
		return -E_BADMSG;
	if (b == '\\') {
		nm->root = true;
		if (st_u8(s, &b))
			return -E_BADMSG;
	} else {
		while (b == '^') {
			if (nm->carets == 255)
				return -E_BADMSG;
			nm->carets++;
			if (st_u8(s, &b))
				return -E_BADMSG;
		}
	}
	if (b == 0)
		return 0;
	if (b == 0x2E)
		n = 2;
	else if (b == 0x2F) {
		if (st_u8(s, &n) || n == 0 || n > AML_MAX_NAMESEGS)
			return -E_BADMSG;
	} else {
		s->pos--;
		n = 1;
	}
	for (i = 0; i < n; i++)
		if (st_seg(s, nm->segs[i]))
			return -E_BADMSG;
	nm->nsegs = n;
	return 0;
}

/* ---------------------------------------------------------------- scanner */

struct scan {
	struct aml *aml;
	struct aml_stream s;
	struct aml_counts *cnt;
	int mode;
	int depth;
	size_t slen;
	char sc[AML_SCOPE_SEGS * 4];
};

static uint32_t seg_key(const char *seg)
{
	return (uint32_t)(uint8_t)seg[0] | (uint32_t)(uint8_t)seg[1] << 8 |
	       (uint32_t)(uint8_t)seg[2] << 16 | (uint32_t)(uint8_t)seg[3] << 24;
}

/* Record a name segment some definition in the tables uses (SCAN_NAMES). */
static void scan_local(struct scan *sc, const char *seg)
{
	struct aml *aml = sc->aml;
	uint32_t k = seg_key(seg), i;

	if (sc->mode != SCAN_NAMES || !aml->defs)
		return;
	if (aml->ndefs * 2 >= aml->capdefs)
		return; /* full: later names count as unresolved, harmless */
	for (i = k * 2654435761u & (aml->capdefs - 1); aml->defs[i];
	     i = (i + 1) & (aml->capdefs - 1))
		if (aml->defs[i] == k)
			return;
	aml->defs[i] = k;
	aml->ndefs++;
}

/* Is the last segment of nm defined anywhere in the loaded tables? */
static bool is_local(const struct scan *sc, const struct aml_name *nm)
{
	const struct aml *aml = sc->aml;
	uint32_t k, i;

	if (!aml->defs || !nm->nsegs)
		return false;
	k = seg_key(nm->segs[nm->nsegs - 1]);
	for (i = k * 2654435761u & (aml->capdefs - 1); aml->defs[i];
	     i = (i + 1) & (aml->capdefs - 1))
		if (aml->defs[i] == k)
			return true;
	return false;
}

/* Record the names of a field list (SCAN_NAMES). Stops at a ConnectField. */
static void scan_fields(struct scan *sc, uint32_t end)
{
	struct aml_stream *s = &sc->s;
	uint8_t b;

	while (s->pos < end) {
		b = s->base[s->pos];
		if (b == 0x01 || b == 0x03) {
			s->pos += b == 0x01 ? 3 : 4;
			continue;
		}
		if (b == 0x02)
			return;
		if (b != 0x00) {
			if (end - s->pos < 5)
				return;
			scan_local(sc, (const char *)s->base + s->pos);
			s->pos += 3;
		}
		if (end - s->pos < 2)
			return;
		s->pos++;
		b = s->base[s->pos];
		s->pos += 1 + (b >> 6);
	}
}

/*
 * Operand shapes: N NameString, T TermArg, S SuperName, R Target,
 * B/W/D/Q constants, A ASCII string, P PkgLength (the rest lies inside it),
 * L term list to the package end, X skip to the package end, E package
 * elements, F field list (skipped).
 */
static const char *shape(uint16_t op)
{
	switch (op) {
	case 0x00:
	case 0x01:
	case 0xFF:
	case 0x9F:
	case 0xA3:
	case 0xA5:
	case 0xCC:
	case 0x5B30:
	case 0x5B31:
	case 0x5B33:
		return "";
	case 0x06:
		return "NN";
	case 0x08:
		return "NT";
	case 0x0A:
		return "B";
	case 0x0B:
		return "W";
	case 0x0C:
		return "D";
	case 0x0D:
		return "A";
	case 0x0E:
		return "Q";
	case 0x10:
		return "PNL";
	case 0x11:
		return "PTX";
	case 0x12:
		return "PBE";
	case 0x13:
		return "PTE";
	case 0x14:
		return "PNBL";
	case 0x15:
		return "NBB";
	case 0x70:
		return "TS";
	case 0x71:
	case 0x75:
	case 0x76:
	case 0x87:
	case 0x8E:
		return "S";
	case 0x72:
	case 0x73:
	case 0x74:
	case 0x77:
	case 0x79:
	case 0x7A:
	case 0x7B:
	case 0x7C:
	case 0x7D:
	case 0x7E:
	case 0x7F:
	case 0x84:
	case 0x85:
	case 0x88:
		return "TTR";
	case 0x78:
		return "TTRR";
	case 0x80:
	case 0x81:
	case 0x82:
	case 0x96:
	case 0x97:
	case 0x98:
	case 0x99:
	case 0x5B28:
	case 0x5B29:
		return "TR";
	case 0x83:
	case 0xA4:
	case 0x92:
	case 0x5B21:
	case 0x5B22:
		return "T";
	case 0x86:
		return "ST";
	case 0x89:
		return "TBTBTT";
	case 0x8A:
	case 0x8B:
	case 0x8C:
	case 0x8D:
	case 0x8F:
		return "TTN";
	case 0x90:
	case 0x91:
	case 0x93:
	case 0x94:
	case 0x95:
		return "TT";
	case 0x9C:
		return "TTR";
	case 0x9D:
		return "TS";
	case 0x9E:
		return "TTTR";
	case 0xA0:
	case 0xA2:
		return "PTL";
	case 0xA1:
		return "PL";
	case 0x5B01:
		return "NB";
	case 0x5B02:
		return "N";
	case 0x5B12:
		return "SR";
	case 0x5B13:
		return "TTTN";
	case 0x5B1F:
		return "TTTTTT";
	case 0x5B20:
		return "NR";
	case 0x5B23:
		return "SW";
	case 0x5B24:
	case 0x5B26:
	case 0x5B27:
	case 0x5B2A:
		return "S";
	case 0x5B25:
		return "ST";
	case 0x5B32:
		return "BDT";
	case 0x5B80:
		return "NBTT";
	case 0x5B81:
		return "PNBF";
	case 0x5B82:
	case 0x5B85:
		return "PNL";
	case 0x5B83:
		return "PNBDBL";
	case 0x5B84:
		return "PNBWL";
	case 0x5B86:
		return "PNNBF";
	case 0x5B87:
		return "PNNTBF";
	case 0x5B88:
		return "NTTT";
	default:
		return NULL;
	}
}

static int scan_term(struct scan *sc, int kind);

/* Argument count of a name in call position, by namespace then hints. */
static int scan_argc(struct scan *sc, const struct aml_name *nm)
{
	struct aml *aml = sc->aml;
	struct aml_node *n = aml->root, *c, *r;
	int argc;

	for (size_t i = 0; i < sc->slen; i += 4) {
		c = ns_child(aml, n, sc->sc + i);
		if (!c)
			break;
		n = c;
	}
	if (sc->mode == SCAN_HINTS) {
		argc = hint_lookup_segs(aml, sc->sc, sc->slen, nm);
		if (argc >= 0)
			return argc;
	}
	r = ns_lookup(aml, n, nm);
	if (r && r->obj && r->obj->type == AML_METHOD)
		return r->obj->method.argc;
	if (r)
		return 0;
	argc = hint_lookup_segs(aml, sc->sc, sc->slen, nm);
	if (argc >= 0)
		return argc;
	if (sc->cnt && !is_local(sc, nm))
		sc->cnt->unresolved++;
	return 0;
}

static int scan_list(struct scan *sc, uint32_t end)
{
	uint32_t save = sc->s.end;
	int err = 0;

	sc->s.end = end;
	/* An undecodable term gives up the rest of its list only. */
	while (!err && sc->s.pos < end)
		err = scan_term(sc, 'L');
	sc->s.end = save;
	sc->s.pos = end;
	return err == -E_LOOP ? err : 0;
}

/* Enter the scope nm names, run a term list to end, leave it. */
static int scan_scoped(struct scan *sc, const struct aml_name *nm, uint32_t end)
{
	size_t save = sc->slen;
	char old[sizeof(sc->sc)];
	int err;

	memcpy(old, sc->sc, save);
	if (nm->root)
		sc->slen = 0;
	if ((size_t)nm->carets * 4 > sc->slen)
		return -E_BADMSG;
	sc->slen -= (size_t)nm->carets * 4;
	if (sc->slen + (size_t)nm->nsegs * 4 > sizeof(sc->sc)) {
		sc->slen = save;
		return -E_BADMSG;
	}
	memcpy(sc->sc + sc->slen, nm->segs, (size_t)nm->nsegs * 4);
	sc->slen += (size_t)nm->nsegs * 4;
	err = scan_list(sc, end);
	memcpy(sc->sc, old, save);
	sc->slen = save;
	return err;
}

static void count_def(struct scan *sc, uint16_t op)
{
	struct aml_counts *c = sc->cnt;

	if (!c)
		return;
	switch (op) {
	case 0x14:
		c->methods++;
		break;
	case 0x5B80:
		c->regions++;
		break;
	case 0x5B82:
		c->devices++;
		break;
	case 0x5B83:
		c->processors++;
		break;
	case 0x5B84:
		c->power_resources++;
		break;
	case 0x5B85:
		c->thermal_zones++;
		break;
	default:
		break;
	}
}

/* Walk one opcode's operands as shape sh says. */
static int scan_op(struct scan *sc, uint16_t op, const char *sh)
{
	struct aml_stream *s = &sc->s;
	struct aml_name nm;
	uint32_t end = s->end, save_end = s->end;
	bool have_name = false;
	uint8_t b = 0, argc = 0;
	int err = 0;

	count_def(sc, op);
	for (; *sh && !err; sh++) {
		switch (*sh) {
		case 'P':
			err = st_pkglen(s, &end);
			s->end = end;
			break;
		case 'N':
			err = st_name(s, &nm);
			have_name = true;
			if (!err && nm.nsegs)
				scan_local(sc, nm.segs[nm.nsegs - 1]);
			break;
		case 'T':
		case 'S':
		case 'R':
			err = scan_term(sc, *sh);
			break;
		case 'B':
			err = st_u8(s, &b);
			argc = b & 7;
			break;
		case 'W':
		case 'D':
		case 'Q': {
			uint32_t n = *sh == 'W' ? 2 : *sh == 'D' ? 4 : 8;
			if (s->end - s->pos < n)
				err = -E_BADMSG;
			else
				s->pos += n;
			break;
		}
		case 'A':
			while (!err && !(err = st_u8(s, &b)) && b)
				;
			break;
		case 'F':
			if (sc->mode == SCAN_NAMES)
				scan_fields(sc, end);
			s->pos = end;
			break;
		case 'X':
			s->pos = end;
			break;
		case 'E':
			while (!err && s->pos < end)
				err = scan_term(sc, 'E');
			break;
		case 'L':
			if (op == 0x14) {
				if (sc->mode == SCAN_HINTS) {
					hint_add_segs(sc->aml, sc->sc, sc->slen, &nm, argc);
					s->pos = end;
					break;
				}
			}
			if (have_name)
				err = scan_scoped(sc, &nm, end);
			else
				err = scan_list(sc, end);
			break;
		}
	}
	if (op == 0x15 && !err && sc->mode == SCAN_HINTS) {
		/* External(name, MethodObj, argc) */
		s->pos -= 2;
		if (s->base[s->pos] == AML_METHOD)
			hint_add_segs(sc->aml, sc->sc, sc->slen, &nm, s->base[s->pos + 1] & 7);
		s->pos += 2;
	}
	s->end = save_end;
	if (!err && s->pos < end && shape(op)[0] == 'P')
		s->pos = end;
	return err;
}

/* Walk one term; kind is the grammar slot (T, S, R, L, E). */
static int scan_term(struct scan *sc, int kind)
{
	struct aml_stream *s = &sc->s;
	struct aml_name nm;
	uint16_t op;
	uint8_t b;
	const char *sh;
	int err, argc;

	if (st_u8(s, &b))
		return -E_BADMSG;
	if (kind == 'R' && b == 0)
		return 0;
	if (st_is_name_start(b)) {
		s->pos--;
		if (st_name(s, &nm))
			return -E_BADMSG;
		if (kind == 'S' || kind == 'R' || kind == 'E')
			return 0;
		argc = scan_argc(sc, &nm);
		for (int i = 0; i < argc; i++)
			if ((err = scan_term(sc, 'T')))
				return err;
		return 0;
	}
	if (b >= 0x60 && b <= 0x6E)
		return 0;
	op = b;
	if (b == 0x5B) {
		if (st_u8(s, &b))
			return -E_BADMSG;
		op = 0x5B00 | b;
	}
	sh = shape(op);
	if (!sh)
		return -E_BADMSG;
	if (++sc->depth > 256) {
		sc->depth--;
		return -E_LOOP;
	}
	err = scan_op(sc, op, sh);
	sc->depth--;
	return err;
}

/* Walk the term list [start, end) of table idx at the root scope. */
int st_scan(struct aml *aml, int idx, uint32_t start, uint32_t end, int mode,
	    struct aml_counts *cnt)
{
	struct scan sc;
	int err = 0;

	memset(&sc, 0, sizeof(sc));
	sc.aml = aml;
	sc.mode = mode;
	sc.cnt = cnt;
	sc.s.base = aml->tables[idx].data;
	sc.s.table = (uint16_t)idx;
	sc.s.pos = start;
	sc.s.end = end;
	/* An undecodable term ends its enclosing list only: resume after it
	 * is impossible, so the rest of this list is given up. */
	while (sc.s.pos < end) {
		err = scan_term(&sc, 'L');
		if (err)
			break;
	}
	return err;
}

/* End offset of the one term at s->pos, decoded without running it. */
int st_term_end(struct aml *aml, const struct aml_stream *s, struct aml_node *scope, uint32_t *end)
{
	struct scan sc;
	int err;

	memset(&sc, 0, sizeof(sc));
	sc.aml = aml;
	sc.mode = SCAN_HINTS;
	sc.s = *s;
	sc.slen = ns_segs(scope, sc.sc, sizeof(sc.sc));
	err = scan_term(&sc, 'L');
	*end = sc.s.pos;
	return err;
}
