/* header.c: a stream's header in memory (docs/stream.md): columns, ids,
 * fields and history; built, copied, packed and parsed with its limits. */
#include "header.h"
#include "cli.h"
#include "dsv.h"
#include "idmap.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rs_header_free(rs_header *h)
{
	for (int i = 0; i < h->ncol; i++)
		free(h->columns[i]);
	for (int i = 0; i < h->nfields; i++) {
		free(h->fields[i].name);
		rs_fenc_free(h->fields[i].enc);
	}
	for (int i = 0; i < h->nattrs; i++)
		rs_attr_free(&h->attrs[i]);
	free(h->attrs);
	for (int i = 0; i < h->nhistory; i++)
		free(h->history[i]);
	free(h->columns);
	free(h->fields);
	free(h->history);
	free(h->target);
	free(h->user_ids);
	free(h->item_ids);
	rs_names_free(&h->user_names);
	rs_names_free(&h->item_names);
	memset(h, 0, sizeof *h);
}

static const char *id_text(const int64_t *ids, const rs_names *nm, uint32_t d, char *buf)
{
	if (rs_names_on(nm))
		return rs_names_at(nm, d);
	snprintf(buf, RS_ID_TEXT, "%lld", (long long)ids[d]);
	return buf;
}

const char *rs_user_text(const rs_header *h, uint32_t d, char *buf)
{
	return id_text(h->user_ids, &h->user_names, d, buf);
}

const char *rs_item_text(const rs_header *h, uint32_t d, char *buf)
{
	return id_text(h->item_ids, &h->item_names, d, buf);
}

static int id_key(const rs_names *nm, const char *text, int64_t *key)
{
	size_t len = strlen(text);
	if (rs_names_on(nm)) {
		*key = rs_name_key(text, len);
		return 0;
	}
	return rs_field_int(text, key);
}

int rs_user_key(const rs_header *h, const char *text, int64_t *key)
{
	return id_key(&h->user_names, text, key);
}

int rs_item_key(const rs_header *h, const char *text, int64_t *key)
{
	return id_key(&h->item_names, text, key);
}

int rs_header_version(const rs_header *h)
{
	/* version 1 wherever a version-1 reader reads it all */
	int v2 = rs_names_on(&h->user_names) || rs_names_on(&h->item_names) || rs_header_implicit(h);
	return v2 ? 2 : 1;
}

int rs_header_implicit(const rs_header *h)
{
	return h->target && !strcmp(h->target, RS_TARGET_IMPLICIT);
}

int rs_header_col(const rs_header *h, const char *name)
{
	for (int i = 0; i < h->ncol; i++)
		if (!strcmp(h->columns[i], name))
			return i;
	return -1;
}

int rs_header_add_column(rs_header *h, const char *name)
{
	h->columns = rs_reallocarray(h->columns, h->ncol + 1, sizeof *h->columns);
	h->columns[h->ncol] = rs_strdup(name);
	return h->ncol++;
}

void rs_header_add_history(rs_header *h, const char *line)
{
	h->history = rs_reallocarray(h->history, h->nhistory + 1, sizeof *h->history);
	h->history[h->nhistory++] = rs_strdup(line);
}

static uint32_t field_cap(const rs_header *h)
{
	uint32_t c = h->nusers > h->nitems ? h->nusers : h->nitems;
	for (int a = 0; a < h->nattrs; a++)   /* a dictionary costs input bytes too */
		c = h->attrs[a].values.n > c ? h->attrs[a].values.n : c;
	return c > RS_MIN_FIELD_CAP ? c : RS_MIN_FIELD_CAP;
}

const rs_attr *rs_header_attr(const rs_header *h, const char *column)
{
	for (int a = 0; a < h->nattrs; a++)
		if (!strcmp(h->attrs[a].column, column))
			return &h->attrs[a];
	return NULL;
}

/* The most features a field may hold: a time field's bins times another's. */
static uint64_t cap_of(const rs_header *h, uint32_t bin)
{
	return field_cap(h) * (uint64_t)(bin ? RS_MAX_BINS : 1);
}

