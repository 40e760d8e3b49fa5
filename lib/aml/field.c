/*
 * field.c - operation regions, Field/IndexField/BankField units and buffer
 * fields (ACPI 6.5 19.6.46, 19.6.64, 19.6.7, 5.5.2.4).
 *
 * Interface: fd_field_list decodes a Field/IndexField/BankField definition
 * and creates its field units; fd_read/fd_write move a field unit's or a
 * buffer field's bits. Region accesses are split into units of the field's
 * access width, go to the host's region_read/region_write callbacks, and
 * partial units are merged by the update rule (Preserve reads first,
 * WriteAsOnes/WriteAsZeros fill). Accesses past the region's length fail
 * with -E_RANGE, as ACPICA does. Index fields write the index register and
 * then move the data register; bank fields select the bank first. Reads of
 * up to the integer width give an Integer, longer ones a Buffer. No locking
 * (the Lock rule is recorded only: the caller serialises everything).
 */
#include <string.h>

#include "aml/internal.h"

/* A field-length PkgLength (a number, not bounded by the stream). */
static int fd_len(struct aml_stream *s, uint32_t *len)
{
	uint8_t b0, b;
	int n;

	if (st_u8(s, &b0))
		return -E_BADMSG;
	n = b0 >> 6;
	if (!n) {
		*len = b0 & 0x3F;
		return 0;
	}
	*len = b0 & 0x0F;
	for (int i = 0; i < n; i++) {
		if (st_u8(s, &b))
			return -E_BADMSG;
		*len |= (uint32_t)b << (4 + 8 * i);
	}
	return 0;
}

static struct aml_node *find_node(struct aml *aml, struct aml_stream *s, int type, const char *what)
{
	struct aml_name nm;
	struct aml_node *n;

	if (st_name(s, &nm)) {
		aml_fail(aml, s, -E_BADMSG, "bad %s name", what);
		return NULL;
	}
	n = ns_lookup(aml, aml->frame->scope, &nm);
	if (!n || !n->obj || (type >= 0 && n->obj->type != type)) {
		aml_fail(aml, s, -E_NOENT, "%s %.4s not found", what,
			 nm.nsegs ? nm.segs[nm.nsegs - 1] : "\\");
		return NULL;
	}
	return n;
}

