/*
 * internal.h - structures shared by the modules of the AML interpreter.
 *
 * Objects (struct aml_obj) are reference counted: every pointer stored in a
 * namespace node, a package, a local/arg slot or a reference holds one count,
 * obj_put() drops it. Namespace nodes (struct aml_node) live until
 * aml_destroy(), except nodes a method creates, which are removed when the
 * method returns. The byte stream is read through struct aml_stream, whose
 * pos/end are always checked against the table bounds before a read.
 * No locking: the caller of the public API serialises.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aml/aml.h"
#include "base/compiler.h"
#include "base/err.h"

#define AML_MAX_TABLES 64
#define AML_MAX_NAMESEGS 64
#define AML_SCOPE_SEGS 256 /* deepest scope the decoder tracks by path */

/* Internal status codes for control flow (never escape the library). */
#define AML_BREAK 1
#define AML_CONTINUE 2
#define AML_RETURN 3

enum ref_kind {
	REF_NODE,  /* a named object */
	REF_OBJ,   /* an object itself (RefOf a local) */
	REF_INDEX, /* element/byte idx of container obj */
	REF_NAME,  /* unresolved name (package element) */
	REF_DEBUG, /* the Debug object */
};

enum field_kind { FIELD_REGION, FIELD_INDEX, FIELD_BANK };

struct aml_node;

struct aml_obj {
	uint32_t refs;
	uint8_t type; /* enum aml_type, plus AML_REFERENCE */
	union {
		uint64_t ival;
		struct {
			uint32_t len;
			char *ptr;
		} str;
		struct {
			uint32_t len;
			uint8_t *ptr;
		} buf;
		struct {
			uint32_t count;
			struct aml_obj **elems;
		} pkg;
		struct {
			uint16_t table;
			uint8_t argc, flags;
			uint32_t start, end;
			struct aml_node *scope; /* the method's own node */
			uint32_t active;	/* invocations running */
		} method;
		struct {
			uint8_t space;
			uint64_t base, len;
			struct aml_node *node;
			uint64_t pci_adr; /* resolved PCI seg/bus/dev/fn prefix */
			bool pci_done;
		} region;
		struct {
			uint8_t kind, flags, attrib;
			uint32_t bit_off, bit_len;
			struct aml_obj *region;	      /* FIELD_REGION/BANK: the region */
			struct aml_obj *index, *data; /* FIELD_INDEX: field units */
			struct aml_obj *bank;	      /* FIELD_BANK: bank select field */
			uint64_t bank_val;
		} field;
		struct {
			struct aml_obj *buf; /* a Buffer object */
			uint32_t bit_off, bit_len;
			bool any; /* CreateField: always reads as a Buffer */
		} bfield;
		struct {
			uint8_t sync;
			uint32_t depth;
		} mutex;
		struct {
			uint32_t count;
		} event;
		struct {
			uint8_t id;
			uint32_t pblk;
			uint8_t plen;
		} proc;
		struct {
			uint8_t level;
			uint16_t order;
		} power;
		struct {
			uint8_t kind;	       /* enum ref_kind */
			struct aml_node *node; /* REF_NODE; REF_NAME scope */
			struct aml_obj *obj;   /* REF_OBJ, REF_INDEX container */
			uint32_t index;
			char *name; /* REF_NAME: the raw name string, NUL-terminated */
		} ref;
	};
};

struct aml_node {
	char name[4];
	uint8_t temp;  /* created by a running method */
	uint8_t alias; /* an Alias: shares the object of another node */
	uint32_t pins; /* REF_NODE references to this node */
	uint16_t table;
	struct aml_node *parent, *child, *last_child, *next;
	struct aml_node *hnext; /* chain in aml->nhash: (parent, name) -> node */
	struct aml_obj *obj;
};

/* A position in a table. */
struct aml_stream {
	const uint8_t *base; /* table start */
	uint32_t pos, end;   /* offsets from base; end <= table length */
	uint16_t table;
};

/* A parsed NameString: up to AML_MAX_NAMESEGS segments. */
struct aml_name {
	bool root;	/* starts with '\' */
	uint8_t carets; /* number of '^' */
	uint8_t nsegs;
	char segs[AML_MAX_NAMESEGS][4];
};

struct aml_table {
	const uint8_t *data;
	uint32_t len;
	char sig[5];
};

struct aml_hint {
	struct aml_hint *next;
	uint32_t hash;
	uint8_t argc;
	uint16_t len;
	char path[]; /* segments concatenated, 4 chars each */
};

#define HINT_BUCKETS 1024
#define NS_BUCKETS 16384

struct aml_frame;