static void append_field(rs_header *h, const char *name, uint64_t size, uint32_t bin, int64_t origin)
{
	uint32_t off = rs_header_nfeatures(h);
	if (h->nfields == RS_MAX_FIELDS || size > cap_of(h, bin) || size > UINT32_MAX - off)
		rs_die("field '%s' of %llu features breaks the limits (at most %d fields of at most %llu features)",
		       name, (unsigned long long)size, RS_MAX_FIELDS, (unsigned long long)cap_of(h, bin));
	h->fields = rs_reallocarray(h->fields, h->nfields + 1, sizeof *h->fields);
	h->fields[h->nfields++] = (rs_field){rs_strdup(name), off, (uint32_t)size, 0, bin, origin, NULL};
}

void rs_header_add_field(rs_header *h, const char *name, uint32_t size)
{
	append_field(h, name, size, 0, 0);
}

void rs_header_add_time_field(rs_header *h, const char *name, uint64_t size, uint32_t bin,
			      int64_t origin)
{
	append_field(h, name, size, bin, origin);
}

void rs_header_set_target(rs_header *h, const char *target)
{
	free(h->target);
	h->target = rs_strdup(target);
}

uint32_t rs_header_nfeatures(const rs_header *h)
{
	if (!h->nfields)
		return 0;
	const rs_field *f = &h->fields[h->nfields - 1];
	return f->offset + f->size;
}

static char **copy_strs(char **src, int n)
{
	char **d = rs_calloc(n, sizeof *d);
	for (int i = 0; i < n; i++)
		d[i] = rs_strdup(src[i]);
	return d;
}

static int64_t *copy_ids(const int64_t *src, uint32_t n)
{
	int64_t *d = rs_malloc((size_t)n * sizeof *d);
	if (n)
		memcpy(d, src, (size_t)n * sizeof *d);
	return d;
}

void rs_header_copy(rs_header *d, const rs_header *s)
{
	memset(d, 0, sizeof *d);
	d->columns = copy_strs(s->columns, s->ncol);
	d->ncol = s->ncol;
	d->target = s->target ? rs_strdup(s->target) : NULL;
	d->nusers = s->nusers;
	d->nitems = s->nitems;
	d->user_ids = copy_ids(s->user_ids, s->nusers);
	d->item_ids = copy_ids(s->item_ids, s->nitems);
	rs_names_copy(&d->user_names, &s->user_names);
	rs_names_copy(&d->item_names, &s->item_names);
	d->fields = rs_calloc(s->nfields, sizeof *d->fields);
	for (int i = 0; i < s->nfields; i++)
		d->fields[i] = (rs_field){rs_strdup(s->fields[i].name), s->fields[i].offset,
					  s->fields[i].size, s->fields[i].window, s->fields[i].bin,
					  s->fields[i].origin, rs_fenc_dup(s->fields[i].enc)};
	d->nfields = s->nfields;
	d->attrs = rs_calloc(s->nattrs + 1, sizeof *d->attrs);
	for (int i = 0; i < s->nattrs; i++)
		rs_attr_copy(&d->attrs[i], &s->attrs[i]);
	d->nattrs = s->nattrs;
	d->history = copy_strs(s->history, s->nhistory);
	d->nhistory = s->nhistory;
}

static void pack_strs(msgpack_packer *pk, char **s, int n)
{
	msgpack_pack_array(pk, n);
	for (int i = 0; i < n; i++)
		rs_pack_cstr(pk, s[i]);
}

static void pack_ids(msgpack_packer *pk, uint32_t n, const int64_t *ids, const rs_names *nm)
{
	msgpack_pack_map(pk, 2);
	rs_pack_cstr(pk, "count");
	msgpack_pack_uint32(pk, n);
	rs_pack_cstr(pk, "ids");
	msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++)
		if (rs_names_on(nm))
			rs_pack_cstr(pk, rs_names_at(nm, i));
		else
			msgpack_pack_int64(pk, ids[i]);
}