/* Field (0x81), IndexField (0x86), BankField (0x87); opcode byte after 0x5B. */
int fd_field_list(struct aml *aml, struct aml_stream *s, uint8_t op)
{
	struct aml_node *region = NULL, *index = NULL, *data = NULL, *bank = NULL;
	struct aml_obj *bv = NULL, *o;
	uint64_t bank_val = 0;
	uint32_t end, save = s->end, bit = 0, len;
	uint8_t flags, attrib = 0, b;
	int err = 0;

	if (st_pkglen(s, &end))
		return aml_fail(aml, s, -E_BADMSG, "bad field list length");
	s->end = end;
	if (op == 0x86) {
		index = find_node(aml, s, AML_FIELD_UNIT, "IndexField index");
		data = index ? find_node(aml, s, AML_FIELD_UNIT, "IndexField data") : NULL;
		if (!data)
			err = -E_NOENT;
	} else {
		region = find_node(aml, s, AML_REGION, "field region");
		if (!region)
			err = -E_NOENT;
		if (!err && op == 0x87) {
			bank = find_node(aml, s, AML_FIELD_UNIT, "BankField bank");
			err = bank ? ex_term_arg(aml, s, &bv) : -E_NOENT;
			if (!err)
				err = cv_int(aml, s, bv, &bank_val);
			obj_put(aml, bv);
		}
	}
	if (!err && st_u8(s, &flags))
		err = aml_fail(aml, s, -E_BADMSG, "truncated field flags");
	while (!err && s->pos < end) {
		struct aml_name nm;

		if (st_u8(s, &b))
			break;
		switch (b) {
		case 0x00:
			if (fd_len(s, &len))
				err = -E_BADMSG;
			bit += len;
			break;
		case 0x01:
			if (st_u8(s, &b) || st_u8(s, &attrib))
				err = -E_BADMSG;
			flags = (uint8_t)((flags & 0xF0) | (b & 0x0F));
			break;
		case 0x03:
			if (st_u8(s, &b) || st_u8(s, &attrib) || st_u8(s, &attrib))
				err = -E_BADMSG;
			flags = (uint8_t)((flags & 0xF0) | (b & 0x0F));
			break;
		case 0x02:
			/* ConnectField: a name or a resource buffer; recorded nowhere. */
			if (s->pos < end && s->base[s->pos] == 0x11) {
				s->pos++;
				if (st_pkglen(s, &len))
					err = -E_BADMSG;
				else
					s->pos = len;
			} else if (st_name(s, &nm)) {
				err = -E_BADMSG;
			}
			break;
		default:
			s->pos--;
			nm.root = false;
			nm.carets = 0;
			nm.nsegs = 1;
			if (s->end - s->pos < 4) {
				err = -E_BADMSG;
				break;
			}
			memcpy(nm.segs[0], s->base + s->pos, 4);
			s->pos += 4;
			if (fd_len(s, &len)) {
				err = -E_BADMSG;
				break;
			}
			o = obj_new(aml, AML_FIELD_UNIT);
			if (!o) {
				err = -E_NOMEM;
				break;
			}
			o->field.kind = op == 0x86   ? FIELD_INDEX
					: op == 0x87 ? FIELD_BANK
						     : FIELD_REGION;
			o->field.flags = flags;
			o->field.attrib = attrib;
			o->field.bit_off = bit;
			o->field.bit_len = len;
			o->field.region = region ? obj_get(region->obj) : NULL;
			o->field.index = index ? obj_get(index->obj) : NULL;
			o->field.data = data ? obj_get(data->obj) : NULL;
			o->field.bank = bank ? obj_get(bank->obj) : NULL;
			o->field.bank_val = bank_val;
			bit += len;
			{
				struct aml_node *n;
				int e2 = ns_create(aml, aml->frame->scope, &nm, &n);
				if (e2) {
					obj_put(aml, o);
					aml_fail(aml, s, e2, "cannot define field %.4s",
						 nm.segs[0]);
					aml_log(aml, "load: %s", aml->err);
					aml->err_set = false;
					break;
				}
				n->table = s->table;
				n->obj = o;
				err = ex_add_temp(aml, n);
			}
			break;
		}
	}
	if (err == -E_BADMSG)
		err = aml_fail(aml, s, err, "bad field list");
	s->end = save;
	s->pos = end;
	return err;
}

static unsigned access_bytes(uint8_t flags)
{
	switch (flags & 0x0F) {
	case 2:
		return 2;
	case 3:
		return 4;
	case 4:
		return 8;
	default:
		return 1;
	}
}

/* Integer value of child seg of n (a Name, or a method run with no
 * arguments); false if it is missing or fails. */
static bool child_int(struct aml *aml, struct aml_node *n, const char *seg, uint64_t *v)
{
	struct aml_node *c = ns_child(aml, n, seg);
	struct aml_obj *r = NULL;
	bool ok = false;

	if (!c || !c->obj)
		return false;
	if (c->obj->type == AML_INTEGER) {
		*v = c->obj->ival;
		return true;
	}
	if (c->obj->type == AML_METHOD && c->obj->method.argc == 0 &&
	    ex_invoke(aml, c, NULL, 0, &r, NULL) == 0 && r && r->type == AML_INTEGER) {
		*v = r->ival;
		ok = true;
	}
	obj_put(aml, r);
	aml->err_set = false;
	return ok;
}

/* PCI function of a region: _ADR of its device, _BBN and _SEG of the
 * nearest ancestors that have them (the host bridge). Evaluated once. */
static uint64_t pci_of(struct aml *aml, struct aml_obj *r)
{
	struct aml_node *n;
	uint64_t adr = 0, bbn = 0, seg = 0;
	bool have_bbn = false, have_seg = false;

	if (r->region.pci_done || !r->region.node)
		return r->region.pci_adr;
	r->region.pci_done = true; /* also stops recursion through _ADR */
	n = r->region.node->parent;
	if (n)
		(void)child_int(aml, n, "_ADR", &adr);
	for (; n && n->parent && !(have_bbn && have_seg); n = n->parent) {
		if (!have_bbn)
			have_bbn = child_int(aml, n, "_BBN", &bbn);
		if (!have_seg)
			have_seg = child_int(aml, n, "_SEG", &seg);
	}
	r->region.pci_adr =
	    (seg & 0xFFFF) << 32 | (bbn & 0xFF) << 16 | (adr >> 16 & 0x1F) << 8 | (adr & 7);
	return r->region.pci_adr;
}