struct aml {
	struct aml_host host;
	struct aml_limits lim;
	struct aml_node *root;
	struct aml_table tables[AML_MAX_TABLES];
	int ntables;
	bool int32; /* DSDT revision < 2 */
	bool dying; /* aml_destroy running: nodes may already be gone */
	uint64_t mem_used;
	uint64_t steps;
	uint32_t depth;
	uint32_t nesting;
	struct aml_frame *frame; /* innermost running method */
	void (*notify)(void *ctx, const char *path, uint64_t value);
	void *notify_ctx;
	struct aml_obj *gl;	    /* \_GL */
	struct aml_node *graveyard; /* removed nodes something still points at */
	struct aml_hint *hints[HINT_BUCKETS];
	struct aml_node **nhash; /* NS_BUCKETS chains: child lookup in O(1) */
	uint32_t *defs;		 /* set of name segments defined anywhere (for counts) */
	uint32_t ndefs, capdefs;
	char err[256];
	bool err_set;
};

/* One method invocation (or a table body being loaded). */
struct aml_frame {
	struct aml_frame *prev;
	struct aml_node *scope;	 /* current scope for names */
	struct aml_node *method; /* method node, NULL for table code */
	struct aml_obj *args[7];
	struct aml_obj *locals[8];
	struct aml_obj *ret;
	struct aml_node **temps; /* nodes created by this invocation */
	uint32_t ntemps, captemps;
	bool table_load;
};

/* object.c */
void *aml_alloc(struct aml *aml, size_t size);
void aml_free(struct aml *aml, void *p, size_t size);
struct aml_obj *obj_new(struct aml *aml, uint8_t type);
struct aml_obj *obj_int(struct aml *aml, uint64_t v);
struct aml_obj *obj_str(struct aml *aml, const char *s, uint32_t len);
struct aml_obj *obj_buf(struct aml *aml, const uint8_t *p, uint32_t len);
struct aml_obj *obj_pkg(struct aml *aml, uint32_t count);
static inline struct aml_obj *obj_get(struct aml_obj *o)
{
	if (o)
		o->refs++;
	return o;
}
void obj_put(struct aml *aml, struct aml_obj *o);
MUST_CHECK int obj_copy(struct aml *aml, struct aml_obj *src, struct aml_obj **out);
uint64_t aml_ones(const struct aml *aml);
struct aml_obj *obj_ref_node(struct aml *aml, struct aml_node *n);

/* error reporting (object.c) */
int aml_fail(struct aml *aml, const struct aml_stream *s, int err, const char *fmt, ...)
    PRINTF_LIKE(4, 5);