void rs_header_pack(msgpack_packer *pk, const rs_header *h)
{
	msgpack_pack_map(pk, 8 + (h->nattrs > 0));
	rs_pack_cstr(pk, "format");
	rs_pack_cstr(pk, RS_STREAM_FORMAT);
	rs_pack_cstr(pk, "version");
	msgpack_pack_int(pk, rs_header_version(h));
	rs_pack_cstr(pk, "columns");
	pack_strs(pk, h->columns, h->ncol);
	rs_pack_cstr(pk, "target");
	rs_pack_cstr(pk, h->target ? h->target : RS_TARGET_RATING);
	rs_pack_cstr(pk, "users");
	pack_ids(pk, h->nusers, h->user_ids, &h->user_names);
	rs_pack_cstr(pk, "items");
	pack_ids(pk, h->nitems, h->item_ids, &h->item_names);
	rs_pack_cstr(pk, "fields");
	msgpack_pack_array(pk, h->nfields);
	for (int i = 0; i < h->nfields; i++) {
		const rs_fenc *enc = h->fields[i].enc;
		msgpack_pack_map(pk, 3 + (h->fields[i].window > 0) + 2 * (h->fields[i].bin > 0) +
					     (enc ? rs_fenc_nkeys(enc) : 0));
		rs_pack_cstr(pk, "name");
		rs_pack_cstr(pk, h->fields[i].name);
		rs_pack_cstr(pk, "offset");
		msgpack_pack_uint32(pk, h->fields[i].offset);
		rs_pack_cstr(pk, "size");
		msgpack_pack_uint32(pk, h->fields[i].size);
		if (h->fields[i].window) {
			rs_pack_cstr(pk, "window");
			msgpack_pack_uint32(pk, h->fields[i].window);
		}
		if (h->fields[i].bin) {
			rs_pack_cstr(pk, "bin");
			msgpack_pack_uint32(pk, h->fields[i].bin);
			rs_pack_cstr(pk, "origin");
			msgpack_pack_int64(pk, h->fields[i].origin);
		}
		if (enc)
			rs_fenc_pack(pk, enc);
	}
	rs_pack_cstr(pk, "history");
	pack_strs(pk, h->history, h->nhistory);
	if (h->nattrs) {
		rs_pack_cstr(pk, "attributes");
		rs_attrs_pack(pk, h->attrs, h->nattrs);
	}
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

static int parse_strs(const msgpack_object *o, const char *key, char ***out, int *n,
		      char *err, size_t errlen)
{
	if (!o || o->type != MSGPACK_OBJECT_ARRAY)
		FAIL("header key '%s' is missing or not an array", key);
	*out = rs_calloc(o->via.array.size, sizeof **out);
	*n = 0;
	for (uint32_t i = 0; i < o->via.array.size; i++) {
		char *s = rs_obj_strdup(&o->via.array.ptr[i]);
		if (!s)
			FAIL("header key '%s': entry %u is not a string", key, i);
		(*out)[(*n)++] = s;
	}
	return 0;
}

static int parse_ids(const msgpack_object *o, const char *key, uint32_t *n, int64_t **ids,
		     rs_names *nm, char *err, size_t errlen)
{
	const msgpack_object *c = o ? rs_map_get(o, "count") : NULL;
	const msgpack_object *a = o ? rs_map_get(o, "ids") : NULL;
	uint64_t cnt;
	if (!c || rs_obj_u64(c, &cnt) || cnt > UINT32_MAX)
		FAIL("header key '%s.count' is missing or not a count", key);
	if (!a || a->type != MSGPACK_OBJECT_ARRAY || a->via.array.size != cnt)
		FAIL("header key '%s.ids' is missing or does not hold %s.count ids", key, key);
	*n = (uint32_t)cnt;
	*ids = rs_malloc((size_t)cnt * sizeof **ids);
	/* all numbers, or all names (string ids) */
	int names = cnt && a->via.array.ptr[0].type == MSGPACK_OBJECT_STR;
	for (uint32_t i = 0; i < cnt; i++) {
		const msgpack_object *e = &a->via.array.ptr[i];
		if (!names && rs_obj_i64(e, &(*ids)[i]))
			FAIL("header key '%s.ids': entry %u is not an integer", key, i);
		if (!names)
			continue;
		/* as ml-split refuses them: a NUL cuts a name, a tab or a line
		 * break breaks the TSV a name is printed in */
		if (e->type != MSGPACK_OBJECT_STR || !e->via.str.size || e->via.str.size > RS_MAX_ID_LEN ||
		    memchr(e->via.str.ptr, 0, e->via.str.size) || memchr(e->via.str.ptr, '\t', e->via.str.size) ||
		    memchr(e->via.str.ptr, '\n', e->via.str.size) || memchr(e->via.str.ptr, '\r', e->via.str.size))
			FAIL("header key '%s.ids': entry %u is not an id's name (1 to %d bytes, no NUL, tab or line break)",
			     key, i, RS_MAX_ID_LEN);
		rs_names_add(nm, e->via.str.ptr, e->via.str.size);
		(*ids)[i] = rs_name_key(e->via.str.ptr, e->via.str.size);
	}
	/* every id once: two names of one key would be one id downstream */
	rs_idmap seen;
	rs_idmap_init(&seen);
	uint32_t dup = UINT32_MAX;
	for (uint32_t i = 0; i < cnt && dup == UINT32_MAX; i++)
		if (rs_idmap_add(&seen, (*ids)[i]) != i)
			dup = i;
	rs_idmap_free(&seen);
	if (dup != UINT32_MAX)
		FAIL("header key '%s.ids': entry %u repeats an earlier id%s", key, dup,
		     names ? " (or its 64-bit key)" : "");
	return 0;
}

int rs_header_parse(rs_header *h, const msgpack_object *o, char *err, size_t errlen)
{
	memset(h, 0, sizeof *h);
	const msgpack_object *fmt = rs_map_get(o, "format");
	if (rs_obj_is(fmt, RS_MODEL_FORMAT))
		FAIL("this is a model file, not a stream (models go to rs-eval -m)");
	if (!rs_obj_is(fmt, RS_STREAM_FORMAT))
		FAIL("not an rs-stream (no header map with format \"rs-stream\"; ratings text goes through ml-split first)");
	uint64_t ver;
	const msgpack_object *v = rs_map_get(o, "version");
	if (!v || rs_obj_u64(v, &ver))
		FAIL("header has no version");
	if (ver < 1 || ver > RS_STREAM_VERSION)
		FAIL("stream version %llu is not supported (this tool reads versions 1 to %d)",
		     (unsigned long long)ver, RS_STREAM_VERSION);
	if (parse_strs(rs_map_get(o, "columns"), "columns", &h->columns, &h->ncol, err, errlen))
		return -1;
	for (int i = 0; i < h->ncol; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(h->columns[i], h->columns[j]))
				FAIL("header names column '%s' twice", h->columns[i]);
	const msgpack_object *t = rs_map_get(o, "target");
	if (!t || !(h->target = rs_obj_strdup(t)))
		FAIL("header key 'target' is missing or not a string");
	if (parse_ids(rs_map_get(o, "users"), "users", &h->nusers, &h->user_ids, &h->user_names, err,
		      errlen) ||
	    parse_ids(rs_map_get(o, "items"), "items", &h->nitems, &h->item_ids, &h->item_names, err,
		      errlen))
		return -1;
	const msgpack_object *at = rs_map_get(o, "attributes");
	if (at && rs_attrs_parse(at, &h->attrs, &h->nattrs, err, errlen))
		return -1;
	for (int a = 0; a < h->nattrs; a++)
		if (rs_header_col(h, h->attrs[a].column) < 0)
			FAIL("header attribute '%s' is not a column", h->attrs[a].column);
	const msgpack_object *f = rs_map_get(o, "fields");
	if (f) {
		if (f->type != MSGPACK_OBJECT_ARRAY)
			FAIL("header key 'fields' is not an array");
		if (f->via.array.size > RS_MAX_FIELDS)
			FAIL("header has %u fields, more than %d", f->via.array.size, RS_MAX_FIELDS);
		h->fields = rs_calloc(f->via.array.size, sizeof *h->fields);
		uint64_t next = 0;
		for (uint32_t i = 0; i < f->via.array.size; i++) {
			const msgpack_object *e = &f->via.array.ptr[i];
			const msgpack_object *nm = rs_map_get(e, "name");
			const msgpack_object *of = rs_map_get(e, "offset");
			const msgpack_object *sz = rs_map_get(e, "size");
			const msgpack_object *wn = rs_map_get(e, "window");
			const msgpack_object *bn = rs_map_get(e, "bin"), *og = rs_map_get(e, "origin");
			uint64_t off, size, window = 0, bin = 0;
			int64_t origin = 0;
			char *name = nm ? rs_obj_strdup(nm) : NULL;
			if (!name || !of || !sz || rs_obj_u64(of, &off) || rs_obj_u64(sz, &size)) {
				free(name);
				FAIL("header field %u lacks name, offset or size", i);
			}
			h->fields[h->nfields++] = (rs_field){name, (uint32_t)off, (uint32_t)size, 0, 0, 0, NULL};
			if (wn && (rs_obj_u64(wn, &window) || window == 0 || window > RS_MAX_WINDOW))
				FAIL("header field '%s' has a window that is not in [1, %d]", name,
				     RS_MAX_WINDOW);
			h->fields[h->nfields - 1].window = (uint32_t)window;
			if (!bn != !og || (bn && (rs_obj_u64(bn, &bin) || bin == 0 || bin > RS_MAX_BIN_DAYS ||
						  rs_obj_i64(og, &origin))))
				FAIL("header field '%s' has no bin in [1, %d] and integer origin together", name,
				     RS_MAX_BIN_DAYS);
			h->fields[h->nfields - 1].bin = (uint32_t)bin;
			h->fields[h->nfields - 1].origin = origin;
			/* fields tile the feature space in order: x stays sorted */
			if (off != next)
				FAIL("header field '%s' has offset %llu, expected %llu", name,
				     (unsigned long long)off, (unsigned long long)next);
			uint64_t cap = cap_of(h, (uint32_t)bin);
			if (size == 0 || size > cap || size > UINT32_MAX - off)
				FAIL("header field '%s' has size %llu, not in [1, %llu] (a %sfield holds at most %.0d%sthe larger of users.count, items.count and %d features)",
				     name, (unsigned long long)size, (unsigned long long)(cap < UINT32_MAX - off ? cap : UINT32_MAX - off),
				     bin ? "time " : "", bin ? RS_MAX_BINS : 0, bin ? " times " : "", RS_MIN_FIELD_CAP);
			next = off + size;
			char why[200];
			if (rs_fenc_parse(e, (uint32_t)size, &h->fields[h->nfields - 1].enc, why, sizeof why))
				FAIL("header field '%s': %s", name, why);
			const rs_fenc *enc = h->fields[h->nfields - 1].enc;
			const rs_attr *at = enc ? rs_header_attr(h, name) : NULL;
			if (enc && !at)
				FAIL("header field '%s' encodes a column the header has no attribute of", name);
			if (enc && (at->type == RS_ATTR_CATEGORICAL) != (enc->enc <= RS_ENC_HASH))
				FAIL("header field '%s' encodes a %s column as %s", name,
				     rs_attr_type_names[at->type], rs_enc_names[enc->enc]);
			if (enc && enc->enc == RS_ENC_ONEHOT && enc->nmap != at->values.n)
				FAIL("header field '%s' maps %u values, its column has %u", name, enc->nmap,
				     at->values.n);
		}
	}
	const msgpack_object *hi = rs_map_get(o, "history");
	if (hi && parse_strs(hi, "history", &h->history, &h->nhistory, err, errlen))
		return -1;
	return 0;
}

#undef FAIL