/* One access of w bytes at byte offset off into region r. */
static int region_io(struct aml *aml, const struct aml_stream *s, struct aml_obj *r, uint64_t off,
		     unsigned w, bool write, uint64_t *v)
{
	struct aml_access a;
	int err;

	if (r->region.space >= AML_SPACE_COUNT)
		return aml_fail(aml, s, -E_NOTSUP, "address space 0x%x is not supported",
				r->region.space);
	if (off + w > r->region.len)
		return aml_fail(aml, s, -E_RANGE, "field access past region end");
	a.space = (enum aml_space)r->region.space;
	a.address = r->region.base + off;
	a.width = w * 8;
	a.region_base = r->region.base;
	a.region_len = r->region.len;
	a.pci = a.space == AML_SPACE_PCI ? pci_of(aml, r) : 0;
	if (a.space == AML_SPACE_PCI)
		a.address = off + r->region.base;
	if (write)
		err = aml->host.region_write ? aml->host.region_write(aml->host.ctx, &a, *v)
					     : -E_NOTSUP;
	else
		err =
		    aml->host.region_read ? aml->host.region_read(aml->host.ctx, &a, v) : -E_NOTSUP;
	if (err)
		return aml_fail(aml, s, err < 0 ? err : -E_IO, "region access refused");
	return 0;
}

/* Read or write one datum of unit f at unit index i (w bytes). */
static int unit_io(struct aml *aml, const struct aml_stream *s, struct aml_obj *f,
		   uint64_t byte_off, unsigned w, bool write, uint64_t *v)
{
	struct aml_obj *tmp;
	int err;

	switch (f->field.kind) {
	case FIELD_BANK:
		tmp = obj_int(aml, f->field.bank_val);
		if (!tmp)
			return -E_NOMEM;
		err = fd_write(aml, s, f->field.bank, tmp);
		obj_put(aml, tmp);
		if (err)
			return err;
		/* fall through */
	case FIELD_REGION:
		return region_io(aml, s, f->field.region, byte_off, w, write, v);
	case FIELD_INDEX:
		tmp = obj_int(aml, byte_off);
		if (!tmp)
			return -E_NOMEM;
		err = fd_write(aml, s, f->field.index, tmp);
		obj_put(aml, tmp);
		if (err)
			return err;
		if (write) {
			tmp = obj_int(aml, *v);
			if (!tmp)
				return -E_NOMEM;
			err = fd_write(aml, s, f->field.data, tmp);
			obj_put(aml, tmp);
			return err;
		}
		err = fd_read(aml, s, f->field.data, &tmp);
		if (!err) {
			err = cv_int(aml, s, tmp, v);
			obj_put(aml, tmp);
		}
		return err;
	}
	return -E_INVAL;
}