void aml_log(struct aml *aml, const char *fmt, ...) PRINTF_LIKE(2, 3);
int aml_vsnprintf(char *out, size_t cap, const char *fmt, __builtin_va_list ap);
int aml_snprintf(char *out, size_t cap, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* ns.c */
struct aml_node *ns_new(struct aml *aml, struct aml_node *parent, const char *seg);
struct aml_node *ns_child(struct aml *aml, struct aml_node *parent, const char *seg);
void ns_remove(struct aml *aml, struct aml_node *n);
void ns_free_tree(struct aml *aml, struct aml_node *n);
struct aml_node *ns_lookup(struct aml *aml, struct aml_node *scope, const struct aml_name *nm);
MUST_CHECK int ns_create(struct aml *aml, struct aml_node *scope, const struct aml_name *nm,
			 struct aml_node **out);
size_t ns_path(const struct aml_node *n, char *out, size_t cap);
void ns_set_obj(struct aml *aml, struct aml_node *n, struct aml_obj *o);
MUST_CHECK int ns_parse_path(const char *path, struct aml_name *nm);
void hint_add_segs(struct aml *aml, const char *sc, size_t slen, const struct aml_name *nm,
		   uint8_t argc);
int hint_lookup_segs(struct aml *aml, const char *sc, size_t slen, const struct aml_name *nm);
size_t ns_segs(const struct aml_node *n, char *buf, size_t cap);
int hint_lookup(struct aml *aml, struct aml_node *scope, const struct aml_name *nm);
void hints_free(struct aml *aml);

/* stream.c */
MUST_CHECK int st_u8(struct aml_stream *s, uint8_t *v);
MUST_CHECK int st_pkglen(struct aml_stream *s, uint32_t *end);
MUST_CHECK int st_name(struct aml_stream *s, struct aml_name *nm);
bool st_is_name_start(uint8_t b);
MUST_CHECK int st_scan(struct aml *aml, int idx, uint32_t start, uint32_t end, int mode,
		       struct aml_counts *cnt);
MUST_CHECK int st_term_end(struct aml *aml, const struct aml_stream *s, struct aml_node *scope,
			   uint32_t *end);
#define SCAN_HINTS 0
#define SCAN_COUNT 1
#define SCAN_NAMES 2 /* record every defined name segment in aml->defs */

/* exec.c */
MUST_CHECK int ex_term_list(struct aml *aml, struct aml_stream *s);
MUST_CHECK int ex_term_arg(struct aml *aml, struct aml_stream *s, struct aml_obj **out);
MUST_CHECK int ex_invoke(struct aml *aml, struct aml_node *mnode, struct aml_obj **args, int nargs,
			 struct aml_obj **ret, const struct aml_stream *caller);
MUST_CHECK int ex_add_temp(struct aml *aml, struct aml_node *n);
MUST_CHECK int ex_step(struct aml *aml, const struct aml_stream *s);

/* target.c */
struct aml_target {
	uint8_t kind; /* TGT_* */
	struct aml_node *node;
	struct aml_obj *ref; /* TGT_REF: a reference object (owned) */
	int slot;
};
enum { TGT_NONE, TGT_NODE, TGT_LOCAL, TGT_ARG, TGT_DEBUG, TGT_REF };
MUST_CHECK int ex_target(struct aml *aml, struct aml_stream *s, struct aml_target *t);
MUST_CHECK int ex_supername(struct aml *aml, struct aml_stream *s, struct aml_target *t);
void tgt_release(struct aml *aml, struct aml_target *t);
MUST_CHECK int ex_store(struct aml *aml, const struct aml_stream *s, struct aml_obj *v,
			struct aml_target *t);
MUST_CHECK int ex_copy_to(struct aml *aml, const struct aml_stream *s, struct aml_obj *v,
			  struct aml_target *t);
MUST_CHECK int tgt_value(struct aml *aml, const struct aml_stream *s, struct aml_target *t,
			 struct aml_obj **out);
MUST_CHECK int ex_resolve(struct aml *aml, const struct aml_stream *s, struct aml_obj *o,
			  struct aml_obj **out);
struct aml_node *ref_node(struct aml *aml, struct aml_obj *r);
MUST_CHECK int ex_deref(struct aml *aml, const struct aml_stream *s, struct aml_obj *ref,
			struct aml_obj **out);

/* expr.c */
MUST_CHECK int ex_expr(struct aml *aml, struct aml_stream *s, uint16_t op, struct aml_obj **out);
MUST_CHECK int ex_arg_int(struct aml *aml, struct aml_stream *s, uint64_t *v);
MUST_CHECK int ex_ret_obj(struct aml *aml, struct aml_stream *s, struct aml_obj *v,
			  struct aml_obj **out);

/* data.c */
MUST_CHECK int dt_make_buffer(struct aml *aml, struct aml_stream *s, struct aml_obj **out);
MUST_CHECK int dt_make_package(struct aml *aml, struct aml_stream *s, uint16_t op,
			       struct aml_obj **out);
MUST_CHECK int dt_concat(struct aml *aml, struct aml_stream *s, struct aml_obj **out);
MUST_CHECK int dt_concat_res(struct aml *aml, struct aml_stream *s, struct aml_obj **out);
MUST_CHECK int dt_mid_tostring(struct aml *aml, struct aml_stream *s, uint16_t op,
			       struct aml_obj **out);
MUST_CHECK int dt_convert(struct aml *aml, struct aml_stream *s, uint16_t op, struct aml_obj **out);
MUST_CHECK int dt_sync(struct aml *aml, struct aml_stream *s, uint16_t op, struct aml_obj **out);

/* convert.c */
uint64_t cv_parse(const struct aml *aml, const char *p, int base);
MUST_CHECK int cv_int(struct aml *aml, const struct aml_stream *s, struct aml_obj *o, uint64_t *v);
MUST_CHECK int cv_buf(struct aml *aml, const struct aml_stream *s, struct aml_obj *o,
		      struct aml_obj **out);
MUST_CHECK int cv_str(struct aml *aml, const struct aml_stream *s, struct aml_obj *o,
		      struct aml_obj **out);
MUST_CHECK int cv_hexstr(struct aml *aml, const struct aml_stream *s, struct aml_obj *o,
			 struct aml_obj **out);
MUST_CHECK int cv_decstr(struct aml *aml, const struct aml_stream *s, struct aml_obj *o,
			 struct aml_obj **out);
MUST_CHECK int cv_to_type(struct aml *aml, const struct aml_stream *s, struct aml_obj *o,
			  uint8_t type, struct aml_obj **out);

/* field.c */
MUST_CHECK int fd_read(struct aml *aml, const struct aml_stream *s, struct aml_obj *f,
		       struct aml_obj **out);
MUST_CHECK int fd_write(struct aml *aml, const struct aml_stream *s, struct aml_obj *f,
			struct aml_obj *v);
MUST_CHECK int fd_field_list(struct aml *aml, struct aml_stream *s, uint8_t op);

/* eval.c */
#define AML_NATIVE_TABLE 0xFFFF
MUST_CHECK int ev_native(struct aml *aml, struct aml_node *mnode, struct aml_obj **args, int nargs,
			 struct aml_obj **ret);
void ev_begin(struct aml *aml);