static uint64_t mask_of(unsigned bits)
{
	return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

/* Move bit_len bits between the unit and bytes[] (little-endian bit order). */
static int field_move(struct aml *aml, const struct aml_stream *s, struct aml_obj *f,
		      uint8_t *bytes, bool write)
{
	unsigned w = access_bytes(f->field.flags), wb = w * 8;
	uint32_t start = f->field.bit_off, len = f->field.bit_len, done = 0;
	uint64_t unit = start / wb;
	int err;

	while (done < len) {
		uint32_t ubit = (uint32_t)(unit * wb);
		uint32_t lo = start + done > ubit ? start + done - ubit : 0;
		uint32_t n = MIN(wb - lo, len - done);
		uint64_t m = mask_of(n) << lo, v = 0, x = 0;

		for (uint32_t i = 0; i < n; i++)
			if (write && (bytes[(done + i) / 8] >> ((done + i) % 8) & 1))
				x |= 1ull << (lo + i);
		if ((err = ex_step(aml, s)))
			return err;
		if (write) {
			if (m != mask_of(wb)) {
				uint8_t rule = f->field.flags >> 5 & 3;
				if (rule == 0) {
					err = unit_io(aml, s, f, unit * w, w, false, &v);
					if (err)
						return err;
				} else {
					v = rule == 1 ? ~0ull : 0;
				}
			}
			v = ((v & ~m) | x) & mask_of(wb);
			err = unit_io(aml, s, f, unit * w, w, true, &v);
		} else {
			err = unit_io(aml, s, f, unit * w, w, false, &v);
			for (uint32_t i = 0; !err && i < n; i++)
				if (v >> (lo + i) & 1)
					bytes[(done + i) / 8] |= (uint8_t)(1u << ((done + i) % 8));
		}
		if (err)
			return err;
		done += n;
		unit++;
	}
	return 0;
}

/* Read field unit or buffer field f; *out is an Integer or a Buffer. */
int fd_read(struct aml *aml, const struct aml_stream *s, struct aml_obj *f, struct aml_obj **out)
{
	uint32_t len = f->type == AML_BUFFER_FIELD ? f->bfield.bit_len : f->field.bit_len;
	uint32_t nbytes = (len + 7) / 8, i;
	struct aml_obj *b;
	uint64_t v = 0;
	int err = 0;

	*out = NULL;
	if (len > 0x100000 * 8)
		return aml_fail(aml, s, -E_NOMEM, "field too large");
	b = obj_buf(aml, NULL, nbytes);
	if (!b)
		return -E_NOMEM;
	if (f->type == AML_BUFFER_FIELD) {
		struct aml_obj *src = f->bfield.buf;
		for (i = 0; i < len; i++) {
			uint32_t bit = f->bfield.bit_off + i;
			if (bit / 8 < src->buf.len && (src->buf.ptr[bit / 8] >> (bit % 8) & 1))
				b->buf.ptr[i / 8] |= (uint8_t)(1u << (i % 8));
		}
	} else {
		err = field_move(aml, s, f, b->buf.ptr, false);
	}
	if (err) {
		obj_put(aml, b);
		return err;
	}
	if (len <= (aml->int32 ? 32u : 64u) && !(f->type == AML_BUFFER_FIELD && f->bfield.any)) {
		for (i = 0; i < nbytes; i++)
			v |= (uint64_t)b->buf.ptr[i] << (8 * i);
		obj_put(aml, b);
		*out = obj_int(aml, v);
		return *out ? 0 : -E_NOMEM;
	}
	*out = b;
	return 0;
}

/* Write v (converted to bits) to field unit or buffer field f. */
int fd_write(struct aml *aml, const struct aml_stream *s, struct aml_obj *f, struct aml_obj *v)
{
	uint32_t len = f->type == AML_BUFFER_FIELD ? f->bfield.bit_len : f->field.bit_len;
	uint32_t nbytes = (len + 7) / 8, i;
	struct aml_obj *src = NULL, *b;
	int err;

	if (len > 0x100000 * 8)
		return aml_fail(aml, s, -E_NOMEM, "field too large");
	err = cv_buf(aml, s, v, &src);
	if (err)
		return err;
	b = obj_buf(aml, NULL, nbytes);
	if (!b) {
		obj_put(aml, src);
		return -E_NOMEM;
	}
	memcpy(b->buf.ptr, src->buf.ptr, MIN(nbytes, src->buf.len));
	obj_put(aml, src);
	if (f->type == AML_BUFFER_FIELD) {
		struct aml_obj *dst = f->bfield.buf;
		for (i = 0; i < len; i++) {
			uint32_t bit = f->bfield.bit_off + i;
			if (bit / 8 >= dst->buf.len)
				break;
			if (b->buf.ptr[i / 8] >> (i % 8) & 1)
				dst->buf.ptr[bit / 8] |= (uint8_t)(1u << (bit % 8));
			else
				dst->buf.ptr[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
		}
	} else {
		err = field_move(aml, s, f, b->buf.ptr, true);
	}
	obj_put(aml, b);
	return err;
}
